import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { MultiClusterService, MultiClusterServiceSpec } from '../../apis/karmada/networking.js';
import { collectedWork } from '../mcs/collect.js';
import { claimedService, consumerClusters, consumerWork, providerClusters, providerWork, serviceBinding, trafficControlled, withoutClaim } from './render.js';

const mcs = (spec: MultiClusterServiceSpec): MultiClusterService => ({ apiVersion: 'networking.karmada.io/v1alpha1', kind: 'MultiClusterService', metadata: { name: 'web', namespace: 'default', uid: 'm1', labels: { 'multiclusterservice.karmada.io/permanent-id': 'pid' } }, spec });
const all = ['member1', 'member2', 'member3'];

describe('provider and consumer clusters', () => {
  const cases: { name: string; spec: MultiClusterServiceSpec; providers: string[]; consumers: string[] }[] = [
    { name: 'named', spec: { types: ['CrossCluster'], providerClusters: [{ name: 'member1' }], consumerClusters: [{ name: 'member2' }] }, providers: ['member1'], consumers: ['member2'] },
    { name: 'none named: every cluster', spec: { types: ['CrossCluster'] }, providers: all, consumers: all },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual([...providerClusters(mcs(c.spec), all)], c.providers);
      assert.deepEqual([...consumerClusters(mcs(c.spec), all)], c.consumers);
    });
  }
});

describe('the Service', () => {
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 's1', resourceVersion: '5', labels: { app: 'web', 'propagationpolicy.karmada.io/permanent-id': 'pp' }, annotations: { 'propagationpolicy.karmada.io/name': 'p' } }, spec: {} };
  test('is claimed from policies', () => {
    const c = claimedService(svc, mcs({ types: ['CrossCluster'] }))!;
    assert.deepEqual(c.metadata.labels, { app: 'web', 'resourcetemplate.karmada.io/claimed-by': 'MultiClusterService', 'multiclusterservice.karmada.io/permanent-id': 'pid' });
    assert.deepEqual(c.metadata.annotations, { 'multiclusterservice.karmada.io/name': 'web', 'multiclusterservice.karmada.io/namespace': 'default' });
    assert.equal(claimedService(c, mcs({ types: ['CrossCluster'] })), undefined);
  });
  test('is bound to providers and consumers', () => {
    const b = serviceBinding(svc, mcs({ types: ['CrossCluster'] }), new Set(['member2', 'member1']));
    assert.equal(b.metadata.name, 'web-service');
    assert.deepEqual(b.spec.placement, { clusterAffinity: { clusterNames: ['member1', 'member2'] } });
    assert.equal(b.metadata.labels?.['binding.karmada.io/managed-by'], 'MultiClusterService');
    assert.equal(b.spec.conflictResolution, 'Overwrite');
  });
});

describe('Works', () => {
  test('a provider gets the MCS suspended', () => {
    const w = providerWork(mcs({ types: ['CrossCluster'] }), 'member1', 'id');
    assert.equal(w.metadata.namespace, 'karmada-es-member1');
    assert.equal(w.spec.suspendDispatching, true);
    assert.equal(w.spec.workload!.manifests![0]!.kind, 'MultiClusterService');
    assert.equal(w.metadata.labels?.['multiclusterservice.karmada.io/name'], 'web');
  });
  test("a consumer gets the provider's slice as <provider>-<slice>, selected by the Service name", () => {
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-x1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }] } as KubeObject;
    const collected = collectedWork({ cluster: 'member1', slice, by: 'MultiClusterService', permanentId: 'c' });
    const w = consumerWork(mcs({ types: ['CrossCluster'] }), collected, 'member1', 'member2', 'id')!;
    assert.equal(w.metadata.namespace, 'karmada-es-member2');
    assert.equal(w.metadata.name, collected.metadata.name);
    assert.equal(w.metadata.annotations?.['endpointslice.karmada.io/provision-cluster'], 'member1');
    const m = w.spec.workload!.manifests![0]! as KubeObject & { endpoints: unknown };
    assert.equal(m.metadata.name, 'member1-web-x1');
    assert.equal(m.metadata.labels?.['kubernetes.io/service-name'], 'web');
    assert.equal(m.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-dispatch-controller.karmada.io');
    assert.deepEqual(m.endpoints, [{ addresses: ['10.0.0.1'] }]);
  });
  test('TrafficControl in the remedy actions', () => {
    assert.equal(trafficControlled({ metadata: { name: 'a' }, spec: {}, status: { remedyActions: ['TrafficControl'] } } as Cluster), true);
    assert.equal(trafficControlled({ metadata: { name: 'a' }, spec: {} } as Cluster), false);
  });
});

describe('withoutClaim', () => {
  test('drops the claim and keeps the rest; nothing to drop: undefined', () => {
    const svc: KubeObject = { metadata: { name: 'web', labels: { app: 'web', 'resourcetemplate.karmada.io/claimed-by': 'MultiClusterService', 'multiclusterservice.karmada.io/permanent-id': 'pid' }, annotations: { 'multiclusterservice.karmada.io/name': 'web', a: 'b' } } };
    const released = withoutClaim(svc)!;
    assert.deepEqual([released.metadata.labels, released.metadata.annotations], [{ app: 'web' }, { a: 'b' }]);
    assert.equal(withoutClaim(released), undefined);
  });
});
