import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { needsTrigger, syncObservedWorkloads, ttlLeftMs, type ObservedWorkload, type WorkloadRef } from './sync.js';

const w = (name: string, namespace = 'default'): WorkloadRef => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace });

describe('syncObservedWorkloads', () => {
  test('kept with their result, new ones added, removed ones kept only if they succeeded, sorted', () => {
    const observed: ObservedWorkload[] = [
      { workload: w('b'), result: 'Successful' },
      { workload: w('gone-ok'), result: 'Successful' },
      { workload: w('gone-failed'), result: 'Failed', reason: 'ReferencedBindingNotFound' },
    ];
    assert.deepEqual(syncObservedWorkloads([w('c'), w('b'), w('a')], observed), [
      { workload: w('a') },
      { workload: w('b'), result: 'Successful' },
      { workload: w('c') },
      { workload: w('gone-ok'), result: 'Successful' },
    ]);
  });
});

describe('needsTrigger and ttlLeftMs', () => {
  const cases: [string, string, string | undefined, boolean][] = [
    ['never triggered', '2026-12-06T10:00:00Z', undefined, true],
    ['triggered before the rebalancer', '2026-12-06T10:00:00Z', '2026-12-06T09:00:00Z', true],
    ['triggered by this rebalancer already', '2026-12-06T10:00:00Z', '2026-12-06T10:00:00Z', false],
  ];
  for (const [name, created, at, want] of cases) test(name, () => assert.equal(needsTrigger(created, at), want));
  test('ttl', () => {
    assert.equal(ttlLeftMs('2026-12-06T10:00:00Z', 60, Date.parse('2026-12-06T10:00:30Z')), 30_000);
    assert.equal(ttlLeftMs(undefined, 60, 0), undefined);
    assert.equal(ttlLeftMs('2026-12-06T10:00:00Z', undefined, 0), undefined);
  });
});
