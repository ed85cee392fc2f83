// Member clients read their cluster's credentials from a Secret informer when they have one (as
// Karmada's controllers do): a rotated secret takes effect as soon as the informer sees it, without
// a GET per Work sync; without one, a read secret is reused for its TTL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { KubeClient } from '../../src/runtime/client.js';
import { Informer } from '../../src/runtime/informer.js';
import { httpSource } from '../../src/runtime/sources.js';
import { MemberClients } from '../../src/runtime/member-clients.js';
import { secretGVR } from '../../src/apis/builtin/gvr.js';
import { ClusterSecretNamespace } from '../../src/apis/karmada/wellknown.js';
import type { Cluster } from '../../src/apis/karmada/cluster.js';
import type { KubeObject } from '../../src/apimachinery/types.js';

let ts: TestServer;
let client: KubeClient;
const cluster = {
  apiVersion: 'cluster.karmada.io/v1alpha1',
  kind: 'Cluster',
  metadata: { name: 'm1' },
  spec: { apiEndpoint: 'https://127.0.0.1:1', secretRef: { namespace: ClusterSecretNamespace, name: 'm1' } },
} as Cluster & KubeObject;
const token = (t: string) => ({ token: Buffer.from(t).toString('base64') });

before(async () => {
  ts = await startTestServer();
  client = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ClusterSecretNamespace } });
  await client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'm1', namespace: ClusterSecretNamespace }, data: token('first') });
});

after(async () => {
  await ts.stop();
});

async function rotate(value: string): Promise<string> {
  const s = await client.get(secretGVR, 'm1', { namespace: ClusterSecretNamespace });
  return (await client.replace({ ...s, data: token(value) })).metadata.resourceVersion!;
}

test('with a secret informer, a rotated secret gives a new client as soon as the informer holds it', async () => {
  const members = new MemberClients(client, 60_000);
  const informer = new Informer(httpSource(client, { ...secretGVR, namespace: ClusterSecretNamespace }), { retryDelayMs: 50 });
  void informer.start();
  await informer.waitForSync();
  members.useSecretInformer(ClusterSecretNamespace, informer);
  try {
    const before = await members.forCluster(cluster);
    assert.equal(await members.forCluster(cluster), before, 'unchanged secret: the same client');
    const rv = await rotate('second');
    const deadline = Date.now() + 10_000;
    while (informer.get(`${ClusterSecretNamespace}/m1`)?.metadata.resourceVersion !== rv) {
      if (Date.now() > deadline) throw new Error('the informer did not see the rotation');
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.notEqual(await members.forCluster(cluster), before, 'the rotated secret gives a new client');
  } finally {
    informer.stop();
  }
});

test('without one, the secret read is reused for its TTL', async () => {
  const members = new MemberClients(client, 60_000);
  const before = await members.forCluster(cluster);
  await rotate('third');
  assert.equal(await members.forCluster(cluster), before);
});
