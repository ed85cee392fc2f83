import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../apimachinery/types.js';
import { Informer, type ListWatchSource, type WatchEventType } from './informer.js';

const pod = (name: string, owner: string | undefined, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', resourceVersion: rv, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] } : {}) },
});

function source(items: KubeObject[]) {
  let emit: ((type: WatchEventType, o: KubeObject) => void) | undefined;
  const s: ListWatchSource = {
    list: async () => ({ items, resourceVersion: '1' }),
    async watch(_rv, onEvent) {
      emit = onEvent;
      return { stop: () => void (emit = undefined) };
    },
  };
  return { s, push: (type: WatchEventType, o: KubeObject) => emit!(type, o) };
}

const byOwner = (o: KubeObject) => (o.metadata.ownerReferences ?? []).map((r) => r.uid);
const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name).sort();

describe('informer indices', () => {
  test('an index follows adds, updates that move an object, and deletes', async () => {
    const { s, push } = source([pod('a', 'rs1', '1'), pod('b', 'rs1', '1')]);
    const inf = new Informer(s);
    inf.addIndex('owner', byOwner);
    await inf.start();
    assert.deepEqual(names(inf.byIndex('owner', 'rs1')), ['a', 'b'], 'filled from the first list');
    push('ADDED', pod('c', 'rs2', '2'));
    push('MODIFIED', pod('b', 'rs2', '3'));
    assert.deepEqual(names(inf.byIndex('owner', 'rs1')), ['a']);
    assert.deepEqual(names(inf.byIndex('owner', 'rs2')), ['b', 'c']);
    push('DELETED', pod('c', 'rs2', '4'));
    push('MODIFIED', pod('a', undefined, '5'));
    assert.deepEqual(names(inf.byIndex('owner', 'rs1')), []);
    assert.deepEqual(names(inf.byIndex('owner', 'rs2')), ['b']);
    inf.stop();
  });

  test('an update that keeps its index values leaves the index, and its order, as it was', async () => {
    const { s, push } = source([pod('a', 'rs1', '1'), pod('b', 'rs1', '1')]);
    const inf = new Informer(s);
    inf.addIndex('owner', byOwner);
    await inf.start();
    push('MODIFIED', pod('a', 'rs1', '2'));
    assert.deepEqual(inf.byIndex('owner', 'rs1').map((o) => [o.metadata.name, o.metadata.resourceVersion]), [['a', '2'], ['b', '1']]);
    inf.stop();
  });

  test('an index added after the cache filled covers what is there', async () => {
    const { s } = source([pod('a', 'rs1', '1')]);
    const inf = new Informer(s);
    await inf.start();
    inf.addIndex('owner', byOwner);
    assert.deepEqual(names(inf.byIndex('owner', 'rs1')), ['a']);
    assert.throws(() => inf.byIndex('nope', 'x'), /no index/);
    inf.stop();
  });
});

test('onAdd says which objects came with the first list (and the replay to a late handler), not later events', async () => {
  const { s, push } = source([pod('a', undefined, '1')]);
  const inf = new Informer(s);
  const early: [string, boolean | undefined][] = [];
  inf.addHandlers({ onAdd: (o, initial) => early.push([o.metadata.name!, initial]) });
  await inf.start();
  push('ADDED', pod('b', undefined, '2'));
  const late: [string, boolean | undefined][] = [];
  inf.addHandlers({ onAdd: (o, initial) => late.push([o.metadata.name!, initial]) });
  push('ADDED', pod('c', undefined, '3'));
  assert.deepEqual(early, [['a', true], ['b', false], ['c', false]]);
  assert.deepEqual(late.sort(), [['a', true], ['b', true], ['c', false]]);
  inf.stop();
});

describe('informer transform', () => {
  test('what the cache and the handlers get of listed and watched objects is the transform\'s; the watch resumes from the full object\'s resourceVersion', async () => {
    const { s, push } = source([pod('a', 'rs1', '1')]);
    const ownerless = (o: KubeObject): KubeObject => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: o.metadata.namespace } });
    const inf = new Informer(s, { transform: ownerless });
    const seen: KubeObject[] = [];
    inf.addHandlers({ onAdd: (o) => seen.push(o), onUpdate: (o) => seen.push(o), onDelete: (o) => seen.push(o) });
    await inf.start();
    push('ADDED', pod('b', 'rs2', '2'));
    push('MODIFIED', pod('a', 'rs1', '3'));
    push('DELETED', pod('b', 'rs2', '4'));
    assert.deepEqual(inf.get('ns/a'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'ns' } });
    assert.equal(inf.get('ns/b'), undefined);
    assert.deepEqual(seen.map((o) => [o.metadata.name, o.metadata.ownerReferences, o.metadata.resourceVersion]), [['a', undefined, undefined], ['b', undefined, undefined], ['a', undefined, undefined], ['b', undefined, undefined]]);
    assert.equal(inf.lastSyncResourceVersion(), '4');
    inf.stop();
  });
});

test('failed lists and watches are retried after a wait that doubles up to maxRetryDelayMs, and a success resets it', async (t) => {
  let up = false;
  const listedAt: number[] = [];
  let end: ((err?: { message?: string }) => void) | undefined;
  const watchedAt: number[] = [];
  const s: ListWatchSource = {
    async list() {
      listedAt.push(performance.now());
      if (!up) throw new Error('connect ECONNREFUSED');
      return { items: [pod('a', undefined, '1')], resourceVersion: '1' };
    },
    async watch(_rv, _onEvent, onEnd) {
      watchedAt.push(performance.now());
      end = onEnd;
      return { stop: () => undefined };
    },
  };
  const inf = new Informer(s, { retryDelayMs: 10, maxRetryDelayMs: 80 });
  t.after(() => inf.stop());
  void inf.start();
  await new Promise((r) => setTimeout(r, 400));
  // waits of 10, 20, 40, 80, 80, ... ms: about 7 lists in 400 ms (a fixed 10 ms wait makes about 35)
  assert.ok(listedAt.length >= 4 && listedAt.length <= 10, `${listedAt.length} lists in 400 ms`);
  const waits = listedAt.slice(1).map((t, i) => t - listedAt[i]!);
  assert.ok(waits.at(-1)! >= 70 && waits.at(-1)! < 200, `the wait stops growing at 80 ms: ${waits.map(Math.round)}`);
  up = true;
  await inf.waitForSync();
  assert.equal(inf.get('ns/a')?.metadata.name, 'a');
  // the watch breaks once: the list and the watch that succeeded reset the wait to its base
  const before = watchedAt.length;
  end!({ message: 'connection reset' });
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(watchedAt.length, before + 1, 'watched again after the base wait, not after 80 ms');
});
