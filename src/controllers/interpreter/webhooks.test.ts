import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { webhookURL } from '../../interpreter/webhook/call.js';
import { serviceTarget } from './webhooks.js';

const svc = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'hook', namespace: 'karmada-system' }, spec }) as KubeObject;
const cases: { name: string; svc?: KubeObject; want?: { host: string; port: number } }[] = [
  { name: 'no such Service', svc: undefined, want: undefined },
  { name: 'ExternalName: its name', svc: svc({ type: 'ExternalName', externalName: 'hook.example.com' }), want: { host: 'hook.example.com', port: 443 } },
  { name: 'ClusterIP: its address', svc: svc({ type: 'ClusterIP', clusterIP: '10.96.0.10' }), want: { host: '10.96.0.10', port: 443 } },
  { name: 'headless: nothing to call', svc: svc({ clusterIP: 'None' }), want: undefined },
];
for (const c of cases) test(`serviceTarget: ${c.name}`, () => assert.deepEqual(serviceTarget(c.svc, 443), c.want));

test('webhookURL: a url as given (https only); a service through the resolver, with its path and port', () => {
  assert.equal(webhookURL({ url: 'https://127.0.0.1:8443/interpret' }).href, 'https://127.0.0.1:8443/interpret');
  assert.throws(() => webhookURL({ url: 'http://127.0.0.1/x' }), /'https' is the only allowed URL scheme/);
  const resolve = (ns: string, name: string, port: number) => (ns === 'karmada-system' && name === 'hook' ? { host: '10.0.0.1', port } : undefined);
  assert.equal(webhookURL({ service: { namespace: 'karmada-system', name: 'hook', path: '/interpret', port: 8443 } }, resolve).href, 'https://10.0.0.1:8443/interpret');
  assert.throws(() => webhookURL({ service: { namespace: 'x', name: 'y' } }, resolve), /service x\/y cannot be resolved/);
  assert.throws(() => webhookURL({}), /neither url nor service/);
});
