// A Manager with two controllers sharing one informer against a real API server: a "copier" keeps
// `<name>-copy` ConfigMaps (owned by their source) equal to their source; edits to a copy reach the
// copier through an owner handler on the same shared informer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { KubeClient } from '../../src/runtime/client.js';
import { Manager, splitKey } from '../../src/runtime/controller.js';
import { newControllerManagedBy } from '../../src/runtime/builder.js';
import { isStatusError } from '../../src/apimachinery/errors.js';
import type { KubeObject } from '../../src/apimachinery/types.js';

const configMaps = { group: '', version: 'v1', resource: 'configmaps' };

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Manager and controllers against the API server', () => {
  let ts: TestServer;
  let client: KubeClient;

  before(async () => {
    ts = await startTestServer();
    client = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ctl' } });
  });

  after(async () => {
    await ts.stop();
  });

  test('controllers on a shared informer converge the cluster and keep it converged', async () => {
    const manager = new Manager({ retryDelayMs: 50 });
    const informer = manager.informer(client, { ...configMaps, namespace: 'ctl' });
    assert.equal(manager.informer(client, { ...configMaps, namespace: 'ctl' }), informer, 'one informer per resource and namespace');
    assert.notEqual(manager.informer(client, { ...configMaps, namespace: 'other' }), informer);
    const isSource = (o: KubeObject) => o.metadata.labels?.role === 'source';

    newControllerManagedBy(manager, 'copier')
      .for(informer, { filter: isSource })
      .owns(informer, { kind: 'ConfigMap', group: '' }, { filter: (o) => !isSource(o) })
      .workers(2)
      .complete(async (key) => {
        const { namespace, name } = splitKey(key);
        const source = informer.get(key);
        if (!source) return; // the copy goes with its owner (garbage collection)
        const copyName = `${name}-copy`;
        const copy = informer.get(`${namespace}/${copyName}`);
        if (copy && JSON.stringify(copy.data) === JSON.stringify(source.data)) return;
        const desired: KubeObject = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: copyName,
            namespace,
            labels: { role: 'copy' },
            ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: name, uid: source.metadata.uid!, controller: true }],
          },
          data: source.data,
        };
        try {
          if (copy) await client.replace({ ...desired, metadata: { ...desired.metadata, resourceVersion: copy.metadata.resourceVersion } });
          else await client.create(desired);
        } catch (err) {
          if (isStatusError(err, 'Conflict') || isStatusError(err, 'AlreadyExists')) return { requeueAfter: 20 };
          throw err;
        }
      });

    let counted = 0;
    newControllerManagedBy(manager, 'counter')
      .for(informer)
      .complete(async () => void counted++);

    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre', namespace: 'ctl', labels: { role: 'source' } }, data: { a: '1' } });
    try {
      await manager.start();
      const copyOf = async (name: string) => {
        try {
          return (await client.get(configMaps, `${name}-copy`, { namespace: 'ctl' })).data;
        } catch {
          return undefined;
        }
      };
      await waitFor('the copy of an object that existed before start', async () => (await copyOf('pre')) !== undefined);
      assert.deepEqual(await copyOf('pre'), { a: '1' });

      await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new', namespace: 'ctl', labels: { role: 'source' } }, data: { b: '2' } });
      await client.patch(configMaps, 'pre', { data: { a: 'changed' } }, { namespace: 'ctl' });
      await waitFor('copies to follow', async () => JSON.stringify(await copyOf('new')) === '{"b":"2"}' && JSON.stringify(await copyOf('pre')) === '{"a":"changed"}');

      // someone edits a copy: the owner handler brings the source's key back to the copier
      await client.patch(configMaps, 'new-copy', { data: { b: 'tampered' } }, { namespace: 'ctl' });
      await waitFor('the copy to be restored', async () => JSON.stringify(await copyOf('new')) === '{"b":"2"}');
      assert.ok(counted >= 4, 'the second controller saw the same informer events');

      const metrics = await manager.registry.metrics();
      assert.match(metrics, /controller_runtime_reconcile_total\{controller="copier",result="success"\} [1-9]/);
      assert.match(metrics, /workqueue_depth\{name="counter",controller="counter"\} \d/);
    } finally {
      await manager.stop();
    }
  });
});
