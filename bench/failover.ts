// Cluster failover speed, as issue 13 asks (Karmada's Failover: a ClusterTaintPolicy turns Ready!=True
// into a NoExecute taint, the taint manager evicts, the scheduler re-places): `karmada-ts up` as its
// own process tree with --members members of --nodes nodes and --deployments Deployments, Deployment i
// Divided by equal static weights (Karmada's Weighted division) over the --spread consecutive members
// starting at member (i mod N)+1, wrapping (one PropagationPolicy per window, selecting its Deployments
// by label; --spread N: every Deployment over every member), --replicas each (default --spread: one per
// member of its window, so every member holds ~spread*D/N Deployments, ~1/N of all replicas). Once
// every replica runs, --fail's member is stopped (`karmada-ts member stop`); the bindings that had
// ready replicas on it at that moment are the ones measured: per binding, the time from the stop until
// all --replicas run on the other members of its window (Divided keeps the total) (p50/p99), split
// into detection (stop -> NoExecute taint), eviction (taint -> binding no longer on the member) and
// re-placement (-> replicas ready elsewhere). Baseline in the same run: the time every binding took to
// be placed at first (create returned -> every replica ready). Control-plane CPU per component during
// each phase, and in a quiet moment before the stop. Members start a pod in 1 s (the simulator's
// default), which re-placement includes.
//   npm run bench:failover -- [--members 100] [--nodes 50] [--deployments 1000] [--spread 5] [--replicas N]
//     [--rate 100] [--storage sqlite|memory] [--fail member1] [--status-update-frequency 1s]
//     [--failure-threshold 3s] [--success-threshold 3s] [--toleration-seconds 0] [--eviction-rate 10] [--timeout 900] [--source] [--json]
// The cluster status thresholds are shortened (Karmada's defaults are 10s/30s/30s and a 300 s toleration)
// so the figure is the pipeline's, not the waiting Karmada prescribes; they are printed with the results.
// Bindings are evicted at most --eviction-rate per second per failed cluster (passed to `up`, which gives
// it to the controller manager; default 10 as Karmada's, with a burst of as many, 0 for no cap): with A
// affected bindings and rate R the last eviction is due ~(A-R)/R s after the taint.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { controlRequest } from '../src/playground/playground.js';
import { goDurationFlag } from '../src/apimachinery/duration.js';
import { parseEvictionRate } from '../src/controllermanager/index.js';
import { TaintClusterNotReady } from '../src/apis/karmada/cluster.js';
import type { KubeHttp, WatchStream } from './support/kube-https.js';
import { atRate, cpuSince, expect, latency, machineLine, mib, processTarget, sleep, waitFor, type Latency, type Target } from './support/playground-target.js';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '100' },
    nodes: { type: 'string', default: '50' },
    deployments: { type: 'string', default: '1000' },
    spread: { type: 'string', default: '5' },
    replicas: { type: 'string' },
    rate: { type: 'string', default: '100' },
    storage: { type: 'string', default: 'sqlite' },
    fail: { type: 'string', default: 'member1' },
    'status-update-frequency': { type: 'string', default: '1s' },
    'failure-threshold': { type: 'string', default: '3s' },
    'success-threshold': { type: 'string', default: '3s' },
    'toleration-seconds': { type: 'string', default: '0' },
    'eviction-rate': { type: 'string', default: '10' },
    timeout: { type: 'string', default: '900' },
    source: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

const memberCount = Number(values.members);
const nodes = Number(values.nodes);
const deployments = Number(values.deployments);
const spread = Number(values.spread);
const replicas = Number(values.replicas ?? spread);
const ratePerSec = Number(values.rate);
const storage = values.storage!;
const tolerationSeconds = Number(values['toleration-seconds']);
const evictionRate = parseEvictionRate(values['eviction-rate']!);
const timeoutMs = Number(values.timeout) * 1000;
const memberNames = Array.from({ length: memberCount }, (_, i) => `member${i + 1}`);
const failed = values.fail!;
for (const [flag, n] of [['--members', memberCount], ['--nodes', nodes], ['--deployments', deployments], ['--spread', spread], ['--replicas', replicas]] as const) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} is a positive integer`);
}
if (spread > memberCount) throw new Error(`--spread (${spread}) is at most --members (${memberCount})`);
if (spread < 2) throw new Error('--spread must be at least 2: a Deployment on one member has nowhere to fail over to');
if (replicas < spread) throw new Error(`--replicas (${replicas}) must be at least --spread (${spread}) so that every member of a Deployment's window holds some of it`);
if (!memberNames.includes(failed)) throw new Error(`--fail ${failed} is not one of member1..member${memberCount}`);
if (!['sqlite', 'memory'].includes(storage)) throw new Error('--storage is sqlite or memory');
if (!Number.isInteger(tolerationSeconds) || tolerationSeconds < 0) throw new Error('--toleration-seconds is a whole number of seconds, 0 or more');
for (const f of ['status-update-frequency', 'failure-threshold', 'success-threshold'] as const) goDurationFlag(values[f]!, f); // a bad duration fails here, before anything starts

const NS = 'default';
const LABEL = 'bench.karmada-ts.io/failover';
const pad = (i: number) => String(i).padStart(5, '0');
const failedIndex = memberNames.indexOf(failed);
// Deployment i goes to window i mod W: the `spread` members from member (w+1), wrapping; with
// --spread N every window is the same set of members, so there is one
const windowCount = Math.min(spread === memberCount ? 1 : memberCount, deployments);
const windowOf = (i: number) => i % windowCount;
const windowMembers = (w: number) => Array.from({ length: spread }, (_, j) => memberNames[(w + j) % memberCount]!);
const nameOf = (i: number) => `fo-${pad(i)}`;
const indexOf = (name: string) => Number(name.slice('fo-'.length));
/** member indices of each Deployment's window, by name */
const windowIndices = (name: string) => new Set(windowMembers(windowOf(indexOf(name))).map((m) => memberNames.indexOf(m)));

const deployment = (i: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: nameOf(i), namespace: NS, labels: { app: nameOf(i), [LABEL]: String(windowOf(i)) } },
  spec: {
    replicas,
    selector: { matchLabels: { app: nameOf(i) } },
    template: { metadata: { labels: { app: nameOf(i) } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
  },
});

// one per window; the not-ready NoExecute taint is tolerated --toleration-seconds, then evicts
const policy = (w: number) => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name: `bench-failover-${w}`, namespace: NS },
  spec: {
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { [LABEL]: String(w) } } }],
    placement: {
      clusterAffinity: { clusterNames: windowMembers(w) },
      clusterTolerations: [{ key: TaintClusterNotReady, operator: 'Exists', effect: 'NoExecute', tolerationSeconds }],
      replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { staticWeightList: windowMembers(w).map((m) => ({ targetCluster: { clusterNames: [m] }, weight: 1 })) } },
    },
  },
});

// as the failover e2e and Karmada's own e2e set it up: Ready not True -> NoExecute not-ready taint
const taintPolicy = {
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'ClusterTaintPolicy',
  metadata: { name: 'bench-detect-not-ready' },
  spec: {
    targetClusters: { clusterNames: memberNames },
    addOnConditions: [{ conditionType: 'Ready', operator: 'NotIn', statusValues: ['True'] }],
    removeOnConditions: [{ conditionType: 'Ready', operator: 'In', statusValues: ['True'] }],
    taints: [{ key: TaintClusterNotReady, effect: 'NoExecute' }],
  },
};

/** a watch that comes back (from the current state) when the server ends it, until stopped */
function lastingWatch(client: KubeHttp, path: string, onEvent: (type: string, obj: any, at: number) => void): { ready: Promise<number>; stop(): void } {
  let stopped = false;
  let current: WatchStream;
  const open = () => {
    current = client.watch(`${path}${path.includes('?') ? '&' : '?'}watch=1&timeoutSeconds=3600`, (ev, at) => onEvent(ev.type, ev.object, at));
    // the stopped member refuses every reopen: try again a second later, quietly, until stopped
    void current.closed.then(() => !stopped && setTimeout(() => void open().catch(() => {}), 1000));
    return current.ready;
  };
  const ready = open();
  return {
    ready,
    stop: () => {
      stopped = true;
      current.stop();
    },
  };
}

interface Figures {
  machine: string;
  setup: string;
  thresholds: string;
  placement: { ms: Latency; wallS: number; cpu: string; cpuMsPerDeployment: string };
  failover: {
    /** bindings with ready replicas on the failed member at the stop: the ones measured */
    bindings: number;
    /** how many the windows put there (the same number unless a placement went astray) */
    plannedBindings: number;
    /** member stopped -> every replica it had runs on the others, per binding */
    stopToRunningMs: Latency;
    /** member stopped -> NoExecute taint on its Cluster (once for all) */
    detectMs: number;
    /** taint -> every replica it held running elsewhere (the pipeline without the detection the thresholds set) */
    taintToRunningMs: Latency;
    /** taint -> the binding no longer lists the member */
    taintToEvictedMs: Latency;
    /** evicted -> its replicas ready on the others */
    evictedToRunningMs: Latency;
    wallS: number;
    cpu: string;
    cpuMsPerBinding: string;
    /** CPU in the quiet 3 s before the stop (cluster status, leases: what runs anyway), per second */
    idleCpu: string;
  };
  rss: string;
  /** the load average when it ended (the machine line has it at the start) */
  loadAfter: string;
}

async function main(): Promise<void> {
  const machine = machineLine();
  const perMember = (deployments * spread) / memberCount;
  const over = spread === memberCount ? `all ${memberCount} members` : `${spread} consecutive of ${memberCount} members (${windowCount} windows, one PropagationPolicy each)`;
  const setup = `${deployments} Deployments of ${replicas} replicas Divided (equal static weights) over ${over} of ${nodes} nodes (${replicas / spread} replica(s) of each per member of its window; ~${perMember} Deployments, ~${Math.round(perMember * (replicas / spread))} replicas per member), ${storage} storage, creates at ${ratePerSec}/s; ${failed} fails`;
  const thresholds = `--cluster-status-update-frequency ${values['status-update-frequency']}, --cluster-failure-threshold ${values['failure-threshold']}, --cluster-success-threshold ${values['success-threshold']}; not-ready NoExecute tolerated ${tolerationSeconds} s; eviction cap ${evictionRate ? `${evictionRate} bindings/s per failed cluster` : 'none'} (--eviction-rate ${values['eviction-rate']})`;
  if (!values.json) console.log(`machine: ${machine}\nsetup:   ${setup}\nstatus:  ${thresholds}`);
  const root = mkdtempSync(join(tmpdir(), 'bench-failover-'));
  const config = { members: memberNames.map((name) => ({ name, region: 'us-east-1', nodes: [{ count: nodes, cpu: 64, memory: '256Gi', pods: 110 }] })) };
  const t0 = performance.now();
  const target: Target = await processTarget(config, root, {
    storage,
    source: values.source,
    upArgs: ['--cluster-status-update-frequency', values['status-update-frequency']!, '--cluster-failure-threshold', values['failure-threshold']!, '--cluster-success-threshold', values['success-threshold']!, '--eviction-rate', String(evictionRate)],
  });
  if (!values.json) console.log(`playground: ${target.layout}; every member Ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const { karmada, members } = target;
  const streams: { stop(): void }[] = [];
  try {
    expect(await karmada.post('/apis/policy.karmada.io/v1alpha1/clustertaintpolicies', taintPolicy), [201], 'create the ClusterTaintPolicy');
    for (let w = 0; w < windowCount; w++) expect(await karmada.post(`/apis/policy.karmada.io/v1alpha1/namespaces/${NS}/propagationpolicies`, policy(w)), [201], `create PropagationPolicy bench-failover-${w}`);

    // ready replicas of every Deployment in every member, from watches
    const ready = new Map<string, number[]>();
    const placedAt = new Map<string, number>();
    const runningElsewhereAt = new Map<string, number>();
    let stoppedAt = Infinity;
    /** the Deployments with ready replicas on the failed member when it stopped */
    let affected = new Set<string>();
    const onMember = (i: number) => (type: string, obj: any, at: number) => {
      const name = obj?.metadata?.name as string | undefined;
      if (!name || (i === failedIndex && at >= stoppedAt)) return;
      const counts = ready.get(name) ?? memberNames.map(() => 0);
      counts[i] = type === 'DELETED' ? 0 : Number(obj.status?.readyReplicas ?? 0);
      ready.set(name, counts);
      if (!placedAt.has(name) && counts.reduce((a, b) => a + b, 0) >= replicas) placedAt.set(name, at);
      if (at >= stoppedAt && affected.has(name) && !runningElsewhereAt.has(name) && counts.reduce((a, b, j) => a + (j === failedIndex ? 0 : b), 0) >= replicas) runningElsewhereAt.set(name, at);
    };
    for (const [i, m] of members.entries()) {
      const w = lastingWatch(m, `/apis/apps/v1/namespaces/${NS}/deployments?labelSelector=${encodeURIComponent(LABEL)}`, onMember(i));
      streams.push(w);
      await w.ready;
    }
    // bindings: when each stops listing the failed member
    const evictedAt = new Map<string, number>();
    const rbw = lastingWatch(karmada, `/apis/work.karmada.io/v1alpha2/namespaces/${NS}/resourcebindings`, (type, obj, at) => {
      if (at < stoppedAt || type === 'DELETED') return;
      const name = String(obj?.metadata?.name ?? '').replace(/-deployment$/, '');
      const on = (obj?.spec?.clusters ?? []).some((c: { name: string }) => c.name === failed);
      if (!on && !evictedAt.has(name)) evictedAt.set(name, at);
    });
    streams.push(rbw);
    await rbw.ready;
    let taintedAt = 0;
    const cw = lastingWatch(karmada, `/apis/cluster.karmada.io/v1alpha1/clusters?fieldSelector=${encodeURIComponent(`metadata.name=${failed}`)}`, (_type, obj, at) => {
      if (at >= stoppedAt && !taintedAt && (obj?.spec?.taints ?? []).some((t: { effect: string }) => t.effect === 'NoExecute')) taintedAt = at;
    });
    streams.push(cw);
    await cw.ready;

    // ---- baseline: first placement ----
    const ackAt = new Map<string, number>();
    const cpuPlace0 = await target.cpu();
    const firstSent = performance.now();
    await atRate(ratePerSec, deployments, async (i) => {
      const name = nameOf(i);
      expect(await karmada.post(`/apis/apps/v1/namespaces/${NS}/deployments`, deployment(i)), [201], `create ${name}`);
      ackAt.set(name, performance.now());
    });
    await waitFor('every replica running', () => placedAt.size >= deployments, timeoutMs, () => `${placedAt.size}/${deployments} fully running`);
    const placeWall = Math.max(...placedAt.values()) - firstSent;
    const cpuPlace = cpuSince(cpuPlace0, await target.cpu());
    const cpuIdle0 = await target.cpu();
    const idleFrom = performance.now();
    await sleep(3000); // the last status writes settle before the clock starts
    const cpuIdle = cpuSince(cpuIdle0, await target.cpu());
    const idleMs = performance.now() - idleFrom;

    // ---- fail one member ----
    const cpuFail0 = await target.cpu();
    affected = new Set([...ready].filter(([, counts]) => (counts[failedIndex] ?? 0) > 0).map(([name]) => name));
    const planned = [...ackAt.keys()].filter((n) => windowIndices(n).has(failedIndex)).length;
    if (!affected.size) throw new Error(`no Deployment has ready replicas on ${failed}: nothing to fail over`);
    stoppedAt = performance.now();
    await controlRequest(target.playground!.dataDir, 'POST', `/members/${encodeURIComponent(failed)}/stop`);
    if (!values.json) console.error(`  ... ${failed} stopped; ${affected.size} bindings had ready replicas on it`);
    const evictedOfAffected = () => [...affected].filter((n) => evictedAt.has(n)).length;
    await waitFor('every evicted replica running elsewhere', () => runningElsewhereAt.size >= affected.size, timeoutMs, () => `taint ${taintedAt ? 'added' : 'not yet'}; ${evictedOfAffected()} evicted, ${runningElsewhereAt.size}/${affected.size} running elsewhere`);
    const failWall = Math.max(...runningElsewhereAt.values()) - stoppedAt;
    const cpuFail = cpuSince(cpuFail0, await target.cpu());
    // Divided keeps the total inside the window: nothing may run outside it
    const astray = [...ready].filter(([name, counts]) => counts.some((c, j) => c > 0 && j !== failedIndex && !windowIndices(name).has(j))).map(([name]) => name);
    if (astray.length) throw new Error(`${astray.length} Deployments run replicas outside their window, e.g. ${astray.slice(0, 5).join(', ')}`);

    const perComponent = (c: Map<string, number>, wallMs: number) => [...c].map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s (${Math.round((ms / wallMs) * 100)}%)`).join(', ');
    const perItem = (c: Map<string, number>, n: number) => [...c].map(([name, ms]) => `${name} ${(ms / n).toFixed(1)}`).join(', ');
    const names = [...ackAt.keys()];
    const hit = names.filter((n) => affected.has(n));
    const figures: Figures = {
      machine,
      setup,
      thresholds,
      placement: { ms: latency(names.map((n) => placedAt.get(n)! - ackAt.get(n)!)), wallS: placeWall / 1000, cpu: perComponent(cpuPlace, placeWall), cpuMsPerDeployment: perItem(cpuPlace, deployments) },
      failover: {
        bindings: hit.length,
        plannedBindings: planned,
        stopToRunningMs: latency(hit.map((n) => runningElsewhereAt.get(n)! - stoppedAt)),
        detectMs: Math.round(taintedAt - stoppedAt),
        taintToRunningMs: latency(hit.map((n) => runningElsewhereAt.get(n)! - taintedAt)),
        taintToEvictedMs: latency(hit.filter((n) => evictedAt.has(n)).map((n) => evictedAt.get(n)! - taintedAt)),
        evictedToRunningMs: latency(hit.filter((n) => evictedAt.has(n)).map((n) => Math.max(0, runningElsewhereAt.get(n)! - evictedAt.get(n)!))),
        wallS: failWall / 1000,
        cpu: perComponent(cpuFail, failWall),
        cpuMsPerBinding: perItem(cpuFail, hit.length),
        idleCpu: perComponent(cpuIdle, idleMs),
      },
      rss: [...(await target.rss())].map(([n, b]) => `${n} ${mib(b)}`).join(', '),
      loadAfter: loadavg().map((l) => l.toFixed(2)).join(' '),
    };
    report(figures);
  } finally {
    for (const s of streams) s.stop();
    karmada.close();
    for (const m of members) m.close();
    await target.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

function report(f: Figures): void {
  if (values.json) {
    console.log(JSON.stringify(f, null, 2));
    return;
  }
  const l = (x: Latency) => `p50 ${x.p50} ms, p90 ${x.p90} ms, p99 ${x.p99} ms, max ${x.max} ms`;
  const o = f.failover;
  console.log(`affected: ${o.bindings} of ${deployments} bindings had ready replicas on ${failed} at the stop (${o.plannedBindings} by their windows)`);
  console.log(`failover, per affected binding: ${failed} stopped -> every replica it held running elsewhere: ${l(o.stopToRunningMs)}`);
  console.log(`  detection: stopped -> NoExecute taint on the Cluster ${o.detectMs} ms`);
  console.log(`  taint -> every replica running elsewhere: ${l(o.taintToRunningMs)}`);
  console.log(`  taint -> binding evicted from ${failed}: ${l(o.taintToEvictedMs)}`);
  console.log(`  evicted -> replicas ready elsewhere:    ${l(o.evictedToRunningMs)}`);
  console.log(`  all done ${o.wallS.toFixed(1)} s after the stop; CPU during it: ${o.cpu}`);
  console.log(`  CPU ms per evicted binding: ${o.cpuMsPerBinding}`);
  console.log(`  for comparison, CPU in the quiet 3 s before the stop: ${o.idleCpu}`);
  console.log(`baseline, every binding's first placement (create returned -> every replica running): ${l(f.placement.ms)}`);
  console.log(`  all placed ${f.placement.wallS.toFixed(1)} s after the first create; CPU during it: ${f.placement.cpu}`);
  console.log(`  CPU ms per Deployment: ${f.placement.cpuMsPerDeployment}`);
  const ratio = (a: Latency, b: Latency) => `p50 ${(a.p50 / Math.max(1, b.p50)).toFixed(1)}x, p99 ${(a.p99 / Math.max(1, b.p99)).toFixed(1)}x`;
  console.log(`ratio to first placement: from the stop ${ratio(o.stopToRunningMs, f.placement.ms)}; from the taint ${ratio(o.taintToRunningMs, f.placement.ms)}`);
  console.log(`rss: ${f.rss}`);
  console.log(`load at the end: ${f.loadAfter} (shared machine: the latencies carry its contention)`);
}

await main();
