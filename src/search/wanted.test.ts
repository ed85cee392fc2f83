import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../apis/karmada/cluster.js';
import type { ResourceRegistry } from '../apis/karmada/search.js';
import { apiDisabled, wantedCaches, type KindResolver } from './wanted.js';

const ready = (name: string, labels: Record<string, string> = {}, extra: Partial<Cluster['status']> = {}): Cluster =>
  ({ metadata: { name, labels }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }], ...extra } }) as unknown as Cluster;
const notReady = (name: string): Cluster => ({ metadata: { name }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'False' }] } }) as unknown as Cluster;
const rr = (name: string, targetCluster: ResourceRegistry['spec']['targetCluster'], selectors: ResourceRegistry['spec']['resourceSelectors']): ResourceRegistry => ({ metadata: { name }, spec: { targetCluster, resourceSelectors: selectors } });
const known: Record<string, { resource: string }> = { 'v1/Pod': { resource: 'pods' }, 'apps/v1/Deployment': { resource: 'deployments' } };
const resolve: KindResolver = (group, version, kind) => known[`${group ? `${group}/` : ''}${version}/${kind}`];

/** cluster -> "gvr:namespaces" */
function summary(r: ReturnType<typeof wantedCaches>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [c, m] of r.wanted) out[c] = [...m.entries()].map(([k, w]) => `${k}:${w.namespaces ? [...w.namespaces].sort().join('+') : '*'}`).sort();
  return out;
}

const cases: { name: string; registries: ResourceRegistry[]; clusters: Cluster[]; want: Record<string, string[]>; unresolved?: string[] }[] = [
  {
    name: 'every ready member that matches',
    registries: [rr('all', {}, [{ apiVersion: 'v1', kind: 'Pod' }])],
    clusters: [ready('m1'), ready('m2'), notReady('m3')],
    want: { m1: ['/v1/pods:*'], m2: ['/v1/pods:*'] },
  },
  {
    name: 'clusterNames and labels narrow the members',
    registries: [rr('some', { clusterNames: ['m2'] }, [{ apiVersion: 'apps/v1', kind: 'Deployment' }]), rr('eu', { labelSelector: { matchLabels: { region: 'eu' } } }, [{ apiVersion: 'v1', kind: 'Pod' }])],
    clusters: [ready('m1', { region: 'eu' }), ready('m2')],
    want: { m1: ['/v1/pods:*'], m2: ['apps/v1/deployments:*'] },
  },
  {
    name: 'namespaces merge across selectors and registries; an empty one means all',
    registries: [rr('a', {}, [{ apiVersion: 'v1', kind: 'Pod', namespace: 'x' }, { apiVersion: 'v1', kind: 'Pod', namespace: 'y' }]), rr('b', { clusterNames: ['m2'] }, [{ apiVersion: 'v1', kind: 'Pod' }])],
    clusters: [ready('m1'), ready('m2')],
    want: { m1: ['/v1/pods:x+y'], m2: ['/v1/pods:*'] },
  },
  {
    name: 'an unknown kind is reported and skipped',
    registries: [rr('bad', {}, [{ apiVersion: 'example.io/v1', kind: 'Widget' }])],
    clusters: [ready('m1')],
    want: {},
    unresolved: ['example.io/v1, Kind=Widget'],
  },
  {
    name: 'a member that reported all its APIs without the kind is skipped',
    registries: [rr('all', {}, [{ apiVersion: 'apps/v1', kind: 'Deployment' }])],
    clusters: [ready('m1', {}, { apiEnablements: [{ groupVersion: 'v1', resources: [{ name: 'pods', kind: 'Pod' }] }], conditions: [{ type: 'Ready', status: 'True' }, { type: 'CompleteAPIEnablements', status: 'True' }] } as never), ready('m2')],
    want: { m2: ['apps/v1/deployments:*'] },
  },
];
for (const c of cases) {
  test(`wantedCaches: ${c.name}`, () => {
    const r = wantedCaches(c.registries, c.clusters, resolve);
    assert.deepEqual(summary(r), c.want);
    assert.deepEqual([...r.unresolved.values()].flat(), c.unresolved ?? []);
  });
}

test('apiDisabled: unknown until the member says its list is complete', () => {
  const c = ready('m1', {}, { apiEnablements: [{ groupVersion: 'v1', resources: [{ name: 'pods', kind: 'Pod' }] }] });
  assert.equal(apiDisabled(c, 'v1', 'Pod'), false);
  assert.equal(apiDisabled(c, 'apps/v1', 'Deployment'), false);
});
