import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBindingSpec } from '../../apis/karmada/binding.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { CycleState } from '../framework/types.js';
import { cluster } from '../testing/fixtures.js';
import { apiEnablement } from './apienablement/index.js';
import { clusterEviction } from './clustereviction/index.js';
import { clusterLocality } from './clusterlocality/index.js';
import { spreadConstraint } from './spreadconstraint/index.js';
import { taintToleration } from './tainttoleration/index.js';
import { enabledPlugins } from './registry.js';

function state(spec: Partial<ResourceBindingSpec> = {}): CycleState {
  const full: ResourceBindingSpec = { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' }, ...spec };
  return {
    spec: full,
    status: {},
    scheduled: new Set((full.clusters ?? []).map((c) => c.name)),
    evicting: new Set((full.gracefulEvictionTasks ?? []).map((t) => t.fromCluster)),
  };
}

interface Case {
  name: string;
  cluster: Cluster;
  spec?: Partial<ResourceBindingSpec>;
  want: string[] | 'Success';
}

const tainted = (effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule', value = 'v') => cluster('t', { taints: [{ key: 'k', value, effect }] });

const taintCases: Case[] = [
  { name: 'an untainted cluster passes', cluster: cluster('a'), want: 'Success' },
  { name: 'an untolerated NoSchedule taint rejects', cluster: tainted('NoSchedule'), want: ['cluster(s) had untolerated taint {k=v:NoSchedule}'] },
  { name: 'an untolerated NoExecute taint rejects', cluster: tainted('NoExecute'), want: ['cluster(s) had untolerated taint {k=v:NoExecute}'] },
  { name: 'a taint without value prints key:effect', cluster: tainted('NoSchedule', ''), want: ['cluster(s) had untolerated taint {k:NoSchedule}'] },
  { name: 'PreferNoSchedule does not reject', cluster: tainted('PreferNoSchedule'), want: 'Success' },
  { name: 'Equal toleration with the same value tolerates', cluster: tainted('NoSchedule'), spec: { placement: { clusterTolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }] } }, want: 'Success' },
  { name: 'Equal toleration with another value does not', cluster: tainted('NoSchedule'), spec: { placement: { clusterTolerations: [{ key: 'k', value: 'w' }] } }, want: ['cluster(s) had untolerated taint {k=v:NoSchedule}'] },
  { name: 'Exists toleration without key tolerates everything', cluster: tainted('NoExecute'), spec: { placement: { clusterTolerations: [{ operator: 'Exists' }] } }, want: 'Success' },
  { name: 'toleration for another effect does not', cluster: tainted('NoExecute'), spec: { placement: { clusterTolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }] } }, want: ['cluster(s) had untolerated taint {k=v:NoExecute}'] },
  { name: 'a cluster already scheduled passes (the taint manager evicts later)', cluster: tainted('NoSchedule'), spec: { clusters: [{ name: 't', replicas: 1 }] }, want: 'Success' },
];

const apiCases: Case[] = [
  { name: 'a served kind passes', cluster: cluster('a'), want: 'Success' },
  { name: 'a missing kind rejects', cluster: cluster('a', { apis: [{ groupVersion: 'v1', kinds: ['ConfigMap'] }] }), want: ['cluster(s) did not have the API resource'] },
  { name: 'the kind in another group version rejects', cluster: cluster('a', { apis: [{ groupVersion: 'apps/v1beta1', kinds: ['Deployment'] }] }), want: ['cluster(s) did not have the API resource'] },
  {
    name: 'a scheduled cluster with incomplete API enablements keeps its place',
    cluster: cluster('a', { apis: [] }),
    spec: { clusters: [{ name: 'a', replicas: 1 }] },
    want: 'Success',
  },
];

const completeButMissing = cluster('a', { apis: [] });
completeButMissing.status!.conditions!.push({ type: 'CompleteAPIEnablements', status: 'True' });
apiCases.push({ name: 'a scheduled cluster whose complete API list lacks the kind is rejected', cluster: completeButMissing, spec: { clusters: [{ name: 'a' }] }, want: ['cluster(s) did not have the API resource'] });

const evictionCases: Case[] = [
  { name: 'a cluster not being evicted from passes', cluster: cluster('a'), want: 'Success' },
  {
    name: 'a cluster in gracefulEvictionTasks is rejected',
    cluster: cluster('a'),
    spec: { gracefulEvictionTasks: [{ fromCluster: 'a', reason: 'TaintUntolerated', producer: 'taint-manager' }] },
    want: ['cluster(s) is in the process of eviction'],
  },
];

const spreadCases: Case[] = [
  { name: 'no spread constraints pass', cluster: cluster('a'), want: 'Success' },
  { name: 'spread by region needs a region', cluster: cluster('a'), spec: { placement: { spreadConstraints: [{ spreadByField: 'region' }] } }, want: ["cluster(s) didn't have region property"] },
  { name: 'spread by provider needs a provider', cluster: cluster('a', { region: 'r' }), spec: { placement: { spreadConstraints: [{ spreadByField: 'provider' }] } }, want: ["cluster(s) didn't have provider property"] },
  { name: 'spread by zone needs a zone', cluster: cluster('a'), spec: { placement: { spreadConstraints: [{ spreadByField: 'zone' }] } }, want: ["cluster(s) didn't have zone property"] },
  { name: 'zones count as zone', cluster: cluster('a', { zones: ['z1'] }), spec: { placement: { spreadConstraints: [{ spreadByField: 'zone' }] } }, want: 'Success' },
  { name: 'spread by cluster needs nothing', cluster: cluster('a'), spec: { placement: { spreadConstraints: [{ spreadByField: 'cluster' }] } }, want: 'Success' },
];

for (const [pluginName, plugin, cases] of [
  ['TaintToleration', taintToleration, taintCases],
  ['APIEnablement', apiEnablement, apiCases],
  ['ClusterEviction', clusterEviction, evictionCases],
  ['SpreadConstraint', spreadConstraint, spreadCases],
] as const) {
  describe(`${pluginName} filter`, () => {
    for (const c of cases) {
      test(c.name, () => {
        const r = plugin.filter(state(c.spec), c.cluster);
        if (c.want === 'Success') assert.deepEqual(r, { code: 'Success', reasons: [] });
        else assert.deepEqual(r, { code: 'Unschedulable', reasons: c.want });
      });
    }
  });
}

describe('ClusterLocality score', () => {
  test('a cluster in the previous result scores 100', () => assert.equal(clusterLocality.score(state({ clusters: [{ name: 'a' }] }), cluster('a')), 100));
  test('another cluster scores 0', () => assert.equal(clusterLocality.score(state({ clusters: [{ name: 'a' }] }), cluster('b')), 0));
});

describe('plugin registry', () => {
  test('* enables all in Karmada order', () => {
    assert.deepEqual(enabledPlugins().map((p) => p.name), ['APIEnablement', 'TaintToleration', 'ClusterAffinity', 'SpreadConstraint', 'ClusterLocality', 'ClusterEviction', 'WorkloadAntiAffinity', 'WorkloadAffinity']);
  });
  test('-Name disables one', () => assert.ok(!enabledPlugins(['*', '-TaintToleration']).some((p) => p.name === 'TaintToleration')));
  test('a list of names enables only those', () => assert.deepEqual(enabledPlugins(['ClusterAffinity']).map((p) => p.name), ['ClusterAffinity']));
});
