import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../apimachinery/types.js';
import { generationChanged, newControllerManagedBy, onlyDeletes } from './builder.js';
import { Manager } from './controller.js';
import type { ListWatchSource, WatchEventType } from './informer.js';

function obj(name: string, extra: Partial<KubeObject['metadata']> = {}, namespace = 'ns'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, resourceVersion: '1', ...extra } };
}

/** an in-memory source: list returns `items`; push() delivers watch events */
function memorySource(items: KubeObject[] = []) {
  let emit: ((type: WatchEventType, o: KubeObject) => void) | undefined;
  const source: ListWatchSource = {
    async list() {
      return { items, resourceVersion: '1' };
    },
    async watch(_rv, onEvent) {
      emit = onEvent;
      return { stop: () => void (emit = undefined) };
    },
  };
  return { source, push: (type: WatchEventType, o: KubeObject) => emit!(type, o) };
}

/** a manager with one builder-made controller over `watch`; `seen` lists reconciled keys in order */
async function harness(build: (b: ReturnType<typeof newControllerManagedBy>, sources: ReturnType<typeof sourcesOf>) => ReturnType<typeof newControllerManagedBy>) {
  const manager = new Manager();
  const sources = sourcesOf(manager);
  const seen: string[] = [];
  const waiters: { key: string; resolve: () => void }[] = [];
  build(newControllerManagedBy(manager, 'test'), sources).complete(async (key) => {
    seen.push(key);
    for (const w of waiters.filter((w) => w.key === key)) w.resolve();
  });
  await manager.start();
  const reconciled = (key: string) => (seen.includes(key) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ key, resolve })));
  return { manager, seen, reconciled };
}

function sourcesOf(manager: Manager) {
  const primary = memorySource([obj('a')]);
  const secondary = memorySource();
  return {
    primary,
    secondary,
    primaryInformer: manager.sharedInformer('primary', () => primary.source),
    secondaryInformer: manager.sharedInformer('secondary', () => secondary.source),
  };
}

describe('controller builder', () => {
  test('for: the initial list and later events enqueue the object key', async () => {
    let s!: ReturnType<typeof sourcesOf>;
    const h = await harness((b, src) => ((s = src), b.for(src.primaryInformer)));
    await h.reconciled('ns/a');
    s.primary.push('ADDED', obj('b'));
    await h.reconciled('ns/b');
    await h.manager.stop();
  });

  test('a predicate drops updates that do not change the generation; the next event still arrives', async () => {
    let s!: ReturnType<typeof sourcesOf>;
    const h = await harness((b, src) => ((s = src), b.for(src.primaryInformer, generationChanged)));
    await h.reconciled('ns/a');
    s.primary.push('ADDED', obj('g', { generation: 1 }));
    await h.reconciled('ns/g');
    h.seen.length = 0;
    s.primary.push('MODIFIED', obj('g', { generation: 1, resourceVersion: '2' }));
    s.primary.push('ADDED', obj('sentinel'));
    await h.reconciled('ns/sentinel');
    assert.deepEqual(h.seen, ['ns/sentinel'], 'the status-only update was dropped');
    s.primary.push('MODIFIED', obj('g', { generation: 2, resourceVersion: '3' }));
    await h.reconciled('ns/g');
    await h.manager.stop();
  });

  test('an update neither version of which passes the filter enqueues nothing, without asking the update predicate; one that leaves the filter does', async () => {
    let s!: ReturnType<typeof sourcesOf>;
    const asked: string[] = [];
    const wanted = { filter: (o: KubeObject) => o.metadata.labels?.want === 'yes', update: (o: KubeObject) => (asked.push(o.metadata.name!), true) };
    const h = await harness((b, src) => ((s = src), b.for(src.primaryInformer, wanted)));
    s.primary.push('ADDED', obj('x'));
    s.primary.push('MODIFIED', obj('x', { resourceVersion: '2' }));
    s.primary.push('ADDED', obj('sentinel', { labels: { want: 'yes' } }));
    await h.reconciled('ns/sentinel');
    assert.deepEqual(asked, [], 'the update predicate was not asked');
    assert.deepEqual(h.seen, ['ns/sentinel']);
    s.primary.push('MODIFIED', obj('y', { resourceVersion: '3', labels: { want: 'yes' } }));
    s.primary.push('MODIFIED', obj('y', { resourceVersion: '4' }));
    await h.reconciled('ns/y');
    assert.deepEqual(asked, ['y'], 'the update that left the filter was judged');
    await h.manager.stop();
  });

  test('owns maps a dependent to its owner; watches maps through the given function', async () => {
    let s!: ReturnType<typeof sourcesOf>;
    const h = await harness((b, src) => {
      s = src;
      return b
        .for(src.primaryInformer)
        .owns(src.secondaryInformer, { kind: 'Namespace', group: '', namespaced: false }, onlyDeletes)
        .watches(src.secondaryInformer, (o) => o.metadata.labels?.target);
    });
    await h.reconciled('ns/a');
    const owned = obj('w', { ownerReferences: [{ apiVersion: 'v1', kind: 'Namespace', name: 'team', uid: 'u' }], labels: { target: 'ns/x' } });
    s.secondary.push('ADDED', owned);
    await h.reconciled('ns/x');
    assert.ok(!h.seen.includes('team'), 'owns(..., onlyDeletes) ignores creates');
    s.secondary.push('DELETED', owned);
    await h.reconciled('team');
    await h.manager.stop();
  });

  test('a watch added after complete() (a resource discovered later) enqueues from then on', async () => {
    const manager = new Manager();
    const seen: string[] = [];
    let wake: (() => void) | undefined;
    const builder = newControllerManagedBy(manager, 'late');
    builder.complete(async (key) => {
      seen.push(key);
      wake?.();
    });
    await manager.start();
    const late = memorySource([obj('found')]);
    const reconciled = new Promise<void>((resolve) => (wake = resolve));
    builder.watches(manager.sharedInformer('late', () => late.source), (o) => `mapped/${o.metadata.name}`);
    await reconciled;
    assert.deepEqual(seen, ['mapped/found']);
    assert.throws(() => builder.complete(async () => {}), /already complete/);
    await manager.stop();
  });

  test('a resource source needs a client', () => {
    assert.throws(() => newControllerManagedBy(new Manager(), 'x').for({ group: '', version: 'v1', resource: 'pods' }).complete(async () => {}), /needs a client/);
  });
});
