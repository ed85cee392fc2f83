import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCompactorKeepsWindow, runStoreConformance } from '../conformance.js';
import { noCompaction } from '../compactor.js';
import Database from 'better-sqlite3';
import type { WatchEvent } from '../store.js';
import { SqliteStore } from './sqlite.js';

function tempDir(): { dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'karmada-ts-sqlite-'));
  return { dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

runStoreConformance('sqlite', async () => {
  const { dir, cleanup } = tempDir();
  return { store: new SqliteStore({ path: join(dir, 'state.db'), synchronous: 'NORMAL', compaction: noCompaction }), cleanup };
});

test('sqlite: reopening the file keeps data, the compacted revision and the revision counter', async () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'state.db');
  try {
    const first = new SqliteStore({ path, compaction: noCompaction });
    const a = await first.create('/registry/a', '1');
    await first.create('/registry/b', '1');
    const del = await first.delete('/registry/b');
    // compacting away the newest row (a delete) must not let revisions be reused
    await first.compact(del.modRevision);
    await first.close();

    const second = new SqliteStore({ path, compaction: noCompaction });
    assert.equal(await second.currentRevision(), del.modRevision);
    assert.equal(await second.compactedRevision(), del.modRevision);
    assert.deepEqual(await second.get('/registry/a'), a);
    assert.equal(await second.get('/registry/b'), undefined);
    const next = await second.create('/registry/c', '1');
    assert.equal(next.modRevision, del.modRevision + 1);
    await second.close();
  } finally {
    await cleanup();
  }
});

test('sqlite: replay takes prevKv from the row it replaced, after a compaction too, and from rows that still hold old_value', async () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'state.db');
  const replay = (store: SqliteStore, after: number) =>
    new Promise<WatchEvent[]>((resolve, reject) => {
      const w = store.watch('/registry/', { afterRevision: after }, {
        onEvents: (events) => {
          w.stop();
          resolve(events);
        },
        onError: reject,
      });
    });
  try {
    const first = new SqliteStore({ path, compaction: noCompaction });
    const a1 = await first.create('/registry/a', '1');
    const a2 = await first.update('/registry/a', '2', a1.modRevision);
    const a3 = await first.update('/registry/a', '3', a2.modRevision);
    await first.compact(a2.modRevision);
    assert.deepEqual(await replay(first, a2.modRevision), [{ type: 'put', kv: a3, prevKv: a2 }]);
    await first.close();

    // a row as written before old_value was left empty: its own old_value is the prevKv
    const raw = new Database(path);
    raw.prepare("INSERT INTO kine (id, name, created, deleted, create_revision, prev_revision, value, old_value) VALUES (?, '/registry/a', 0, 0, ?, ?, '4', 'kept')").run(a3.modRevision + 1, a1.modRevision, a3.modRevision);
    raw.close();
    const second = new SqliteStore({ path, compaction: noCompaction });
    const a5 = await second.update('/registry/a', '5', a3.modRevision + 1);
    const events = await replay(second, a3.modRevision);
    assert.deepEqual(events.map((e) => [e.kv.value, e.prevKv?.value]), [['4', 'kept'], ['5', '4']]);
    assert.deepEqual(events[1], { type: 'put', kv: a5, prevKv: { key: '/registry/a', value: '4', createRevision: a1.modRevision, modRevision: a3.modRevision + 1 } });
    await second.close();
  } finally {
    await cleanup();
  }
});

test('sqlite: the automatic compactor keeps the configured window', async () => {
  const { dir, cleanup } = tempDir();
  const store = new SqliteStore({ path: join(dir, 'state.db'), synchronous: 'NORMAL', compaction: { intervalMs: 20, minRetain: 3 } });
  try {
    await assertCompactorKeepsWindow(store);
  } finally {
    await store.close();
    await cleanup();
  }
});

test('sqlite: a write failing inside SQLite surfaces as UnavailableError, not a raw driver error', async () => {
  const { dir, cleanup } = tempDir();
  const store = new SqliteStore({ path: join(dir, 'state.db'), compaction: noCompaction });
  try {
    await store.create('/registry/a', '1');
    // simulate a corrupted table: a row occupying the next revision makes the insert fail
    (store as unknown as { db: import('better-sqlite3').Database }).db
      .prepare("INSERT INTO kine (id, name, created, deleted, create_revision, prev_revision) VALUES (2, '/x', 1, 0, 2, 0)")
      .run();
    await assert.rejects(store.create('/registry/b', '1'), (e: unknown) => e instanceof Error && e.name === 'UnavailableError');
    assert.equal(await store.currentRevision(), 1, 'a failed write does not advance the revision');
  } finally {
    await store.close();
    await cleanup();
  }
});

test('sqlite: a second store on the same file in one process is refused while the first is open', async () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'state.db');
  const first = new SqliteStore({ path, compaction: noCompaction });
  try {
    await first.create('/registry/a', '1');
    assert.throws(() => new SqliteStore({ path, compaction: noCompaction }), /another store/);
    await first.close();
    const second = new SqliteStore({ path, compaction: noCompaction });
    assert.equal((await second.get('/registry/a'))?.value, '1');
    await second.close();
  } finally {
    await first.close();
    await cleanup();
  }
});
