import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBindingSpec } from './binding.js';
import { clustersKeptByEviction, gracefullyEvictCluster, normalizePurgeMode, preservedLabelsFor } from './eviction.js';

const spec = (extra: Partial<ResourceBindingSpec> = {}): ResourceBindingSpec => ({
  resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
  clusters: [{ name: 'member1', replicas: 2 }, { name: 'member2', replicas: 2 }],
  ...extra,
});
const opts = { purgeMode: 'Gracefully' as const, producer: 'TaintManager', reason: 'TaintUntolerated', now: 't' };

describe('normalizePurgeMode', () => {
  const cases: [string | undefined, string][] = [['Immediately', 'Directly'], ['Graciously', 'Gracefully'], ['Never', 'Never'], ['Directly', 'Directly'], [undefined, 'Gracefully'], ['bogus', 'Gracefully']];
  for (const [given, want] of cases) test(`${given} -> ${want}`, () => assert.equal(normalizePurgeMode(given), want));
});

describe('gracefullyEvictCluster', () => {
  test('the cluster leaves spec.clusters; a task keeps its replicas', () => {
    const out = gracefullyEvictCluster(spec(), 'member1', opts);
    assert.deepEqual(out.clusters, [{ name: 'member2', replicas: 2 }]);
    assert.deepEqual(out.gracefulEvictionTasks, [{ fromCluster: 'member1', purgeMode: 'Gracefully', replicas: 2, reason: 'TaintUntolerated', producer: 'TaintManager', creationTimestamp: 't' }]);
  });
  test('a cluster not scheduled: unchanged', () => assert.deepEqual(gracefullyEvictCluster(spec(), 'member3', opts), spec()));
  test('a cluster with a task already: no second task', () => {
    const once = gracefullyEvictCluster(spec(), 'member1', opts);
    const twice = gracefullyEvictCluster({ ...once, clusters: [...once.clusters!, { name: 'member1', replicas: 1 }] }, 'member1', opts);
    assert.equal(twice.gracefulEvictionTasks!.length, 1);
  });
});

describe('clustersKeptByEviction', () => {
  test('every task but a Directly (or Immediately) one keeps its Work', () => {
    const tasks = [
      { fromCluster: 'a', purgeMode: 'Gracefully' as const, reason: 'r', producer: 'p' },
      { fromCluster: 'b', purgeMode: 'Directly' as const, reason: 'r', producer: 'p' },
      { fromCluster: 'c', purgeMode: 'Immediately' as const, reason: 'r', producer: 'p' },
      { fromCluster: 'd', purgeMode: 'Never' as const, reason: 'r', producer: 'p' },
    ];
    assert.deepEqual(clustersKeptByEviction(spec({ gracefulEvictionTasks: tasks })), ['a', 'd']);
  });
});

describe('preservedLabelsFor', () => {
  const task = { fromCluster: 'member1', reason: 'ApplicationFailure', producer: 'ApplicationFailover', preservedLabelState: { 'state/replicas': '2' }, clustersBeforeFailover: ['member1'] };
  const cases: [string, ResourceBindingSpec, string, Record<string, string>][] = [
    ['the new cluster of a one-cluster workload gets the labels', spec({ clusters: [{ name: 'member2', replicas: 2 }], gracefulEvictionTasks: [task] }), 'member2', { 'state/replicas': '2' }],
    ['a cluster it ran on before gets none', spec({ clusters: [{ name: 'member1', replicas: 2 }], gracefulEvictionTasks: [task] }), 'member1', {}],
    ['a workload on several clusters gets none', spec({ gracefulEvictionTasks: [task] }), 'member2', {}],
    ['no task, no labels', spec({ clusters: [{ name: 'member2' }] }), 'member2', {}],
  ];
  for (const [name, s, cluster, want] of cases) test(name, () => assert.deepEqual(preservedLabelsFor(s, cluster), want));
});
