// Pull against Push distribution latency in the same run, as issue 14 asks: a playground (in
// process) with 3 Push members and 3 Pull members served by karmada-agent, Deployments created at
// --rate alternately for each side, each side propagated by its own PropagationPolicy; latency from a
// create call returning to the Deployment existing in all 3 members of its side (p50/p90/p99).
//   npm run bench:pullmode -- [--deployments 1000] [--rate 50] [--timeout 600] [--json]
// --deployments is per side. Members are watched by polling their Deployment lists (200 ms), so
// latencies carry up to that much extra.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Playground } from '../src/playground/playground.js';
import { memberConfig, nodePool } from '../src/membersim/config.js';
import { KubeClient } from '../src/runtime/client.js';

const { values } = parseArgs({ options: { deployments: { type: 'string', default: '1000' }, rate: { type: 'string', default: '50' }, timeout: { type: 'string', default: '600' }, json: { type: 'boolean', default: false } } });
const perSide = Number(values.deployments);
const ratePerSec = Number(values.rate);
const timeoutMs = Number(values.timeout) * 1000;
const sides = { push: ['push1', 'push2', 'push3'], pull: ['pull1', 'pull2', 'pull3'] } as const;
type Side = keyof typeof sides;
const deploymentGVR = { group: 'apps', version: 'v1', resource: 'deployments' };
function latency(samples: number[]): { p50: number; p90: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(sorted.at(-1) ?? 0) };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), 'bench-pullpush-'));
const members = [...sides.push.map((n) => memberConfig(n, { syncMode: 'Push', nodes: [nodePool({ count: 4, cpu: '64', memory: '256Gi', pods: '2000' })] })), ...sides.pull.map((n) => memberConfig(n, { syncMode: 'Pull', nodes: [nodePool({ count: 4, cpu: '64', memory: '256Gi', pods: '2000' })] }))];
const pg = await Playground.start({ dataDir: join(dir, 'data'), kubeconfigDir: join(dir, 'kube'), storage: 'memory', config: { members }, timing: { podStartupMs: 50 } });
try {
  const cp = KubeClient.fromKubeconfig(pg.controlPlane.kubeconfig());
  for (const side of Object.keys(sides) as Side[]) {
    await cp.create({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: `bench-${side}`, namespace: 'default' },
      spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { 'bench.karmada-ts.io/side': side } } }], placement: { clusterAffinity: { clusterNames: [...sides[side]] } } },
    });
  }
  const memberClients = new Map(pg.memberInfo().map((m) => [m.name, KubeClient.fromKubeconfig(m.kubeconfig)]));
  const created = new Map<string, number>();
  const seen = new Map<string, Set<string>>();
  const done = new Map<string, number>();
  let polling = true;
  const poll = (async () => {
    while (polling) {
      await Promise.all(
        [...memberClients].map(async ([name, c]) => {
          const list = await c.list(deploymentGVR, { namespace: 'default' }).catch(() => undefined);
          const now = performance.now();
          for (const d of list?.items ?? []) {
            const id = d.metadata.name!;
            const s = seen.get(id) ?? new Set<string>();
            s.add(name);
            seen.set(id, s);
            if (s.size === 3 && !done.has(id) && created.has(id)) done.set(id, now - created.get(id)!);
          }
        }),
      );
      await sleep(200);
    }
  })();
  const started = performance.now();
  for (let i = 0; i < perSide * 2; i++) {
    const side: Side = i % 2 ? 'pull' : 'push';
    const name = `${side}-${String(i >> 1).padStart(5, '0')}`;
    const due = started + (i * 1000) / ratePerSec;
    if (due > performance.now()) await sleep(due - performance.now());
    await cp.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default', labels: { app: name, 'bench.karmada-ts.io/side': side } },
      spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '1m', memory: '1Mi' } } }] } } },
    });
    created.set(name, performance.now());
  }
  const deadline = performance.now() + timeoutMs;
  while (done.size < perSide * 2 && performance.now() < deadline) await sleep(250);
  polling = false;
  await poll;
  const of = (side: Side) => [...done].filter(([n]) => n.startsWith(`${side}-`)).map(([, ms]) => ms);
  const result = {
    deploymentsPerSide: perSide,
    ratePerSec,
    cpus: cpus().length,
    load: loadavg()[0]!.toFixed(1),
    push: { delivered: of('push').length, ...latency(of('push')) },
    pull: { delivered: of('pull').length, ...latency(of('pull')) },
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${perSide} Deployments per side at ${ratePerSec}/s in total, ${result.cpus} CPUs, load ${result.load}; ms from create to present in all 3 members (polled every 200 ms)`);
    for (const side of ['push', 'pull'] as const) console.log(`${side.padEnd(5)} delivered ${result[side].delivered}/${perSide}  p50 ${result[side].p50}  p90 ${result[side].p90}  p99 ${result[side].p99}  max ${result[side].max}`);
  }
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
