import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FederatedResourceQuota } from '../../apis/karmada/policy.js';
import type { Work } from '../../apis/karmada/work.js';
import { aggregatedStatusFromWorks, quotaStatusFromWorks } from './status.js';

const work = (cluster: string, applied: boolean, status?: Record<string, unknown>): Work => ({
  metadata: { name: 'q', namespace: `karmada-es-${cluster}` },
  spec: {},
  status: {
    conditions: [{ type: 'Applied', status: applied ? 'True' : 'False', reason: 'x', message: '', lastTransitionTime: '' }],
    ...(status ? { manifestStatuses: [{ identifier: { ordinal: 0, version: 'v1', kind: 'ResourceQuota', resource: 'resourcequotas', name: 'q' }, status }] } : {}),
  },
});
const frq: FederatedResourceQuota = { metadata: { name: 'q', namespace: 'ns' }, spec: { overall: { cpu: '2' } }, status: { overallUsed: { cpu: '700m' } } };

test('aggregatedStatusFromWorks: applied Works with a reflected status, by cluster', () => {
  const works = [work('member2', true, { hard: { cpu: '1' }, used: { cpu: '500m' } }), work('member1', true, { hard: { cpu: '1' }, used: { cpu: '250m' } }), work('member3', false, { hard: { cpu: '1' } }), work('member4', true)];
  assert.deepEqual(aggregatedStatusFromWorks(works), [
    { clusterName: 'member1', hard: { cpu: '1' }, used: { cpu: '250m' } },
    { clusterName: 'member2', hard: { cpu: '1' }, used: { cpu: '500m' } },
  ]);
});

test('quotaStatusFromWorks: overallUsed sums the members unless enforcement owns it', () => {
  const works = [work('member1', true, { hard: { cpu: '1' }, used: { cpu: '250m' } }), work('member2', true, { hard: { cpu: '1' }, used: { cpu: '500m' } })];
  const aggregatedStatus = [{ clusterName: 'member1', hard: { cpu: '1' }, used: { cpu: '250m' } }, { clusterName: 'member2', hard: { cpu: '1' }, used: { cpu: '500m' } }];
  assert.deepEqual(quotaStatusFromWorks(frq, works, false), { overall: { cpu: '2' }, overallUsed: { cpu: '750m' }, aggregatedStatus });
  assert.deepEqual(quotaStatusFromWorks(frq, works, true), { overallUsed: { cpu: '700m' }, aggregatedStatus });
});
