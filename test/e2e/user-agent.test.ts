// A component's User-Agent as the API server reads it: with no fieldManager, the managedFields
// manager is the User-Agent's program name (kube-apiserver's default); kubectl shows it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KubeClient } from '../../src/runtime/client.js';
import { userAgent } from '../../src/runtime/user-agent.js';
import { startTestServer, type TestServer } from '../support/apiserver.js';

let ts: TestServer;
let client: KubeClient;

before(async () => {
  ts = await startTestServer();
  client = KubeClient.fromKubeconfig(ts.server.adminKubeconfig(), { userAgent: userAgent('karmada-controller-manager') });
});

after(async () => {
  client?.close();
  await ts?.stop();
});

test("a write without fieldManager is managed by the component named in the User-Agent; an explicit fieldManager wins", async () => {
  await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ua', namespace: 'default' }, data: { a: '1' } });
  await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'named', namespace: 'default' }, data: { a: '1' } }, { fieldManager: 'execution-controller' });
  const out = await ts.kubectl.ok(['get', 'configmaps', 'ua', 'named', '--show-managed-fields', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.managedFields[*].manager} {end}']);
  assert.equal(out.trim(), 'ua=karmada-controller-manager named=execution-controller');
});
