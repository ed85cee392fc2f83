import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterAffinity } from '../../../apis/karmada/placement.js';
import { cluster } from '../../testing/fixtures.js';
import { clusterAffinity } from './index.js';

const m1 = cluster('member1', { labels: { env: 'prod' } });
const m2 = cluster('member2', { labels: { env: 'dev' } });

describe('ClusterAffinity filter', () => {
  const state = (affinity?: ClusterAffinity, overflow?: ClusterAffinity[]) => ({
    spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' } },
    status: {},
    affinity,
    overflow,
    scheduled: new Set<string>(),
    evicting: new Set<string>(),
  });
  test('no affinity in force passes', () => assert.equal(clusterAffinity.filter(state(), m1).code, 'Success'));
  test('a mismatch is unschedulable with Karmada reason', () => {
    const r = clusterAffinity.filter(state({ clusterNames: ['x'] }), m1);
    assert.deepEqual(r, { code: 'Unschedulable', reasons: ['cluster(s) did not match the placement cluster affinity constraint'] });
  });
  test('a cluster of an overflow tier passes', () => {
    const s = state({ clusterNames: ['member1'] }, [{ labelSelector: { matchLabels: { env: 'dev' } } }]);
    assert.equal(clusterAffinity.filter(s, m2).code, 'Success');
    assert.equal(clusterAffinity.filter(s, cluster('member3')).code, 'Unschedulable');
  });
  test('score is constant zero', () => assert.equal(clusterAffinity.score(state(), m1), 0));
});
