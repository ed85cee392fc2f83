// Raw storage throughput and latency: the baseline the API-server benchmark compares against.
//   node --import tsx bench/storage.ts [--backend sqlite|etcd|memory] [--endpoints http://127.0.0.1:2379]
// For etcd without --endpoints a throwaway one-member cluster is started (its fsync included).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createStore, noCompaction, type Store } from '../src/storage/index.js';

export interface RawStoreOptions {
  /** key prefix the benchmark may fill (default: a fresh one under /registry/bench/) */
  prefix?: string;
  /** number of creates for the put figure (default 4000) */
  puts?: number;
  /** concurrent writers and readers (default 16) */
  concurrency?: number;
  /** keys listed in one unpaginated list (default 10000) */
  listKeys?: number;
  /** writes timed from call to watch delivery (default 300) */
  watchSamples?: number;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

export interface RawStoreFigures {
  putsPerSec: number;
  getsPerSec: number;
  /** one list of listKeys keys, ms */
  listLatencyMs: Latency;
  /** the same keys paged with limit=500, whole walk, ms */
  listPaged500Ms: number;
  /** from the create() call to the event reaching the watch handler, ms */
  watchDeliveryMs: Latency;
}

export function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** runs `total` operations on `concurrency` workers; returns operations per second */
export async function throughput(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
  return Math.round(total / ((performance.now() - started) / 1000));
}

export async function measurePuts(store: Store, prefix: string, total: number, concurrency = 16): Promise<number> {
  return throughput(total, concurrency, (i) => store.create(`${prefix}put/${String(i).padStart(8, '0')}`, JSON.stringify({ i, spec: { replicas: 1 } })));
}

export async function measureGets(store: Store, prefix: string, total: number, concurrency = 16): Promise<number> {
  return throughput(total, concurrency, (i) => store.get(`${prefix}put/${String(i).padStart(8, '0')}`));
}

export async function measureList(store: Store, prefix: string, keys: number, concurrency = 16): Promise<{ latency: Latency; paged500Ms: number }> {
  const listPrefix = `${prefix}list/`;
  const value = JSON.stringify({ metadata: { labels: { app: 'bench' } }, spec: { replicas: 1, template: { containers: [{ image: 'nginx' }] } } });
  await throughput(keys, concurrency, (i) => store.create(`${listPrefix}${String(i).padStart(8, '0')}`, value));
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const res = await store.list(listPrefix);
    samples.push(performance.now() - started);
    if (res.items.length !== keys) throw new Error(`listed ${res.items.length} of ${keys} keys`);
  }
  const started = performance.now();
  let page = await store.list(listPrefix, { limit: 500 });
  while (page.more) page = await store.list(listPrefix, { limit: 500, revision: page.revision, startKey: `${page.items.at(-1)!.key}\u0000` });
  return { latency: latency(samples), paged500Ms: round(performance.now() - started) };
}

export async function measureWatchDelivery(store: Store, prefix: string, samples: number): Promise<Latency> {
  const watchPrefix = `${prefix}watch/`;
  const sentAt = new Map<string, number>();
  const delays: number[] = [];
  let notify: () => void = () => {};
  const watcher = store.watch(watchPrefix, { afterRevision: await store.currentRevision() }, {
    onEvents(events) {
      const now = performance.now();
      for (const e of events) {
        const t = sentAt.get(e.kv.key);
        if (t !== undefined) delays.push(now - t);
      }
      notify();
    },
    onError(err) {
      throw err;
    },
  });
  try {
    for (let i = 0; i < samples; i++) {
      const key = `${watchPrefix}${i}`;
      const delivered = new Promise<void>((resolve) => (notify = resolve));
      sentAt.set(key, performance.now());
      await store.create(key, '{}');
      await Promise.race([delivered, new Promise((r) => setTimeout(r, 5000))]);
    }
  } finally {
    watcher.stop();
  }
  if (delays.length !== samples) throw new Error(`watch delivered ${delays.length} of ${samples} events`);
  return latency(delays);
}

export async function measureRawStore(store: Store, opts: RawStoreOptions = {}): Promise<RawStoreFigures> {
  const prefix = opts.prefix ?? `/registry/bench/${Date.now().toString(36)}/`;
  const concurrency = opts.concurrency ?? 16;
  const puts = opts.puts ?? 4000;
  const putsPerSec = await measurePuts(store, prefix, puts, concurrency);
  const getsPerSec = await measureGets(store, prefix, puts, concurrency);
  const list = await measureList(store, prefix, opts.listKeys ?? 10_000, concurrency);
  const watchDeliveryMs = await measureWatchDelivery(store, prefix, opts.watchSamples ?? 300);
  return { putsPerSec, getsPerSec, listLatencyMs: list.latency, listPaged500Ms: list.paged500Ms, watchDeliveryMs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { backend: { type: 'string', default: 'sqlite' }, endpoints: { type: 'string' }, synchronous: { type: 'string' } } });
  const cleanups: Array<() => Promise<void>> = [];
  let store: Store;
  let note = '';
  switch (values.backend) {
    case 'memory':
      store = await createStore({ backend: 'memory' });
      break;
    case 'sqlite': {
      const dir = mkdtempSync(join(tmpdir(), 'karmada-ts-bench-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      const synchronous = values.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL';
      store = await createStore({ backend: 'sqlite', path: join(dir, 'bench.db'), synchronous, compaction: noCompaction });
      note = `synchronous=${synchronous}, file in ${tmpdir()}`;
      break;
    }
    case 'etcd': {
      let endpoints = values.endpoints?.split(',');
      if (!endpoints) {
        const { startEtcd } = await import('../src/storage/etcd/local.js');
        const cluster = await startEtcd({ members: 1 });
        cleanups.push(() => cluster.stop());
        endpoints = cluster.endpoints;
        note = 'throwaway one-member etcd on this machine';
      }
      store = await createStore({ backend: 'etcd', endpoints, compaction: noCompaction });
      break;
    }
    default:
      throw new Error(`unknown backend ${values.backend}: use memory, sqlite or etcd`);
  }
  try {
    const figures = await measureRawStore(store);
    console.log(`storage benchmark: ${values.backend}${note ? ` (${note})` : ''}`);
    console.log(`  puts/s (16 concurrent creates)   ${figures.putsPerSec}`);
    console.log(`  gets/s (16 concurrent)           ${figures.getsPerSec}`);
    console.log(`  list 10k keys, ms                p50 ${figures.listLatencyMs.p50}  p99 ${figures.listLatencyMs.p99}`);
    console.log(`  list 10k keys by 500, ms         ${figures.listPaged500Ms}`);
    console.log(`  watch delivery, ms               p50 ${figures.watchDeliveryMs.p50}  p99 ${figures.watchDeliveryMs.p99}  max ${figures.watchDeliveryMs.max}`);
  } finally {
    await store.close();
    for (const c of cleanups) await c();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
