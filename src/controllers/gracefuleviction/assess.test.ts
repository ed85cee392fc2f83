import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AggregatedStatusItem, GracefulEvictionTask, ResourceBinding } from '../../apis/karmada/binding.js';
import { assessEvictionTasks } from './assess.js';

const t0 = Date.parse('2026-12-06T10:00:00Z');
const task = (extra: Partial<GracefulEvictionTask> = {}): GracefulEvictionTask => ({ fromCluster: 'member1', reason: 'TaintUntolerated', producer: 'TaintManager', purgeMode: 'Gracefully', creationTimestamp: '2026-12-06T10:00:00Z', ...extra });
const binding = (tasks: GracefulEvictionTask[], health: AggregatedStatusItem['health'][] = [], observed = 2): ResourceBinding => ({
  metadata: { name: 'b', namespace: 'default', generation: 2 },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, clusters: [{ name: 'member2', replicas: 2 }, { name: 'member3', replicas: 2 }], gracefulEvictionTasks: tasks },
  status: { schedulerObservedGeneration: observed, aggregatedStatus: health.map((h, i) => ({ clusterName: ['member2', 'member3'][i]!, applied: true, health: h })) },
});
const minute = 60_000;

describe('assessEvictionTasks', () => {
  const cases: [string, ResourceBinding, number, { kept: number; why?: string; next?: number }][] = [
    ['new copies not healthy yet: kept until the timeout', binding([task()], ['Healthy', 'Unhealthy']), t0 + minute, { kept: 1, next: 9 * minute }],
    ['every scheduled cluster Healthy: removed', binding([task()], ['Healthy', 'Healthy']), t0 + minute, { kept: 0, why: 'the workload is healthy on every scheduled cluster' }],
    ['a cluster without status yet is not healthy', binding([task()], ['Healthy']), t0, { kept: 1, next: 10 * minute }],
    ['healthy but the scheduler has not seen the latest generation: kept', binding([task()], ['Healthy', 'Healthy'], 1), t0, { kept: 1, next: 10 * minute }],
    ['timeout passed: removed', binding([task()], ['Unhealthy', 'Unhealthy']), t0 + 10 * minute, { kept: 0, why: 'the grace period ended' }],
    ['the task grace period wins over the default', binding([task({ gracePeriodSeconds: 30 })], []), t0 + 10_000, { kept: 1, next: 20_000 }],
    ['suppressDeletion true: kept even when healthy and late', binding([task({ suppressDeletion: true })], ['Healthy', 'Healthy']), t0 + 60 * minute, { kept: 1 }],
    ['suppressDeletion false: removed', binding([task({ suppressDeletion: false })], []), t0, { kept: 0, why: 'suppressDeletion was cleared' }],
  ];
  for (const [name, b, now, want] of cases) {
    test(name, () => {
      const a = assessEvictionTasks(b, now, 10 * minute);
      assert.equal(a.kept.length, want.kept);
      if (want.why) assert.equal(a.removed[0]?.why, want.why);
      assert.equal(a.nextCheckMs, want.next);
    });
  }
});
