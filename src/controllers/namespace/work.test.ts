import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ClusterOverridePolicy } from '../../apis/karmada/override.js';
import { namespaceShouldBeSynced, renderNamespaceWork } from './work.js';

describe('namespaceShouldBeSynced', () => {
  const cases: { name: string; ns: string; labels: Record<string, string>; want: boolean }[] = [
    { name: 'an ordinary namespace is synced', ns: 'apps', labels: {}, want: true },
    { name: 'default is not', ns: 'default', labels: {}, want: false },
    { name: 'kube-* namespaces are not', ns: 'kube-system', labels: {}, want: false },
    { name: "Karmada's own namespaces are not", ns: 'karmada-system', labels: {}, want: false },
    { name: 'execution spaces are not', ns: 'karmada-es-member1', labels: {}, want: false },
    { name: 'skip-auto-propagation=true is honoured', ns: 'apps', labels: { 'namespace.karmada.io/skip-auto-propagation': 'true' }, want: false },
    { name: 'skip-auto-propagation is case-insensitive', ns: 'apps', labels: { 'namespace.karmada.io/skip-auto-propagation': 'True' }, want: false },
    { name: 'skip-auto-propagation=false syncs', ns: 'apps', labels: { 'namespace.karmada.io/skip-auto-propagation': 'false' }, want: true },
  ];
  for (const c of cases) test(c.name, () => assert.equal(namespaceShouldBeSynced({ metadata: { name: c.ns, labels: c.labels } }), c.want));
});

test('renderNamespaceWork: owned by the namespace, cluster overrides applied, manifest stamped', () => {
  const cop: ClusterOverridePolicy = {
    kind: 'ClusterOverridePolicy',
    metadata: { name: 'ns-label' },
    spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'Namespace' }], overrideRules: [{ targetCluster: { clusterNames: ['member1'] }, overriders: { labelsOverrider: [{ operator: 'add', value: { zone: 'a' } }] } }] },
  };
  const cluster = { metadata: { name: 'member1' }, spec: {} } as unknown as Cluster;
  const { work, failures } = renderNamespaceWork({ namespace: { metadata: { name: 'apps', uid: 'ns-uid', resourceVersion: '3' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }, cluster, clusterOverridePolicies: [cop], workPermanentId: 'wid' });
  assert.deepEqual(failures, []);
  assert.equal(work.metadata.namespace, 'karmada-es-member1');
  assert.ok(work.metadata.name.startsWith('apps-'));
  assert.deepEqual(work.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Namespace', name: 'apps', uid: 'ns-uid', controller: true, blockOwnerDeletion: true }]);
  assert.match(work.metadata.annotations?.['policy.karmada.io/applied-cluster-overrides'] ?? '', /ns-label/);
  const m = work.spec.workload!.manifests![0]!;
  assert.equal(m.kind, 'Namespace');
  assert.equal(m.metadata.labels?.zone, 'a');
  assert.equal(m.metadata.labels?.['karmada.io/managed'], 'true');
  assert.equal(m.metadata.resourceVersion, undefined);
  assert.equal(m.status, undefined);
});
