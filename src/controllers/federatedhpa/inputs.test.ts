import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { calcPods, formatMilli, metricValues, milli } from './inputs.js';

describe('HPA inputs from Kubernetes objects', () => {
  const now = Date.parse('2026-12-06T23:00:00Z');
  const pod = (name: string, phase: string, ready: boolean, requests: Record<string, string>[]) => ({
    metadata: { name },
    spec: { containers: requests.map((r, i) => ({ name: `c${i}`, resources: { requests: r } })) },
    status: { phase, startTime: '2026-12-06T22:50:00Z', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-12-06T22:59:00Z' }] },
  });

  test('pods: keyed by cluster, readiness and ages, requests summed over containers (none when one lacks it)', () => {
    const [a, b] = calcPods('m1', [pod('a', 'Running', true, [{ cpu: '100m' }, { cpu: '50m' }]), pod('b', 'Pending', false, [{ cpu: '100m' }, {}])], 'cpu', undefined, new Map([['m1/a', 15_000]]), now);
    assert.deepEqual(a, { key: 'm1/a', phase: 'Running', ready: true, deleting: false, startedAgoMs: 600_000, readyChangedAgoMs: 60_000, metricWindowMs: 15_000, request: 150 });
    assert.equal(b.request, undefined);
    assert.equal(b.phase, 'Pending');
  });

  test('metrics: usage summed over containers in milli units, window read', () => {
    const m = metricValues('m2', [{ metadata: { name: 'p' }, window: '15s', containers: [{ name: 'c0', usage: { cpu: '200000000n', memory: '1Mi' } }, { name: 'c1', usage: { cpu: '50m', memory: '1Mi' } }] }], 'cpu');
    assert.deepEqual([...m.values], [['m2/p', 250]]);
    assert.deepEqual([...m.windows], [['m2/p', 15_000]]);
    assert.deepEqual([...metricValues('m2', [{ metadata: { name: 'p' }, containers: [{ name: 'c0', usage: { memory: '1Mi' } }] }], 'memory').values], [['m2/p', 2 ** 20 * 1000]]);
  });

  test('quantities', () => {
    assert.equal(milli('cpu', '1'), 1000);
    assert.equal(formatMilli('cpu', 250), '250m');
    assert.equal(formatMilli('memory', 100 * 2 ** 20 * 1000), '100Mi');
  });
});
