// What the playground benchmarks share (bench:propagation, bench:failover): `karmada-ts up` as its own
// process tree with this process only generating load, each component's CPU and RSS from the
// playground's control endpoint, creates at a fixed rate, percentiles, and the machine line.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { startPlaygroundProcess, type PlaygroundProcess } from '../../test/support/playground-process.js';
import { credentialsFromKubeconfig, KubeHttp, type KubeResponse } from './kube-https.js';

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round((sorted.at(-1) ?? 0) * 10) / 10 };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

/** cores, CPU model, RAM, OS, node and the load average now (the machine is shared: say how busy) */
export function machineLine(): string {
  const cpu = cpus();
  return `${cpu.length} x ${cpu[0]?.model ?? 'unknown cpu'}, ${mib(totalmem())} RAM, ${platform()} ${release()}, node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}

export function expect(res: KubeResponse, codes: number[], what: string): KubeResponse {
  if (!codes.includes(res.status)) throw new Error(`${what}: expected ${codes.join('/')}, got ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

/** the playground under test and what the report reads from it */
export interface Target {
  layout: string;
  karmada: KubeHttp;
  members: KubeHttp[];
  /** CPU ms so far, per process */
  cpu(): Promise<Map<string, number>>;
  /** RSS bytes now, per process */
  rss(): Promise<Map<string, number>>;
  stop(): Promise<void>;
  /** the `karmada-ts up` process (processes layout only) */
  playground?: PlaygroundProcess;
}

export type RawConfig = { members: unknown[] };

export interface ProcessTargetOptions {
  storage: string;
  /** more `up` flags (e.g. the cluster status thresholds) */
  upArgs?: string[];
  /** --cpu-prof into this directory */
  cpuProfDir?: string;
  /** run the TypeScript through tsx even when dist exists */
  source?: boolean;
  /** --max-old-space-size of every process (a hundred members holding 100,000 objects outgrow node's default) */
  heapMiB?: number;
}

/** `karmada-ts up` as its own process tree; this process is only the load generator */
export async function processTarget(config: RawConfig, root: string, opts: ProcessTargetOptions): Promise<Target> {
  const configFile = join(root, 'members.yaml');
  writeFileSync(configFile, stringify(config));
  // dist (after `npm run build`) as a user runs it; --source runs the TypeScript through tsx (profiles map to src/)
  const fromDist = !opts.source && existsSync(new URL('../../dist/cli/karmada-ts.js', import.meta.url));
  const pg = await startPlaygroundProcess(join(root, 'data'), join(root, 'kube'), {
    args: ['--config', configFile, '--storage', opts.storage, ...(opts.upArgs ?? [])],
    nodeArgs: [...(opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : []), ...(opts.heapMiB ? [`--max-old-space-size=${opts.heapMiB}`] : [])],
    dist: fromDist,
    // a hundred members take a while to start and join on a busy 2-core machine
    timeoutMs: Math.max(120_000, config.members.length * 6_000),
  });
  const components = await pg.components();
  const ms = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  return {
    layout: `processes (${components.map((c) => c.name).join(', ')}; load generator apart), ${fromDist ? 'from dist' : 'from source via tsx'}`,
    karmada: new KubeHttp(credentialsFromKubeconfig(readFileSync(pg.karmadaConfig, 'utf8')), { maxSockets: 16 }),
    members: (config.members as { name: string }[]).map((m) => new KubeHttp(credentialsFromKubeconfig(readFileSync(pg.membersConfig, 'utf8'), m.name), { maxSockets: 16 })),
    cpu: async () => new Map([...(await pg.components()).map((c) => [c.name, c.cpuUserMs + c.cpuSystemMs] as const), ['load generator', ms(process.cpuUsage())]]),
    rss: async () => new Map([...(await pg.components()).map((c) => [c.name, c.rssBytes] as const), ['load generator', process.memoryUsage().rss]]),
    playground: pg,
    stop: async () => {
      const code = await pg.kill('SIGINT');
      if (code !== 0) console.error(`karmada-ts up exited with ${code}:\n${pg.output().slice(-2000)}`);
    },
  };
}

export const cpuSince = (before: Map<string, number>, after: Map<string, number>) => new Map([...after].map(([n, ms]) => [n, ms - (before.get(n) ?? 0)]));

/** op(i) is started at start + i/rate whatever the earlier ones are doing; resolves when all have answered */
export async function atRate(perSec: number, total: number, op: (i: number) => Promise<void>): Promise<{ issuedPerSec: number }> {
  const interval = 1000 / perSec;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / interval) + 1);
    for (; i < due; i++) pending.push(op(i));
    await sleep(1);
  }
  const issuedIn = performance.now() - started;
  await Promise.all(pending);
  return { issuedPerSec: Math.round(total / (issuedIn / 1000)) };
}

export async function waitFor(what: string, done: () => boolean, limitMs: number, progress?: () => string): Promise<void> {
  const deadline = performance.now() + limitMs;
  let lastLog = performance.now();
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}${progress ? `: ${progress()}` : ''}`);
    if (progress && performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      console.error(`  ... ${what}: ${progress()}`);
    }
    await sleep(5);
  }
}
