import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { FederatedResourceQuota } from '../../apis/karmada/policy.js';
import { isOrphanQuotaWork, quotaWorkName, renderQuotaWorks } from './work.js';

const frq: FederatedResourceQuota = {
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'FederatedResourceQuota',
  metadata: { name: 'team', namespace: 'ns', uid: 'u1' },
  spec: { overall: { cpu: '2' }, staticAssignments: [{ clusterName: 'member1', hard: { cpu: '1' } }, { clusterName: 'member9', hard: { cpu: '1' } }] },
};
const cluster = (name: string) => ({ metadata: { name }, spec: {} }) as Cluster;

test('renderQuotaWorks: one ResourceQuota Work per assigned cluster that exists', () => {
  const works = renderQuotaWorks(frq, [cluster('member1'), cluster('member2')], () => 'id-1');
  assert.equal(works.length, 1);
  const w = works[0];
  assert.equal(w.metadata.namespace, 'karmada-es-member1');
  assert.equal(w.metadata.name, quotaWorkName(frq));
  assert.deepEqual(w.metadata.finalizers, ['karmada.io/execution-controller']);
  assert.equal(w.metadata.labels?.['federatedresourcequota.karmada.io/namespace'], 'ns');
  assert.equal(w.metadata.labels?.['federatedresourcequota.karmada.io/name'], 'team');
  const m = w.spec.workload!.manifests![0];
  assert.deepEqual([m.apiVersion, m.kind, m.metadata.namespace, m.metadata.name, m.spec], ['v1', 'ResourceQuota', 'ns', 'team', { hard: { cpu: '1' } }]);
});

test('isOrphanQuotaWork', () => {
  const cases: { name: string; ns: string; frq: FederatedResourceQuota | undefined; want: boolean }[] = [
    { name: 'assigned cluster', ns: 'karmada-es-member1', frq, want: false },
    { name: 'assignment dropped', ns: 'karmada-es-member2', frq, want: true },
    { name: 'FRQ deleted', ns: 'karmada-es-member1', frq: undefined, want: true },
  ];
  for (const c of cases) assert.equal(isOrphanQuotaWork({ metadata: { name: 'w', namespace: c.ns } }, c.frq), c.want, c.name);
});
