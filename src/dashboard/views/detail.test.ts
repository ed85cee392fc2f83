import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { OverridePolicy } from '../../apis/karmada/override.js';
import { binding, cluster } from '../../scheduler/testing/fixtures.js';
import { explanationOf, overridesOf, podSelectorOf, podView } from './detail.js';

const divided = {
  clusterAffinity: { clusterNames: ['m1', 'm2'] },
  replicaScheduling: { replicaSchedulingType: 'Divided' as const, replicaDivisionPreference: 'Weighted' as const, weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['m1'] }, weight: 3 }, { targetCluster: { clusterNames: ['m2'] }, weight: 1 }] } },
};

test('explanationOf: every cluster with its filters, scores, estimate and share', () => {
  const x = explanationOf(binding(divided, 4), [cluster('m2'), cluster('m1'), cluster('m3')]);
  assert.deepEqual(x.clusters.map((c) => [c.name, c.feasible, c.assigned]), [['m1', true, 3], ['m2', true, 1], ['m3', false, 0]]);
  const m3 = x.clusters[2]!;
  assert.ok(m3.filters.some((f) => f.plugin === 'ClusterAffinity' && f.result !== 'Success' && f.reason), JSON.stringify(m3.filters));
  assert.equal(m3.score, null);
  assert.ok(x.clusters[0]!.maxReplicas! > 0);
  assert.ok(x.clusters[0]!.scores.length > 0);
  assert.match(x.message, /scheduled successfully/);
  assert.deepEqual(explanationOf(undefined, []), { clusters: [], message: 'no binding: nothing to schedule' });
  const none = explanationOf(binding({ clusterAffinity: { clusterNames: ['gone'] } }, 1), [cluster('m1')]);
  assert.deepEqual(none.clusters.map((c) => [c.name, c.feasible, c.assigned]), [['m1', false, 0]]);
  assert.match(none.message, /0\/1 clusters are available/);
});

test('overridesOf: the policies applied per target cluster and the diff they make', () => {
  const template: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '5' }, spec: { replicas: 4, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } }, status: { readyReplicas: 4 } };
  const op: OverridePolicy = {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'OverridePolicy',
    metadata: { name: 'tag', namespace: 'default' },
    spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }], overrideRules: [{ targetCluster: { clusterNames: ['m2'] }, overriders: { imageOverrider: [{ component: 'Tag', operator: 'replace', value: '1.28' }] } }] },
  } as OverridePolicy;
  const b = binding(divided, 4, [{ name: 'm2', replicas: 1 }, { name: 'm1', replicas: 3 }]);
  const views = overridesOf(template, b, [cluster('m1'), cluster('m2')], [], [op]);
  assert.deepEqual(views.map((v) => [v.cluster, v.policies]), [['m1', []], ['m2', ['tag']]]);
  assert.equal(views[0]!.diff, '');
  assert.match(views[1]!.diff, /^--- template\n\+\+\+ m2\n@@ /);
  assert.match(views[1]!.diff, /^-\s+image: nginx:1\.27$/m);
  assert.match(views[1]!.diff, /^\+\s+image: nginx:1\.28$/m);
  assert.doesNotMatch(views[1]!.diff, /resourceVersion|readyReplicas/);
  assert.deepEqual(overridesOf(undefined, b, [], [], [op]), []);
});

test('podView and podSelectorOf', () => {
  const pod = { metadata: { name: 'web-1', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }] }, status: { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 2 }, { ready: false, restartCount: 1 }] } };
  assert.deepEqual(podView('m1', pod), { cluster: 'm1', name: 'web-1', namespace: 'default', node: 'n1', phase: 'Running', ready: '1/2', restarts: 3, containers: ['a', 'b'] });
  assert.deepEqual(podView('m1', { metadata: { name: 'p' } }), { cluster: 'm1', name: 'p', namespace: '', node: '', phase: 'Unknown', ready: '0/0', restarts: 0, containers: [] });
  const cases: [KubeObject | undefined, string | undefined][] = [
    [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { selector: { matchLabels: { app: 'w', tier: 'fe' } } } }, 'app=w,tier=fe'],
    [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: {} }, 'job-name=j'],
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, undefined],
    [undefined, undefined],
  ];
  for (const [t, want] of cases) assert.equal(podSelectorOf(t), want, t?.kind);
});
