import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { monitorHealth, type HealthRecord } from './health.js';

const t = { gracePeriodMs: 1000, startupGracePeriodMs: 5000 };
const created = Date.parse('2026-01-01T00:00:00Z');

function cluster(ready?: 'True' | 'False' | 'Unknown'): Cluster {
  return {
    metadata: { name: 'pull1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { syncMode: 'Pull' },
    status: ready ? { conditions: [{ type: 'Ready', status: ready, reason: 'ClusterReady', lastTransitionTime: '2026-01-01T00:00:01Z' }] } : {},
  };
}

describe('monitorHealth', () => {
  test('a cluster that never posted status is Unknown after the startup grace period, counted from its creation', () => {
    assert.equal(monitorHealth(cluster(), undefined, undefined, created + 4000, t, 'now').ready, undefined);
    const r = monitorHealth(cluster(), undefined, undefined, created + 5001, t, 'now');
    assert.deepEqual(r.ready, { type: 'Ready', status: 'Unknown', reason: 'ClusterStatusNeverUpdated', message: 'Cluster status controller never posted cluster status.', lastTransitionTime: 'now' });
  });

  test('a renewed lease keeps a Ready cluster Ready', () => {
    let rec: HealthRecord | undefined;
    let now = created + 10_000;
    for (let i = 0; i < 5; i++, now += 600) {
      const r = monitorHealth(cluster('True'), rec, `renew-${i}`, now, t, 'now');
      assert.equal(r.ready, undefined);
      rec = r.record;
    }
  });

  test('silence for the grace period turns Ready into Unknown; already Unknown stays unwritten', () => {
    const first = monitorHealth(cluster('True'), undefined, 'renew-1', created + 10_000, t, 'now');
    const same = monitorHealth(cluster('True'), first.record, 'renew-1', created + 10_900, t, 'now');
    assert.equal(same.ready, undefined);
    const late = monitorHealth(cluster('True'), same.record, 'renew-1', created + 11_001, t, 'now');
    assert.equal(late.ready?.status, 'Unknown');
    assert.equal(late.ready?.reason, 'ClusterStatusUnknown');
    assert.equal(late.ready?.message, 'Cluster status controller stopped posting cluster status.');
    assert.equal(monitorHealth(cluster('Unknown'), late.record, 'renew-1', created + 20_000, t, 'now').ready, undefined);
  });

  test('a newly posted condition counts as a sign of life', () => {
    const first = monitorHealth(cluster('True'), undefined, undefined, created + 10_000, t, 'now');
    const posted = monitorHealth(cluster('False'), first.record, undefined, created + 10_900, t, 'now');
    assert.equal(monitorHealth(cluster('False'), posted.record, undefined, created + 11_500, t, 'now').ready, undefined);
  });
});
