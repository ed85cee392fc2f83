// Entry point of the storage layer: the contract and a factory for its backends.
// Backends load lazily, so a memory-only user never loads SQLite or gRPC.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CompactionOptions } from './compactor.js';
import type { Store } from './store.js';

export * from './store.js';
export { defaultCompaction, noCompaction, type CompactionOptions } from './compactor.js';
export { MemoryStore } from './memory/memory.js';

export type StoreOptions =
  | { backend: 'memory'; compaction?: CompactionOptions }
  /** synchronous FULL (default) fsyncs every write; NORMAL survives process crashes but not power loss */
  | { backend: 'sqlite'; path: string; synchronous?: 'FULL' | 'NORMAL'; compaction?: CompactionOptions }
  /** callTimeoutMs: deadline of every etcd call (default 4000) */
  | { backend: 'etcd'; endpoints: string[]; callTimeoutMs?: number; compaction?: CompactionOptions };

/**
 * Opens a store. Automatic compaction (every 5 min, keeping >= 1000 revisions) is on by default
 * for sqlite and etcd and off for memory; pass `compaction` to change it (noCompaction turns it off).
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  switch (options.backend) {
    case 'memory': {
      const { MemoryStore } = await import('./memory/memory.js');
      return new MemoryStore({ compaction: options.compaction });
    }
    case 'sqlite': {
      const { SqliteStore } = await import('./sqlite/sqlite.js');
      if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
      return new SqliteStore(options);
    }
    case 'etcd': {
      const { EtcdStore } = await import('./etcd/etcd.js');
      return new EtcdStore(options);
    }
  }
}
