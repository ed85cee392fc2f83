import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { endpointSlicesFor, sliceLabels } from './endpointslices.js';

const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec });
const pod = (name: string, o: { ip?: string; ready?: boolean; phase?: string; ns?: string; labels?: Record<string, string>; deleting?: boolean; node?: string; ports?: { name: string; containerPort: number }[] } = {}): KubeObject => ({
  metadata: { name, namespace: o.ns ?? 'default', uid: `uid-${name}`, labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: o.node, containers: [{ name: 'c', ports: o.ports ?? [] }] },
  status: { phase: o.phase ?? 'Running', podIP: o.ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});
const web = { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] };

describe('endpointSlicesFor', () => {
  const cases: { name: string; spec: Record<string, unknown>; pods: KubeObject[]; want: { addresses: string[][]; ready?: boolean[]; ports?: number[]; slices?: number } }[] = [
    { name: 'ready pods with IPs, sorted by name', spec: web, pods: [pod('b', { ip: '10.0.0.2' }), pod('a', { ip: '10.0.0.1' })], want: { addresses: [['10.0.0.1'], ['10.0.0.2']], ready: [true, true], ports: [8080] } },
    { name: 'a pod without an IP is left out', spec: web, pods: [pod('a'), pod('b', { ip: '10.0.0.2' })], want: { addresses: [['10.0.0.2']] } },
    { name: 'an unready pod is listed not ready', spec: web, pods: [pod('a', { ip: '10.0.0.1', ready: false })], want: { addresses: [['10.0.0.1']], ready: [false] } },
    { name: 'a terminating pod is not ready', spec: web, pods: [pod('a', { ip: '10.0.0.1', deleting: true })], want: { addresses: [['10.0.0.1']], ready: [false] } },
    { name: 'finished pods are left out', spec: web, pods: [pod('a', { ip: '10.0.0.1', phase: 'Succeeded' }), pod('b', { ip: '10.0.0.2', phase: 'Failed' })], want: { addresses: [] } },
    { name: 'other labels and namespaces are left out', spec: web, pods: [pod('a', { ip: '10.0.0.1', labels: { app: 'db' } }), pod('b', { ip: '10.0.0.2', ns: 'other' })], want: { addresses: [] } },
    { name: 'a named targetPort resolves from the container', spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }, pods: [pod('a', { ip: '10.0.0.1', ports: [{ name: 'http', containerPort: 9090 }] })], want: { addresses: [['10.0.0.1']], ports: [9090] } },
    { name: 'no targetPort: the port', spec: { selector: { app: 'web' }, ports: [{ port: 80 }] }, pods: [], want: { addresses: [], ports: [80] } },
    { name: 'no selector: no slices', spec: { ports: [{ port: 80 }] }, pods: [pod('a', { ip: '10.0.0.1' })], want: { addresses: [], slices: 0 } },
    { name: '150 pods: two slices', spec: web, pods: Array.from({ length: 150 }, (_, i) => pod(`p${String(i).padStart(3, '0')}`, { ip: `10.0.${i >> 8}.${i & 255}` })), want: { addresses: Array.from({ length: 150 }, (_, i) => [`10.0.${i >> 8}.${i & 255}`]), slices: 2 } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const slices = endpointSlicesFor(svc(c.spec), c.pods);
      assert.equal(slices.length, c.want.slices ?? 1);
      const eps = slices.flatMap((s) => s.endpoints) as { addresses: string[]; conditions: { ready: boolean } }[];
      assert.deepEqual(eps.map((e) => e.addresses), c.want.addresses);
      if (c.want.ready) assert.deepEqual(eps.map((e) => e.conditions.ready), c.want.ready);
      if (c.want.ports) assert.deepEqual(slices[0]!.ports.map((p) => p.port), c.want.ports);
    });
  }

  test('an endpoint carries its node and a reference to its pod', () => {
    const [slice] = endpointSlicesFor(svc(web), [pod('a', { ip: '10.0.0.1', node: 'n1' })]);
    assert.deepEqual(slice!.endpoints[0], {
      addresses: ['10.0.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'n1',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
    });
    assert.deepEqual(sliceLabels(svc(web)), { app: 'web', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  });
});
