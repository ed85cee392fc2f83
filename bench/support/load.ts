// Load shapes the API-server benchmark applies both over HTTP and to the raw store, so the two
// sides of every ratio are measured the same way.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Store } from '../../src/storage/index.js';
import { latency, throughput, type Latency } from '../storage.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FixedRateResult {
  latencyMs: Latency;
  /** operations actually started per second (below the target when the generator itself lagged) */
  achievedPerSec: number;
  errors: number;
}

/**
 * Open-loop load: operation i is due at start + i/rate, whatever happened to the ones before.
 * Latency counts from the due time, so a stalled server cannot hide its queue (no coordinated omission).
 */
export async function fixedRate(perSec: number, total: number, op: (i: number) => Promise<unknown>): Promise<FixedRateResult> {
  const interval = 1000 / perSec;
  const samples: number[] = [];
  const pending: Array<Promise<void>> = [];
  let errors = 0;
  const started = performance.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / interval) + 1);
    for (; i < due; i++) {
      const dueAt = started + i * interval;
      pending.push(
        op(i).then(
          () => void samples.push(performance.now() - dueAt),
          () => void errors++,
        ),
      );
    }
    await sleep(1);
  }
  const issuedIn = performance.now() - started;
  await Promise.all(pending);
  return { latencyMs: latency(samples), achievedPerSec: Math.round(total / (issuedIn / 1000)), errors };
}

/** compare-and-swap updates of keys `${prefix}put/<i>` written by measurePuts, `concurrency` at a time */
export async function measureRawUpdates(store: Store, prefix: string, total: number, concurrency = 16): Promise<number> {
  const revs = new Map<number, number>();
  for (const kv of (await store.list(`${prefix}put/`)).items) revs.set(Number(kv.key.slice(-8)), kv.modRevision);
  return throughput(total, concurrency, async (i) => {
    const key = `${prefix}put/${String(i).padStart(8, '0')}`;
    const kv = await store.update(key, JSON.stringify({ i, spec: { replicas: 2 } }), revs.get(i)!);
    revs.set(i, kv.modRevision);
  });
}

/** one write at a time; from the create() call returning to the event reaching all `watchers` store watches */
export async function measureRawFanout(store: Store, prefix: string, watchers: number, samples: number): Promise<Latency> {
  const fanPrefix = `${prefix}fanout/`;
  const arrivals = new Map<string, { count: number; last: number }>();
  const from = await store.currentRevision();
  const handles = Array.from({ length: watchers }, () =>
    store.watch(fanPrefix, { afterRevision: from }, {
      onEvents(events) {
        const now = performance.now();
        for (const e of events) {
          const a = arrivals.get(e.kv.key) ?? { count: 0, last: 0 };
          a.count++;
          a.last = now;
          arrivals.set(e.kv.key, a);
        }
      },
      onError(err) {
        throw err;
      },
    }),
  );
  const delays: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const key = `${fanPrefix}${i}`;
      await store.create(key, '{}');
      const ackAt = performance.now();
      const deadline = ackAt + 5000;
      while ((arrivals.get(key)?.count ?? 0) < watchers && performance.now() < deadline) await new Promise((r) => setImmediate(r));
      const a = arrivals.get(key);
      if (!a || a.count < watchers) throw new Error(`raw fan-out: ${a?.count ?? 0} of ${watchers} watchers got ${key}`);
      delays.push(Math.max(0, a.last - ackAt));
    }
  } finally {
    for (const h of handles) h.stop();
  }
  return latency(delays);
}

/** CPU time of a process in ms (user + system), from /proc (Linux); undefined elsewhere */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], fields[12]: utime, stime in clock ticks (100 per second on Linux)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

export interface CpuShare {
  /** percent of one core each process was busy while `fn` ran */
  serverPct?: number;
  clientPct: number;
}

/** runs fn and reports how busy the server process and this (client) process were meanwhile */
export async function withCpuShare<T>(serverPid: number | undefined, fn: () => Promise<T>): Promise<{ value: T; cpu: CpuShare }> {
  const started = performance.now();
  const client0 = process.cpuUsage();
  const server0 = serverPid === undefined ? undefined : processCpuMs(serverPid);
  const value = await fn();
  const wall = performance.now() - started;
  const client = process.cpuUsage(client0);
  const server1 = serverPid === undefined ? undefined : processCpuMs(serverPid);
  const pct = (ms: number) => Math.round((ms / wall) * 100);
  return {
    value,
    cpu: { clientPct: pct((client.user + client.system) / 1000), serverPct: server0 !== undefined && server1 !== undefined ? pct(server1 - server0) : undefined },
  };
}
