import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { capacityOf, clusterView, clustersDoc, observeReady } from './clusters.js';

function cluster(name: string, allocatable: Record<string, string>, allocated: Record<string, string>, allocating: Record<string, string> = {}): Cluster {
  return {
    metadata: { name },
    spec: { syncMode: 'Pull', taints: [{ key: 'k', effect: 'NoSchedule' }] },
    status: {
      kubernetesVersion: 'v1.32.0',
      nodeSummary: { totalNum: 3, readyNum: 2 },
      resourceSummary: { allocatable, allocated, allocating },
      conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    },
  };
}

test('capacityOf: quantities summed, as text and as numbers', () => {
  const cases: [Record<string, string>[], Record<string, { text: string; value: number }>][] = [
    [[{ cpu: '4', memory: '16Gi', pods: '110' }], { cpu: { text: '4', value: 4 }, memory: { text: '16Gi', value: 16 * 2 ** 30 }, pods: { text: '110', value: 110 }, gpu: { text: '0', value: 0 } }],
    [[{ cpu: '500m' }, { cpu: '250m' }], { cpu: { text: '750m', value: 0.75 } }],
    [[{ 'nvidia.com/gpu': '2' }, { 'nvidia.com/gpu': '1', memory: '1536Mi' }], { gpu: { text: '3', value: 3 }, memory: { text: '1.5Gi', value: 1536 * 2 ** 20 } }],
    [[{ cpu: 'garbage' }], { cpu: { text: '0', value: 0 } }],
  ];
  for (const [lists, want] of cases) {
    const got = capacityOf(lists);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof typeof got], v, `${JSON.stringify(lists)} ${k}`);
  }
});

test('clusterView: allocating counts as allocated; totals over clusters', () => {
  const c1 = cluster('b', { cpu: '8', pods: '110' }, { cpu: '1' }, { cpu: '1' });
  const c2 = cluster('a', { cpu: '4', pods: '110' }, { cpu: '2' });
  const v = clusterView(c1);
  assert.equal(v.allocated.cpu.value, 2);
  assert.equal(v.syncMode, 'Pull');
  assert.deepEqual(v.nodes, { total: 3, ready: 2 });
  assert.deepEqual(v.taints, [{ key: 'k', value: '', effect: 'NoSchedule' }]);
  assert.deepEqual(v.readyTransitions, [{ time: '2026-01-01T00:00:00Z', status: 'True', reason: 'ClusterReady' }]);
  const doc = clustersDoc([c1, c2], new Map());
  assert.deepEqual(doc.items.map((i) => i.name), ['a', 'b']);
  assert.equal(doc.totals.allocatable.cpu.value, 12);
  assert.equal(doc.totals.allocated.cpu.value, 4);
  assert.equal(doc.totals.allocatable.pods.value, 220);
});

test('observeReady: the first sight, then one entry per status change', () => {
  const at = new Date('2026-01-02T00:00:00Z');
  const t = (status: 'True' | 'False', time: string, reason = status === 'True' ? 'ClusterReady' : 'ClusterNotReachable') => ({ type: 'Ready', status, reason, lastTransitionTime: time });
  let seen = observeReady([], t('True', '2026-01-01T00:00:00Z'), undefined, at);
  assert.equal(seen.length, 1);
  seen = observeReady(seen, t('True', '2026-01-01T00:00:00Z'), t('True', '2026-01-01T00:00:00Z'), at);
  assert.equal(seen.length, 1);
  seen = observeReady(seen, t('False', '2026-01-01T01:00:00Z'), t('True', '2026-01-01T00:00:00Z'), at);
  seen = observeReady(seen, t('True', '2026-01-01T02:00:00Z'), t('False', '2026-01-01T01:00:00Z'), at);
  assert.deepEqual(seen.map((s) => `${s.status}@${s.time}`), ['True@2026-01-01T00:00:00Z', 'False@2026-01-01T01:00:00Z', 'True@2026-01-01T02:00:00Z']);
  assert.equal(observeReady(seen, undefined, undefined, at), seen);
});
