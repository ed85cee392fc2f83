import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ClusterPropagationPolicy, PropagationPolicy, PropagationSpec } from '../../apis/karmada/policy.js';
import { buildBinding, claimOf, decidePolicy, hasClaim, highestPriorityPolicy, mergeBinding, onlyClaimAdded, onlyTemplateVersionMoved, preemptionMessage, schedulePriorityFor, workloadAffinityGroupsFor, withClaim, withoutClaims } from './match.js';

const deploy = (name = 'nginx', labels: Record<string, string> = { app: 'nginx' }, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', uid: 'u1', resourceVersion: '7', labels, ...extra },
  spec: { replicas: 3 },
});

const byKind = { apiVersion: 'apps/v1', kind: 'Deployment' };
const byName = { ...byKind, name: 'nginx' };
const byLabel = { ...byKind, labelSelector: { matchLabels: { app: 'nginx' } } };

function pp(name: string, spec: Partial<PropagationSpec>, namespace = 'default'): PropagationPolicy {
  return { kind: 'PropagationPolicy', metadata: { name, namespace, labels: { 'propagationpolicy.karmada.io/permanent-id': `id-${name}` } }, spec: { resourceSelectors: [byKind], ...spec } };
}
function cpp(name: string, spec: Partial<PropagationSpec>): ClusterPropagationPolicy {
  return { kind: 'ClusterPropagationPolicy', metadata: { name, labels: { 'clusterpropagationpolicy.karmada.io/permanent-id': `id-${name}` } }, spec: { resourceSelectors: [byKind], ...spec } };
}

describe('highestPriorityPolicy', () => {
  const cases: { name: string; policies: PropagationPolicy[]; want: string | undefined }[] = [
    { name: 'no selector matches: no policy', policies: [pp('a', { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }] })], want: undefined },
    { name: 'explicit priority beats a more specific selector', policies: [pp('a', { resourceSelectors: [byName] }), pp('b', { priority: 1 })], want: 'b' },
    { name: 'same priority: name selector beats label selector', policies: [pp('a', { resourceSelectors: [byLabel] }), pp('b', { resourceSelectors: [byName] })], want: 'b' },
    { name: 'same priority: label selector beats kind only', policies: [pp('a', {}), pp('b', { resourceSelectors: [byLabel] })], want: 'b' },
    { name: 'all equal: alphabetical name order', policies: [pp('zeta', {}), pp('alpha', {})], want: 'alpha' },
    { name: 'a name selector for another object does not match', policies: [pp('a', { resourceSelectors: [{ ...byKind, name: 'other' }] })], want: undefined },
    { name: 'a policy being deleted is ignored', policies: [{ ...pp('a', { priority: 5 }), metadata: { ...pp('a', {}).metadata, deletionTimestamp: 'now' } }, pp('b', {})], want: 'b' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(highestPriorityPolicy(c.policies, deploy())?.metadata.name, c.want));
});

describe('decidePolicy', () => {
  const claimedBy = (p: PropagationPolicy | ClusterPropagationPolicy) => ({ ...deploy(), metadata: withClaim(deploy().metadata, p) });
  const cases: { name: string; obj: KubeObject; pps: PropagationPolicy[]; cpps: ClusterPropagationPolicy[]; want?: string; release: boolean }[] = [
    { name: 'a PropagationPolicy beats a ClusterPropagationPolicy of higher priority', obj: deploy(), pps: [pp('p', {})], cpps: [cpp('c', { priority: 10 })], want: 'p', release: false },
    { name: 'a PropagationPolicy of another namespace does not apply', obj: deploy(), pps: [pp('p', {}, 'other')], cpps: [cpp('c', {})], want: 'c', release: false },
    { name: 'no policy: the template waits', obj: deploy(), pps: [], cpps: [], want: undefined, release: false },
    { name: 'a claimed template keeps its policy against a higher one without preemption', obj: claimedBy(pp('low', {})), pps: [pp('low', {}), pp('high', { priority: 5 })], cpps: [], want: 'low', release: false },
    { name: 'preemption: Always takes it from a lower-priority PropagationPolicy', obj: claimedBy(pp('low', {})), pps: [pp('low', {}), pp('high', { priority: 5, preemption: 'Always' })], cpps: [], want: 'high', release: false },
    { name: 'preemption needs a strictly higher priority', obj: claimedBy(pp('low', { priority: 5 })), pps: [pp('low', { priority: 5 }), pp('same', { priority: 5, preemption: 'Always' })], cpps: [], want: 'low', release: false },
    { name: 'a preempting PropagationPolicy takes it from any ClusterPropagationPolicy', obj: claimedBy(cpp('c', { priority: 100 })), pps: [pp('p', { preemption: 'Always' })], cpps: [cpp('c', { priority: 100 })], want: 'p', release: false },
    { name: 'a ClusterPropagationPolicy never preempts a PropagationPolicy', obj: claimedBy(pp('p', {})), pps: [pp('p', {})], cpps: [cpp('c', { priority: 100, preemption: 'Always' })], want: 'p', release: false },
    { name: 'the claiming policy is gone: release and re-match', obj: claimedBy(pp('gone', {})), pps: [pp('other', {})], cpps: [], want: 'other', release: true },
    { name: 'the claiming policy no longer selects it: release', obj: claimedBy(pp('p', {})), pps: [pp('p', { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }] })], cpps: [], want: undefined, release: true },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const d = decidePolicy(c.obj, c.pps, c.cpps);
      assert.equal(d.policy?.metadata.name, c.want);
      assert.equal(d.releaseClaim, c.release);
      assert.equal(d.preempted !== undefined, c.name.startsWith('preemption: Always') || c.name.startsWith('a preempting'), 'preempted names the claim taken over');
    });
  }

  test('preemption event messages (preemption.go)', () => {
    assert.equal(preemptionMessage(pp('high', {}), { kind: 'PropagationPolicy', namespace: 'default', name: 'low' }), 'Propagation policy(default/high) preempted propagation policy(default/low) successfully');
    assert.equal(preemptionMessage(pp('p', {}), { kind: 'ClusterPropagationPolicy', name: 'c' }), 'Propagation policy(default/p) preempted cluster propagation policy(c) successfully');
    assert.equal(preemptionMessage(cpp('c2', {}), { kind: 'ClusterPropagationPolicy', name: 'c' }, 'conflict'), 'Cluster propagation policy(c2) failed to preempt cluster propagation policy(c): conflict');
  });
});

describe('claim metadata', () => {
  test('a PropagationPolicy claim: permanent-id label, namespace and name annotations', () => {
    const meta = withClaim({ name: 'x', labels: { app: 'a' } }, pp('p', {}));
    assert.deepEqual(meta.labels, { app: 'a', 'propagationpolicy.karmada.io/permanent-id': 'id-p' });
    assert.deepEqual(meta.annotations, { 'propagationpolicy.karmada.io/namespace': 'default', 'propagationpolicy.karmada.io/name': 'p' });
    assert.deepEqual(claimOf({ metadata: meta }), { kind: 'PropagationPolicy', namespace: 'default', name: 'p', id: 'id-p' });
    assert.ok(hasClaim(meta, pp('p', {})));
    assert.ok(!hasClaim(meta, pp('q', {})));
  });
  test('a PropagationPolicy claim replaces a ClusterPropagationPolicy one', () => {
    const meta = withClaim(withClaim({ name: 'x' }, cpp('c', {})), pp('p', {}));
    assert.equal(meta.labels?.['clusterpropagationpolicy.karmada.io/permanent-id'], undefined);
    assert.equal(meta.annotations?.['clusterpropagationpolicy.karmada.io/name'], undefined);
    assert.equal(claimOf({ metadata: meta })?.kind, 'PropagationPolicy');
  });
  test('withoutClaims removes both kinds and keeps the rest', () => {
    const meta = withoutClaims(withClaim({ name: 'x', labels: { app: 'a' } }, cpp('c', {})));
    assert.deepEqual(meta.labels, { app: 'a' });
    assert.deepEqual(meta.annotations, {});
  });
});

describe('buildBinding', () => {
  test('a Deployment claimed by a PropagationPolicy', () => {
    const policy = pp('p', { placement: { clusterAffinity: { clusterNames: ['m1'] } }, propagateDeps: true, conflictResolution: 'Overwrite', preserveResourcesOnDeletion: true, schedulerName: 'default-scheduler' });
    const rb = buildBinding(deploy(), policy, { replicas: 3, replicaRequirements: { resourceRequest: { cpu: '100m' } } });
    assert.equal(rb.kind, 'ResourceBinding');
    assert.equal(rb.metadata.name, 'nginx-deployment');
    assert.equal(rb.metadata.namespace, 'default');
    assert.deepEqual(rb.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(rb.metadata.finalizers, ['karmada.io/binding-controller']);
    assert.equal(rb.metadata.labels?.['propagationpolicy.karmada.io/permanent-id'], 'id-p');
    assert.deepEqual(rb.spec.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'nginx', uid: 'u1', resourceVersion: '7' });
    assert.equal(rb.spec.replicas, 3);
    assert.deepEqual(rb.spec.replicaRequirements, { resourceRequest: { cpu: '100m' } });
    assert.deepEqual(rb.spec.placement, { clusterAffinity: { clusterNames: ['m1'] } });
    assert.equal(rb.spec.propagateDeps, true);
    assert.equal(rb.spec.conflictResolution, 'Overwrite');
    assert.equal(rb.spec.preserveResourcesOnDeletion, true);
    assert.equal(rb.spec.schedulerName, 'default-scheduler');
  });
  test('a cluster-scoped template gets a ClusterResourceBinding', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', uid: 'n1' } };
    const crb = buildBinding(ns, cpp('c', { resourceSelectors: [{ apiVersion: 'v1', kind: 'Namespace' }] }), {});
    assert.equal(crb.kind, 'ClusterResourceBinding');
    assert.equal(crb.metadata.name, 'apps-namespace');
    assert.equal(crb.metadata.namespace, undefined);
    assert.deepEqual(crb.metadata.finalizers, ['karmada.io/cluster-resource-binding-controller']);
    assert.equal(crb.spec.replicas, undefined);
  });
  test('mergeBinding keeps the scheduling result and replaces the policy fields', () => {
    const existing = buildBinding(deploy(), withCPP(), {});
    existing.spec.clusters = [{ name: 'm1', replicas: 3 }];
    existing.metadata.labels = { ...existing.metadata.labels, keep: 'me' };
    const desired = buildBinding(deploy(), pp('p', { placement: { clusterAffinity: { clusterNames: ['m2'] } } }), { replicas: 5 });
    const merged = mergeBinding(existing, desired, pp('p', {}));
    assert.deepEqual(merged.spec.clusters, [{ name: 'm1', replicas: 3 }]);
    assert.equal(merged.spec.replicas, 5);
    assert.deepEqual(merged.spec.placement, { clusterAffinity: { clusterNames: ['m2'] } });
    assert.equal(merged.metadata.labels?.keep, 'me');
    assert.equal(merged.metadata.labels?.['clusterpropagationpolicy.karmada.io/permanent-id'], undefined);
    assert.equal(merged.metadata.labels?.['propagationpolicy.karmada.io/permanent-id'], 'id-p');
  });
});

describe('onlyTemplateVersionMoved (a restart does not write a binding for its template\'s status writes)', () => {
  const policy = pp('p', {});
  const existing = buildBinding(deploy(), policy, { replicas: 3 });
  existing.spec.clusters = [{ name: 'm1', replicas: 3 }];
  const merge = (template: KubeObject, replicas = 3, by = policy) => mergeBinding(existing, buildBinding(template, by, { replicas }), by);
  const cases: { name: string; merged: ReturnType<typeof merge>; want: boolean }[] = [
    { name: 'nothing moved', merged: merge(deploy()), want: false },
    { name: 'the resourceVersion alone moved', merged: merge(deploy('nginx', { app: 'nginx' }, { resourceVersion: '9' })), want: true },
    { name: 'the resourceVersion and the replicas moved', merged: merge(deploy('nginx', { app: 'nginx' }, { resourceVersion: '9' }), 5), want: false },
    { name: 'the resourceVersion and the placement moved', merged: merge(deploy('nginx', { app: 'nginx' }, { resourceVersion: '9' }), 3, pp('p', { placement: { clusterAffinity: { clusterNames: ['m2'] } } })), want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(onlyTemplateVersionMoved(c.merged, existing), c.want));
});

function withCPP(): ClusterPropagationPolicy {
  return cpp('c', { conflictResolution: 'Overwrite' });
}

describe('onlyClaimAdded (the detector does not reconcile its own claim write again)', () => {
  const policy = pp('web', {});
  const claimed = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...withClaim(o.metadata, policy), resourceVersion: '8' } });
  const cases: { name: string; old: KubeObject; obj: KubeObject; want: boolean }[] = [
    { name: 'a claim added and nothing else', old: deploy(), obj: claimed(deploy()), want: true },
    { name: 'a claim added with a spec change', old: deploy(), obj: { ...claimed(deploy()), spec: { replicas: 5 } }, want: false },
    { name: 'a claim added with a user label', old: deploy(), obj: claimed(deploy('nginx', { app: 'nginx', tier: 'web' })), want: false },
    { name: 'a claim removed', old: claimed(deploy()), obj: deploy(), want: false },
    { name: 'a claim changed to another policy', old: claimed(deploy()), obj: { ...deploy(), metadata: withClaim(deploy().metadata, pp('other', {})) }, want: false },
    { name: 'no claim either side', old: deploy(), obj: deploy(), want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(onlyClaimAdded(c.obj, c.old), c.want));
});

describe('schedulePriorityFor (BuildResourceBinding)', () => {
  const classes: Record<string, number> = { high: 1000 };
  const lookup = async (name: string) => {
    if (!(name in classes)) throw new Error(`priorityclasses.scheduling.k8s.io "${name}" not found`);
    return classes[name];
  };
  const withSource = (priorityClassSource: string, priorityClassName = 'high') => pp('p', { schedulePriority: { priorityClassSource, priorityClassName } as PropagationSpec['schedulePriority'] });
  const cases: { name: string; policy: PropagationPolicy; want?: { priority: number }; error?: string }[] = [
    { name: 'no schedulePriority: none on the binding', policy: pp('p', {}) },
    { name: 'KubePriorityClass: the class value', policy: withSource('KubePriorityClass'), want: { priority: 1000 } },
    { name: 'a missing PriorityClass holds the binding back', policy: withSource('KubePriorityClass', 'absent'), error: 'priorityclasses.scheduling.k8s.io "absent" not found' },
    { name: 'PodPriorityClass is not supported', policy: withSource('PodPriorityClass'), error: 'priority class source is PodPriorityClass, but PodPriorityClass is not supported yet' },
    { name: 'FederatedPriorityClass is not supported', policy: withSource('FederatedPriorityClass'), error: 'priority class source is FederatedPriorityClass, but FederatedPriorityClass is not supported yet' },
    { name: 'an unknown source', policy: withSource('Other'), error: 'unsupported priority class source' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      if (c.error) await assert.rejects(schedulePriorityFor(c.policy, lookup), { message: c.error });
      else assert.deepEqual(await schedulePriorityFor(c.policy, lookup), c.want);
    });
  }
  test('buildBinding carries it', () => {
    assert.deepEqual(buildBinding(deploy(), pp('p', {}), { schedulePriority: { priority: 7 } }).spec.schedulePriority, { priority: 7 });
  });
});

describe('workloadAffinityGroupsFor (getWorkloadAffinityGroups)', () => {
  const withWA = (wa: NonNullable<PropagationSpec['placement']>['workloadAffinity']) => pp('p', { placement: { workloadAffinity: wa } });
  const cases: { name: string; policy: PropagationPolicy; labels: Record<string, string>; want: unknown }[] = [
    { name: 'no workloadAffinity: none', policy: pp('p', {}), labels: { app: 'shop' }, want: undefined },
    { name: 'affinity by a label the template has', policy: withWA({ affinity: { groupByLabelKey: 'app' } }), labels: { app: 'shop' }, want: { affinityGroup: 'app=shop' } },
    { name: 'both terms', policy: withWA({ affinity: { groupByLabelKey: 'app' }, antiAffinity: { groupByLabelKey: 'ha' } }), labels: { app: 'shop', ha: 'pair' }, want: { affinityGroup: 'app=shop', antiAffinityGroup: 'ha=pair' } },
    { name: 'the template lacks the label: none', policy: withWA({ affinity: { groupByLabelKey: 'team' } }), labels: { app: 'shop' }, want: undefined },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(workloadAffinityGroupsFor(deploy('nginx', c.labels), c.policy), c.want));
});
