import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterAffinity } from '../../../apis/karmada/placement.js';
import { cluster } from '../../testing/fixtures.js';
import { clusterAffinity, matchesClusterAffinity } from './index.js';

const m1 = cluster('member1', { labels: { env: 'prod', tier: 'gold' }, provider: 'aws', region: 'us-east', zones: ['us-east-1a', 'us-east-1b'] });
const bare = cluster('bare');

const cases: { name: string; c?: typeof m1; affinity: ClusterAffinity; want: boolean }[] = [
  { name: 'an empty affinity matches every cluster', affinity: {}, want: true },
  { name: 'clusterNames lists the cluster', affinity: { clusterNames: ['member1', 'x'] }, want: true },
  { name: 'clusterNames without the cluster', affinity: { clusterNames: ['x'] }, want: false },
  { name: 'exclude wins over clusterNames', affinity: { clusterNames: ['member1'], exclude: ['member1'] }, want: false },
  { name: 'matchLabels match', affinity: { labelSelector: { matchLabels: { env: 'prod' } } }, want: true },
  { name: 'matchLabels mismatch', affinity: { labelSelector: { matchLabels: { env: 'dev' } } }, want: false },
  { name: 'matchExpressions In', affinity: { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold', 'silver'] }] } }, want: true },
  { name: 'matchExpressions NotIn', affinity: { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['gold'] }] } }, want: false },
  { name: 'matchExpressions DoesNotExist', affinity: { labelSelector: { matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] } }, want: true },
  { name: 'labels and names must both hold', affinity: { clusterNames: ['member1'], labelSelector: { matchLabels: { env: 'dev' } } }, want: false },
  { name: 'fieldSelector provider In', affinity: { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'In', values: ['aws'] }] } }, want: true },
  { name: 'fieldSelector region NotIn', affinity: { fieldSelector: { matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['us-east'] }] } }, want: false },
  { name: 'fieldSelector zone In needs every zone listed', affinity: { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['us-east-1a'] }] } }, want: false },
  { name: 'fieldSelector zone In with all zones', affinity: { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['us-east-1a', 'us-east-1b', 'x'] }] } }, want: true },
  { name: 'fieldSelector zone NotIn with none listed', affinity: { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['eu-1'] }] } }, want: true },
  { name: 'fieldSelector region In on a cluster without region', c: bare, affinity: { fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['us-east'] }] } }, want: false },
  { name: 'fieldSelector region NotIn on a cluster without region', c: bare, affinity: { fieldSelector: { matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['us-east'] }] } }, want: true },
  { name: 'fieldSelector zone NotIn on a cluster without zones', c: bare, affinity: { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['x'] }] } }, want: false },
];

describe('matchesClusterAffinity', () => {
  for (const c of cases) test(c.name, () => assert.equal(matchesClusterAffinity(c.c ?? m1, c.affinity), c.want));
});

describe('ClusterAffinity filter', () => {
  const state = (affinity?: ClusterAffinity) => ({
    spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' } },
    status: {},
    affinity,
    scheduled: new Set<string>(),
    evicting: new Set<string>(),
  });
  test('no affinity in force passes', () => assert.equal(clusterAffinity.filter(state(), m1).code, 'Success'));
  test('a mismatch is unschedulable with Karmada reason', () => {
    const r = clusterAffinity.filter(state({ clusterNames: ['x'] }), m1);
    assert.deepEqual(r, { code: 'Unschedulable', reasons: ['cluster(s) did not match the placement cluster affinity constraint'] });
  });
  test('score is constant zero', () => assert.equal(clusterAffinity.score(state(), m1), 0));
});
