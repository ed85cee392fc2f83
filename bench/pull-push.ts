// Pull against Push distribution latency in the same run, as issue 14 asks: `karmada-ts up --config`
// as its own process tree (API server, controller manager, scheduler, the members, and the Pull
// members' karmada-agents in their own process) with 3 Push and 3 Pull members; this process only
// generates load over HTTPS. Deployments are created at --rate, alternately for each side, each side
// propagated by its own PropagationPolicy; latency from a create call returning to the Deployment
// existing in all 3 members of its side (one watch per member), p50/p90/p99 per side; CPU and RSS
// per component. Then the cost of RBAC (bench/support/rbac-cost.ts, as `bench:apiserver -- --rbac`):
// authorised requests/s against the same with --authorization-mode AlwaysAllow, the playground stopped.
//   npm run bench:pullmode -- [--deployments 1000] [--rate 50] [--storage sqlite|memory] [--rbac full|quick|off]
//     [--timeout 1800] [--source] [--json]
// --deployments is per side; --rate is creates/s over both sides.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { atRate, cpuSince, expect, latency, machineLine, mib, processTarget, waitFor, type Latency, type Target } from './support/playground-target.js';
import { formatRbacCost, measureRbacCost, microsecondsPerCheck, rbacCostQuickSizes, rbacCostSizes } from './support/rbac-cost.js';

const { values } = parseArgs({
  options: {
    deployments: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '50' },
    storage: { type: 'string', default: 'sqlite' },
    rbac: { type: 'string', default: 'full' },
    timeout: { type: 'string', default: '1800' },
    source: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const perSide = Number(values.deployments);
const ratePerSec = Number(values.rate);
const timeoutMs = Number(values.timeout) * 1000;
if (!Number.isInteger(perSide) || perSide < 1) throw new Error('--deployments is a positive number of Deployments per side');
if (!(ratePerSec > 0)) throw new Error('--rate is creates per second, more than 0');
if (!['sqlite', 'memory'].includes(values.storage!)) throw new Error('--storage is sqlite or memory');
if (!['full', 'quick', 'off'].includes(values.rbac!)) throw new Error('--rbac is full, quick or off');

const NS = 'default';
const SIDE_LABEL = 'bench.karmada-ts.io/side';
const sides = { push: ['push1', 'push2', 'push3'], pull: ['pull1', 'pull2', 'pull3'] } as const;
type Side = keyof typeof sides;
const sideNames = Object.keys(sides) as Side[];
const memberNames = sideNames.flatMap((s) => [...sides[s]]);
const nameOf = (side: Side, i: number) => `${side}-${String(i).padStart(5, '0')}`;

function deployment(name: string, side: Side): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels: { app: name, [SIDE_LABEL]: side } },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu: '1m', memory: '1Mi' } } }] } } },
  };
}

function policy(side: Side): unknown {
  return {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name: `bench-${side}`, namespace: NS },
    spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { [SIDE_LABEL]: side } } }], placement: { clusterAffinity: { clusterNames: [...sides[side]] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } } },
  };
}

/** workqueue_queue_duration_seconds sum and count per queue, from each component's /metrics that has one */
async function queueWaits(target: Target): Promise<Map<string, { sum: number; count: number }>> {
  const out = new Map<string, { sum: number; count: number }>();
  for (const c of await target.playground!.components()) {
    if (!c.metricsUrl) continue;
    const text = await fetch(c.metricsUrl).then((r) => r.text(), () => '');
    for (const m of text.matchAll(/^workqueue_queue_duration_seconds_(sum|count)\{name="([^"]+)"[^}]*\} (\S+)$/gm)) {
      const key = `${c.name.replace(/^karmada-/, '')}/${m[2]}`;
      const q = out.get(key) ?? { sum: 0, count: 0 };
      q[m[1] as 'sum' | 'count'] += Number(m[3]);
      out.set(key, q);
    }
  }
  return out;
}

/** mean wait per item between two snapshots, the queues that waited longest in all first */
function busiestQueues(before: Map<string, { sum: number; count: number }>, after: Map<string, { sum: number; count: number }>, top = 6): string {
  return [...after]
    .map(([k, q]) => ({ k, sum: q.sum - (before.get(k)?.sum ?? 0), count: q.count - (before.get(k)?.count ?? 0) }))
    .filter((q) => q.count > 0)
    .sort((a, b) => b.sum - a.sum)
    .slice(0, top)
    .map((q) => `${q.k} ${Math.round((q.sum / q.count) * 1000)} ms x ${q.count}`)
    .join(', ');
}

interface SideFigures extends Latency {
  delivered: number;
}

async function main(): Promise<void> {
  const machine = machineLine();
  const setup = `${perSide} Deployments per side (1 replica, Duplicated over the side's 3 members), creates at ${ratePerSec}/s alternating sides, ${values.storage} storage`;
  if (!values.json) console.log(`machine: ${machine}\nsetup:   ${setup}`);
  const root = mkdtempSync(join(tmpdir(), 'bench-pullpush-'));
  // a pod per Deployment in every member of its side, 110 per node, room to spare
  const nodes = Math.max(3, Math.ceil((perSide * 2) / 110));
  const config = { members: sideNames.flatMap((side) => sides[side].map((name) => ({ name, syncMode: side === 'pull' ? 'Pull' : 'Push', nodes: [{ count: nodes, cpu: 64, memory: '256Gi', pods: 110 }] }))) };
  const t0 = performance.now();
  const target = await processTarget(config, root, { storage: values.storage!, source: values.source });
  const startedS = (performance.now() - t0) / 1000;
  if (!values.json) console.log(`playground: ${target.layout}; every member Ready in ${startedS.toFixed(1)} s (${nodes} nodes per member)`);
  const { karmada, members } = target;
  const streams: { stop(): void }[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of streams) s.stop();
    karmada.close();
    for (const m of members) m.close();
    await target.stop();
  };
  try {
    for (const side of sideNames) expect(await karmada.post(`/apis/policy.karmada.io/v1alpha1/namespaces/${NS}/propagationpolicies`, policy(side)), [201], `create the ${side} policy`);
    // first time each member's watch shows each Deployment; a Deployment is complete once all 3 of its side have it
    const seenIn = new Map(memberNames.map((m) => [m, new Map<string, number>()]));
    const completedAt = new Map<string, number>();
    const sideOf = (name: string): Side => (name.startsWith('pull-') ? 'pull' : 'push');
    const onSeen = (name: string) => {
      if (completedAt.has(name)) return;
      const times = sides[sideOf(name)].map((m) => seenIn.get(m)!.get(name));
      if (times.every((t) => t !== undefined)) completedAt.set(name, Math.max(...(times as number[])));
    };
    for (const [i, member] of members.entries()) {
      const seen = seenIn.get(memberNames[i]!)!;
      const s = member.watch(`/apis/apps/v1/namespaces/${NS}/deployments?watch=1&labelSelector=${encodeURIComponent(SIDE_LABEL)}`, (ev, at) => {
        const name = ev.object?.metadata?.name as string | undefined;
        if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && name && !seen.has(name)) {
          seen.set(name, at);
          onSeen(name);
        }
      });
      const code = await s.ready;
      if (code !== 200) throw new Error(`watch ${memberNames[i]}: HTTP ${code}`);
      streams.push(s);
    }

    const ackAt = new Map<string, number>();
    const queues0 = await queueWaits(target);
    const cpu0 = await target.cpu();
    const firstSent = performance.now();
    const { issuedPerSec } = await atRate(ratePerSec, perSide * 2, async (i) => {
      const side: Side = i % 2 ? 'pull' : 'push';
      const name = nameOf(side, i >> 1);
      expect(await karmada.post(`/apis/apps/v1/namespaces/${NS}/deployments`, deployment(name, side)), [201], `create ${name}`);
      ackAt.set(name, performance.now());
    });
    const count = (side: Side) => [...completedAt.keys()].filter((n) => sideOf(n) === side).length;
    await waitFor('every Deployment in all 3 members of its side', () => completedAt.size >= perSide * 2, timeoutMs, () => `push ${count('push')}/${perSide}, pull ${count('pull')}/${perSide}; per member ${memberNames.map((m) => `${m} ${seenIn.get(m)!.size}`).join(', ')}`);
    const wallMs = Math.max(...completedAt.values()) - firstSent;
    const cpu = cpuSince(cpu0, await target.cpu());
    const rss = await target.rss();
    const queues = busiestQueues(queues0, await queueWaits(target));
    const perSideFigures = Object.fromEntries(
      sideNames.map((side) => {
        const samples = [...ackAt].filter(([n]) => sideOf(n) === side).map(([n, ack]) => Math.max(0, completedAt.get(n)! - ack));
        return [side, { delivered: count(side), ...latency(samples) } satisfies SideFigures];
      }),
    ) as Record<Side, SideFigures>;
    await stop();

    // the cost of RBAC, with the playground gone so both API servers have the machine to themselves
    const sizes = values.rbac === 'quick' ? rbacCostQuickSizes : rbacCostSizes;
    const rbacRows = values.rbac === 'off' ? undefined : await measureRbacCost(sizes, (s) => process.stderr.write(`  .. ${s}\n`));
    const figures = {
      machine,
      setup,
      layout: target.layout,
      startedS: Math.round(startedS * 10) / 10,
      createsIssuedPerSec: issuedPerSec,
      wallS: Math.round(wallMs / 100) / 10,
      deliveredPerSec: Math.round(((perSide * 2) / (wallMs / 1000)) * 10) / 10,
      cpuMsPerDeployment: Math.round([...cpu].reduce((a, [, ms]) => a + ms, 0) / (perSide * 2)),
      push: perSideFigures.push,
      pull: perSideFigures.pull,
      cpuS: Object.fromEntries([...cpu].map(([n, ms]) => [n, Math.round(ms / 100) / 10])),
      queues,
      rssMiB: Object.fromEntries([...rss].map(([n, b]) => [n, Math.round(b / 2 ** 20)])),
      rbac: rbacRows && { sizes, rows: rbacRows, microsecondsPerCheck: Math.round(microsecondsPerCheck(sizes) * 10) / 10 },
    };
    if (values.json) {
      console.log(JSON.stringify(figures, null, 2));
      return;
    }
    console.log(`ms from a create returning to the Deployment in all 3 members of its side (a watch per member); creates issued at ${issuedPerSec}/s, all delivered after ${figures.wallS} s (${figures.deliveredPerSec}/s${figures.deliveredPerSec < issuedPerSec * 0.9 ? ': below the create rate, so the pipeline was saturated and the latencies are mostly queueing' : ''})`);
    for (const side of sideNames) {
      const f = figures[side];
      console.log(`  ${side.padEnd(5)} delivered ${f.delivered}/${perSide}  p50 ${f.p50}  p90 ${f.p90}  p99 ${f.p99}  max ${f.max}`);
    }
    console.log('  (Karmada, its own figures: pull p99 989 ms, push p99 1,298 ms)');
    console.log(`cpu during distribution (s, and % of one core over ${figures.wallS} s): ${[...cpu].map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s ${Math.round((ms / wallMs) * 100)}%`).join(', ')}`);
    console.log(`queue wait in the controller manager and the scheduler (mean per item, longest waits in all first; the stage that saturates): ${queues}`);
    console.log(`cpu per Deployment, every process together (least moved by other load on the machine): ${figures.cpuMsPerDeployment} ms`);
    console.log(`rss at the end: ${[...rss].map(([n, b]) => `${n} ${mib(b)}`).join(', ')}`);
    if (figures.rbac) {
      console.log(`\nthe cost of RBAC (two API servers in child processes, memory storage, the playground stopped):`);
      console.log(formatRbacCost(figures.rbac.rows, sizes));
      console.log(`one RBAC decision in-process (the user's RoleBinding past ${sizes.otherBindings}+${sizes.otherBindings} others): ${figures.rbac.microsecondsPerCheck} µs`);
    }
  } finally {
    await stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
