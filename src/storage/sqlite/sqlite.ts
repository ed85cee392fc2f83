// SqliteStore: kine's log-structured table in one SQLite file, owned by one process.
// Every write inserts a row whose id is the new revision; the writes of one turn share one IMMEDIATE transaction.
// Durability: WAL with synchronous=FULL by default, so a write is fsynced before it is
// acknowledged and survives kill -9 and power loss ('NORMAL' survives kill -9 only).
// Watches are fed by an in-process hub right after each commit; replay reads the table.
import Database from 'better-sqlite3';
import { startCompactor, defaultCompaction, type CompactionOptions } from '../compactor.js';
import { prefixEnd, rangeStart } from '../keys.js';
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  NotFoundError,
  StorageError,
  UnavailableError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type WatchEvent,
  type WatchHandlers,
  type WatchOptions,
  type Watcher,
} from '../store.js';
import { WatchHub } from '../watch-hub.js';

export interface SqliteStoreOptions {
  path: string;
  /** FULL (default): fsync per commit. NORMAL: faster, loses recent writes on power loss but not on a process crash */
  synchronous?: 'FULL' | 'NORMAL';
  compaction?: CompactionOptions;
}

interface PendingWrite {
  body: (id: number) => Row;
  resolve: (kv: KeyValue) => void;
  reject: (err: Error) => void;
}

interface Row {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string | null;
  old_value: string | null;
}

const COMPACT_ROW_ID = 0;
/** above every real key (keys are ASCII paths) */
const NO_UPPER_BOUND = '\u{10FFFF}\u{10FFFF}';

const schema = `
CREATE TABLE IF NOT EXISTS kine (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  lease INTEGER NOT NULL DEFAULT 0,
  value BLOB,
  old_value BLOB
);
CREATE INDEX IF NOT EXISTS kine_name_id_index ON kine (name, id);
-- kine's other indexes serve its SQL servers' queries, none of ours: (name, id) answers every lookup
-- by name, the rowid every range of revisions; each index costs a b-tree insert per write. The unique
-- (name, prev_revision) guards kine's concurrent writers; ours are one process checking the latest
-- revision inside the write's IMMEDIATE transaction
DROP INDEX IF EXISTS kine_name_prev_revision_uindex;
DROP INDEX IF EXISTS kine_name_index;
DROP INDEX IF EXISTS kine_id_deleted_index;
DROP INDEX IF EXISTS kine_prev_revision_index;
-- the compacted revision lives in prev_revision of this row; id 0 keeps it out of the revision count
INSERT OR IGNORE INTO kine (id, name, created, deleted, create_revision, prev_revision)
  VALUES (${COMPACT_ROW_ID}, 'compact_rev_key', 0, 0, 0, 0);
`;

/**
 * A row as reads need it. The old value (a prevKv, for watch replay only) is not stored again: it is the
 * value of the row at prev_revision, which compaction keeps while a later row names it (rows written
 * before this still hold old_value, which is read first).
 */
type Current = Omit<Row, 'old_value'>;
const currentColumns = 'id, name, created, deleted, create_revision, prev_revision, value';

const latestLiveAt = `SELECT ${currentColumns.replace(/\w+/g, 'kv.$&')} FROM kine kv JOIN (
    SELECT MAX(id) AS id FROM kine WHERE name >= @from AND name < @to AND id > 0 AND id <= @rev GROUP BY name
  ) latest ON latest.id = kv.id WHERE kv.deleted = 0`;

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private revision: number;
  private compacted: number;
  private readonly hub = new WatchHub();
  private closed = false;
  private readonly stopCompactor: () => void;
  private readonly sql;
  private pending: PendingWrite[] = [];
  /** one batch's writes in one IMMEDIATE transaction; made once (better-sqlite3 builds four wrappers per transaction()) */
  private readonly commitBatch: (batch: PendingWrite[]) => (Row | Error)[];

  constructor(options: SqliteStoreOptions) {
    this.db = openOwned(options.path);
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.exec(schema);
    this.sql = {
      latest: this.db.prepare<[string], Current>(`SELECT ${currentColumns} FROM kine WHERE name = ? AND id > 0 ORDER BY id DESC LIMIT 1`),
      insert: this.db.prepare(
        `INSERT INTO kine (id, name, created, deleted, create_revision, prev_revision, value)
         VALUES (@id, @name, @created, @deleted, @create_revision, @prev_revision, @value)`,
      ),
      list: this.db.prepare<{ from: string; to: string; rev: number; limit: number }, Current>(`${latestLiveAt} ORDER BY kv.name LIMIT @limit`),
      count: this.db.prepare<{ from: string; to: string; rev: number }, { n: number }>(`SELECT COUNT(*) AS n FROM (${latestLiveAt})`),
      after: this.db.prepare<{ from: string; to: string; after: number }, Row>(
        `SELECT ${currentColumns.replace(/\w+/g, 'kv.$&')}, CASE WHEN kv.created = 0 THEN COALESCE(kv.old_value, prev.value) END AS old_value
         FROM kine kv LEFT JOIN kine prev ON prev.id = kv.prev_revision AND kv.created = 0
         WHERE kv.id > @after AND kv.id > 0 AND kv.name >= @from AND kv.name < @to ORDER BY kv.id`,
      ),
      revision: this.db.prepare<[], { rev: number | null }>(
        "SELECT MAX(seq) AS rev FROM (SELECT seq FROM sqlite_sequence WHERE name = 'kine' UNION ALL SELECT MAX(id) FROM kine)",
      ),
      compactedRev: this.db.prepare<[], { rev: number }>(`SELECT prev_revision AS rev FROM kine WHERE id = ${COMPACT_ROW_ID}`),
      dropSuperseded: this.db.prepare('DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE id > 0 AND id <= ? AND prev_revision != 0)'),
      dropDeleted: this.db.prepare('DELETE FROM kine WHERE id > 0 AND id <= ? AND deleted != 0'),
      setCompacted: this.db.prepare(`UPDATE kine SET prev_revision = ? WHERE id = ${COMPACT_ROW_ID}`),
    };
    this.commitBatch = this.db.transaction((batch: PendingWrite[]) => {
      let next = this.revision;
      return batch.map((w) => {
        try {
          const row = w.body(next + 1);
          next = row.id;
          return row;
        } catch (err) {
          if (err instanceof StorageError || err instanceof RangeError) return err;
          throw err;
        }
      });
    }).immediate;
    this.revision = this.sql.revision.get()?.rev ?? 0;
    this.compacted = this.sql.compactedRev.get()?.rev ?? 0;
    this.stopCompactor = startCompactor(this, options.compaction ?? defaultCompaction);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    return this.run(() => liveValue(this.sql.latest.get(key)));
  }

  async create(key: string, value: string): Promise<KeyValue> {
    return this.write((id) => {
      const prev = this.sql.latest.get(key);
      if (prev && !prev.deleted) throw new KeyExistsError(key);
      return this.append({ id, name: key, created: 1, deleted: 0, create_revision: id, prev_revision: prev?.id ?? 0, value, old_value: null });
    });
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    return this.write((id) => {
      const prev = liveValue(this.sql.latest.get(key));
      if (!prev) throw new NotFoundError(key);
      if (prev.modRevision !== expectedModRevision) throw new ConflictError(key, prev);
      return this.append({
        id,
        name: key,
        created: 0,
        deleted: 0,
        create_revision: prev.createRevision,
        prev_revision: prev.modRevision,
        value,
        old_value: prev.value,
      });
    });
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.write((id) => {
      const prev = liveValue(this.sql.latest.get(key));
      if (!prev) throw new NotFoundError(key);
      if (expectedModRevision !== undefined && prev.modRevision !== expectedModRevision) throw new ConflictError(key, prev);
      return this.append({
        id,
        name: key,
        created: 0,
        deleted: 1,
        create_revision: prev.createRevision,
        prev_revision: prev.modRevision,
        value: prev.value,
        old_value: prev.value,
      });
    });
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    return this.run(() => {
      const revision = this.readRevision(options.revision);
      const limit = options.limit && options.limit > 0 ? options.limit : -1;
      const rows = this.sql.list.all({ ...range(prefix, options.startKey), rev: revision, limit: limit > 0 ? limit + 1 : -1 });
      const more = limit > 0 && rows.length > limit;
      return { items: (more ? rows.slice(0, limit) : rows).map(toKeyValue), revision, more };
    });
  }

  async count(prefix: string): Promise<number> {
    return this.run(() => this.sql.count.get({ ...range(prefix, undefined), rev: this.revision })?.n ?? 0);
  }

  watch(prefix: string, options: WatchOptions, handlers: WatchHandlers): Watcher {
    return this.hub.subscribe(prefix, options.afterRevision, handlers, {
      compactedRevision: this.compacted,
      replay: (p, after) => (this.closed || after >= this.revision ? [] : this.sql.after.all({ ...range(p, undefined), after }).map(toEvent)),
    });
  }

  async compact(revision: number): Promise<void> {
    return this.run(() => {
      if (revision <= this.compacted) return;
      if (revision > this.revision) throw new RangeError(`cannot compact to future revision ${revision} (current ${this.revision})`);
      this.db.transaction(() => {
        this.sql.dropSuperseded.run(revision);
        this.sql.dropDeleted.run(revision);
        this.sql.setCompacted.run(revision);
      }).immediate();
      this.compacted = revision;
    });
  }

  async healthy(): Promise<boolean> {
    if (this.closed) return false;
    try {
      this.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCompactor();
    this.hub.failAll(new UnavailableError('store closed'));
    this.db.close();
  }

  /**
   * Group commit: writes that arrive in the same turn of the event loop share one transaction and
   * one fsync. A write's conflict does not undo the others without a savepoint each: its checks
   * (StorageError) come before its only statement, the insert, and a failing statement undoes
   * itself; any other failure rolls the whole batch back. Every write is acknowledged, and its
   * event published, only after the commit.
   */
  private write(body: (id: number) => Row): Promise<KeyValue> {
    this.checkOpen();
    return new Promise((resolve, reject) => {
      this.pending.push({ body, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    if (this.closed) {
      for (const w of batch) w.reject(new UnavailableError('store closed'));
      return;
    }
    let results: (Row | Error)[];
    try {
      results = this.commitBatch(batch);
    } catch (err) {
      const failure = new UnavailableError(`sqlite: ${err instanceof Error ? err.message : String(err)}`);
      for (const w of batch) w.reject(failure);
      return;
    }
    for (const r of results) if (!(r instanceof Error)) this.revision = r.id;
    results.forEach((r, i) => {
      if (r instanceof Error) return batch[i].reject(r);
      const event = toEvent(r);
      this.hub.publish(event);
      batch[i].resolve(event.kv);
    });
  }

  /** the row's old_value is not stored (replay joins it from prev_revision); the live event takes it from here */
  private append(row: Row): Row {
    this.sql.insert.run(row);
    return row;
  }

  private readRevision(requested: number | undefined): number {
    if (!requested) return this.revision;
    if (requested < this.compacted) throw new CompactedError(requested, this.compacted);
    return Math.min(requested, this.revision);
  }

  /** storage errors pass through; SQLite failures (I/O, disk full, closed) become UnavailableError */
  private async run<T>(body: () => T): Promise<T> {
    this.checkOpen();
    try {
      return body();
    } catch (err) {
      if (err instanceof StorageError || err instanceof RangeError) throw err;
      throw new UnavailableError(`sqlite: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new UnavailableError('store closed');
  }
}

/**
 * Opens the file in WAL mode with exclusive locking. Watches are fed in process, so one
 * process must own the file: a second store on it in this process is refused here.
 * (SQLite's WAL locks did not stop a second process in our checks; that stays the caller's duty.)
 */
function openOwned(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 2000');
    db.exec('BEGIN IMMEDIATE; COMMIT');
    return db;
  } catch (err) {
    db.close();
    const message = err instanceof Error ? err.message : String(err);
    throw new UnavailableError(`sqlite: cannot own ${path} (${message}); is another store using it?`);
  }
}

function range(prefix: string, startKey: string | undefined): { from: string; to: string } {
  return { from: rangeStart(prefix, startKey), to: prefixEnd(prefix) ?? NO_UPPER_BOUND };
}

function toKeyValue(row: Current): KeyValue {
  return { key: row.name, value: row.value ?? '', createRevision: row.create_revision, modRevision: row.id };
}

function liveValue(row: Current | undefined): KeyValue | undefined {
  return row && !row.deleted ? toKeyValue(row) : undefined;
}

function toEvent(row: Row): WatchEvent {
  const kv = toKeyValue(row);
  if (row.created) return { type: 'put', kv };
  const prevKv = { key: row.name, value: row.old_value ?? '', createRevision: row.create_revision, modRevision: row.prev_revision };
  return { type: row.deleted ? 'delete' : 'put', kv, prevKv };
}
