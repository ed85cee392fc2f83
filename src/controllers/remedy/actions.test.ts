import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { Remedy, RemedySpec } from '../../apis/karmada/networking.js';
import { remedyActions } from './actions.js';

const remedy = (spec: RemedySpec): Remedy => ({ metadata: { name: 'r' }, spec });
const cluster = (name: string, conditions?: [string, string][]): Cluster => ({ metadata: { name }, spec: {}, status: conditions ? { conditions: conditions.map(([type, status]) => ({ type, status, reason: '', message: '', lastTransitionTime: '' })) } : {} }) as Cluster;
const dnsFalse = { clusterConditionMatch: { conditionType: 'ServiceDomainNameResolutionReady', operator: 'Equal' as const, conditionStatus: 'False' } };

// as Karmada's remediation util_test.go: affinity, decision matches, actions merged and sorted
describe('remedyActions', () => {
  const cases: { name: string; remedies: RemedySpec[]; cluster: Cluster; want: string[] }[] = [
    { name: 'no affinity and no matches: every cluster', remedies: [{ actions: ['TrafficControl'] }], cluster: cluster('m1'), want: ['TrafficControl'] },
    { name: 'affinity names another cluster', remedies: [{ clusterAffinity: { clusterNames: ['m2'] }, actions: ['TrafficControl'] }], cluster: cluster('m1'), want: [] },
    { name: 'affinity names the cluster', remedies: [{ clusterAffinity: { clusterNames: ['m1'] }, actions: ['TrafficControl'] }], cluster: cluster('m1'), want: ['TrafficControl'] },
    { name: 'an empty affinity names nobody', remedies: [{ clusterAffinity: {}, actions: ['TrafficControl'] }], cluster: cluster('m1'), want: [] },
    { name: 'Equal matches the condition', remedies: [{ decisionMatches: [dnsFalse], actions: ['TrafficControl'] }], cluster: cluster('m1', [['ServiceDomainNameResolutionReady', 'False']]), want: ['TrafficControl'] },
    { name: 'Equal does not match', remedies: [{ decisionMatches: [dnsFalse], actions: ['TrafficControl'] }], cluster: cluster('m1', [['ServiceDomainNameResolutionReady', 'True']]), want: [] },
    { name: 'NotEqual matches', remedies: [{ decisionMatches: [{ clusterConditionMatch: { conditionType: 'Ready', operator: 'NotEqual', conditionStatus: 'True' } }], actions: ['TrafficControl'] }], cluster: cluster('m1', [['Ready', 'Unknown']]), want: ['TrafficControl'] },
    { name: 'the condition is missing', remedies: [{ decisionMatches: [dnsFalse], actions: ['TrafficControl'] }], cluster: cluster('m1', [['Ready', 'True']]), want: [] },
    { name: 'matches but no conditions at all', remedies: [{ decisionMatches: [dnsFalse], actions: ['TrafficControl'] }], cluster: cluster('m1'), want: [] },
    { name: 'two remedies: actions once, sorted', remedies: [{ actions: ['TrafficControl', 'B'] }, { actions: ['TrafficControl', 'A'] }], cluster: cluster('m1'), want: ['A', 'B', 'TrafficControl'] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(remedyActions(c.remedies.map(remedy), c.cluster), c.want));
});
