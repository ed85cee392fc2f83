import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound, isStatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { inProcessApi, type InProcessApi } from '../testing.js';
import { internalContext } from './context.js';

const ctx = internalContext('test');
const cm = (name: string, data: Record<string, string> = { a: '1' }, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ...extra }, data });

describe('ObjectStore', () => {
  let api: InProcessApi;
  before(async () => (api = await inProcessApi()));
  after(() => api.close());
  const configMaps = () => api.def('', 'configmaps');

  test('create fills what the server owns: uid, creationTimestamp, resourceVersion', async () => {
    const created = await api.create('', 'configmaps', cm('created'));
    assert.match(created.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(created.metadata.creationTimestamp);
    assert.ok(Number(created.metadata.resourceVersion) > 0);
    assert.equal(created.apiVersion, 'v1');
    assert.equal(created.kind, 'ConfigMap');
    const again = await api.objects.get(configMaps(), 'default', 'created');
    assert.deepEqual(again, created);
  });

  test('a second create of the same name is AlreadyExists; a missing object is NotFound', async () => {
    await api.create('', 'configmaps', cm('twice'));
    await assert.rejects(api.create('', 'configmaps', cm('twice')), (err) => isStatusError(err, 'AlreadyExists') && err.code === 409);
    await assert.rejects(api.objects.get(configMaps(), 'default', 'nowhere'), (err) => isNotFound(err));
    assert.equal(await api.objects.tryGet(configMaps(), 'default', 'nowhere'), undefined);
  });

  test('an update with a stale resourceVersion is a Conflict; a current one writes and moves the resourceVersion', async () => {
    const first = await api.create('', 'configmaps', cm('cas'));
    const second = await api.objects.update(configMaps(), 'default', 'cas', { ...first, data: { a: '2' } }, ctx);
    assert.ok(Number(second.metadata.resourceVersion) > Number(first.metadata.resourceVersion));
    await assert.rejects(api.objects.update(configMaps(), 'default', 'cas', { ...first, data: { a: '3' } }, ctx), (err) => isStatusError(err, 'Conflict'));
    assert.deepEqual((await api.objects.get(configMaps(), 'default', 'cas')).data, { a: '2' });
  });

  test('an update that changes nothing is no new revision, for kinds without a generation too', async () => {
    const first = await api.create('', 'configmaps', cm('unchanged'));
    const again = await api.objects.update(configMaps(), 'default', 'unchanged', { ...first, metadata: { ...first.metadata } }, ctx);
    assert.equal(again.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.ok(!('generation' in again.metadata));
  });

  test('delete of an object with finalizers only marks it; removing the last finalizer lets it go', async () => {
    await api.create('', 'configmaps', cm('held', undefined, { finalizers: ['example.com/hold'] }));
    const marked = await api.objects.delete(configMaps(), 'default', 'held', {}, ctx);
    assert.equal(marked.deleted, false);
    assert.ok(marked.object?.metadata.deletionTimestamp);
    await api.objects.guaranteedUpdate(configMaps(), 'default', 'held', ctx, (cur) => {
      delete cur.metadata.finalizers;
      delete cur.metadata.resourceVersion;
      return cur;
    });
    assert.equal(await api.objects.tryGet(configMaps(), 'default', 'held'), undefined);
  });

  test('delete with a uid precondition of another object is a Conflict', async () => {
    await api.create('', 'configmaps', cm('pre'));
    await assert.rejects(api.objects.delete(configMaps(), 'default', 'pre', { preconditions: { uid: 'not-its-uid' } }, ctx), (err) => isStatusError(err, 'Conflict'));
    assert.ok(await api.objects.tryGet(configMaps(), 'default', 'pre'));
  });

  test('list is per namespace and carries the resourceVersion a watch resumes from', async () => {
    await api.create('', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    await api.create('', 'configmaps', { ...cm('elsewhere'), metadata: { name: 'elsewhere', namespace: 'other' } });
    const list = await api.objects.list(configMaps(), 'other');
    assert.deepEqual(list.items.map((o) => o.metadata.name), ['elsewhere']);
    const events: string[] = [];
    let seen!: () => void;
    const done = new Promise<void>((r) => (seen = r));
    const watcher = await api.objects.watch(configMaps(), 'other', { resourceVersion: list.metadata.resourceVersion, initialEvents: false }, {
      onEvent: (type, obj) => {
        events.push(`${type} ${obj.metadata.name}`);
        if (obj.metadata.name === 'last') seen();
      },
      onError: () => {},
    });
    await api.create('', 'configmaps', { ...cm('next'), metadata: { name: 'next', namespace: 'other' } });
    await api.objects.delete(configMaps(), 'other', 'next', {}, ctx);
    await api.create('', 'configmaps', { ...cm('last'), metadata: { name: 'last', namespace: 'other' } });
    await done;
    watcher.stop();
    assert.deepEqual(events, ['ADDED next', 'DELETED next', 'ADDED last']);
  });

  test('read-only watchers of one event share one decoded object; a watcher that may change it gets its own', async () => {
    const list = await api.objects.list(configMaps(), 'default');
    const watchOne = (readOnly: boolean) =>
      new Promise<{ got: Promise<KubeObject>; stop(): void }>((ready) => {
        let resolve!: (o: KubeObject) => void;
        const got = new Promise<KubeObject>((r) => (resolve = r));
        void api.objects
          .watch(configMaps(), 'default', { resourceVersion: list.metadata.resourceVersion, initialEvents: false, readOnly }, { onEvent: (_t, obj) => obj.metadata.name === 'shared' && resolve(obj), onError: () => {} })
          .then((w) => ready({ got, stop: () => w.stop() }));
      });
    const watchers = [await watchOne(true), await watchOne(true), await watchOne(false)];
    await api.create('', 'configmaps', cm('shared', { b: '2' }));
    const [a, b, own] = await Promise.all(watchers.map((w) => w.got));
    for (const w of watchers) w.stop();
    assert.equal(a, b);
    assert.notEqual(own, a);
    assert.deepEqual(own, a);
    assert.deepEqual(a!.data, { b: '2' });
  });

  test('a write whose caller only reads the result hands that very object to read-only watchers, as its decode would be; one holding what JSON drops is decoded', async () => {
    const reader: typeof ctx = { ...internalContext('test'), readsResultOnly: true };
    const def = configMaps();
    const list = await api.objects.list(def, 'default');
    const got: { readOnly: KubeObject[]; own: KubeObject[] } = { readOnly: [], own: [] };
    let notify = () => {};
    const watchers = await Promise.all(
      (['readOnly', 'own'] as const).map((which) =>
        api.objects.watch(def, 'default', { resourceVersion: list.metadata.resourceVersion, initialEvents: false, readOnly: which === 'readOnly' }, {
          onEvent: (_t, obj) => {
            if (!obj.metadata.name?.startsWith('written-')) return;
            got[which].push(obj);
            notify();
          },
          onError: () => {},
        }),
      ),
    );
    const events = (n: number) =>
      new Promise<void>((r) => {
        notify = () => got.readOnly.length >= n && got.own.length >= n && r();
        notify();
      });
    const decoded = async (name: string) => api.objects.decode(def, (await api.objects.getKv(def, 'default', name))!);
    try {
      // input whose resourceVersion sits mid-metadata: the result has it last, as a decode does
      const created = await api.objects.create(def, 'default', cm('written-a', { a: '1' }, { labels: { x: 'y' } }), reader);
      const updated = await api.objects.update(def, 'default', 'written-a', { ...created, metadata: { name: 'written-a', resourceVersion: created.metadata.resourceVersion, labels: { x: 'z' } }, data: { a: '2' } }, reader);
      const unclean = await api.objects.create(def, 'default', cm('written-b', { a: '1' }, { annotations: undefined }), reader);
      await events(3);
      const [a1, a2, b] = got.readOnly;
      assert.equal(a1, created);
      assert.equal(a2, updated);
      assert.equal(JSON.stringify(created), JSON.stringify(got.own[0]));
      assert.equal(JSON.stringify(updated), JSON.stringify(await decoded('written-a')));
      assert.deepEqual(updated, got.own[1]);
      assert.deepEqual(updated.metadata.labels, { x: 'z' });
      assert.notEqual(b, unclean);
      assert.ok(!('annotations' in b!.metadata));
      assert.deepEqual(b, await decoded('written-b'));
      // without the caller's word, the watchers get a decode of their own
      const internal = await api.objects.update(def, 'default', 'written-b', { ...b!, data: { a: '3' } }, ctx);
      await events(4);
      assert.notEqual(got.readOnly[3], internal);
      assert.deepEqual(got.readOnly[3], internal);
    } finally {
      for (const w of watchers) w.stop();
    }
  });

  test('reads and writes of an object a read-only watcher was handed get their own copy of the newest revision; the watcher\'s stays as handed', async () => {
    const list = await api.objects.list(configMaps(), 'default');
    const seen: KubeObject[] = [];
    let notify = () => {};
    const freeze = (v: unknown): void => {
      if (typeof v === 'object' && v !== null) for (const x of Object.values(Object.freeze(v))) freeze(x);
    };
    const watcher = await api.objects.watch(configMaps(), 'default', { resourceVersion: list.metadata.resourceVersion, initialEvents: false, readOnly: true }, {
      onEvent: (_t, obj) => {
        if (obj.metadata.name !== 'copied') return;
        freeze(obj); // the store must never change what it handed out, nor hand it out again
        seen.push(obj);
        notify();
      },
      onError: () => {},
    });
    const seenCount = (n: number) => new Promise<void>((r) => (notify = () => seen.length >= n && r()));
    try {
      const first = seenCount(1);
      await api.create('', 'configmaps', cm('copied', { a: '1' }));
      await first;
      const read = await api.objects.get(configMaps(), 'default', 'copied');
      assert.deepEqual(read, seen[0]);
      assert.notEqual(read, seen[0]);
      read.data = { changed: 'by the reader' };

      const second = seenCount(2);
      const { object: written } = await api.objects.guaranteedUpdate(configMaps(), 'default', 'copied', ctx, (cur) => {
        (cur.data as Record<string, string>).a = '2';
        delete cur.metadata.resourceVersion;
        return cur;
      });
      assert.deepEqual((await api.objects.get(configMaps(), 'default', 'copied')).data, { a: '2' }, 'read before the watcher saw the write');
      await second;
      const newest = await api.objects.get(configMaps(), 'default', 'copied');
      assert.deepEqual(newest.data, { a: '2' });
      assert.equal(newest.metadata.resourceVersion, written.metadata.resourceVersion);
      assert.deepEqual(seen[0]!.data, { a: '1' });
      assert.deepEqual(seen.map((o) => o.metadata.resourceVersion), [seen[0]!.metadata.resourceVersion, written.metadata.resourceVersion]);

      const third = seenCount(3);
      const deleted = await api.objects.delete(configMaps(), 'default', 'copied', {}, ctx);
      assert.equal(deleted.deleted, true);
      await third;
      assert.equal(await api.objects.tryGet(configMaps(), 'default', 'copied'), undefined);
    } finally {
      watcher.stop();
    }
  });

  test('a status write changes status only: spec edits in its body are ignored, generation stays, a write that changes nothing is no new revision', async () => {
    const deployments = api.def('apps', 'deployments');
    const d = await api.create('apps', 'deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'st', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'st' } }, template: { metadata: { labels: { app: 'st' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } as KubeObject);
    const body = structuredClone(d) as KubeObject & { spec: { replicas: number }; status?: unknown };
    body.spec.replicas = 7;
    body.status = { replicas: 1, readyReplicas: 1 };
    const written = await api.objects.update(deployments, 'default', 'st', body, internalContext('status-writer'), 'status');
    assert.deepEqual(written.status, { replicas: 1, readyReplicas: 1 });
    assert.equal((written.spec as { replicas: number }).replicas, 1);
    assert.equal(written.metadata.generation, d.metadata.generation);
    assert.ok(Number(written.metadata.resourceVersion) > Number(d.metadata.resourceVersion));
    assert.ok(written.metadata.managedFields?.some((m) => m.manager === 'status-writer' && m.subresource === 'status'));
    const stored = await api.objects.get(deployments, 'default', 'st');
    assert.deepEqual(stored, written);
    const again = await api.objects.update(deployments, 'default', 'st', structuredClone(stored), internalContext('status-writer'), 'status');
    assert.equal(again.metadata.resourceVersion, stored.metadata.resourceVersion);
  });

  test('a Deployment status write takes annotations (owned by its manager, with subresource status) but not labels; invalid ones are refused', async () => {
    const deployments = api.def('apps', 'deployments');
    const d = await api.create('apps', 'deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'st-meta', namespace: 'default', labels: { app: 'st' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'st' } }, template: { metadata: { labels: { app: 'st' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } as KubeObject);
    const body = structuredClone(d);
    body.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
    body.metadata.labels = { app: 'other' };
    body.status = { observedGeneration: 1 };
    const written = await api.objects.update(deployments, 'default', 'st-meta', body, internalContext('deployment-controller'), 'status');
    assert.deepEqual(written.metadata.annotations, { 'deployment.kubernetes.io/revision': '1' });
    assert.deepEqual(written.metadata.labels, { app: 'st' });
    assert.equal(written.metadata.generation, d.metadata.generation);
    const mine = written.metadata.managedFields?.find((m) => m.manager === 'deployment-controller');
    assert.equal(mine?.subresource, 'status');
    assert.deepEqual(Object.keys((mine?.fieldsV1 as { 'f:metadata': { 'f:annotations': object } })['f:metadata']['f:annotations']), ['.', 'f:deployment.kubernetes.io/revision']);
    const bad = structuredClone(written);
    bad.metadata.annotations = { 'not a key!': 'x' };
    await assert.rejects(api.objects.update(deployments, 'default', 'st-meta', bad, ctx, 'status'), (err) => isStatusError(err, 'Invalid') && /metadata\.annotations/.test(err.message));
  });

  test('a label-selector watch judges the previous version by its labels: entering is ADDED, leaving DELETED, staying MODIFIED', async () => {
    const { buildFilter } = await import('./filter.js');
    for (const [readOnly, fields] of [[false, true], [true, true], [true, false]]) {
      const name = `sel-${readOnly}-${fields}`;
      const created = await api.create('', 'configmaps', cm(name, { a: '1' }, { labels: { app: 'other', name } }));
      const seen: string[] = [];
      const filter = buildFilter(configMaps(), `app=web,name=${name}`, fields ? `metadata.name=${name}` : undefined)!;
      assert.equal(filter.reads, fields ? 'metadata' : 'labels');
      const watcher = await api.objects.watch(configMaps(), 'default', { resourceVersion: created.metadata.resourceVersion, filter, readOnly }, {
        onEvent: (type, o) => seen.push(`${type} ${o.metadata.labels?.app} ${(o as { data?: { a?: string } }).data?.a}`),
        onError: (err) => assert.fail(err),
      });
      try {
        const set = (labels: Record<string, string>, a: string) => api.objects.guaranteedUpdate(configMaps(), 'default', name, ctx, (o) => ({ ...o, metadata: { ...o.metadata, labels: { ...labels, name } }, data: { a } }));
        await set({ app: 'web' }, '2');
        await set({ app: 'web' }, '3');
        await set({ app: 'gone' }, '4');
        await set({ app: 'gone' }, '5');
        await api.objects.delete(configMaps(), 'default', name, {}, ctx);
        // the last event, after which nothing else may have come
        await api.create('', 'configmaps', cm(name, { a: '6' }, { labels: { app: 'web', name } }));
        const want = ['ADDED web 2', 'MODIFIED web 3', 'DELETED gone 4', 'ADDED web 6'];
        for (let i = 0; i < 100 && seen.length < want.length; i++) await new Promise((r) => setTimeout(r, 10));
        assert.deepEqual(seen, want);
      } finally {
        watcher.stop();
        await api.objects.delete(configMaps(), 'default', name, {}, ctx);
      }
    }
  });

  test('a create in a namespace that does not exist is refused', async () => {
    await assert.rejects(api.create('', 'configmaps', { ...cm('lost'), metadata: { name: 'lost', namespace: 'missing' } }), (err) => isNotFound(err));
  });
});
