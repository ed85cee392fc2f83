// Informers against a real API server over HTTPS: ours (Informer + httpSource) and client-node's
// own makeInformer. Both must see every change and recover from a 410 (compacted history) by relisting.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { KubeClient } from '../../src/runtime/client.js';
import { Informer, type ListWatchSource } from '../../src/runtime/informer.js';
import { httpSource } from '../../src/runtime/sources.js';
import type { KubeObject } from '../../src/apimachinery/types.js';

const configMaps = { group: '', version: 'v1', resource: 'configmaps' };
const cmType = { apiVersion: 'v1', kind: 'ConfigMap' };

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function configMap(namespace: string, name: string, data: Record<string, string>, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

/** name -> data of the config maps the server holds in a namespace */
async function serverState(client: KubeClient, namespace: string, labelSelector?: string): Promise<Map<string, unknown>> {
  const list = await client.listAll(configMaps, { namespace, labelSelector });
  return new Map(list.items.map((o) => [o.metadata.name!, o.data]));
}

function cacheState(objs: KubeObject[]): Map<string, unknown> {
  return new Map(objs.map((o) => [o.metadata.name!, o.data]));
}

describe('informers over HTTP against the API server', () => {
  let ts: TestServer;
  let client: KubeClient;

  before(async () => {
    ts = await startTestServer();
    client = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
    for (const ns of ['inf-events', 'inf-gone', 'inf-clientnode', 'inf-strip']) {
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
  });

  after(async () => {
    await ts.stop();
  });

  test('an httpSource informer sees every create, update and delete, in order', async () => {
    const ns = 'inf-events';
    await client.create(configMap(ns, 'before', { v: '0' }, { app: 'inf' }));
    const informer = new Informer(httpSource(client, { ...configMaps, namespace: ns, labelSelector: 'app=inf' }), { retryDelayMs: 50 });
    const seen: string[] = [];
    informer.addHandlers({
      onAdd: (o) => seen.push(`add ${o.metadata.name} ${(o.data as Record<string, string>).v}`),
      onUpdate: (o, old) => seen.push(`update ${o.metadata.name} ${(old.data as Record<string, string>).v}->${(o.data as Record<string, string>).v}`),
      onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    try {
      await informer.start();
      await informer.waitForSync();
      assert.deepEqual(seen, ['add before 0']);
      assert.equal(informer.get(`${ns}/before`)?.kind, 'ConfigMap', 'listed items get their kind back');

      const a = await client.create(configMap(ns, 'a', { v: '1' }, { app: 'inf' }));
      await client.create(configMap(ns, 'other', { v: '1' }, { app: 'not-this-one' }));
      await client.replace({ ...a, data: { v: '2' } });
      await client.patch(configMaps, 'a', { data: { v: '3' } }, { namespace: ns });
      await client.create(configMap(ns, 'b', { v: '1' }, { app: 'inf' }));
      await client.delete(cmType, 'before', { namespace: ns });
      // a label change that stops matching the selector looks like a delete to the informer
      await client.patch(configMaps, 'b', { metadata: { labels: { app: 'gone' } } }, { namespace: ns });

      const expected = ['add before 0', 'add a 1', 'update a 1->2', 'update a 2->3', 'add b 1', 'delete before', 'delete b'];
      await waitFor('all events', () => seen.length >= expected.length);
      assert.deepEqual(seen, expected);
      assert.deepEqual(cacheState(informer.list()), await serverState(client, ns, 'app=inf'));
    } finally {
      informer.stop();
    }
  });

  test('an httpSource informer caches objects without managedFields (unless asked); an update from the cache keeps the stored ones', async () => {
    const ns = 'inf-strip';
    await client.create(configMap(ns, 'listed', { v: '0' }));
    const stripped = new Informer(httpSource(client, { ...configMaps, namespace: ns }), { retryDelayMs: 50 });
    const kept = new Informer(httpSource(client, { ...configMaps, namespace: ns, keepManagedFields: true }), { retryDelayMs: 50 });
    try {
      await Promise.all([stripped.start(), kept.start()]);
      await Promise.all([stripped.waitForSync(), kept.waitForSync()]);
      await client.create(configMap(ns, 'watched', { v: '0' }));
      await waitFor('both informers to see the watched one', () => stripped.list().length === 2 && kept.list().length === 2);
      for (const o of stripped.list()) assert.equal(o.metadata.managedFields, undefined, `${o.metadata.name} (from the ${o.metadata.name === 'listed' ? 'list' : 'watch'})`);
      for (const o of kept.list()) assert.ok(o.metadata.managedFields?.length, `${o.metadata.name} keeps managedFields when asked`);
      const cached = stripped.list().find((o) => o.metadata.name === 'listed')!;
      await client.replace({ ...cached, data: { v: '1' } });
      const after = await client.get(configMaps, 'listed', { namespace: ns });
      assert.deepEqual(after.data, { v: '1' });
      assert.ok(after.metadata.managedFields?.some((e) => e.fieldsV1 && JSON.stringify(e.fieldsV1).includes('f:v')), 'the server still records who owns data.v');
    } finally {
      stripped.stop();
      kept.stop();
    }
  });

  test('an httpSource informer relists after a 410 and its cache matches the server', async () => {
    const ns = 'inf-gone';
    const base = httpSource(client, { ...configMaps, namespace: ns });
    // a source whose next watch starts from a stale resourceVersion, and whose current watch can be
    // ended as a server would end it (a clean close), so the informer re-watches from there
    let staleRv: string | undefined;
    let endCurrent: (() => void) | undefined;
    const watchedFrom: string[] = [];
    const source: ListWatchSource = {
      list: () => base.list(),
      async watch(rv, onEvent, onEnd) {
        const from = staleRv ?? rv;
        staleRv = undefined;
        watchedFrom.push(from);
        const handle = await base.watch(from, onEvent, onEnd);
        endCurrent = () => {
          handle.stop();
          onEnd();
        };
        return handle;
      },
    };
    const informer = new Informer(source, { retryDelayMs: 50 });
    const deletes: string[] = [];
    informer.addHandlers({ onDelete: (o) => deletes.push(o.metadata.name!) });
    try {
      await informer.start();
      await informer.waitForSync();
      const listRv = watchedFrom[0]!;

      for (let i = 0; i < 5; i++) await client.create(configMap(ns, `cm-${i}`, { v: String(i) }));
      await waitFor('the first writes', () => informer.list().length === 5);
      assert.equal(informer.relists, 0);

      // history up to now is gone; the next watch asks for a revision from before it
      await ts.server.store.compact(await ts.server.store.currentRevision());
      staleRv = listRv;
      endCurrent!();
      // changes while the informer is not watching: it only learns of them by relisting
      await client.patch(configMaps, 'cm-1', { data: { v: 'changed' } }, { namespace: ns });
      await client.delete(cmType, 'cm-2', { namespace: ns });
      await client.create(configMap(ns, 'cm-new', { v: 'new' }));

      await waitFor('a relist', () => informer.relists >= 1);
      await waitFor('the cache to catch up', async () => informer.list().length === 5 && informer.get(`${ns}/cm-new`) !== undefined);
      assert.equal(watchedFrom[1], listRv, 'the re-watch used the stale resourceVersion');
      assert.deepEqual(cacheState(informer.list()), await serverState(client, ns));
      assert.ok(deletes.includes('cm-2'), 'the relist reported the delete it missed');

      // and it keeps watching after the relist
      await client.patch(configMaps, 'cm-3', { data: { v: 'after' } }, { namespace: ns });
      await waitFor('an event after the relist', () => (informer.get(`${ns}/cm-3`)?.data as Record<string, string>).v === 'after');
    } finally {
      informer.stop();
    }
  });

  test("client-node 1.4's makeInformer sees every change and survives a 410 relist", async () => {
    const ns = 'inf-clientnode';
    const kc = new KubeConfig();
    kc.loadFromString(ts.server.adminKubeconfig());
    const core = kc.makeApiClient(CoreV1Api);
    let lists = 0;
    const informer = makeInformer<V1ConfigMap>(kc, `/api/v1/namespaces/${ns}/configmaps`, () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: ns });
    });
    const seen: string[] = [];
    const errors: unknown[] = [];
    let stopping = false;
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${o.data?.v}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    informer.on('error', (err) => {
      if (!stopping) errors.push(err);
    });
    const names = () => informer.list(ns).map((o) => `${o.metadata?.name}=${o.data?.v}`).sort();
    const server = async () => [...(await serverState(client, ns))].map(([n, d]) => `${n}=${(d as Record<string, string>).v}`).sort();
    try {
      await informer.start();
      const x = await client.create(configMap(ns, 'x', { v: '1' }));
      await client.replace({ ...x, data: { v: '2' } });
      await client.create(configMap(ns, 'y', { v: '1' }));
      await client.delete(cmType, 'x', { namespace: ns });
      const expected = ['add x', 'update x 2', 'add y', 'delete x'];
      await waitFor('client-node events', () => seen.length >= expected.length);
      assert.deepEqual(seen, expected);
      assert.equal(lists, 1);

      // stop watching, change things, compact the history, and resume from the old resourceVersion
      stopping = true;
      await informer.stop();
      await client.create(configMap(ns, 'z', { v: '1' }));
      await client.patch(configMaps, 'y', { data: { v: '9' } }, { namespace: ns });
      await ts.server.store.compact(await ts.server.store.currentRevision());
      stopping = false;
      await informer.start();

      await waitFor('a relist', () => lists >= 2);
      await waitFor('the cache to match the server', async () => JSON.stringify(names()) === JSON.stringify(await server()));
      assert.deepEqual(names(), ['y=9', 'z=1']);
      assert.deepEqual(errors, []);

      await client.delete(cmType, 'z', { namespace: ns });
      await waitFor('a delete after the relist', () => names().length === 1);
    } finally {
      stopping = true;
      await informer.stop();
    }
  });
});
