import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AggregatedStatusItem, ResourceBinding } from '../../apis/karmada/binding.js';
import { dueClusters, preservedLabelState, trackUnhealthy } from './decide.js';

const binding = (health: Record<string, AggregatedStatusItem['health']>, scheduled = Object.keys(health)): ResourceBinding => ({
  metadata: { name: 'b', namespace: 'default' },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, clusters: scheduled.map((name) => ({ name, replicas: 1 })) },
  status: { aggregatedStatus: Object.entries(health).map(([clusterName, h]) => ({ clusterName, applied: true, health: h })) },
});

describe('trackUnhealthy', () => {
  test('an Unhealthy cluster starts now; one already tracked keeps its time; healthy, unknown and unscheduled ones leave', () => {
    const prev = new Map([['m1', 100], ['m3', 50]]);
    const next = trackUnhealthy(binding({ m1: 'Unhealthy', m2: 'Unhealthy', m3: 'Healthy', m4: 'Unknown', m5: 'Unhealthy' }, ['m1', 'm2', 'm3', 'm4']), prev, 1000);
    assert.deepEqual([...next], [['m1', 100], ['m2', 1000]]);
  });
});

describe('dueClusters', () => {
  const cases: [string, [string, number][], number, number, { due: string[]; nextMs?: number }][] = [
    ['none tracked', [], 30, 0, { due: [] }],
    ['within the toleration: the time left', [['m1', 0]], 30, 10_000, { due: [], nextMs: 20_000 }],
    ['past it: due', [['m1', 0]], 30, 30_000, { due: ['m1'] }],
    ['a toleration of 0 fails over at once', [['m1', 5]], 0, 5, { due: ['m1'] }],
  ];
  for (const [name, tracked, tol, now, want] of cases) test(name, () => assert.deepEqual(dueClusters(new Map(tracked), tol, now), want));
});

describe('preservedLabelState', () => {
  const status = { replicas: 2, readyReplicas: 0, conditions: [{ type: 'Available', status: 'False' }] };
  test('values by JSONPath, with or without braces, as strings', () =>
    assert.deepEqual(preservedLabelState(status, [{ aliasLabelName: 'failover.example.io/replicas', jsonPath: '{ .replicas }' }, { aliasLabelName: 'avail', jsonPath: '.conditions[0].status' }]), { labels: { 'failover.example.io/replicas': '2', avail: 'False' } }));
  test('a path that finds nothing is an error naming the rule', () =>
    assert.deepEqual(preservedLabelState(status, [{ aliasLabelName: 'x', jsonPath: '{.missing}' }]), { error: 'statePreservation rule x: {.missing} found nothing in the status of the failed copy' }));
});
