import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import { buildAttachedBinding, dependedByLabelKey, dependencyMatches, mergeAttachedBinding, mergeSnapshots, withoutSnapshot } from './attached.js';

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
