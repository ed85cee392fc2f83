import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBindingSpec } from '../../apis/karmada/binding.js';
import type { Work } from '../../apis/karmada/work.js';
import { assembleAggregatedStatus, fullyAppliedCondition } from './aggregate.js';
import { worksOfBinding } from './controller.js';

const resource = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'nginx' };
const manifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default' } };
const identifier = { ordinal: 0, group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespace: 'default', name: 'nginx' };

function work(cluster: string, opts: { applied?: 'True' | 'False'; message?: string; status?: Record<string, unknown>; health?: 'Healthy' | 'Unhealthy'; deleting?: boolean; identifier?: typeof identifier } = {}): Work {
  return {
    metadata: { name: 'nginx-687f7fb96f', namespace: `karmada-es-${cluster}`, labels: { 'resourcebinding.karmada.io/permanent-id': 'rb-1' }, ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { workload: { manifests: [manifest] } },
    status: {
      conditions: opts.applied ? [{ type: 'Applied', status: opts.applied, reason: 'x', message: opts.message ?? '' }] : [],
      manifestStatuses: opts.status ? [{ identifier: opts.identifier ?? identifier, status: opts.status, health: opts.health }] : [],
    },
  };
}

describe('assembleAggregatedStatus', () => {
  const cases: { name: string; works: Work[]; want: unknown[] }[] = [
    {
      name: 'an applied Work gives its manifest status and health, sorted by cluster',
      works: [work('member2', { applied: 'True', status: { readyReplicas: 1 }, health: 'Healthy' }), work('member1', { applied: 'True', status: { readyReplicas: 2 }, health: 'Unhealthy' })],
      want: [
        { clusterName: 'member1', applied: true, health: 'Unhealthy', status: { readyReplicas: 2 } },
        { clusterName: 'member2', applied: true, health: 'Healthy', status: { readyReplicas: 1 } },
      ],
    },
    {
      name: 'a Work that failed carries the Applied message and Unknown health',
      works: [work('member1', { applied: 'False', message: 'Failed to apply all manifests (0/1): boom' })],
      want: [{ clusterName: 'member1', applied: false, appliedMessage: 'Failed to apply all manifests (0/1): boom', health: 'Unknown' }],
    },
    { name: 'a Work with no Applied condition yet is not applied', works: [work('member1')], want: [{ clusterName: 'member1', applied: false, health: 'Unknown' }] },
    { name: 'a Work being deleted is left out', works: [work('member1', { applied: 'True', deleting: true })], want: [] },
    {
      name: 'a manifest status for another object is not taken',
      works: [work('member1', { applied: 'True', status: { readyReplicas: 2 }, identifier: { ...identifier, name: 'other' } })],
      want: [{ clusterName: 'member1', applied: true, health: 'Unknown' }],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(assembleAggregatedStatus(c.works, resource), c.want));
});

describe('fullyAppliedCondition', () => {
  const spec = (clusters: string[], extra: Partial<ResourceBindingSpec> = {}): ResourceBindingSpec => ({ resource, clusters: clusters.map((name) => ({ name })), ...extra });
  const item = (clusterName: string, applied = true) => ({ clusterName, applied });
  const cases: { name: string; spec: ResourceBindingSpec; items: { clusterName: string; applied: boolean }[]; want: 'True' | 'False' }[] = [
    { name: 'every target cluster applied', spec: spec(['member1', 'member2']), items: [item('member1'), item('member2')], want: 'True' },
    { name: 'one cluster failed', spec: spec(['member1', 'member2']), items: [item('member1'), item('member2', false)], want: 'False' },
    { name: 'a cluster has no Work yet', spec: spec(['member1', 'member2']), items: [item('member1')], want: 'False' },
    { name: 'not scheduled', spec: spec([]), items: [], want: 'False' },
    { name: 'a Work on a cluster the binding does not target', spec: spec(['member1']), items: [item('member3')], want: 'False' },
    { name: 'clusters being evicted from count', spec: spec(['member1'], { gracefulEvictionTasks: [{ fromCluster: 'member2', reason: 'x', producer: 'y' }] }), items: [item('member1')], want: 'False' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const cond = fullyAppliedCondition(c.spec, c.items);
      assert.equal(cond.type, 'FullyApplied');
      assert.equal(cond.status, c.want);
      assert.equal(cond.reason, c.want === 'True' ? 'FullyAppliedSuccess' : 'FullyAppliedFailed');
    });
  }
});

describe('worksOfBinding', () => {
  const byAnnotation = (w: { metadata: { annotations?: Record<string, string> } }) => {
    const a = w.metadata.annotations ?? {};
    return a['resourcebinding.karmada.io/name'] ? `${a['resourcebinding.karmada.io/namespace']}/${a['resourcebinding.karmada.io/name']}` : undefined;
  };
  test('by permanent id label when the binding has one', () => {
    const mine = work('member1');
    const other = { ...work('member2'), metadata: { ...work('member2').metadata, labels: { 'resourcebinding.karmada.io/permanent-id': 'rb-2' } } };
    const binding = { metadata: { name: 'nginx-deployment', namespace: 'default', labels: { 'resourcebinding.karmada.io/permanent-id': 'rb-1' } } };
    assert.deepEqual(worksOfBinding([mine, other], binding, 'resourcebinding.karmada.io/permanent-id', byAnnotation), [mine]);
  });
  test('by the annotations naming the binding otherwise', () => {
    const w = { ...work('member1'), metadata: { ...work('member1').metadata, labels: {}, annotations: { 'resourcebinding.karmada.io/name': 'nginx-deployment', 'resourcebinding.karmada.io/namespace': 'default' } } };
    const binding = { metadata: { name: 'nginx-deployment', namespace: 'default' } };
    assert.deepEqual(worksOfBinding([w, work('member2')], binding, 'resourcebinding.karmada.io/permanent-id', byAnnotation), [w]);
  });
});
