import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quotaRefusedResult, scheduleBinding } from '../schedule.js';
import { binding, cluster } from '../testing/fixtures.js';
import { statusPatch } from './writes.js';

const now = new Date('2024-06-01T00:00:00Z');

test('a result the quota refused: the Scheduled condition says QuotaExceeded with the refusal, clusters untouched', () => {
  const b = binding({ clusterAffinity: { clusterNames: ['m1'] } }, 3);
  const r = scheduleBinding(b, [cluster('m1')], { now: () => now });
  const refusal = new Error('admission webhook "resourcebinding.karmada.io" denied the request: FederatedResourceQuota(default/team) exceeded for resource cpu: requested sum 3, limit 2.');
  const refused = quotaRefusedResult(b, r, refusal, () => now);
  assert.equal(refused.ok, false);
  assert.deepEqual(refused.clusters, []);
  assert.deepEqual(statusPatch(b, refused, now, b.metadata.generation), {
    status: { conditions: [{ type: 'Scheduled', status: 'False', reason: 'QuotaExceeded', message: refusal.message, lastTransitionTime: '2024-06-01T00:00:00Z' }] },
  });
});
