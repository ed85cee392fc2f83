import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterStatus } from '../../apis/karmada/cluster.js';
import { applyObservation, sameStatus } from './observation.js';
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

  test('the observed fields are shared, not copied, and the input is left alone', () => {
    const fields = { apiEnablements: [{ groupVersion: 'apps/v1', resources: [] }] };
    const next = applyObservation(previous, { fields, conditions: [] }, 't1');
    assert.equal(next.apiEnablements, fields.apiEnablements);
    assert.equal(next.conditions, previous.conditions);
  });
});

describe('sameStatus', () => {
  const cases: { name: string; a: ClusterStatus; b: ClusterStatus; same: boolean }[] = [
    { name: 'equal copies', a: previous, b: structuredClone(previous), same: true },
    { name: 'another API', a: previous, b: { ...previous, apiEnablements: [{ groupVersion: 'v1', resources: [{ name: 'nodes', kind: 'Node' }] }] }, same: false },
    { name: 'a field missing', a: previous, b: { ...previous, nodeSummary: undefined }, same: false },
    { name: 'a field added', a: {}, b: { kubernetesVersion: 'v1.32.4' }, same: false },
    { name: 'a condition message changed', a: previous, b: { ...previous, conditions: [{ ...previous.conditions![0], message: 'other' }] }, same: false },
    { name: 'both empty', a: {}, b: {}, same: true },
  ];
  for (const c of cases) test(c.name, () => assert.equal(sameStatus(c.a, c.b), c.same));

  test('a pair found equal once is still compared by value when either side changes', () => {
    const enablements = structuredClone(previous.apiEnablements);
    assert.equal(sameStatus(previous, { ...previous, apiEnablements: enablements }), true);
    assert.equal(sameStatus(previous, { ...previous, apiEnablements: enablements }), true);
    assert.equal(sameStatus(previous, { ...previous, apiEnablements: [] }), false);
  });
});
