// needs: etcd (scripts/run-tests.mjs skips this file loudly where etcd is not installed, and fails under CI)
// EtcdStore on a real 3-member cluster while members die: one loss is invisible, quorum
// loss fails fast with UnavailableError, recovery needs no new store, no acknowledged write is lost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { noCompaction } from '../compactor.js';
import { UnavailableError, type WatchEvent } from '../store.js';
import { EtcdStore } from './etcd.js';
import { startEtcd, type EtcdCluster } from './testing.js';

let cluster: EtcdCluster | undefined;
before(async () => {
  cluster = await startEtcd({ members: 3 });
});
after(async () => {
  await cluster?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(250);
  }
  throw new Error(`${what} did not happen within ${timeoutMs}ms`);
}

test('etcd faults: one member down is invisible, quorum loss fails fast, recovery is automatic, nothing acknowledged is lost', async () => {
  const c = cluster!;
  const store = new EtcdStore({ endpoints: c.endpoints, callTimeoutMs: 2000, compaction: noCompaction });
  const prefix = `/registry/faults/${Date.now().toString(36)}/`;
  const acked = new Map<string, number>();
  let n = 0;
  const write = async () => {
    const key = `${prefix}k${String(n++).padStart(4, '0')}`;
    const kv = await store.create(key, `{"n":${n}}`);
    acked.set(key, kv.modRevision);
  };
  const seen = new Map<string, number>();
  const watcher = store.watch(prefix, { afterRevision: await store.currentRevision() }, {
    onEvents: (events: WatchEvent[]) => events.forEach((e) => seen.set(e.kv.key, e.kv.modRevision)),
    onError: (err) => assert.fail(`watch ended: ${err.message}`),
  });
  try {
    for (let i = 0; i < 10; i++) await write();

    // one member down: the cluster keeps quorum
    await c.kill(0);
    await eventually('health with one member down', () => store.healthy(), 10_000);
    for (let i = 0; i < 20; i++) await write();

    // two members down: quorum lost; writes fail promptly, no hang
    await c.kill(1);
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      await assert.rejects(write(), UnavailableError);
      assert.ok(Date.now() - started < 5000, `write failed after ${Date.now() - started}ms, expected within a few seconds`);
    }
    const started = Date.now();
    assert.equal(await store.healthy(), false);
    assert.ok(Date.now() - started < 5000, 'healthy() answers within a few seconds');

    // members come back: the same store recovers by itself
    await c.restart(1);
    await c.restart(0);
    await eventually('writes succeeding again on the same store', async () => {
      await write();
      return true;
    }, 30_000);
    for (let i = 0; i < 10; i++) await write();
    assert.equal(await store.healthy(), true);

    // every acknowledged write is there, at the revision it was acknowledged with
    const items = (await store.list(prefix)).items;
    const stored = new Map(items.map((kv) => [kv.key, kv.modRevision]));
    for (const [key, rev] of acked) assert.equal(stored.get(key), rev, `acknowledged ${key}@${rev}`);
    assert.ok(acked.size >= 41);

    // and the watch that ran through it all saw each of them
    await eventually('the watch catching up', async () => [...acked].every(([k, r]) => seen.get(k) === r), 30_000);
  } finally {
    watcher.stop();
    await store.close();
  }
});
