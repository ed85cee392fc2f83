import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import { healthOf, pageRows, parseWorkloadQuery, replicasOf, workloadRows, type WorkloadRow } from './workloads.js';

function deploy(name: string, ns: string, replicas: number, ready?: number, claimed = true): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${name}`,
      ...(claimed ? { labels: { 'propagationpolicy.karmada.io/permanent-id': 'id' }, annotations: { 'propagationpolicy.karmada.io/name': 'pp', 'propagationpolicy.karmada.io/namespace': ns } } : {}),
    },
    spec: { replicas },
    ...(ready !== undefined ? { status: { readyReplicas: ready } } : {}),
  };
}

function binding(name: string, ns: string, o: { kind?: string; scheduled?: 'True' | 'False'; clusters?: [string, number][]; agg?: ResourceBinding['status'] extends infer S ? (S extends { aggregatedStatus?: infer A } ? A : never) : never; replicas?: number }): ResourceBinding {
  return {
    kind: 'ResourceBinding',
    metadata: { name: `${name}-deployment`, namespace: ns },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: o.kind ?? 'Deployment', namespace: ns, name, uid: `uid-${name}` },
      replicas: o.replicas ?? 4,
      clusters: (o.clusters ?? []).map(([n, r]) => ({ name: n, replicas: r })),
    },
    status: {
      conditions: o.scheduled ? [{ type: 'Scheduled', status: o.scheduled, reason: o.scheduled === 'True' ? 'Success' : 'NoClusterFit', message: o.scheduled === 'True' ? 'ok' : '0/3 clusters are available' }] : [],
      aggregatedStatus: o.agg ?? [],
    },
  };
}

test('healthOf: from the binding, its Scheduled condition and aggregated status', () => {
  const cases: { name: string; t?: KubeObject; b?: ResourceBinding; want: string; msg: RegExp }[] = [
    { name: 'no policy, no binding', t: deploy('a', 'x', 2, 0, false), want: 'Unknown', msg: /no PropagationPolicy/ },
    { name: 'claimed, binding not yet', t: deploy('a', 'x', 2), want: 'Progressing', msg: /no binding visible yet/ },
    { name: 'waiting for scheduler', t: deploy('a', 'x', 2), b: binding('a', 'x', {}), want: 'Progressing', msg: /scheduler/ },
    { name: 'unschedulable', t: deploy('a', 'x', 2), b: binding('a', 'x', { scheduled: 'False' }), want: 'Unhealthy', msg: /NoClusterFit.*0\/3/ },
    { name: 'apply failed', t: deploy('a', 'x', 2), b: binding('a', 'x', { scheduled: 'True', clusters: [['m1', 2]], agg: [{ clusterName: 'm1', applied: false, appliedMessage: 'boom' }] }), want: 'Unhealthy', msg: /not applied on m1: boom/ },
    { name: 'one member unhealthy', t: deploy('a', 'x', 2), b: binding('a', 'x', { scheduled: 'True', clusters: [['m1', 1], ['m2', 1]], agg: [{ clusterName: 'm1', applied: true, health: 'Healthy' }, { clusterName: 'm2', applied: true, health: 'Unhealthy' }] }), want: 'Unhealthy', msg: /unhealthy on m2/ },
    { name: 'one member not reported', t: deploy('a', 'x', 2), b: binding('a', 'x', { scheduled: 'True', clusters: [['m1', 1], ['m2', 1]], agg: [{ clusterName: 'm1', applied: true, health: 'Healthy' }] }), want: 'Progressing', msg: /waiting for m2/ },
    { name: 'all healthy, replicas short', t: deploy('a', 'x', 4, 3), b: binding('a', 'x', { scheduled: 'True', clusters: [['m1', 4]], agg: [{ clusterName: 'm1', applied: true, health: 'Healthy' }] }), want: 'Progressing', msg: /3\/4/ },
    { name: 'healthy', t: deploy('a', 'x', 4, 4), b: binding('a', 'x', { scheduled: 'True', clusters: [['m1', 4]], agg: [{ clusterName: 'm1', applied: true, health: 'Healthy' }] }), want: 'Healthy', msg: /^$/ },
  ];
  for (const c of cases) {
    const h = healthOf(c.t, c.b, replicasOf(c.t, c.b));
    assert.equal(h.health, c.want, c.name);
    assert.match(h.message, c.msg, c.name);
  }
});

test('replicasOf: binding replicas, else the template; ready from the template status, else summed over members', () => {
  assert.deepEqual(replicasOf(deploy('a', 'x', 3, 2), undefined), { desired: 3, ready: 2 });
  assert.deepEqual(replicasOf(undefined, binding('a', 'x', { replicas: 5, agg: [{ clusterName: 'm1', status: { readyReplicas: 2 } }, { clusterName: 'm2', status: { readyReplicas: 1 } }] })), { desired: 5, ready: 3 });
  assert.equal(replicasOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, undefined), null);
});

test('workloadRows: templates joined with their bindings, bindings of uncached kinds too, sorted', () => {
  const cm = binding('cfg', 'a', { kind: 'ConfigMap', replicas: 0, scheduled: 'True', clusters: [['m1', 0]] });
  cm.spec.resource.apiVersion = 'v1';
  const rows = workloadRows([deploy('web', 'b', 2), deploy('api', 'a', 1)], [binding('web', 'b', { scheduled: 'True', clusters: [['m1', 1], ['m2', 1]] }), cm]);
  assert.deepEqual(rows.map((r) => `${r.namespace}/${r.kind}/${r.name}`), ['a/ConfigMap/cfg', 'a/Deployment/api', 'b/Deployment/web']);
  const web = rows[2]!;
  assert.deepEqual(web.clusters, [{ name: 'm1', replicas: 1 }, { name: 'm2', replicas: 1 }]);
  assert.deepEqual(web.policy, { kind: 'PropagationPolicy', namespace: 'b', name: 'pp' });
  assert.equal(web.scheduled, true);
  assert.equal(rows[0]!.replicas, null);
  assert.equal(rows[0]!.uid, 'uid-cfg');
});

test('pageRows: filters, then the page', () => {
  const row = (ns: string, name: string, kind: string, health: WorkloadRow['health'], clusters: string[]): WorkloadRow => ({ apiVersion: 'apps/v1', kind, namespace: ns, name, uid: name, policy: null, clusters: clusters.map((c) => ({ name: c, replicas: 1 })), replicas: null, health, scheduled: true, message: '' });
  const rows = [row('a', 'web', 'Deployment', 'Healthy', ['m1']), row('a', 'db', 'StatefulSet', 'Unhealthy', ['m2']), row('b', 'web', 'Deployment', 'Progressing', ['m1', 'm2']), row('b', 'job1', 'Job', 'Healthy', [])];
  const q = (s: string) => parseWorkloadQuery(new URLSearchParams(s));
  const names = (s: string) => pageRows(rows, q(s)).items.map((r) => `${r.namespace}/${r.name}`);
  assert.deepEqual(names('namespace=a'), ['a/web', 'a/db']);
  assert.deepEqual(names('kind=deployment'), ['a/web', 'b/web']);
  assert.deepEqual(names('cluster=m2'), ['a/db', 'b/web']);
  assert.deepEqual(names('health=Healthy'), ['a/web', 'b/job1']);
  assert.deepEqual(names('q=B/W'), ['b/web']);
  assert.deepEqual(names('q=job'), ['b/job1']);
  assert.deepEqual(names('offset=1&limit=2'), ['a/db', 'b/web']);
  assert.equal(pageRows(rows, q('offset=3&limit=1&cluster=m1')).total, 2);
  assert.throws(() => q('limit=-1'), /query parameter limit: must be a whole number/);
  assert.throws(() => q('offset=x'), /query parameter offset/);
  assert.throws(() => q('health=Sick'), /query parameter health: must be one of Healthy, Unhealthy, Progressing, Unknown/);
});
