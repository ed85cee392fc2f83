import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterStatus } from '../../apis/karmada/cluster.js';
import { applyObservation } from './observation.js';
import { readyCondition } from './conditions.js';

const previous: ClusterStatus = {
  kubernetesVersion: 'v1.32.4',
  apiEnablements: [{ groupVersion: 'v1', resources: [{ name: 'pods', kind: 'Pod' }] }],
  conditions: [{ ...readyCondition(true, true), lastTransitionTime: 't0' }],
  nodeSummary: { totalNum: 3, readyNum: 3 },
};

describe('applyObservation', () => {
  test('an unreachable round only touches Ready: the last known version, APIs and summaries stay', () => {
    const next = applyObservation(previous, { fields: {}, conditions: [readyCondition(false, false)] }, 't1');
    assert.equal(next.kubernetesVersion, 'v1.32.4');
    assert.deepEqual(next.nodeSummary, { totalNum: 3, readyNum: 3 });
    assert.deepEqual(next.conditions, [{ type: 'Ready', status: 'False', reason: 'ClusterNotReachable', message: 'cluster is not reachable', lastTransitionTime: 't1' }]);
  });

  test('the same observation again gives the same status (nothing to write)', () => {
    const obs = { fields: { kubernetesVersion: 'v1.32.4', nodeSummary: { totalNum: 3, readyNum: 3 } }, conditions: [readyCondition(true, true)] };
    assert.deepEqual(applyObservation(previous, obs, 't9'), previous);
  });

  test('a version the member no longer reports is dropped', () => {
    assert.equal('kubernetesVersion' in applyObservation(previous, { fields: { kubernetesVersion: undefined }, conditions: [] }, 't1'), false);
  });

  test('the input status is not modified', () => {
    const copy = structuredClone(previous);
    applyObservation(previous, { fields: { nodeSummary: { totalNum: 1, readyNum: 0 } }, conditions: [readyCondition(true, false)] }, 't1');
    assert.deepEqual(previous, copy);
  });
});
