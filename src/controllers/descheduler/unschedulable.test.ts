import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { descheduleClusters, unschedulableReplicas } from './unschedulable.js';

const pod = (phase: string, scheduled?: { status: string; reason?: string; at: string }, deleting = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', ...(deleting ? { deletionTimestamp: 'x' } : {}) },
  status: { phase, conditions: scheduled ? [{ type: 'PodScheduled', status: scheduled.status, reason: scheduled.reason, lastTransitionTime: scheduled.at }] : [] },
});
const t0 = Date.parse('2026-12-06T10:00:00Z');

describe('unschedulableReplicas', () => {
  const old = { status: 'False', reason: 'Unschedulable', at: '2026-12-06T09:50:00Z' };
  const cases: [string, KubeObject[], number][] = [
    ['Pending Unschedulable past the threshold counts', [pod('Pending', old)], 1],
    ['not long enough', [pod('Pending', { ...old, at: '2026-12-06T09:58:00Z' })], 0],
    ['running pods do not', [pod('Running', { status: 'True', at: '2026-12-06T09:00:00Z' })], 0],
    ['Pending for another reason does not', [pod('Pending', { status: 'False', reason: 'SchedulingGated', at: '2026-12-06T09:00:00Z' })], 0],
    ['a pod being deleted does not', [pod('Pending', old, true)], 0],
  ];
  for (const [name, pods, want] of cases) test(name, () => assert.equal(unschedulableReplicas(pods, t0, 5 * 60_000), want));
});

describe('descheduleClusters', () => {
  const clusters = [{ name: 'm1', replicas: 3 }, { name: 'm2', replicas: 1 }];
  test('replicas taken off; a cluster left with none is dropped', () => assert.deepEqual(descheduleClusters(clusters, new Map([['m1', 2], ['m2', 1]])), [{ name: 'm1', replicas: 1 }]));
  test('no more than it had', () => assert.deepEqual(descheduleClusters(clusters, new Map([['m2', 5]])), [{ name: 'm1', replicas: 3 }]));
  test('nothing unschedulable: unchanged', () => assert.equal(descheduleClusters(clusters, new Map()), undefined));
});
