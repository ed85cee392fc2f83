// Scale of the member simulator: one process hosting many members (memory stores), with a
// Deployment per member adding up to the requested pod count. Reports startup time, time until
// every pod runs, idle CPU and memory.
// node --expose-gc --import tsx bench/membersim.ts [--members 100 --nodes 50 --pods 10000 --idle 30 --heartbeat 300]
// --deployments N (the per-Deployment cost of one member, as bench:propagation's members pay it): N
// one-replica Deployments created at --rate per second on one member over sqlite (as the playground
// runs members; --storage memory shows what sqlite adds), until each is available; store writes per Deployment by what they wrote, beside
// CPU per Deployment. The write counts are the figure to compare with Kubernetes' own controllers.
import { cpus, totalmem, tmpdir, platform, release } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { internalContext } from '../src/apiserver/rest/context.js';
import { defaultTiming, memberConfig, nodePool } from '../src/membersim/config.js';
import { SimulatedMember } from '../src/membersim/member.js';
import { countWrites } from './support/member-writes.js';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '100' },
    nodes: { type: 'string', default: '50' },
    pods: { type: 'string', default: '10000' },
    idle: { type: 'string', default: '30' },
    heartbeat: { type: 'string', default: String(defaultTiming.nodeHeartbeatMs / 1000) },
    deployments: { type: 'string' },
    rate: { type: 'string', default: '100' },
    storage: { type: 'string', default: 'sqlite' },
  },
});
const members = Number(values.members);
const nodesPer = Number(values.nodes);
const podsTotal = Number(values.pods);
const idleSeconds = Number(values.idle);
const heartbeatMs = Number(values.heartbeat) * 1000;

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const gc = (globalThis as { gc?: () => void }).gc;

function memory(): string {
  gc?.();
  const m = process.memoryUsage();
  return `rss ${mib(m.rss)}, heap used ${mib(m.heapUsed)} of ${mib(m.heapTotal)}, external ${mib(m.external)}`;
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown cpu'}, ${mib(totalmem())} RAM, ${platform()} ${release()}, node ${process.version}${gc ? '' : ' (run with --expose-gc for settled heap figures)'}`);
  console.log(`scale: ${members} members x ${nodesPer} nodes, ${podsTotal} pods; node heartbeat every ${heartbeatMs / 1000} s`);
  const root = mkdtempSync(join(tmpdir(), 'bench-membersim-'));
  const started: SimulatedMember[] = [];
  const t0 = Date.now();
  for (let i = 0; i < members; i++) {
    const config = memberConfig(`member${i + 1}`, { region: `region-${i % 5}`, zones: ['a', 'b', 'c'].map((z) => `region-${i % 5}${z}`), nodes: [nodePool({ count: nodesPer, cpu: '8', memory: '32Gi' })] });
    started.push(await SimulatedMember.start(config, { dataDir: join(root, config.name), storage: 'memory', timing: { podStartupMs: 500, nodeHeartbeatMs: heartbeatMs } }));
  }
  const startup = Date.now() - t0;
  console.log(`startup: ${members} members with ${members * nodesPer} nodes in ${secs(startup)} (${(startup / members).toFixed(0)} ms per member); ${memory()}`);

  const perMember = Math.floor(podsTotal / members);
  const extra = podsTotal - perMember * members;
  const t1 = Date.now();
  await Promise.all(
    started.map((m, i) => {
      const server = m.apiServer!;
      const def = server.registry.versionsOf('apps', 'deployments')[0];
      const replicas = perMember + (i < extra ? 1 : 0);
      return server.objects.create(def, 'default', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'load', namespace: 'default' },
        spec: { replicas, selector: { matchLabels: { app: 'load' } }, template: { metadata: { labels: { app: 'load' } }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } } },
      }, internalContext('bench'));
    }),
  );
  for (;;) {
    let ready = 0;
    for (const m of started) {
      const server = m.apiServer!;
      const d = await server.objects.get(server.registry.versionsOf('apps', 'deployments')[0], 'default', 'load');
      ready += (d.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
    }
    if (ready >= podsTotal) break;
    if (Date.now() - t1 > 15 * 60_000) {
      console.log(`gave up waiting: ${ready}/${podsTotal} pods ready`);
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const rollout = Date.now() - t1;
  console.log(`pods: ${podsTotal} Running and Ready in ${secs(rollout)} (${(podsTotal / (rollout / 1000)).toFixed(0)} pods/s); ${memory()}`);

  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const c = process.cpuUsage(c0);
  const wall = Number(process.hrtime.bigint() - w0) / 1e6;
  console.log(`idle: ${(((c.user + c.system) / 1000 / wall) * 100).toFixed(1)}% of one core over ${idleSeconds} s (${((members * nodesPer) / (heartbeatMs / 1000)).toFixed(0)} node heartbeats/s); ${memory()}`);
  const errors = started.map((m) => m.errors()).filter((e) => Object.keys(e).length);
  if (errors.length) console.log(`controller errors seen: ${JSON.stringify(errors.slice(0, 3))}`);

  const t2 = Date.now();
  for (const m of started) await m.close();
  console.log(`shutdown: ${secs(Date.now() - t2)}`);
  rmSync(root, { recursive: true, force: true });
}

/** --deployments: one member, N one-replica Deployments, what each costs it */
async function perDeployment(count: number, ratePerSec: number): Promise<void> {
  if (!Number.isInteger(count) || count < 1) throw new Error('--deployments is a positive integer');
  if (!(ratePerSec > 0)) throw new Error('--rate is a positive number of Deployments per second');
  const cpu = cpus();
  console.log(`machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown cpu'}, ${mib(totalmem())} RAM, ${platform()} ${release()}, node ${process.version}`);
  const storage = values.storage;
  if (storage !== 'sqlite' && storage !== 'memory') throw new Error('--storage is sqlite (as the playground runs members) or memory');
  console.log(`setup: one member (${nodesPer} nodes, ${storage}), ${count} one-replica Deployments created at ${ratePerSec}/s, pod startup ${defaultTiming.podStartupMs} ms`);
  const root = mkdtempSync(join(tmpdir(), 'bench-membersim-'));
  const member = await SimulatedMember.start(memberConfig('member1', { nodes: [nodePool({ count: nodesPer, cpu: '64', memory: '256Gi' })] }), { dataDir: root, storage, metrics: true });
  try {
    const server = member.apiServer!;
    const def = server.registry.versionsOf('apps', 'deployments')[0]!;
    const store = server.objects.store;
    const rev0 = await store.currentRevision();
    const writes = countWrites(store, rev0);
    const available = (d: { metadata: { generation?: number }; status?: unknown }) => {
      const s = (d.status ?? {}) as { availableReplicas?: number; updatedReplicas?: number; observedGeneration?: number; conditions?: { type: string; reason?: string }[] };
      return s.availableReplicas === 1 && s.updatedReplicas === 1 && s.observedGeneration === d.metadata.generation && s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable');
    };
    // followed by a read-only watch (it shares the informers' decode): listing every Deployment
    // every 200 ms cost this process more than a tenth of what it measured
    const done = new Set<string>();
    let allDone!: () => void;
    const finished = new Promise<void>((r) => (allDone = r));
    const watch = await server.objects.watch(def, 'default', { resourceVersion: String(rev0), readOnly: true }, {
      onEvent: (type, d) => {
        if (type !== 'DELETED' && available(d)) done.add(d.metadata.name!);
        if (done.size === count) allDone();
      },
      onError: (err) => console.log(`watch ended: ${err.message}`),
    });
    const c0 = process.cpuUsage();
    const t0 = Date.now();
    for (let i = 0; i < count; i++) {
      const due = t0 + (i * 1000) / ratePerSec;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const labels = { app: `d${i}` };
      await server.objects.create(def, 'default', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `d${i}`, namespace: 'default', labels },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } } },
      }, internalContext('karmada-controller-manager'));
    }
    const timeout = setTimeout(() => allDone(), 10 * 60_000);
    await finished;
    clearTimeout(timeout);
    watch.stop();
    if (done.size < count) throw new Error(`gave up waiting for the Deployments to be available: ${done.size}/${count}`);
    // settled: no write for a second
    for (let last = await store.currentRevision(); ; ) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await store.currentRevision();
      if (now === last) break;
      last = now;
    }
    const c = process.cpuUsage(c0);
    const counts = writes.stop();
    const total = (await store.currentRevision()) - rev0;
    console.log(`all available after ${secs(Date.now() - t0)}; cpu ${((c.user + c.system) / 1000 / count).toFixed(1)} ms per Deployment (this process: member and load)`);
    console.log(`store writes per Deployment: ${(total / count).toFixed(2)} (cpu ${((c.user + c.system) / 1000 / total).toFixed(2)} ms per write, the member's controllers and the load included)`);
    for (const [kind, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`  ${(n / count).toFixed(2).padStart(5)} ${kind}`);
    if (Object.keys(member.errors()).length) console.log(`controller errors seen: ${JSON.stringify(member.errors())}`);
  } finally {
    await member.close();
    rmSync(root, { recursive: true, force: true });
  }
}

if (values.deployments) await perDeployment(Number(values.deployments), Number(values.rate));
else await main();
