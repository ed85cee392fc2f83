import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { KubeObject } from '../apimachinery/types.js';
import { Controller, Manager, labelKey, ownerKeys, splitKey, type OwnerMatch } from './controller.js';
import { newControllerManagedBy } from './builder.js';
import type { ListWatchSource, WatchEventType } from './informer.js';
import type { KubeClient } from './client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function obj(name: string, namespace?: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, resourceVersion: '1', ...extra } };
}

/** an in-memory source: list returns `items`; push() delivers watch events */
function fakeSource(items: KubeObject[] = [], listDelayMs = 0) {
  let emit: ((type: WatchEventType, o: KubeObject) => void) | undefined;
  let lists = 0;
  const source: ListWatchSource = {
    async list() {
      lists++;
      if (listDelayMs) await sleep(listDelayMs);
      return { items, resourceVersion: '1' };
    },
    async watch(_rv, onEvent) {
      emit = onEvent;
      return { stop: () => void (emit = undefined) };
    },
  };
  return { source, push: (type: WatchEventType, o: KubeObject) => emit?.(type, o), lists: () => lists };
}

describe('keys from objects', () => {
  const owned = obj('child', 'ns1', {
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: '1' },
      { apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', name: 'web-deployment', uid: '2' },
      { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', name: 'member1', uid: '3' },
    ],
  });
  const cases: { name: string; owner: OwnerMatch; want: string[] }[] = [
    { name: 'a namespaced owner is keyed in the dependent namespace', owner: { kind: 'Deployment' }, want: ['ns1/web'] },
    { name: 'the group must match when given', owner: { kind: 'Deployment', group: 'extensions' }, want: [] },
    { name: 'the group matches on the apiVersion prefix', owner: { kind: 'ResourceBinding', group: 'work.karmada.io' }, want: ['ns1/web-deployment'] },
    { name: 'a cluster-scoped owner is keyed by name only', owner: { kind: 'Cluster', namespaced: false }, want: ['member1'] },
    { name: 'no owner of that kind gives no key', owner: { kind: 'ReplicaSet' }, want: [] },
  ];
  for (const c of cases) test(`ownerKeys: ${c.name}`, () => assert.deepEqual(ownerKeys(owned, c.owner), c.want));

  const labelled = obj('w', 'karmada-es-member1', { labels: { 'resourcebinding.karmada.io/name': 'web', 'resourcebinding.karmada.io/namespace': 'default' } });
  const labelCases: { name: string; nameLabel: string; nsLabel?: string; want: string | undefined }[] = [
    { name: 'name and namespace labels give namespace/name', nameLabel: 'resourcebinding.karmada.io/name', nsLabel: 'resourcebinding.karmada.io/namespace', want: 'default/web' },
    { name: 'a name label alone gives a cluster-scoped key', nameLabel: 'resourcebinding.karmada.io/name', want: 'web' },
    { name: 'a missing name label gives no key', nameLabel: 'clusterresourcebinding.karmada.io/name', want: undefined },
  ];
  for (const c of labelCases) test(`labelKey: ${c.name}`, () => assert.equal(labelKey(labelled, c.nameLabel, c.nsLabel), c.want));

  test('splitKey splits at the first slash only', () => {
    assert.deepEqual(splitKey('ns/a'), { namespace: 'ns', name: 'a' });
    assert.deepEqual(splitKey('cluster-scoped'), { name: 'cluster-scoped' });
  });
});

describe('Controller', () => {
  test('reconciles enqueued keys once each, with duplicates folded', async () => {
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = new Controller({
      name: 'dedup',
      reconcile: async (key) => {
        seen.push(key);
        await gate;
      },
    });
    c.enqueue('a');
    c.enqueue('a');
    c.enqueue('b');
    c.start();
    await waitFor('first key', () => seen.length === 1);
    release();
    await waitFor('both keys', () => seen.length === 2);
    await sleep(20);
    assert.deepEqual(seen, ['a', 'b']);
    await c.stop();
  });

  test('nextReconcile resolves after that key is next reconciled, whatever the outcome, and not for other keys', async () => {
    const done: string[] = [];
    const c = new Controller({
      name: 'signal',
      reconcile: async (key) => {
        done.push(key);
        if (key === 'bad') throw new Error('boom');
      },
    });
    c.start();
    const other = c.nextReconcile('never');
    let otherResolved = false;
    void other.then(() => (otherResolved = true));
    const good = c.nextReconcile('good');
    const bad = c.nextReconcile('bad');
    c.enqueue('good');
    c.enqueue('bad');
    await good;
    assert.ok(done.includes('good'), 'resolved only once the reconcile ran');
    await bad;
    assert.ok(done.includes('bad'));
    assert.equal(otherResolved, false);
    await c.stop();
  });

  test('requeueAfter brings the key back; a failure is retried with backoff', async () => {
    const calls = new Map<string, number>();
    const c = new Controller({
      name: 'requeue',
      queue: { baseDelayMs: 5 },
      reconcile: async (key) => {
        const n = (calls.get(key) ?? 0) + 1;
        calls.set(key, n);
        if (key === 'periodic' && n < 3) return { requeueAfter: 10 };
        if (key === 'flaky' && n < 3) throw new Error('not yet');
      },
    });
    // delayed retries use unref'd timers; keep the loop alive while waiting for them
    const keepAlive = setInterval(() => {}, 1000);
    try {
      c.start();
      c.enqueue('periodic');
      c.enqueue('flaky');
      await waitFor('three rounds each', () => calls.get('periodic') === 3 && calls.get('flaky') === 3);
      await sleep(50);
      assert.equal(calls.get('periodic'), 3, 'no requeue after a plain success');
      assert.equal(calls.get('flaky'), 3);
    } finally {
      clearInterval(keepAlive);
      await c.stop();
    }
  });

  test('stop() aborts the reconcile signal and waits for in-flight work', async () => {
    let aborted = false;
    let finished = false;
    const c = new Controller({
      name: 'stop',
      workers: 2,
      reconcile: async (_key, signal) => {
        await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
        aborted = signal.aborted;
        await sleep(20);
        finished = true;
      },
    });
    c.start();
    c.enqueue('x');
    await sleep(20);
    await c.stop();
    assert.ok(aborted && finished, 'stop returned only after the reconcile ended');
    c.enqueue('y'); // ignored after stop
    assert.equal(c.queue.length, 0);
  });

  test('metrics carry Karmada/controller-runtime names and count results', async () => {
    const registry = new Registry();
    let n = 0;
    const c = new Controller({
      name: 'metered',
      registry,
      reconcile: async () => {
        if (++n === 2) throw new Error('boom');
      },
    });
    const keepAlive = setInterval(() => {}, 1000);
    try {
      c.enqueue('a');
      c.enqueue('b');
      c.enqueue('c');
      assert.match(await registry.metrics(), /workqueue_depth\{name="metered",controller="metered"\} 3/);
      c.start();
      await waitFor('four reconciles', () => n >= 4);
      await sleep(20);
      const text = await registry.metrics();
      assert.match(text, /controller_runtime_reconcile_total\{controller="metered",result="success"\} 3/);
      assert.match(text, /controller_runtime_reconcile_total\{controller="metered",result="error"\} 1/);
      assert.match(text, /controller_runtime_reconcile_errors_total\{controller="metered"\} 1/);
      assert.match(text, /workqueue_adds_total\{name="metered",controller="metered"\} 4/);
      assert.match(text, /workqueue_retries_total\{name="metered",controller="metered"\} 1/);
      assert.match(text, /workqueue_depth\{name="metered",controller="metered"\} 0/);
      // a second controller on the same registry shares the metric families
      const other = new Controller({ name: 'other', registry, reconcile: async () => {} });
      other.enqueue('z');
      assert.match(await registry.metrics(), /workqueue_depth\{name="other",controller="other"\} 1/);
      await other.stop();
    } finally {
      clearInterval(keepAlive);
      await c.stop();
    }
  });
});

describe('Manager', () => {
  test('controllers start only after every shared informer has synced, and see the cache', async () => {
    const slow = fakeSource([obj('pre', 'ns')], 50);
    const m = new Manager();
    const inf = m.sharedInformer('cms', () => slow.source);
    assert.equal(m.sharedInformer('cms', () => assert.fail('must reuse the informer')), inf);
    const cacheAtReconcile: number[] = [];
    const c = newControllerManagedBy(m, 'sees-cache')
      .for(inf)
      .complete(async () => void cacheAtReconcile.push(inf.list().length));
    c.enqueue('ns/early'); // queued before start: handled after sync
    await m.start();
    assert.ok(m.hasSynced && m.running);
    slow.push('ADDED', obj('later', 'ns'));
    await waitFor('reconciles', () => cacheAtReconcile.length >= 3);
    assert.ok(cacheAtReconcile.every((n) => n >= 1), 'no reconcile before the cache was filled');
    // informers and controllers added after start run at once
    const late = fakeSource([obj('x', 'other')]);
    const lateInf = m.sharedInformer('late', () => late.source);
    await lateInf.waitForSync();
    assert.equal(lateInf.list().length, 1);
    const ran: string[] = [];
    const lateCtl = m.controller({ name: 'late', reconcile: async (k) => void ran.push(k) });
    lateCtl.enqueue('k');
    await waitFor('late controller', () => ran.length === 1);
    await m.stop();
    assert.equal(slow.lists(), 1);
  });

  test("removeInformer stops one informer of a client (a view) and leaves the client's others to their users", () => {
    const m = new Manager();
    const client = {} as KubeClient;
    const nodes = { group: '', version: 'v1', resource: 'nodes' };
    const managed = { group: 'apps', version: 'v1', resource: 'deployments', labelSelector: 'karmada.io/managed=true' };
    const view = { name: 'summary', transform: (o: KubeObject) => o };
    const nodeView = m.informer(client, nodes, view);
    const plainNodes = m.informer(client, nodes);
    const deployments = m.informer(client, managed);
    m.removeInformer(client, nodes, view);
    assert.notEqual(m.informer(client, nodes, view), nodeView, 'asked again, the view is a fresh informer');
    assert.equal(m.existingInformer(client, nodes), plainNodes);
    assert.equal(m.existingInformer(client, managed), deployments);
    m.removeInformer({} as KubeClient, managed); // a client it never saw: nothing to do
    assert.equal(m.existingInformer(client, managed), deployments);
  });

  test('stop() during start ends the wait for a source that never lists', async () => {
    const never: ListWatchSource = {
      list: () => new Promise(() => {}),
      watch: async () => ({ stop() {} }),
    };
    const m = new Manager();
    m.sharedInformer('never', () => never);
    let ran = false;
    m.controller({ name: 'never-runs', reconcile: async () => void (ran = true) }).enqueue('a');
    const started = m.start();
    await sleep(20);
    await m.stop();
    await started;
    assert.equal(ran, false);
    assert.equal(m.running, false);
  });

  test('run(signal) returns only after the controllers stopped', async () => {
    const src = fakeSource([obj('a', 'ns')]);
    const m = new Manager();
    const inf = m.sharedInformer('cms', () => src.source);
    let inFlight = 0;
    let finished = 0;
    newControllerManagedBy(m, 'slow')
      .for(inf)
      .complete(async (_k, signal) => {
        inFlight++;
        await new Promise<void>((r) => signal.addEventListener('abort', () => setTimeout(r, 30), { once: true }));
        finished++;
      });
    const ac = new AbortController();
    const running = m.run(ac.signal);
    await waitFor('a reconcile in flight', () => inFlight === 1);
    ac.abort();
    await running;
    assert.equal(finished, 1, 'the reconcile finished before run() resolved');
    assert.equal(m.running, false);
  });
});
