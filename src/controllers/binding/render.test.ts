import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { OverridePolicy } from '../../apis/karmada/override.js';
import { createNativeInterpreter } from '../../interpreter/native/index.js';
import { clusterMatches } from '../../apis/karmada/clusteraffinity.js';
import { bindingPermanentId, cleanTemplate, conflictResolutionOf, mergeWork, overrideSucceededMessages, renderWork, suspendDispatching, targetClusters } from './render.js';

const template: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'nginx',
    namespace: 'default',
    uid: 'tpl-uid',
    resourceVersion: '42',
    generation: 3,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'kubectl' }],
    ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'x' }],
    labels: { app: 'nginx' },
    annotations: { note: 'kept' },
  },
  spec: { replicas: 5, template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
  status: { replicas: 5 },
};

const binding = (spec: Partial<ResourceBinding['spec']> = {}): ResourceBinding => ({
  kind: 'ResourceBinding',
  metadata: { name: 'nginx-deployment', namespace: 'default', labels: { 'resourcebinding.karmada.io/permanent-id': 'rb-id' } },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'nginx' }, replicas: 5, clusters: [{ name: 'member1', replicas: 2 }, { name: 'member2', replicas: 3 }], ...spec },
});

const cluster = (name: string, labels: Record<string, string> = {}): Cluster => ({ metadata: { name, labels }, spec: {} }) as unknown as Cluster;

const op: OverridePolicy = {
  kind: 'OverridePolicy',
  metadata: { name: 'add-env-label', namespace: 'default' },
  spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }], overrideRules: [{ targetCluster: { clusterNames: ['member2'] }, overriders: { labelsOverrider: [{ operator: 'add', value: { env: 'prod' } }] } }] },
};

function render(b: ResourceBinding, clusterName: string, ops: OverridePolicy[] = []) {
  return renderWork({
    binding: b,
    template,
    target: b.spec.clusters!.find((c) => c.name === clusterName)!,
    cluster: cluster(clusterName),
    interpreter: createNativeInterpreter(),
    clusterOverridePolicies: [],
    overridePolicies: ops,
    matchesCluster: clusterMatches,
    workPermanentId: 'work-id',
  });
}

describe('cleanTemplate', () => {
  test('drops server-owned metadata and status, keeps labels and annotations', () => {
    const c = cleanTemplate(template);
    assert.deepEqual(c.metadata, { name: 'nginx', namespace: 'default', labels: { app: 'nginx' }, annotations: { note: 'kept' } });
    assert.equal(c.status, undefined);
    assert.equal(template.metadata.uid, 'tpl-uid', 'the input is not modified');
  });

  const svc = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec });
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'a Service loses the control plane\'s ClusterIP but keeps its NodePorts',
      { type: 'NodePort', clusterIP: '10.96.3.4', clusterIPs: ['10.96.3.4'], ports: [{ port: 80, nodePort: 30080 }] },
      { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] },
    ],
    ['a headless Service keeps clusterIP None', { clusterIP: 'None', clusterIPs: ['None'] }, { clusterIP: 'None', clusterIPs: ['None'] }],
  ];
  for (const [name, spec, want] of cases) test(name, () => assert.deepEqual(cleanTemplate(svc(spec)).spec, want));
});

describe('renderWork', () => {
  test('one Work per cluster in its execution space, replicas revised to the cluster share', () => {
    const { work, failures } = render(binding(), 'member2');
    assert.deepEqual(failures, []);
    assert.equal(work.metadata.namespace, 'karmada-es-member2');
    assert.equal(work.metadata.name, 'nginx-687f7fb96f');
    assert.deepEqual(work.metadata.finalizers, ['karmada.io/execution-controller']);
    const m = work.spec.workload!.manifests![0]!;
    assert.equal((m.spec as { replicas: number }).replicas, 3);
    assert.equal(m.metadata.uid, undefined);
    assert.equal(m.status, undefined);
  });
  test("Karmada's labels and annotations on the Work and the manifest", () => {
    const { work } = render(binding({ conflictResolution: 'Overwrite', preserveResourcesOnDeletion: true }), 'member1');
    assert.deepEqual(work.metadata.labels, { 'resourcebinding.karmada.io/permanent-id': 'rb-id', 'work.karmada.io/permanent-id': 'work-id' });
    assert.equal(work.metadata.annotations?.['resourcebinding.karmada.io/name'], 'nginx-deployment');
    assert.equal(work.metadata.annotations?.['resourcebinding.karmada.io/namespace'], 'default');
    assert.equal(work.metadata.annotations?.['work.karmada.io/conflict-resolution'], 'overwrite');
    assert.equal(work.spec.preserveResourcesOnDeletion, true);
    assert.equal(work.spec.suspendDispatching, false);
    const m = work.spec.workload!.manifests![0]!;
    assert.equal(m.metadata.labels?.['karmada.io/managed'], 'true');
    assert.equal(m.metadata.labels?.['resourcebinding.karmada.io/permanent-id'], 'rb-id');
    assert.equal(m.metadata.labels?.['work.karmada.io/permanent-id'], 'work-id');
    assert.equal(m.metadata.annotations?.['resourcetemplate.karmada.io/uid'], 'tpl-uid');
    assert.equal(m.metadata.annotations?.['resourcetemplate.karmada.io/generation'], '3');
    assert.equal(m.metadata.annotations?.['work.karmada.io/name'], 'nginx-687f7fb96f');
    assert.equal(m.metadata.annotations?.['work.karmada.io/namespace'], 'karmada-es-member1');
    assert.equal(m.metadata.annotations?.['resourcetemplate.karmada.io/managed-labels'], 'app,karmada.io/managed,resourcebinding.karmada.io/permanent-id,work.karmada.io/permanent-id');
    assert.ok(m.metadata.annotations?.['resourcetemplate.karmada.io/managed-annotations']?.startsWith('note,resourcebinding.karmada.io/name,'));
  });
  test('an override applies in its target cluster only and is recorded on that Work', () => {
    const w1 = render(binding(), 'member1', [op]).work;
    const w2 = render(binding(), 'member2', [op]).work;
    assert.equal(w1.spec.workload!.manifests![0]!.metadata.labels?.env, undefined);
    assert.equal(w1.metadata.annotations?.['policy.karmada.io/applied-overrides'], undefined);
    assert.equal(w2.spec.workload!.manifests![0]!.metadata.labels?.env, 'prod');
    assert.match(w2.metadata.annotations?.['policy.karmada.io/applied-overrides'] ?? '', /"policyName":"add-env-label"/);
  });
  test('a failing override is reported, not thrown', () => {
    const bad: OverridePolicy = { ...op, spec: { ...op.spec, overrideRules: [{ overriders: { plaintext: [{ path: '/spec/missing/deep', operator: 'replace', value: 1 }] } }] } };
    const { failures } = render(binding(), 'member1', [bad]);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.policy, 'add-env-label');
  });
  test('the applied policies give one ApplyOverridePolicySucceed message each, cluster policies first', () => {
    const applied = {
      appliedClusterOverrides: [{ policyName: 'registry', overriders: {} }],
      appliedOverrides: [
        { policyName: 'env', overriders: {} },
        { policyName: 'env', overriders: {} },
      ],
    };
    assert.deepEqual(overrideSucceededMessages(applied, 'default', 'member1'), [
      'Apply cluster override policy(registry) for cluster(member1) succeed.',
      'Apply override policy(default/env) for cluster(member1) succeed.',
    ]);
    const { applied: none } = render(binding(), 'member1');
    assert.deepEqual(overrideSucceededMessages(none, 'default', 'member1'), [], 'no policy, no message');
    const { applied: one } = render(binding(), 'member2', [op]);
    assert.deepEqual(overrideSucceededMessages(one, 'default', 'member2'), ['Apply override policy(default/add-env-label) for cluster(member2) succeed.']);
  });
  test('replicas are not revised for a binding without replicas', () => {
    const { work } = render(binding({ replicas: undefined }), 'member1');
    assert.equal((work.spec.workload!.manifests![0]!.spec as { replicas: number }).replicas, 5);
  });
});

describe('bindingPermanentId', () => {
  const meta = (kind: string, namespace: string | undefined, labels: Record<string, string>) => ({ ...binding(), kind, metadata: { name: 'b', namespace, labels } }) as ResourceBinding;
  const cases = [
    { name: 'a ResourceBinding selects by its own label', b: meta('ResourceBinding', 'default', { 'resourcebinding.karmada.io/permanent-id': 'id-1' }), want: { label: 'resourcebinding.karmada.io/permanent-id', id: 'id-1' } },
    { name: 'a ClusterResourceBinding by the cluster-scoped label', b: meta('ClusterResourceBinding', undefined, { 'clusterresourcebinding.karmada.io/permanent-id': 'id-2' }), want: { label: 'clusterresourcebinding.karmada.io/permanent-id', id: 'id-2' } },
    { name: 'the other scope\'s label does not count', b: meta('ResourceBinding', 'default', { 'clusterresourcebinding.karmada.io/permanent-id': 'id-3' }), want: undefined },
    { name: 'no id yet: nothing to select', b: meta('ResourceBinding', 'default', {}), want: undefined },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(bindingPermanentId(c.b), c.want));
});

describe('helpers', () => {
  const cases: { name: string; tpl: Record<string, string>; policy: 'Overwrite' | undefined; want: string }[] = [
    { name: 'template annotation wins over the policy', tpl: { 'work.karmada.io/conflict-resolution': 'abort' }, policy: 'Overwrite', want: 'abort' },
    { name: 'an invalid template annotation is ignored', tpl: { 'work.karmada.io/conflict-resolution': 'yes' }, policy: 'Overwrite', want: 'overwrite' },
    { name: 'default is abort', tpl: {}, policy: undefined, want: 'abort' },
  ];
  for (const c of cases) test(`conflict resolution: ${c.name}`, () => assert.equal(conflictResolutionOf({ metadata: { annotations: c.tpl } }, binding({ conflictResolution: c.policy })), c.want));

  test('suspension: all clusters or the listed ones', () => {
    assert.equal(suspendDispatching(binding({ suspension: { dispatching: true } }), 'member1'), true);
    assert.equal(suspendDispatching(binding({ suspension: { dispatchingOnClusters: { clusterNames: ['member2'] } } }), 'member1'), false);
    assert.equal(suspendDispatching(binding({ suspension: { dispatchingOnClusters: { clusterNames: ['member2'] } } }), 'member2'), true);
  });
  test('targets include the clusters of requiring bindings, once', () => {
    const b = binding({ clusters: [{ name: 'a', replicas: 1 }], requiredBy: [{ name: 'x', clusters: [{ name: 'a' }, { name: 'b' }] }] });
    assert.deepEqual(targetClusters(b).map((c) => c.name), ['a', 'b']);
  });
  test('mergeWork: no update when nothing changed, update when the manifest changed', () => {
    const { work } = render(binding(), 'member1');
    assert.equal(mergeWork(structuredClone(work), work), undefined);
    const changed = render(binding({ clusters: [{ name: 'member1', replicas: 4 }] }), 'member1').work;
    assert.ok(mergeWork(work, changed));
  });

  test('mergeWork: applied-overrides annotations come from the rendered Work only, other annotations are kept', () => {
    const { work } = render(binding(), 'member1');
    const existing = structuredClone(work);
    existing.metadata.annotations = {
      ...existing.metadata.annotations,
      'policy.karmada.io/applied-overrides': '[{"policyName":"gone","overriders":{}}]',
      'policy.karmada.io/applied-cluster-overrides': '[{"policyName":"gone-too","overriders":{}}]',
      'someone.else/note': 'kept',
    };
    const merged = mergeWork(existing, work);
    assert.ok(merged, 'dropping the stale records is an update');
    assert.equal(merged.metadata.annotations?.['policy.karmada.io/applied-overrides'], undefined);
    assert.equal(merged.metadata.annotations?.['policy.karmada.io/applied-cluster-overrides'], undefined);
    assert.equal(merged.metadata.annotations?.['someone.else/note'], 'kept');
  });
});
