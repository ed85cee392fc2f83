import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import {
  buildAttachedBinding,
  dependedByLabelKey,
  dependencyConflictMessage,
  dependencyMatches,
  mergeAttachedBinding,
  mergeSnapshots,
  policiesAfterDetach,
  resolveDependencyPolicies,
  withoutSnapshot,
} from './attached.js';

const parent: ResourceBinding = {
  kind: 'ResourceBinding',
  metadata: { name: 'nginx-deployment', namespace: 'default', labels: { 'resourcebinding.karmada.io/permanent-id': 'rb-1' } },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'nginx' }, propagateDeps: true, clusters: [{ name: 'member1', replicas: 1 }], conflictResolution: 'Overwrite' },
};
const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf', namespace: 'default', uid: 'cm-uid', resourceVersion: '9' } };

describe('attached bindings', () => {
  test('buildAttachedBinding: named after the dependent, owned by it, requiredBy the parent with its clusters', () => {
    const a = buildAttachedBinding(parent, cm);
    assert.equal(a.metadata.name, 'conf-configmap');
    assert.equal(a.metadata.namespace, 'default');
    assert.equal(a.metadata.ownerReferences?.[0]?.uid, 'cm-uid');
    assert.deepEqual(a.metadata.labels, { [dependedByLabelKey('default', 'nginx-deployment')]: 'rb-1' });
    assert.ok(dependedByLabelKey('default', 'nginx-deployment').startsWith('resourcebinding.karmada.io/depended-by-'));
    assert.deepEqual(a.spec.requiredBy, [{ namespace: 'default', name: 'nginx-deployment', clusters: [{ name: 'member1', replicas: 1 }] }]);
    assert.deepEqual(a.spec.resource, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'conf', resourceVersion: '9' });
    assert.equal(a.spec.conflictResolution, 'Overwrite');
    assert.equal(a.spec.placement, undefined, 'attached bindings are not scheduled');
  });

  const snapshotCases = [
    { name: 'a new requiring binding is appended', existing: [{ namespace: 'd', name: 'a', clusters: [{ name: 'm1' }] }], incoming: [{ namespace: 'd', name: 'b', clusters: [{ name: 'm2' }] }], want: ['a:m1', 'b:m2'] },
    { name: 'the same binding has its clusters replaced', existing: [{ namespace: 'd', name: 'a', clusters: [{ name: 'm1' }] }], incoming: [{ namespace: 'd', name: 'a', clusters: [{ name: 'm2' }] }], want: ['a:m2'] },
  ];
  for (const c of snapshotCases) {
    test(`mergeSnapshots: ${c.name}`, () => assert.deepEqual(mergeSnapshots(c.existing, c.incoming).map((s) => `${s.name}:${s.clusters!.map((x) => x.name).join(',')}`), c.want));
  }
  test('withoutSnapshot removes only that binding', () => {
    assert.deepEqual(withoutSnapshot([{ namespace: 'd', name: 'a' }, { namespace: 'd', name: 'b' }], 'd', 'a'), [{ namespace: 'd', name: 'b' }]);
  });
  test('mergeAttachedBinding keeps an ordinary binding spec and adds the requirement', () => {
    const existing: ResourceBinding = { kind: 'ResourceBinding', metadata: { name: 'conf-configmap', namespace: 'default', labels: { own: 'x' } }, spec: { resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'conf' }, clusters: [{ name: 'member3' }], placement: {} } };
    const merged = mergeAttachedBinding(existing, buildAttachedBinding(parent, cm));
    assert.deepEqual(merged.spec.clusters, [{ name: 'member3' }]);
    assert.equal(merged.spec.requiredBy?.length, 1);
    assert.equal(merged.metadata.labels?.own, 'x');
  });
  const matchCases = [
    { name: 'by name', dep: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'conf' }, want: true },
    { name: 'another name', dep: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'other' }, want: false },
    { name: 'another namespace', dep: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prod', name: 'conf' }, want: false },
    { name: 'by label selector', dep: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', labelSelector: { matchLabels: { a: 'b' } } }, want: true },
  ];
  for (const c of matchCases) {
    test(`dependencyMatches: ${c.name}`, () => assert.equal(dependencyMatches(c.dep, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'conf', labels: { a: 'b' } }, (l) => l.a === 'b'), c.want));
  }
});

// Karmada v1.19 pkg/dependenciesdistributor/policy_utils.go rules.
describe('dependency policies across requiring bindings', () => {
  type Spec = Pick<ResourceBinding['spec'], 'conflictResolution' | 'preserveResourcesOnDeletion'>;
  const cases: { name: string; requiring: Spec[]; cr: string; preserve: boolean; message?: string }[] = [
    { name: 'one binding, nothing set: Abort, not preserved', requiring: [{}], cr: 'Abort', preserve: false },
    { name: 'all Overwrite', requiring: [{ conflictResolution: 'Overwrite' }, { conflictResolution: 'Overwrite' }], cr: 'Overwrite', preserve: false },
    {
      name: 'Overwrite wins over Abort (unset counts as Abort), with a conflict',
      requiring: [{ conflictResolution: 'Overwrite' }, {}],
      cr: 'Overwrite',
      preserve: false,
      message: 'Dependency policy conflict detected: ConflictResolution conflicted (Overwrite vs Abort).',
    },
    {
      name: 'preserve wins over not preserving, with a conflict',
      requiring: [{ preserveResourcesOnDeletion: true }, { preserveResourcesOnDeletion: false }],
      cr: 'Abort',
      preserve: true,
      message: 'Dependency policy conflict detected: PreserveResourcesOnDeletion conflicted (true vs false).',
    },
    {
      name: 'both conflict',
      requiring: [{ conflictResolution: 'Overwrite', preserveResourcesOnDeletion: true }, { conflictResolution: 'Abort' }],
      cr: 'Overwrite',
      preserve: true,
      message: 'Dependency policy conflict detected: ConflictResolution conflicted (Overwrite vs Abort); PreserveResourcesOnDeletion conflicted (true vs false).',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const p = resolveDependencyPolicies(c.requiring);
      assert.equal(p.conflictResolution, c.cr);
      assert.equal(p.preserveResourcesOnDeletion, c.preserve);
      assert.equal(dependencyConflictMessage(p), c.message);
    });
  }

  test('a dependency-made binding takes the resolved policies; a policy-made one keeps its own', () => {
    const p = resolveDependencyPolicies([{ conflictResolution: 'Overwrite', preserveResourcesOnDeletion: true }, {}]);
    const attached = buildAttachedBinding(parent, cm);
    const made = mergeAttachedBinding({ ...attached, spec: { ...attached.spec, conflictResolution: 'Abort' } }, attached, p);
    assert.equal(made.spec.conflictResolution, 'Overwrite');
    assert.equal(made.spec.preserveResourcesOnDeletion, true);
    const own: ResourceBinding = { kind: 'ResourceBinding', metadata: { name: 'conf-configmap', namespace: 'default' }, spec: { resource: attached.spec.resource, placement: {}, conflictResolution: 'Abort' } };
    assert.equal(mergeAttachedBinding(own, attached, p).spec.conflictResolution, 'Abort');
  });

  test('after a detach: recomputed from who is left, cleared when nobody is', () => {
    const attached = buildAttachedBinding(parent, cm);
    assert.deepEqual(policiesAfterDetach(attached, undefined), { conflictResolution: undefined, preserveResourcesOnDeletion: undefined });
    assert.deepEqual(policiesAfterDetach(attached, resolveDependencyPolicies([{ preserveResourcesOnDeletion: true }])), { conflictResolution: 'Abort', preserveResourcesOnDeletion: true });
  });
});
