// The storage contract every backend keeps (model: etcd's KV and kine's log).
// One global revision counts every write; it is the resourceVersion users see.
// Semantics live here and in the conformance suite, so backends stay small.

export interface KeyValue {
  key: string;
  /** the stored bytes, as UTF-8 text (JSON objects without resourceVersion) */
  value: string;
  /** revision of the write that created this key (since its last deletion) */
  createRevision: number;
  /** revision of the write that produced this value: the object's resourceVersion */
  modRevision: number;
}

export interface ListOptions {
  /** at most this many items (0 or undefined: no limit) */
  limit?: number;
  /** list keys >= startKey (a continue token carries the next key) */
  startKey?: string;
  /** list as of this revision (0 or undefined: the current one). Older than the compacted revision: CompactedError */
  revision?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** the revision the list was read at */
  revision: number;
  /** true when items stopped at `limit` and more keys under the prefix remain */
  more: boolean;
}

export type WatchEventType = 'put' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** the key as written; for a delete, value is the last value before deletion */
  kv: KeyValue;
  /** the value before this event (absent for a create) */
  prevKv?: KeyValue;
}

export interface WatchOptions {
  /** deliver every event with revision > afterRevision, in order, once. Older than the compacted window: onError(CompactedError) */
  afterRevision: number;
}

export interface Watcher {
  stop(): void;
}

export interface WatchHandlers {
  /** events come in revision order; a batch holds events of increasing revisions */
  onEvents(events: WatchEvent[]): void;
  /** the watch ended and will deliver nothing more (compaction, backend failure, close) */
  onError(err: Error): void;
}

export interface Store {
  /** the revision of the newest write (0 for an empty store) */
  currentRevision(): Promise<number>;
  /** the oldest revision still readable and watchable from */
  compactedRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  /** create-if-absent; KeyExistsError if the key holds a value */
  create(key: string, value: string): Promise<KeyValue>;
  /** compare-and-swap: succeeds only if the key's modRevision is expectedModRevision. ConflictError otherwise (with the current value); NotFoundError if absent */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  /** delete, optionally only if modRevision matches; returns the deleted value with the delete's revision as modRevision */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  /** keys with the given prefix, in key order */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** number of live keys under the prefix */
  count(prefix: string): Promise<number>;
  watch(prefix: string, options: WatchOptions, handlers: WatchHandlers): Watcher;
  /** forget history at or below `revision` (the latest value of each live key is kept) */
  compact(revision: number): Promise<void>;
  /** true while the backend can serve reads and writes */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
export class KeyExistsError extends StorageError {
  constructor(readonly key: string) {
    super(`key exists: ${key}`);
  }
}
export class NotFoundError extends StorageError {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}
export class ConflictError extends StorageError {
  constructor(readonly key: string, readonly current: KeyValue | undefined) {
    super(`revision mismatch for ${key}`);
  }
}
export class CompactedError extends StorageError {
  constructor(readonly requested: number, readonly compacted: number) {
    super(`required revision ${requested} has been compacted (oldest available ${compacted})`);
  }
}
/** the backend cannot be reached or failed; the API answers 5xx */
export class UnavailableError extends StorageError {}
