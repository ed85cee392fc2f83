import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Work } from '../../apis/karmada/work.js';
import { addCollector, collectedWork, derivedService, importedEndpointSlice, releaseCollectedWork, removeCollector } from './collect.js';

const slice: KubeObject = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-abcde', namespace: 'default', uid: 'u1', resourceVersion: '7', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc' }] },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.0.3'], conditions: { ready: true } }],
  ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
} as KubeObject;

describe('managed-by set', () => {
  const cases: [string | undefined, 'add' | 'remove', 'ServiceExport' | 'MultiClusterService', string][] = [
    [undefined, 'add', 'ServiceExport', 'ServiceExport'],
    ['ServiceExport', 'add', 'MultiClusterService', 'MultiClusterService.ServiceExport'],
    ['MultiClusterService.ServiceExport', 'add', 'ServiceExport', 'MultiClusterService.ServiceExport'],
    ['MultiClusterService.ServiceExport', 'remove', 'ServiceExport', 'MultiClusterService'],
    ['ServiceExport', 'remove', 'ServiceExport', ''],
  ];
  for (const [value, op, by, want] of cases) test(`${value} ${op} ${by}`, () => assert.equal(op === 'add' ? addCollector(value, by) : removeCollector(value, by), want));
});

describe('collectedWork', () => {
  test('a suspended Work in the execution space, labelled with the service, finalized by the endpointslice controller', () => {
    const w = collectedWork({ cluster: 'member1', slice, by: 'ServiceExport', permanentId: 'id1' });
    assert.equal(w.metadata.namespace, 'karmada-es-member1');
    assert.match(w.metadata.name!, /^web-abcde-[a-z0-9]+$/);
    assert.deepEqual(w.metadata.finalizers, ['karmada.io/endpointslice-controller']);
    assert.equal(w.spec.suspendDispatching, true);
    assert.deepEqual(
      [w.metadata.labels?.['endpointslice.karmada.io/namespace'], w.metadata.labels?.['endpointslice.karmada.io/name'], w.metadata.labels?.['endpointslice.karmada.io/managed-by'], w.metadata.labels?.['work.karmada.io/permanent-id']],
      ['default', 'web', 'ServiceExport', 'id1'],
    );
    const m = w.spec.workload!.manifests![0]!;
    assert.equal(m.metadata.ownerReferences, undefined);
    assert.equal(m.metadata.resourceVersion, undefined);
    assert.equal(m.metadata.labels?.['karmada.io/managed'], 'true');
  });

  test('the second collector joins the first and keeps its permanent id and finalizer', () => {
    const first = collectedWork({ cluster: 'member1', slice, by: 'ServiceExport', permanentId: 'id1' });
    const both = collectedWork({ cluster: 'member1', slice, by: 'MultiClusterService', permanentId: 'id2', existing: first });
    assert.equal(both.metadata.labels?.['endpointslice.karmada.io/managed-by'], 'MultiClusterService.ServiceExport');
    assert.equal(both.metadata.labels?.['work.karmada.io/permanent-id'], 'id1');
    assert.equal(both.metadata.labels?.['multiclusterservice.karmada.io/name'], 'web');
    assert.deepEqual(both.metadata.finalizers, ['karmada.io/endpointslice-controller', 'karmada.io/mcs-endpointslice-dispatch-controller']);
    const released = releaseCollectedWork(both, 'ServiceExport') as Work;
    assert.equal(released.metadata.labels?.['endpointslice.karmada.io/name'], undefined);
    assert.equal(released.metadata.labels?.['endpointslice.karmada.io/managed-by'], 'MultiClusterService');
    assert.equal(releaseCollectedWork(first, 'ServiceExport'), 'delete');
  });
});

describe('importedEndpointSlice', () => {
  test('imported-<cluster>-<slice> of derived-<service>, managed by Karmada', () => {
    const w = collectedWork({ cluster: 'member1', slice, by: 'ServiceExport', permanentId: 'id1' });
    w.metadata.name = 'web-abcde-xyz';
    const s = importedEndpointSlice(w, 'member1')!;
    assert.equal(s.metadata.name, 'imported-member1-web-abcde');
    assert.deepEqual(s.metadata.labels, { 'work.karmada.io/permanent-id': 'id1', 'kubernetes.io/service-name': 'derived-web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.karmada.io' });
    assert.deepEqual(s.metadata.annotations, { 'work.karmada.io/namespace': 'karmada-es-member1', 'work.karmada.io/name': 'web-abcde-xyz' });
    assert.deepEqual((s as unknown as { endpoints: unknown }).endpoints, [{ addresses: ['10.244.0.3'], conditions: { ready: true } }]);
    const released = releaseCollectedWork(collectedWork({ cluster: 'member1', slice, by: 'MultiClusterService', permanentId: 'x' }), 'ServiceExport');
    assert.equal(importedEndpointSlice(released as Work, 'member1'), undefined);
  });
});

describe('derivedService', () => {
  test('a ClusterIP Service with the import ports, keeping the live ClusterIP', () => {
    const si: KubeObject = { metadata: { name: 'web', namespace: 'default' }, spec: { type: 'ClusterSetIP', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } };
    assert.deepEqual(derivedService(si).spec, { type: 'ClusterIP', ports: [{ name: 'http', protocol: 'TCP', port: 80 }] });
    const live: KubeObject = { metadata: { name: 'derived-web', namespace: 'default', resourceVersion: '3' }, spec: { type: 'ClusterIP', clusterIP: '10.1.2.3', clusterIPs: ['10.1.2.3'], ports: [] } };
    const d = derivedService(si, live);
    assert.equal(d.metadata.name, 'derived-web');
    assert.equal(d.metadata.resourceVersion, '3');
    assert.equal((d.spec as { clusterIP: string }).clusterIP, '10.1.2.3');
  });
});
