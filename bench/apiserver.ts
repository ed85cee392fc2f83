// The API server's throughput and latency over HTTPS, each beside the raw store it runs on.
//   npm run bench:apiserver -- [--storage sqlite|etcd|memory] [--profile DIR] [--json] [--quick]
//   npm run bench:apiserver -- --rbac [--quick]   only the cost of RBAC (bench/support/rbac-cost.ts)
// The server runs as `karmada-ts apiserver` in a child process (its own event loop, as in production);
// this process is the clients: 16 keep-alive HTTPS connections with the admin certificate.
// Each phase runs on the raw store first, then through the server, so both sides of a ratio see the
// same moment of a shared machine. For etcd a throwaway one-member cluster serves both.
// --profile DIR runs the server under `node --cpu-prof` and prints its hottest functions.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ProtobufCodec, protobufMediaType } from '../src/apimachinery/protobuf/index.js';
import { builtinSchemas } from '../src/apiserver/openapi/schemas.js';
import { createStore, noCompaction, type Store } from '../src/storage/index.js';
import { startApiServerProcess, type ApiServerProcess } from '../test/support/apiserver-process.js';
import { configMap, credentialsFromDataDir, KubeHttp, type KubeResponse } from './support/kube-https.js';
import { fixedRate, measureRawFanout, measureRawUpdates, withCpuShare, type CpuShare, type FixedRateResult } from './support/load.js';
import { inclusiveFunctions, topFunctions } from './support/cpuprofile.js';
import { latency, measureGets, measureList, measurePuts, measureWatchDelivery, throughput, type Latency, type RawStoreFigures } from './storage.js';

export interface BenchSizes {
  /** creates, then updates and gets of the same objects */
  objects: number;
  concurrency: number;
  listObjects: number;
  listSamples: number;
  fixedRatePerSec: number;
  fixedRateTotal: number;
  watchers: number;
  watchSamples: number;
}

export const defaultSizes: BenchSizes = {
  objects: 4000,
  concurrency: 16,
  listObjects: 10_000,
  listSamples: 10,
  fixedRatePerSec: 500,
  fixedRateTotal: 5000,
  watchers: 100,
  watchSamples: 200,
};

const quickSizes: BenchSizes = { ...defaultSizes, objects: 500, listObjects: 1000, listSamples: 5, fixedRateTotal: 1000, watchSamples: 50 };

export interface ApiFigures {
  createsPerSec: number;
  updatesPerSec: number;
  getsPerSec: number;
  /** one unpaginated list; a message when it failed */
  listLatencyMs: Latency | string;
  /** the whole list walked with limit=500 and continue tokens (as kubectl get does) */
  listPaged500Ms: Latency;
  fixedRate: FixedRateResult;
  /** from the writer receiving its acknowledgment to the event reaching the last of the watchers */
  watchFromAckMs: Latency;
  /** from the writer sending the request to the event reaching the last of the watchers */
  watchFromSendMs: Latency;
  /** how busy the server and the client (this process) were in each phase */
  cpu: Record<string, CpuShare>;
  /** the same operations with protobuf bodies and answers (as Go clients and kubectl generators send), same run */
  protobuf: ProtobufFigures;
}

export interface ProtobufFigures {
  createsPerSec: number;
  getsPerSec: number;
  /** one unpaginated list of the same objects the JSON list reads */
  listLatencyMs: Latency;
  /** a ConfigMap as a GET returns it, and a list's bytes divided by its objects */
  bytesPerObject: { json: number; protobuf: number; jsonInList: number; protobufInList: number };
}

export interface RawFigures extends RawStoreFigures {
  updatesPerSec: number;
  fixedRate: FixedRateResult;
  fanoutFromAckMs: Latency;
}

const cmPath = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
const pad = (i: number) => String(i).padStart(8, '0');

function expect(res: KubeResponse, code: number, what: string): KubeResponse {
  if (res.status !== code) throw new Error(`${what}: expected ${code}, got ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

async function createNamespace(client: KubeHttp, name: string): Promise<void> {
  const res = await client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (res.status !== 201 && res.status !== 409) expect(res, 201, `create namespace ${name}`);
}

export type Phase = 'creates' | 'updates' | 'gets' | 'list' | 'rate' | 'watch' | 'protobuf';

export interface ApiBenchOptions {
  log?: (s: string) => void;
  /** the server's pid, to report its CPU use per phase */
  serverPid?: number;
  /** runs right before each phase: the raw-store counterpart, so both sides see the same machine moment */
  before?: (phase: Phase) => Promise<void>;
}

export async function measureApiServer(client: KubeHttp, sizes: BenchSizes, opts: ApiBenchOptions = {}): Promise<ApiFigures> {
  const log = opts.log ?? (() => {});
  const cpu: Record<string, CpuShare> = {};
  const phase = async <T>(name: Phase, fn: () => Promise<T>): Promise<T> => {
    await opts.before?.(name);
    log(`apiserver: ${name}`);
    const { value, cpu: share } = await withCpuShare(opts.serverPid, fn);
    cpu[name] = share;
    return value;
  };
  const run = Date.now().toString(36);
  const ns = (what: string) => `bench-${what}-${run}`;
  for (const what of ['warm', 'crud', 'list', 'rate', 'watch', 'pb']) await createNamespace(client, ns(what));
  const { concurrency, objects } = sizes;
  log('apiserver: warm-up (not measured)');
  await throughput(1000, concurrency, async (i) => {
    const res = expect(await client.post(cmPath(ns('warm')), configMap(`w-${pad(i)}`, { key: 'value' }, ns('warm'))), 201, 'warm-up create');
    expect(await client.put(`${cmPath(ns('warm'))}/w-${pad(i)}`, { ...res.body, data: { key: 'changed' } }), 200, 'warm-up update');
    expect(await client.get(`${cmPath(ns('warm'))}/w-${pad(i)}`), 200, 'warm-up get');
  });

  const rvs: string[] = [];
  const createsPerSec = await phase('creates', () =>
    throughput(objects, concurrency, async (i) => {
      const res = expect(await client.post(cmPath(ns('crud')), configMap(`c-${pad(i)}`, { key: 'value', i: String(i) }, ns('crud'))), 201, 'create');
      rvs[i] = res.body.metadata.resourceVersion;
    }),
  );
  const updatesPerSec = await phase('updates', () =>
    throughput(objects, concurrency, async (i) => {
      const name = `c-${pad(i)}`;
      expect(await client.put(`${cmPath(ns('crud'))}/${name}`, configMap(name, { key: 'changed', i: String(i) }, ns('crud'), rvs[i])), 200, 'update');
    }),
  );
  const getsPerSec = await phase('gets', () =>
    throughput(objects, concurrency, async (i) => {
      expect(await client.get(`${cmPath(ns('crud'))}/c-${pad(i)}`), 200, 'get');
    }),
  );

  const list = await phase('list', async () => {
    log(`apiserver: filling ${sizes.listObjects} for the list`);
    await throughput(sizes.listObjects, concurrency, async (i) => {
      expect(await client.post(cmPath(ns('list')), configMap(`l-${pad(i)}`, { key: 'value' }, ns('list'))), 201, 'create for list');
    });
    return measureApiList(client, ns('list'), sizes);
  });

  const rate = await phase('rate', () =>
    fixedRate(sizes.fixedRatePerSec, sizes.fixedRateTotal, async (i) => {
      expect(await client.post(cmPath(ns('rate')), configMap(`r-${pad(i)}`, { key: 'value' }, ns('rate'))), 201, 'fixed-rate create');
    }),
  );
  const watch = await phase('watch', () => measureWatchFanout(client, ns('watch'), sizes.watchers, sizes.watchSamples));
  const protobuf = await phase('protobuf', () => measureProtobuf(client, ns('pb'), ns('list'), sizes));
  return { createsPerSec, updatesPerSec, getsPerSec, ...list, fixedRate: rate, ...watch, cpu, protobuf };
}

/**
 * Creates and gets with protobuf bodies and answers, decoded by the client as a Go client does; the
 * unpaginated list of the list phase's objects in protobuf; and the bytes an object costs either way.
 */
async function measureProtobuf(client: KubeHttp, namespace: string, listNamespace: string, sizes: BenchSizes): Promise<ProtobufFigures> {
  const codec = new ProtobufCodec(builtinSchemas());
  const pb = { contentType: protobufMediaType, accept: `${protobufMediaType}, */*` };
  const decode = (res: KubeResponse) => codec.decode(res.bytes) as { metadata: { resourceVersion: string }; items?: unknown[] };
  const { concurrency, objects } = sizes;
  const createsPerSec = await throughput(objects, concurrency, async (i) => {
    const body = codec.encode(configMap(`p-${pad(i)}`, { key: 'value', i: String(i) }, namespace) as Record<string, unknown>);
    decode(expect(await client.post(cmPath(namespace), body, pb), 201, 'protobuf create'));
  });
  const getsPerSec = await throughput(objects, concurrency, async (i) => {
    decode(expect(await client.get(`${cmPath(namespace)}/p-${pad(i)}`, pb), 200, 'protobuf get'));
  });
  const listOnce = async () => {
    const started = performance.now();
    const res = expect(await client.get(cmPath(listNamespace), { ...pb, timeoutMs: 120_000 }), 200, 'protobuf list');
    const n = decode(res).items?.length;
    if (n !== sizes.listObjects) throw new Error(`listed ${n} of ${sizes.listObjects} in protobuf`);
    return { ms: performance.now() - started, bytes: res.bytes.length };
  };
  await listOnce();
  const samples: number[] = [];
  let listBytes = 0;
  for (let s = 0; s < sizes.listSamples; s++) {
    const one = await listOnce();
    samples.push(one.ms);
    listBytes = one.bytes;
  }
  const jsonList = expect(await client.get(cmPath(listNamespace), { timeoutMs: 120_000 }), 200, 'json list');
  const one = `${cmPath(namespace)}/p-${pad(0)}`;
  return {
    createsPerSec,
    getsPerSec,
    listLatencyMs: latency(samples),
    bytesPerObject: {
      json: expect(await client.get(one), 200, 'json get').bytes.length,
      protobuf: expect(await client.get(one, pb), 200, 'protobuf get').bytes.length,
      jsonInList: Math.round(jsonList.bytes.length / sizes.listObjects),
      protobufInList: Math.round(listBytes / sizes.listObjects),
    },
  };
}

/** one unpaginated list of the namespace (an error message if the server cannot serve it), and the walk with limit=500 kubectl does */
async function measureApiList(client: KubeHttp, namespace: string, sizes: BenchSizes): Promise<{ listLatencyMs: Latency | string; listPaged500Ms: Latency }> {
  const timeOne = async (fn: () => Promise<number>) => {
    const started = performance.now();
    const n = await fn();
    if (n !== sizes.listObjects) throw new Error(`listed ${n} of ${sizes.listObjects}`);
    return performance.now() - started;
  };
  const whole = async () => expect(await client.get(cmPath(namespace), { timeoutMs: 120_000 }), 200, 'list').body.items.length as number;
  const paged = async () => {
    let n = 0;
    let token = '';
    do {
      const res = expect(await client.get(`${cmPath(namespace)}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`), 200, 'paged list');
      n += res.body.items.length;
      token = res.body.metadata.continue ?? '';
    } while (token);
    return n;
  };
  await timeOne(paged);
  const pagedSamples: number[] = [];
  for (let s = 0; s < sizes.listSamples; s++) pagedSamples.push(await timeOne(paged));
  let listLatencyMs: Latency | string;
  try {
    await timeOne(whole); // warm-up
    const samples: number[] = [];
    for (let s = 0; s < sizes.listSamples; s++) samples.push(await timeOne(whole));
    listLatencyMs = latency(samples);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    listLatencyMs = `FAILED: ${/"message":"([^"]*)"/.exec(message)?.[1] ?? message}`;
    // the etcd client's circuit breaker opens for 5 s after repeated failures: let it close again
    await new Promise((r) => setTimeout(r, 6000));
  }
  return { listLatencyMs, listPaged500Ms: latency(pagedSamples) };
}

/** `watchers` HTTP watches on one namespace; one write at a time; when does the last watcher see it? */
async function measureWatchFanout(client: KubeHttp, namespace: string, watchers: number, samples: number): Promise<{ watchFromAckMs: Latency; watchFromSendMs: Latency }> {
  const start = expect(await client.get(cmPath(namespace)), 200, 'list before watch');
  const arrivals = new Map<string, { count: number; last: number }>();
  const streams = Array.from({ length: watchers }, () =>
    client.watch(`${cmPath(namespace)}?watch=1&resourceVersion=${start.body.metadata.resourceVersion}`, (ev, at) => {
      const name: string = ev.object?.metadata?.name ?? '';
      const a = arrivals.get(name) ?? { count: 0, last: 0 };
      a.count++;
      a.last = at;
      arrivals.set(name, a);
    }),
  );
  try {
    const codes = await Promise.all(streams.map((s) => s.ready));
    if (codes.some((c) => c !== 200)) throw new Error(`watch answered ${codes.find((c) => c !== 200)}`);
    const fromAck: number[] = [];
    const fromSend: number[] = [];
    for (let i = 0; i < samples; i++) {
      const name = `w-${pad(i)}`;
      const sentAt = performance.now();
      expect(await client.post(cmPath(namespace), configMap(name, { key: 'value' }, namespace)), 201, 'create for watch');
      const ackAt = performance.now();
      const deadline = ackAt + 5000;
      while ((arrivals.get(name)?.count ?? 0) < watchers && performance.now() < deadline) await new Promise((r) => setTimeout(r, 0));
      const a = arrivals.get(name);
      if (!a || a.count < watchers) throw new Error(`${a?.count ?? 0} of ${watchers} watchers got ${name} within 5 s`);
      fromAck.push(Math.max(0, a.last - ackAt));
      fromSend.push(a.last - sentAt);
    }
    return { watchFromAckMs: latency(fromAck), watchFromSendMs: latency(fromSend) };
  } finally {
    for (const s of streams) s.stop();
  }
}

/** the raw store's side of each phase, measured the same way (the building blocks of measureRawStore) */
export function rawPhases(store: Store, sizes: BenchSizes, log: (s: string) => void = () => {}): { run(phase: Phase): Promise<void>; figures(): RawFigures } {
  const prefix = `/registry/bench/${Date.now().toString(36)}/`;
  const f: Partial<RawFigures> = {};
  const { objects, concurrency } = sizes;
  return {
    figures: () => f as RawFigures,
    async run(phase) {
      log(`raw store: ${phase}`);
      switch (phase) {
        case 'creates':
          f.putsPerSec = await measurePuts(store, prefix, objects, concurrency);
          break;
        case 'updates':
          f.updatesPerSec = await measureRawUpdates(store, prefix, objects, concurrency);
          break;
        case 'gets':
          f.getsPerSec = await measureGets(store, prefix, objects, concurrency);
          break;
        case 'list': {
          const l = await measureList(store, prefix, sizes.listObjects, concurrency);
          f.listLatencyMs = l.latency;
          f.listPaged500Ms = l.paged500Ms;
          break;
        }
        case 'rate':
          f.fixedRate = await fixedRate(sizes.fixedRatePerSec, sizes.fixedRateTotal, (i) => store.create(`${prefix}rate/${pad(i)}`, JSON.stringify({ i })));
          break;
        case 'watch':
          f.watchDeliveryMs = await measureWatchDelivery(store, prefix, sizes.watchSamples);
          f.fanoutFromAckMs = await measureRawFanout(store, prefix, sizes.watchers, sizes.watchSamples);
          break;
      }
    },
  };
}

export function machineFacts(): string[] {
  const cpu = cpus();
  return [
    `CPU: ${cpu[0]?.model ?? 'unknown'} x ${cpu.length} cores`,
    `Node ${process.version}, ${process.platform} ${release()}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  ];
}

interface Row {
  metric: string;
  api: string;
  raw: string;
  ratio: string;
  target: string;
}

export function report(api: ApiFigures, raw: RawFigures, sizes: BenchSizes): Row[] {
  const n = (x: number) => x.toLocaleString('en-US');
  const lat = (l: Latency) => `p50 ${l.p50} / p99 ${l.p99}`;
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  return [
    { metric: `creates/s (${sizes.concurrency} keep-alive clients)`, api: n(api.createsPerSec), raw: n(raw.putsPerSec), ratio: ratio(api.createsPerSec, raw.putsPerSec), target: `>= 2,000: ${verdict(api.createsPerSec >= 2000)}` },
    { metric: `updates/s (${sizes.concurrency} clients)`, api: n(api.updatesPerSec), raw: n(raw.updatesPerSec), ratio: ratio(api.updatesPerSec, raw.updatesPerSec), target: '' },
    { metric: `gets/s (${sizes.concurrency} clients)`, api: n(api.getsPerSec), raw: n(raw.getsPerSec), ratio: ratio(api.getsPerSec, raw.getsPerSec), target: '' },
    typeof api.listLatencyMs === 'string'
      ? { metric: `list ${n(sizes.listObjects)} objects, ms`, api: api.listLatencyMs.slice(0, 90), raw: lat(raw.listLatencyMs), ratio: '', target: '' }
      : { metric: `list ${n(sizes.listObjects)} objects, ms`, api: lat(api.listLatencyMs), raw: lat(raw.listLatencyMs), ratio: `p50 ${ratio(api.listLatencyMs.p50, raw.listLatencyMs.p50)}`, target: '' },
    { metric: `list ${n(sizes.listObjects)} by limit=500, ms`, api: lat(api.listPaged500Ms), raw: String(raw.listPaged500Ms), ratio: `p50 ${ratio(api.listPaged500Ms.p50, raw.listPaged500Ms)}`, target: '' },
    {
      metric: `write latency at ${sizes.fixedRatePerSec}/s, ms`,
      api: `${lat(api.fixedRate.latencyMs)} (${n(api.fixedRate.achievedPerSec)}/s, ${api.fixedRate.errors} err)`,
      raw: lat(raw.fixedRate.latencyMs),
      ratio: `p99 ${ratio(api.fixedRate.latencyMs.p99, raw.fixedRate.latencyMs.p99)}`,
      target: `p99 < 20: ${verdict(api.fixedRate.latencyMs.p99 < 20 && api.fixedRate.errors === 0)}`,
    },
    {
      metric: `watch, ack -> all ${sizes.watchers} watchers, ms`,
      api: lat(api.watchFromAckMs),
      raw: lat(raw.fanoutFromAckMs),
      ratio: `p99 ${ratio(api.watchFromAckMs.p99, raw.fanoutFromAckMs.p99)}`,
      target: `p99 < 50: ${verdict(api.watchFromAckMs.p99 < 50)}`,
    },
    { metric: `watch, send -> all ${sizes.watchers} watchers, ms`, api: lat(api.watchFromSendMs), raw: `1 watcher ${lat(raw.watchDeliveryMs)}`, ratio: '', target: '' },
  ];
}

/** protobuf beside JSON, both measured in this run */
export function protobufReport(api: ApiFigures, sizes: BenchSizes): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lat = (l: Latency) => `p50 ${l.p50} / p99 ${l.p99}`;
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
  const pb = api.protobuf;
  const jsonList = typeof api.listLatencyMs === 'string' ? undefined : api.listLatencyMs;
  const b = pb.bytesPerObject;
  const rows = [
    ['metric', 'JSON', 'protobuf', 'protobuf / JSON'],
    [`creates/s (${sizes.concurrency} clients)`, n(api.createsPerSec), n(pb.createsPerSec), ratio(pb.createsPerSec, api.createsPerSec)],
    [`gets/s (${sizes.concurrency} clients)`, n(api.getsPerSec), n(pb.getsPerSec), ratio(pb.getsPerSec, api.getsPerSec)],
    [`list ${n(sizes.listObjects)} objects, ms`, jsonList ? lat(jsonList) : String(api.listLatencyMs).slice(0, 40), lat(pb.listLatencyMs), jsonList ? `p50 ${ratio(pb.listLatencyMs.p50, jsonList.p50)}` : ''],
    ['bytes per ConfigMap (GET)', n(b.json), n(b.protobuf), ratio(b.protobuf, b.json)],
    ['bytes per ConfigMap (in a list)', n(b.jsonInList), n(b.protobufInList), ratio(b.protobufInList, b.jsonInList)],
  ];
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
  return [line(rows[0]), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export function formatTable(rows: Row[]): string {
  const head: Row = { metric: 'metric', api: 'apiserver', raw: 'raw store', ratio: 'ratio', target: 'target' };
  const all = [head, ...rows];
  const keys = Object.keys(head) as Array<keyof Row>;
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...all.map((r) => r[k].length))])) as Record<keyof Row, number>;
  const line = (r: Row) => `| ${keys.map((k) => r[k].padEnd(width[k])).join(' | ')} |`;
  return [line(head), `|${keys.map((k) => '-'.repeat(width[k] + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { storage: { type: 'string', default: 'sqlite' }, profile: { type: 'string' }, json: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false }, rbac: { type: 'boolean', default: false } } });
  if (values.rbac) return rbacCostSection(values.quick!);
  const storage = values.storage!;
  const sizes = values.quick ? quickSizes : defaultSizes;
  const log = (s: string) => process.stderr.write(`  .. ${s}\n`);
  const cleanups: Array<() => Promise<void>> = [];
  const dir = mkdtempSync(join(tmpdir(), 'karmada-ts-bench-apiserver-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  let server: ApiServerProcess | undefined;
  let client: KubeHttp | undefined;
  try {
    let raw: Store;
    let serverArgs: string[];
    let note: string;
    switch (storage) {
      case 'sqlite':
        raw = await createStore({ backend: 'sqlite', path: join(dir, 'raw', 'state.db'), compaction: noCompaction });
        serverArgs = ['--storage', 'sqlite'];
        note = `synchronous=FULL, files in ${tmpdir()}`;
        break;
      case 'memory':
        raw = await createStore({ backend: 'memory' });
        serverArgs = ['--storage', 'memory'];
        note = 'in-process memory store';
        break;
      case 'etcd': {
        const { startEtcd } = await import('../src/storage/etcd/local.js');
        const cluster = await startEtcd({ members: 1 });
        cleanups.unshift(() => cluster.stop());
        raw = await createStore({ backend: 'etcd', endpoints: cluster.endpoints, compaction: noCompaction });
        serverArgs = ['--storage', 'etcd', '--etcd-servers', cluster.endpoints.join(',')];
        note = 'throwaway one-member etcd on this machine (fsync included)';
        break;
      }
      default:
        throw new Error(`unknown storage ${storage}: use sqlite, etcd or memory`);
    }
    cleanups.unshift(() => raw.close());

    const serverDir = join(dir, 'apiserver');
    const profileDir = values.profile;
    server = await startApiServerProcess(serverDir, serverArgs, { nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
    client = new KubeHttp(credentialsFromDataDir(server.url, serverDir), { maxSockets: sizes.concurrency });
    const rawSide = rawPhases(raw, sizes, log);
    const apiFigures = await measureApiServer(client, sizes, { log, serverPid: server.child.pid, before: (phase) => rawSide.run(phase) });
    const rawFigures = rawSide.figures();
    await raw.close();
    client.close();
    client = undefined;
    await server.kill('SIGTERM');
    server = undefined;

    if (values.json) {
      console.log(JSON.stringify({ storage, machine: machineFacts(), sizes, apiserver: apiFigures, raw: rawFigures }, null, 2));
    } else {
      console.log(`apiserver benchmark: ${storage} (${note})`);
      for (const f of machineFacts()) console.log(`  ${f}`);
      console.log('');
      console.log(formatTable(report(apiFigures, rawFigures, sizes)));
      console.log('\nprotobuf bodies and answers beside JSON (same run, same server; the client decodes either):');
      console.log(protobufReport(apiFigures, sizes));
      console.log('\nCPU busy, % of one core: server process / benchmark clients (and server CPU per request, which contention on a shared machine distorts less than rates):');
      const rates: Record<string, number> = { creates: apiFigures.createsPerSec, updates: apiFigures.updatesPerSec, gets: apiFigures.getsPerSec };
      for (const [name, c] of Object.entries(apiFigures.cpu)) {
        const perOp = rates[name] && c.serverPct !== undefined ? `  (${Math.round(((c.serverPct / 100) * 1e6) / rates[name]!)} µs server CPU per request)` : '';
        console.log(`  ${name.padEnd(22)} ${c.serverPct ?? '?'}% / ${c.clientPct}%${perOp}`);
      }
    }
    if (profileDir) {
      // the loader's worker thread writes a profile too: the server's main thread is the biggest one
      const profiles = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => ({ f, size: statSync(join(profileDir, f)).size }));
      const latest = profiles.sort((a, b) => b.size - a.size)[0]?.f;
      if (latest) {
        console.log(`\nserver CPU profile ${join(profileDir, latest)}: hottest functions by self time`);
        for (const f of topFunctions(join(profileDir, latest), 30)) console.log(`  ${f.selfPct.toFixed(1).padStart(5)}%  ${f.name}  ${f.location}`);
        console.log('project functions by inclusive time, % of busy (non-idle) time:');
        for (const f of inclusiveFunctions(join(profileDir, latest), 30, 'src/')) console.log(`  ${f.selfPct.toFixed(1).padStart(5)}%  ${f.name}  ${f.location}`);
      }
    }
  } finally {
    client?.close();
    await server?.kill('SIGKILL');
    for (const c of cleanups) await c().catch(() => {});
  }
}

async function rbacCostSection(quick: boolean): Promise<void> {
  const { formatRbacCost, measureRbacCost, microsecondsPerCheck, rbacCostQuickSizes, rbacCostSizes } = await import('./support/rbac-cost.js');
  const sizes = quick ? rbacCostQuickSizes : rbacCostSizes;
  const rows = await measureRbacCost(sizes, (s) => process.stderr.write(`  .. ${s}\n`));
  console.log('apiserver benchmark: the cost of RBAC (memory storage, both servers in this run)');
  for (const f of machineFacts()) console.log(`  ${f}`);
  console.log('');
  console.log(formatRbacCost(rows, sizes));
  console.log(`\none RBAC decision in-process (the user's RoleBinding found past ${sizes.otherBindings}+${sizes.otherBindings} others): ${microsecondsPerCheck(sizes).toFixed(1)} µs`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
