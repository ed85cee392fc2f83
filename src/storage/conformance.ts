// The storage contract as executable rules: every backend's test file runs this suite.
// Tests only assume revisions relative to the store's current one, so a backend may share
// one server (etcd) between tests; each test writes under its own key prefix.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  NotFoundError,
  type KeyValue,
  type Store,
  type WatchEvent,
  type Watcher,
} from './store.js';

export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
}

let prefixCounter = 0;
function freshPrefix(): string {
  return `/registry/conformance.test/t${++prefixCounter}-${process.pid}-${Date.now().toString(36)}/`;
}

/** collects events until `until` says enough, or fails after timeoutMs with what arrived */
function collectEvents(
  store: Store,
  prefix: string,
  afterRevision: number,
  until: (events: WatchEvent[]) => boolean,
  timeoutMs = 5000,
): { done: Promise<WatchEvent[]>; watcher: Watcher; events: WatchEvent[] } {
  const events: WatchEvent[] = [];
  let watcher!: Watcher;
  const done = new Promise<WatchEvent[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      watcher.stop();
      reject(new Error(`timed out with ${events.length} events: ${JSON.stringify(events.map(summary))}`));
    }, timeoutMs);
    watcher = store.watch(prefix, { afterRevision }, {
      onEvents(batch) {
        events.push(...batch);
        if (until(events)) {
          clearTimeout(timer);
          watcher.stop();
          resolve(events);
        }
      },
      onError(err) {
        clearTimeout(timer);
        reject(err);
      },
    });
  });
  return { done, watcher, events };
}

function summary(e: WatchEvent): string {
  return `${e.type} ${e.kv.key}@${e.kv.modRevision}`;
}

function nextWatchError(store: Store, prefix: string, afterRevision: number, timeoutMs = 5000): { error: Promise<Error>; calledSynchronously: boolean } {
  let settled = false;
  const error = new Promise<Error>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no watch error within timeout')), timeoutMs);
    store.watch(prefix, { afterRevision }, {
      onEvents: (batch) => {
        clearTimeout(timer);
        reject(new Error(`expected an error, got events ${JSON.stringify(batch.map(summary))}`));
      },
      onError: (err) => {
        settled = true;
        clearTimeout(timer);
        resolve(err);
      },
    });
  });
  return { error, calledSynchronously: settled };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A fresh store whose compactor runs every few ms keeping 3 revisions: after 10 writes it compacts
 * to revision 7 (waited for, not slept for) and every key is still there.
 */
export async function assertCompactorKeepsWindow(store: Store): Promise<void> {
  for (let i = 0; i < 10; i++) await store.create(`/registry/k${i}`, '1');
  const deadline = Date.now() + 10_000;
  while ((await store.compactedRevision()) < 7) {
    if (Date.now() > deadline) assert.fail(`the compactor did not run: compacted revision ${await store.compactedRevision()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(await store.compactedRevision(), 7);
  assert.equal(await store.count('/registry/'), 10);
}

export function runStoreConformance(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  /** runs body against a fresh store and a fresh key prefix, closing the store afterwards */
  function storeTest(title: string, body: (store: Store, prefix: string) => Promise<void>): void {
    test(title, async () => {
      const { store, cleanup } = await makeStore();
      try {
        await body(store, freshPrefix());
      } finally {
        await store.close();
        await cleanup();
      }
    });
  }

  describe(`Store conformance: ${name}`, () => {
    describe('revisions and writes', () => {
      storeTest('create bumps the global revision by one and sets create and mod revision to it', async (store, p) => {
        const before = await store.currentRevision();
        const kv = await store.create(`${p}a`, '{"n":1}');
        assert.deepEqual(kv, { key: `${p}a`, value: '{"n":1}', createRevision: before + 1, modRevision: before + 1 });
        assert.equal(await store.currentRevision(), before + 1);
        assert.deepEqual(await store.get(`${p}a`), kv);
      });

      storeTest('every create, update and delete bumps the revision by exactly one', async (store, p) => {
        const r0 = await store.currentRevision();
        const a = await store.create(`${p}a`, '1');
        const b = await store.update(`${p}a`, '2', a.modRevision);
        const c = await store.delete(`${p}a`);
        assert.deepEqual([a.modRevision, b.modRevision, c.modRevision], [r0 + 1, r0 + 2, r0 + 3]);
        assert.equal(await store.currentRevision(), r0 + 3);
      });

      storeTest('create on a live key fails with KeyExistsError and writes nothing', async (store, p) => {
        await store.create(`${p}a`, '1');
        const rev = await store.currentRevision();
        await assert.rejects(store.create(`${p}a`, '2'), KeyExistsError);
        assert.equal(await store.currentRevision(), rev);
        assert.equal((await store.get(`${p}a`))?.value, '1');
      });

      storeTest('get of an absent key is undefined', async (store, p) => {
        assert.equal(await store.get(`${p}missing`), undefined);
      });

      storeTest('create after delete starts a new life with a new createRevision', async (store, p) => {
        const first = await store.create(`${p}a`, '1');
        await store.delete(`${p}a`);
        const second = await store.create(`${p}a`, '2');
        assert.ok(second.createRevision > first.createRevision);
        assert.equal(second.createRevision, second.modRevision);
      });

      storeTest('update with the current modRevision succeeds and keeps createRevision', async (store, p) => {
        const a = await store.create(`${p}a`, '1');
        const b = await store.update(`${p}a`, '2', a.modRevision);
        assert.equal(b.createRevision, a.createRevision);
        assert.equal(b.modRevision, a.modRevision + 1);
        assert.deepEqual(await store.get(`${p}a`), b);
      });

      storeTest('update with a stale modRevision fails with ConflictError carrying the current value', async (store, p) => {
        const a = await store.create(`${p}a`, '1');
        const b = await store.update(`${p}a`, '2', a.modRevision);
        const err = await store.update(`${p}a`, '3', a.modRevision).catch((e: unknown) => e);
        assert.ok(err instanceof ConflictError, String(err));
        assert.deepEqual(err.current, b);
        assert.equal((await store.get(`${p}a`))?.value, '2');
      });

      storeTest('update of an absent key fails with NotFoundError', async (store, p) => {
        await assert.rejects(store.update(`${p}missing`, '1', 1), NotFoundError);
      });

      storeTest('delete returns the last value with the delete revision as modRevision', async (store, p) => {
        const a = await store.create(`${p}a`, '{"last":true}');
        const d = await store.delete(`${p}a`);
        assert.deepEqual(d, { key: `${p}a`, value: '{"last":true}', createRevision: a.createRevision, modRevision: a.modRevision + 1 });
        assert.equal(await store.currentRevision(), d.modRevision);
        assert.equal(await store.get(`${p}a`), undefined);
      });

      storeTest('delete of an absent key fails with NotFoundError', async (store, p) => {
        await assert.rejects(store.delete(`${p}missing`), NotFoundError);
      });

      storeTest('delete with a stale expected revision fails with ConflictError and keeps the key', async (store, p) => {
        const a = await store.create(`${p}a`, '1');
        const b = await store.update(`${p}a`, '2', a.modRevision);
        await assert.rejects(store.delete(`${p}a`, a.modRevision), ConflictError);
        assert.deepEqual(await store.get(`${p}a`), b);
        const d = await store.delete(`${p}a`, b.modRevision);
        assert.equal(d.value, '2');
      });

      storeTest('values round-trip as exact text', async (store, p) => {
        const value = JSON.stringify({ s: 'ünïcødé ✓ 🚀', n: [1, 2.5, null], nested: { a: '' } });
        await store.create(`${p}a`, value);
        assert.equal((await store.get(`${p}a`))?.value, value);
      });

      storeTest('exactly one of N racing updates with the same expected revision wins', async (store, p) => {
        const a = await store.create(`${p}a`, 'start');
        const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => store.update(`${p}a`, `w${i}`, a.modRevision)));
        const won = results.filter((r): r is PromiseFulfilledResult<KeyValue> => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.ok(lost.every((r) => r.reason instanceof ConflictError), String(lost.map((r) => r.reason)));
        assert.deepEqual(await store.get(`${p}a`), won[0]!.value);
      });

      storeTest('exactly one of N racing creates of the same key wins', async (store, p) => {
        const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.create(`${p}a`, `c${i}`)));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        assert.ok(results.every((r) => r.status === 'fulfilled' || r.reason instanceof KeyExistsError));
      });

      storeTest('racing read-modify-write loops lose no increment', async (store, p) => {
        await store.create(`${p}counter`, '0');
        const increment = async () => {
          for (;;) {
            const cur = (await store.get(`${p}counter`))!;
            try {
              return await store.update(`${p}counter`, String(Number(cur.value) + 1), cur.modRevision);
            } catch (e) {
              if (!(e instanceof ConflictError)) throw e;
            }
          }
        };
        await Promise.all(Array.from({ length: 6 }, () => Promise.all([increment(), increment(), increment()])));
        assert.equal((await store.get(`${p}counter`))?.value, '18');
      });

      storeTest('healthy() is true while open', async (store) => {
        assert.equal(await store.healthy(), true);
      });
    });

    describe('list and count', () => {
      storeTest('list returns live keys under the prefix in byte order, excluding sibling prefixes', async (store, p) => {
        for (const k of ['b', 'a/2', 'c', 'a/1', 'a']) await store.create(`${p}x/${k}`, k);
        await store.create(`${p}xy/other`, 'no');
        await store.create(`${p}x/gone`, 'no');
        await store.delete(`${p}x/gone`);
        const res = await store.list(`${p}x/`);
        assert.deepEqual(res.items.map((kv) => kv.key.slice(p.length)), ['x/a', 'x/a/1', 'x/a/2', 'x/b', 'x/c']);
        assert.equal(res.more, false);
        assert.equal(res.revision, await store.currentRevision());
        assert.equal(await store.count(`${p}x/`), 5);
        assert.equal(await store.count(`${p}nothing/`), 0);
      });

      storeTest('list items carry create and mod revisions', async (store, p) => {
        const a = await store.create(`${p}a`, '1');
        const b = await store.update(`${p}a`, '2', a.modRevision);
        assert.deepEqual((await store.list(p)).items, [b]);
      });

      storeTest('limit truncates and sets more; startKey resumes', async (store, p) => {
        for (let i = 0; i < 5; i++) await store.create(`${p}k${i}`, String(i));
        const page1 = await store.list(p, { limit: 2 });
        assert.deepEqual(page1.items.map((kv) => kv.value), ['0', '1']);
        assert.equal(page1.more, true);
        const page2 = await store.list(p, { limit: 2, startKey: `${page1.items[1]!.key}\u0000`, revision: page1.revision });
        assert.deepEqual(page2.items.map((kv) => kv.value), ['2', '3']);
        assert.equal(page2.more, true);
        const page3 = await store.list(p, { limit: 2, startKey: `${page2.items[1]!.key}\u0000`, revision: page1.revision });
        assert.deepEqual(page3.items.map((kv) => kv.value), ['4']);
        assert.equal(page3.more, false);
        const exact = await store.list(p, { limit: 5 });
        assert.equal(exact.more, false, 'more is false when the limit is exactly reached');
      });

      storeTest('more ignores keys deleted after the page end', async (store, p) => {
        await store.create(`${p}a`, '1');
        await store.create(`${p}b`, '2');
        await store.delete(`${p}b`);
        const page = await store.list(p, { limit: 1 });
        assert.equal(page.more, false);
      });

      storeTest('list at an old revision returns that snapshot', async (store, p) => {
        const a = await store.create(`${p}a`, 'a1');
        await store.create(`${p}b`, 'b1');
        const snap = await store.currentRevision();
        await store.update(`${p}a`, 'a2', a.modRevision);
        await store.delete(`${p}b`);
        await store.create(`${p}c`, 'c1');
        const old = await store.list(p, { revision: snap });
        assert.equal(old.revision, snap);
        assert.deepEqual(old.items.map((kv) => `${kv.key.slice(p.length)}=${kv.value}`), ['a=a1', 'b=b1']);
        const now = await store.list(p);
        assert.deepEqual(now.items.map((kv) => `${kv.key.slice(p.length)}=${kv.value}`), ['a=a2', 'c=c1']);
      });

      storeTest('paginating one snapshot stays consistent while writes continue', async (store, p) => {
        const keys = Array.from({ length: 30 }, (_, i) => `${p}k${String(i).padStart(2, '0')}`);
        const created = new Map<string, KeyValue>();
        for (const k of keys) created.set(k, await store.create(k, 'v0'));
        const expected = (await store.list(p)).items;
        let page = await store.list(p, { limit: 7 });
        const snapshot = page.revision;
        const seen = [...page.items];
        let writes = 0;
        while (page.more) {
          // writers keep going between pages: updates, deletes and creates on both sides of the cursor
          const victim = keys[(writes * 7) % keys.length]!;
          const cur = await store.get(victim);
          if (cur && writes % 2 === 0) await store.update(victim, `v${writes}`, cur.modRevision);
          else if (cur) await store.delete(victim);
          await store.create(`${p}k${String(writes).padStart(2, '0')}-new`, 'new');
          writes++;
          page = await store.list(p, { limit: 7, revision: snapshot, startKey: `${page.items.at(-1)!.key}\u0000` });
          assert.equal(page.revision, snapshot);
          seen.push(...page.items);
        }
        assert.ok(writes >= 4);
        assert.deepEqual(seen, expected);
      });

      storeTest('list at a revision ahead of the store reads the current state', async (store, p) => {
        const a = await store.create(`${p}a`, '1');
        const res = await store.list(p, { revision: a.modRevision + 1000 });
        assert.deepEqual(res.items, [a]);
      });

      storeTest('count counts only live keys at the current revision', async (store, p) => {
        await store.create(`${p}a`, '1');
        await store.create(`${p}b`, '1');
        await store.delete(`${p}a`);
        assert.equal(await store.count(p), 1);
      });
    });

    describe('watch', () => {
      storeTest('live events: put without prevKv on create, with prevKv on update, delete carries the last value', async (store, p) => {
        const start = await store.currentRevision();
        const w = collectEvents(store, p, start, (ev) => ev.length >= 3);
        const a = await store.create(`${p}a`, '1');
        const b = await store.update(`${p}a`, '2', a.modRevision);
        const d = await store.delete(`${p}a`);
        const events = await w.done;
        assert.deepEqual(events, [
          { type: 'put', kv: a },
          { type: 'put', kv: b, prevKv: a },
          { type: 'delete', kv: d, prevKv: b },
        ]);
      });

      storeTest('watch from a past revision replays history, then continues live, each event once', async (store, p) => {
        const a = await store.create(`${p}a`, '1');
        const b = await store.create(`${p}b`, '1');
        const a2 = await store.update(`${p}a`, '2', a.modRevision);
        const w = collectEvents(store, p, a.modRevision, (ev) => ev.length >= 4);
        await sleep(50);
        const c = await store.create(`${p}c`, '1');
        const db = await store.delete(`${p}b`);
        const events = await w.done;
        assert.deepEqual(events.map(summary), [b, a2, c, db].map((kv, i) => `${i === 3 ? 'delete' : 'put'} ${kv.key}@${kv.modRevision}`));
        assert.deepEqual(events[1]!.prevKv, a);
        await sleep(50);
        assert.equal(w.events.length, 4, 'no duplicates after the expected events');
      });

      storeTest('replayed events carry the same kv and prevKv as live ones (create, update, delete, re-create)', async (store, p) => {
        const start = await store.currentRevision();
        const live = collectEvents(store, p, start, (ev) => ev.length >= 4);
        const a = await store.create(`${p}a`, '1');
        await store.update(`${p}a`, '2', a.modRevision);
        await store.delete(`${p}a`);
        await store.create(`${p}a`, '3');
        const liveEvents = await live.done;
        const replayed = await collectEvents(store, p, start, (ev) => ev.length >= 4).done;
        assert.deepEqual(replayed, liveEvents);
        assert.equal(liveEvents[3]!.prevKv, undefined, 're-create after delete has no prevKv');
      });

      storeTest('watch delivers only keys under its prefix', async (store, p) => {
        const start = await store.currentRevision();
        const w = collectEvents(store, `${p}in/`, start, (ev) => ev.length >= 2);
        await store.create(`${p}in/a`, '1');
        await store.create(`${p}inside`, 'no');
        await store.create(`${p}out/a`, 'no');
        await store.create(`${p}in/b`, '1');
        const events = await w.done;
        assert.deepEqual(events.map((e) => e.kv.key.slice(p.length)), ['in/a', 'in/b']);
      });

      storeTest('events arrive once each, in revision order, under concurrent writers', async (store, p) => {
        const start = await store.currentRevision();
        const total = 60;
        const w = collectEvents(store, p, start, (ev) => ev.length >= total, 10000);
        const writer = async (id: number) => {
          const revs: number[] = [];
          let kv = await store.create(`${p}w${id}`, '0');
          revs.push(kv.modRevision);
          for (let i = 1; i < total / 6; i++) {
            kv = await store.update(kv.key, String(i), kv.modRevision);
            revs.push(kv.modRevision);
          }
          return revs;
        };
        const acknowledged = (await Promise.all([0, 1, 2, 3, 4, 5].map(writer))).flat().sort((x, y) => x - y);
        const events = await w.done;
        const revs = events.map((e) => e.kv.modRevision);
        assert.deepEqual(revs, [...revs].sort((x, y) => x - y), 'revision order');
        assert.deepEqual(revs, acknowledged, 'every acknowledged write once');
        const perKey = new Map<string, number>();
        for (const e of events) {
          assert.equal(Number(e.kv.value), perKey.get(e.kv.key) ?? 0, `per-key order for ${e.kv.key}`);
          perKey.set(e.kv.key, Number(e.kv.value) + 1);
        }
      });

      storeTest('stop() ends delivery at once', async (store, p) => {
        const start = await store.currentRevision();
        const got: WatchEvent[] = [];
        const watcher = store.watch(p, { afterRevision: start }, { onEvents: (b) => got.push(...b), onError: () => {} });
        await store.create(`${p}a`, '1');
        watcher.stop();
        await store.create(`${p}b`, '1');
        await sleep(200);
        assert.equal(got.length, 0, 'events queued before stop() are not delivered either');
      });

      storeTest('handlers never run inside a write call', async (store, p) => {
        const start = await store.currentRevision();
        let inWrite = false;
        let sawInside = false;
        let delivered = 0;
        const watcher = store.watch(p, { afterRevision: start }, {
          onEvents: (b) => {
            if (inWrite) sawInside = true;
            delivered += b.length;
          },
          onError: () => {},
        });
        for (let i = 0; i < 10; i++) {
          inWrite = true;
          const pending = store.create(`${p}k${i}`, 'v');
          inWrite = false;
          await pending;
        }
        for (let i = 0; i < 50 && delivered < 10; i++) await sleep(20);
        watcher.stop();
        assert.equal(sawInside, false);
        assert.equal(delivered, 10);
      });

      storeTest('watch from a revision ahead of the store delivers only events beyond it', async (store, p) => {
        const start = await store.currentRevision();
        const w = collectEvents(store, p, start + 2, (ev) => ev.length >= 1);
        await store.create(`${p}a`, '1');
        await store.create(`${p}b`, '1');
        const c = await store.create(`${p}c`, '1');
        assert.deepEqual(await w.done, [{ type: 'put', kv: c }]);
      });

      storeTest('watch from the current revision sees nothing until the next write', async (store, p) => {
        await store.create(`${p}a`, '1');
        const start = await store.currentRevision();
        const w = collectEvents(store, p, start, (ev) => ev.length >= 1);
        await sleep(50);
        const b = await store.create(`${p}b`, '1');
        assert.deepEqual(await w.done, [{ type: 'put', kv: b }]);
      });
    });

    describe('compaction', () => {
      storeTest('after compact(r), reads and watches below r fail with CompactedError', async (store, p) => {
        const a = await store.create(`${p}a`, '1');
        const a2 = await store.update(`${p}a`, '2', a.modRevision);
        const mid = await store.create(`${p}b`, '1');
        await store.create(`${p}c`, '1');
        await store.compact(mid.modRevision);
        assert.ok((await store.compactedRevision()) >= mid.modRevision);
        await assert.rejects(store.list(p, { revision: a.modRevision }), CompactedError);
        const { error, calledSynchronously } = nextWatchError(store, p, a.modRevision);
        assert.equal(calledSynchronously, false, 'onError is asynchronous');
        assert.ok((await error) instanceof CompactedError);
        assert.deepEqual((await store.get(`${p}a`))!, a2);
      });

      storeTest('the compacted revision itself stays readable and watchable from', async (store, p) => {
        const a = await store.create(`${p}a`, '1');
        const b = await store.create(`${p}b`, '1');
        await store.delete(`${p}a`);
        await store.compact(b.modRevision);
        const snap = await store.list(p, { revision: b.modRevision });
        assert.deepEqual(snap.items, [a, b]);
        const w = collectEvents(store, p, b.modRevision, (ev) => ev.length >= 2);
        const c = await store.create(`${p}c`, '1');
        const events = await w.done;
        assert.deepEqual(events.map(summary), [`delete ${p}a@${b.modRevision + 1}`, `put ${c.key}@${c.modRevision}`]);
      });

      storeTest('compaction keeps the latest value of every live key', async (store, p) => {
        const old = await store.create(`${p}old`, 'kept');
        const x = await store.create(`${p}x`, '1');
        const x2 = await store.update(`${p}x`, '2', x.modRevision);
        await store.create(`${p}gone`, '1');
        await store.delete(`${p}gone`);
        const rev = await store.currentRevision();
        await store.compact(rev);
        assert.deepEqual((await store.list(p)).items, [old, x2]);
        assert.deepEqual((await store.list(p, { revision: rev })).items, [old, x2]);
        assert.equal(await store.count(p), 2);
        const next = await store.update(`${p}old`, 'new', old.modRevision);
        assert.equal(next.createRevision, old.createRevision);
      });
    });

    describe('close', () => {
      test('close() ends open watches with onError', async () => {
        const { store, cleanup } = await makeStore();
        try {
          const start = await store.currentRevision();
          const ended = new Promise<Error>((resolve) => {
            store.watch(freshPrefix(), { afterRevision: start }, { onEvents: () => {}, onError: resolve });
          });
          await sleep(20);
          await store.close();
          assert.ok((await ended) instanceof Error);
          assert.equal(await store.healthy(), false);
        } finally {
          await store.close();
          await cleanup();
        }
      });
    });
  });
}
