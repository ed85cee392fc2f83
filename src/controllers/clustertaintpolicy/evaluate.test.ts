import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Condition } from '../../apimachinery/types.js';
import type { Cluster, Taint } from '../../apis/karmada/cluster.js';
import type { ClusterTaintPolicy, MatchCondition } from '../../apis/karmada/policy.js';
import { conditionsMatch, taintsFromPolicies, taintsMessage } from './evaluate.js';

const ready = (status: Condition['status']): Condition => ({ type: 'Ready', status });
const m = (operator: 'In' | 'NotIn', ...statusValues: string[]): MatchCondition => ({ conditionType: 'Ready', operator, statusValues });

describe('conditionsMatch', () => {
  const cases: [string, Condition[], MatchCondition[] | undefined, boolean][] = [
    ['no match conditions never match', [ready('False')], [], false],
    ['In with the status', [ready('False')], [m('In', 'False', 'Unknown')], true],
    ['In without it', [ready('True')], [m('In', 'False', 'Unknown')], false],
    ['NotIn with another status', [ready('False')], [m('NotIn', 'True')], true],
    ['NotIn with the status', [ready('True')], [m('NotIn', 'True')], false],
    ['a missing condition matches neither In nor NotIn', [], [m('NotIn', 'True')], false],
    ['conditions are ANDed', [ready('False'), { type: 'NetworkOK', status: 'True' }], [m('In', 'False'), { conditionType: 'NetworkOK', operator: 'In', statusValues: ['False'] }], false],
  ];
  for (const [name, conds, match, want] of cases) test(name, () => assert.equal(conditionsMatch(conds, match), want));
});

const cluster = (status: Condition['status'], taints?: Taint[], labels: Record<string, string> = {}): Cluster => ({
  apiVersion: 'cluster.karmada.io/v1alpha1',
  kind: 'Cluster',
  metadata: { name: 'member1', labels },
  spec: { ...(taints ? { taints } : {}) },
  status: { conditions: [ready(status)] },
} as Cluster);
const policy = (name: string, created: string, extra: Partial<ClusterTaintPolicy['spec']> = {}): ClusterTaintPolicy => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'ClusterTaintPolicy',
  metadata: { name, creationTimestamp: created },
  spec: { addOnConditions: [m('In', 'False', 'Unknown')], removeOnConditions: [m('In', 'True')], taints: [{ key: 'not-ready', effect: 'NoExecute' }], ...extra },
});

describe('taintsFromPolicies', () => {
  const now = '2026-12-06T00:00:00Z';
  test('adds the taint with timeAdded when the add conditions match', () => {
    assert.deepEqual(taintsFromPolicies(cluster('False'), [policy('p', 't1')], now), [{ key: 'not-ready', effect: 'NoExecute', timeAdded: now }]);
  });
  test('no change when the taint is already there (same key and effect)', () => {
    assert.equal(taintsFromPolicies(cluster('Unknown', [{ key: 'not-ready', effect: 'NoExecute', timeAdded: 'old' }]), [policy('p', 't1')], now), undefined);
  });
  test('removes it when the remove conditions match, keeping other taints', () => {
    const other: Taint = { key: 'cluster.karmada.io/not-ready', effect: 'NoSchedule' };
    assert.deepEqual(taintsFromPolicies(cluster('True', [other, { key: 'not-ready', effect: 'NoExecute' }]), [policy('p', 't1')], now), [other]);
  });
  test('a policy whose targetClusters exclude the cluster does nothing', () => {
    assert.equal(taintsFromPolicies(cluster('False'), [policy('p', 't1', { targetClusters: { clusterNames: ['member2'] } })], now), undefined);
  });
  test('policies apply in creation order: a later remove undoes an earlier add', () => {
    const adds = policy('adds', 't1');
    const removes = policy('removes', 't2', { addOnConditions: [], removeOnConditions: [m('In', 'False')] });
    assert.equal(taintsFromPolicies(cluster('False'), [removes, adds], now), undefined);
  });
  test('taintsMessage', () => assert.equal(taintsMessage([{ key: 'a', value: 'b', effect: 'NoExecute' }, { key: 'c', effect: 'NoSchedule' }]), '[a=b:NoExecute,c:NoSchedule]'));
});
