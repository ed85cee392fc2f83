import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint } from '../../apis/karmada/cluster.js';
import type { Toleration } from '../../apis/karmada/placement.js';
import { EvictionLimiter, noExecuteDecision, type TaintDecision } from './decide.js';

const t0 = Date.parse('2026-12-06T10:00:00Z');
const notReady: Taint = { key: 'cluster.karmada.io/not-ready', effect: 'NoExecute', timeAdded: '2026-12-06T10:00:00Z' };
const tol = (seconds?: number, key = notReady.key): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}) });

describe('noExecuteDecision', () => {
  const cases: [string, Taint[], Toleration[], number, TaintDecision][] = [
    ['no taints: keep', [], [], t0, { action: 'keep' }],
    ['a NoSchedule taint does not evict', [{ key: 'x', effect: 'NoSchedule' }], [], t0, { action: 'keep' }],
    ['untolerated NoExecute: evict now', [notReady], [], t0, { action: 'evict', reason: 'taint cluster.karmada.io/not-ready:NoExecute is not tolerated' }],
    ['tolerated for ever: keep', [notReady], [tol()], t0 + 1e9, { action: 'keep' }],
    ['tolerated 30 s, 10 s in: wait 20 s', [notReady], [tol(30)], t0 + 10_000, { action: 'wait', ms: 20_000 }],
    ['tolerated 30 s, 30 s in: evict', [notReady], [tol(30)], t0 + 30_000, { action: 'evict', reason: 'taint cluster.karmada.io/not-ready:NoExecute was tolerated for its tolerationSeconds only' }],
    ['the shortest of several tolerations counts', [notReady], [tol(300), tol(30)], t0, { action: 'wait', ms: 30_000 }],
    ['one untolerated taint among tolerated ones evicts', [notReady, { key: 'other', effect: 'NoExecute' }], [tol(300)], t0, { action: 'evict', reason: 'taint other:NoExecute is not tolerated' }],
    ['a taint without timeAdded counts from now', [{ key: notReady.key, effect: 'NoExecute' }], [tol(5)], t0, { action: 'wait', ms: 5_000 }],
  ];
  for (const [name, taints, tolerations, now, want] of cases) test(name, () => assert.deepEqual(noExecuteDecision(taints, tolerations, now), want));
});

describe('EvictionLimiter', () => {
  test('2 per second per cluster: a burst of 2, then one every 500 ms; clusters apart', () => {
    const l = new EvictionLimiter(2);
    assert.equal(l.take('m1', 0), 0);
    assert.equal(l.take('m1', 0), 0);
    assert.equal(l.take('m1', 0), 500);
    assert.equal(l.take('m2', 0), 0);
    assert.equal(l.take('m1', 500), 0);
  });
  test('0: no limit', () => {
    const l = new EvictionLimiter(0);
    for (let i = 0; i < 100; i++) assert.equal(l.take('m1', 0), 0);
  });
});
