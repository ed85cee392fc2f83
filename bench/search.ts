// karmada-search at scale (issue 18): M simulated members holding P pods each (created straight in
// their stores, bound to a node, so the kubelet only fills status), a control plane caching every
// pod through a ResourceRegistry, then list latency through the proxy (p50/p99, the whole list and
// kubectl's first 500-item page) against a direct list on one member holding the same number of
// pods, measured in the same run; and the control plane's RSS, heap and Buffer bytes per cached pod.
// The members run in a child process, so the control plane's memory is its own.
// node --expose-gc --import tsx bench/search.ts [--members 100 --pods-per-member 1000 --requests 20]
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { ApiServer } from '../src/apiserver/server.js';
import { internalContext } from '../src/apiserver/rest/context.js';
import { installKarmadaAPIs } from '../src/controlplane/install-crds.js';
import { clusterProxy } from '../src/aggregated/cluster-proxy.js';
import { karmadaSearch, type KarmadaSearch } from '../src/search/serve.js';
import { memberConfig, nodePool } from '../src/membersim/config.js';
import { SimulatedMember } from '../src/membersim/member.js';
import { runningStatus } from '../src/membersim/pods.js';
import { KubeClient } from '../src/runtime/client.js';
import { KubeHttp, type KubeCredentials } from './support/kube-https.js';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '100' },
    'pods-per-member': { type: 'string', default: '1000' },
    requests: { type: 'string', default: '20' },
    role: { type: 'string', default: 'control-plane' },
  },
});
const members = Number(values.members);
const perMember = Number(values['pods-per-member']);
const requests = Number(values.requests);
const total = members * perMember;

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const gc = (globalThis as { gc?: () => void }).gc;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface MemberInfo {
  name: string;
  creds: KubeCredentials;
}

// ---- the members' process ----

/** a Deployment-like pod, bound to a node (nodes take 100k pods each here) */
function pod(member: string, i: number, nodes: number) {
  const rs = `load-${(i % 10).toString(16)}7f9c6d`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${rs}-${i.toString(36).padStart(5, '0')}`,
      namespace: 'default',
      // no ownerReferences: the member's garbage collector would remove pods of a ReplicaSet that does not exist
      labels: { app: 'load', 'pod-template-hash': rs.slice(5) },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: rs, namespace: 'default' } }) },
    },
    spec: {
      nodeName: `${member}-node-${(i % nodes) + 1}`,
      containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
    },
  };
}

async function startMember(name: string, pods: number, root: string): Promise<{ member: SimulatedMember; info: MemberInfo }> {
  const nodes = 2;
  const config = memberConfig(name, { nodes: [nodePool({ count: nodes, cpu: '256', memory: '1024Gi', pods: '200000' })] });
  const member = await SimulatedMember.start(config, { dataDir: join(root, name), storage: 'memory', metrics: false, timing: { podStartupMs: 200 } });
  const server = member.apiServer!;
  const def = server.registry.versionsOf('', 'pods')[0]!;
  const ctx = internalContext('bench');
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (let i = 0; i < pods; i++) {
    const created = await server.objects.create(def, 'default', pod(name, i, nodes), ctx);
    // Running and Ready as the kubelet would report it (status is part of what is cached)
    const status = runningStatus(created, { hostIP: `10.0.0.${(i % nodes) + 1}`, podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, startTime: at, now: at, ready: true });
    await server.objects.guaranteedUpdate(def, 'default', created.metadata.name!, ctx, (o) => ({ ...o, status }), { subresource: 'status' });
  }
  return { member, info: { name, creds: { url: server.url, caPem: server.caPem, ...server.adminCredentials } } };
}

async function runMembers(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'bench-search-members-'));
  const started: SimulatedMember[] = [];
  const infos: MemberInfo[] = [];
  for (let i = 0; i < members; i++) {
    const { member, info } = await startMember(`member${i + 1}`, perMember, root);
    started.push(member);
    infos.push(info);
  }
  const baseline = await startMember('baseline', total, root);
  started.push(baseline.member);
  process.send!({ members: infos, baseline: baseline.info });
  process.on('disconnect', () => {
    void Promise.all(started.map((m) => m.close())).finally(() => {
      rmSync(root, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

// ---- the control plane ----

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function latency(http: KubeHttp, path: string, expect: number): Promise<{ p50: number; p99: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    const r = await http.request('GET', path, undefined, { timeoutMs: 600_000 });
    times.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text.slice(0, 300)}`);
    const n = (r.body as { items: unknown[] }).items.length;
    if (n !== expect) throw new Error(`GET ${path}: ${n} items, expected ${expect}`);
    bytes = r.bytes.length;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), bytes };
}

function memory(): { rss: number; heap: number; external: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
}

async function runControlPlane(): Promise<void> {
  const cpu = cpus();
  console.log(`machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown cpu'}, ${mib(totalmem())} RAM, ${platform()} ${release()}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}${gc ? '' : ' (run with --expose-gc for settled memory figures)'}`);
  console.log(`scale: ${members} members x ${perMember} pods = ${total} pods; baseline: one member holding ${total} pods; ${requests} requests per measurement`);
  const t0 = Date.now();
  // at full size the members (100 of them plus the baseline one, 200,000 pods) outgrow node's default heap
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--role', 'members', '--members', String(members), '--pods-per-member', String(perMember)], { execArgv: [...process.execArgv, '--max-old-space-size=12288'], stdio: 'inherit' });
  const ready = await new Promise<{ members: MemberInfo[]; baseline: MemberInfo }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { members: MemberInfo[]; baseline: MemberInfo }));
    child.once('exit', (code) => reject(new Error(`the members' process exited (${code})`)));
  });
  console.log(`members: ${members} + baseline up with ${2 * total} pods in ${secs(Date.now() - t0)}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-search-cp-'));
  let search: KarmadaSearch | undefined;
  const server = await ApiServer.start({ dataDir, storage: { backend: 'memory' }, extensions: [clusterProxy, (s) => (search = karmadaSearch(s))] });
  try {
    await installKarmadaAPIs(server);
    const client = KubeClient.fromKubeconfig(server.adminKubeconfig('bench'));
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'karmada-cluster' } });
    for (const m of ready.members) {
      const data = { caBundle: m.creds.caPem, 'tls.crt': m.creds.certPem, 'tls.key': m.creds.keyPem };
      await client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: m.name, namespace: 'karmada-cluster' }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) });
      await client.create({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: m.name }, spec: { syncMode: 'Push', apiEndpoint: m.creds.url, secretRef: { namespace: 'karmada-cluster', name: m.name } } });
      await client.patchStatus({ group: 'cluster.karmada.io', version: 'v1alpha1', resource: 'clusters' }, m.name, { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'cluster is healthy and ready to accept workloads', lastTransitionTime: new Date().toISOString() }] } }, { type: 'merge' });
    }
    const before = memory();
    const t1 = Date.now();
    await client.create({ apiVersion: 'search.karmada.io/v1alpha1', kind: 'ResourceRegistry', metadata: { name: 'pods' }, spec: { targetCluster: {}, resourceSelectors: [{ apiVersion: 'v1', kind: 'Pod' }] } });
    for (;;) {
      const caches = search!.cache.all();
      const cached = caches.reduce((n, c) => n + (c.synced ? c.size : 0), 0);
      if (caches.length === members && cached >= total) break;
      if (Date.now() - t1 > 30 * 60_000) throw new Error(`gave up: ${cached}/${total} pods cached`);
      if ((Date.now() - t1) % 10_000 < 200) console.log(`  ${caches.length} caches, ${cached}/${total} pods cached${caches.find((c) => c.lastError) ? `; e.g. ${caches.find((c) => c.lastError)!.lastError}` : ''}`);
      await sleep(200);
    }
    const fill = Date.now() - t1;
    const after = memory();
    const json = search!.cache.all().reduce((n, c) => n + c.bytes(), 0);
    console.log(`cache: ${total} pods from ${members} members cached in ${secs(fill)} (${(total / (fill / 1000)).toFixed(0)} pods/s)`);
    console.log(`memory per cached pod: RSS +${((after.rss - before.rss) / total).toFixed(0)} B, heap +${((after.heap - before.heap) / total).toFixed(0)} B, external (Buffers) +${((after.external - before.external) / total).toFixed(0)} B; serialised object ${(json / total).toFixed(0)} B (managedFields and last-applied stripped); control plane RSS ${mib(after.rss)} (${mib(before.rss)} before the registry)`);

    const proxy = new KubeHttp({ url: server.url, caPem: server.caPem, ...server.adminCredentials });
    const direct = new KubeHttp(ready.baseline.creds);
    const viaProxy = '/apis/search.karmada.io/v1alpha1/proxying/karmada/proxy/api/v1/pods';
    const rows: [string, { p50: number; p99: number; bytes: number }, { p50: number; p99: number; bytes: number }][] = [];
    rows.push(['list all pods', await latency(proxy, viaProxy, total), await latency(direct, '/api/v1/pods', total)]);
    rows.push(['first page (limit=500)', await latency(proxy, `${viaProxy}?limit=500`, Math.min(500, total)), await latency(direct, '/api/v1/pods?limit=500', Math.min(500, total))]);
    console.log(`list latency (ms, client-side to the parsed body; proxy over ${members} members vs one member with the same ${total} pods):`);
    for (const [what, p, d] of rows) console.log(`  ${what.padEnd(24)} proxy p50 ${p.p50.toFixed(0)} p99 ${p.p99.toFixed(0)} (${mib(p.bytes)})   direct p50 ${d.p50.toFixed(0)} p99 ${d.p99.toFixed(0)} (${mib(d.bytes)})`);
    proxy.close();
    direct.close();
  } finally {
    await server.stop();
    child.disconnect();
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (values.role === 'members') await runMembers();
else await runControlPlane();
