import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Condition } from '../../apimachinery/types.js';
import { ConditionThresholds, readyCondition, setCondition } from './conditions.js';

const ready = readyCondition(true, true);
const unreachable = readyCondition(false, false);
const unknown: Condition = { type: 'Ready', status: 'Unknown', reason: 'ClusterStatusUnknown', message: 'Cluster status controller stopped posting cluster status.' };

describe('readyCondition', () => {
  test("Karmada's reasons and messages", () => {
    assert.deepEqual(ready, { type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'cluster is healthy and ready to accept workloads' });
    assert.deepEqual(unreachable, { type: 'Ready', status: 'False', reason: 'ClusterNotReachable', message: 'cluster is not reachable' });
    assert.equal(readyCondition(true, false).reason, 'ClusterNotReady');
  });
});

describe('ConditionThresholds', () => {
  const steps: { name: string; at: number; current: Condition | undefined; observed: Condition; want: Condition['status'] }[] = [
    { name: 'the first observation is taken as it is', at: 0, current: undefined, observed: unreachable, want: 'False' },
    { name: 'with no condition written yet, the observation wins', at: 1, current: undefined, observed: ready, want: 'True' },
    { name: 'one failure does not flip a Ready cluster', at: 2, current: ready, observed: unreachable, want: 'True' },
    { name: 'still within the failure threshold', at: 900, current: ready, observed: unreachable, want: 'True' },
    { name: 'failing for the whole threshold flips it', at: 1002, current: ready, observed: unreachable, want: 'False' },
    { name: 'recovery is held back by the success threshold', at: 1100, current: unreachable, observed: ready, want: 'False' },
    { name: 'healthy for the success threshold: Ready again', at: 1700, current: unreachable, observed: ready, want: 'True' },
    { name: 'a lost lease (Unknown) is not True: failing again waits the failure threshold', at: 1800, current: ready, observed: unreachable, want: 'True' },
    { name: 'Unknown written meanwhile: recovery from it also waits the success threshold', at: 1900, current: unknown, observed: ready, want: 'Unknown' },
    { name: 'healthy long enough: Ready replaces Unknown', at: 2400, current: unknown, observed: ready, want: 'True' },
    { name: 'Unknown to False is not held back (neither is True)', at: 2500, current: unknown, observed: unreachable, want: 'False' },
  ];
  const store = new ConditionThresholds({ successMs: 500, failureMs: 1000 });
  for (const s of steps) {
    test(s.name, () => assert.equal(store.adjust('m1', s.current, s.observed, s.at).status, s.want));
  }
});

describe('setCondition', () => {
  const prev: Condition[] = [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'old', lastTransitionTime: 't0' }];
  test('the same status keeps lastTransitionTime', () => {
    assert.equal(setCondition(prev, { ...ready, message: 'new' }, 't1')[0].lastTransitionTime, 't0');
    assert.equal(setCondition(prev, { ...ready, message: 'new' }, 't1')[0].message, 'new');
  });
  test('a transition moves lastTransitionTime', () => {
    assert.equal(setCondition(prev, unreachable, 't1')[0].lastTransitionTime, 't1');
  });
  test('a new type is appended', () => {
    assert.deepEqual(setCondition(prev, { type: 'CompleteAPIEnablements', status: 'True' }, 't1').map((c) => c.type), ['Ready', 'CompleteAPIEnablements']);
  });
});
