// Multi-cluster service latency (issue 18's "MCS" line): the time from a pod becoming ready in
// member1 to its endpoint appearing in member2, through ServiceExport/ServiceImport (member2's
// imported-member1-* slices of derived-<svc>) and through a MultiClusterService (member2's
// member1-* slices), p50/p99. Baseline in the same run: the time from the same ready pod to
// member1's own EndpointSlice listing it (the member's EndpointSlice controller alone).
// Each sample scales member1's Deployment up by one and waits for the new pod's IP in member2.
//   npm run bench:mcs -- [--samples 20] [--model export|mcs|both] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { KubeObject } from '../src/apimachinery/types.js';
import { deploymentGVR, endpointSliceGVR, podGVR } from '../src/apis/builtin/gvr.js';
import { parsePlaygroundConfig } from '../src/playground/config.js';
import { Playground } from '../src/playground/playground.js';
import type { KubeClient } from '../src/runtime/client.js';
import { Informer } from '../src/runtime/informer.js';
import { loadClient } from '../src/runtime/load-client.js';
import { httpSource } from '../src/runtime/sources.js';
import { machineFacts } from './apiserver.js';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '20' }, model: { type: 'string', default: 'both' }, json: { type: 'boolean', default: false } } });
const samples = Number(values.samples);
if (!Number.isInteger(samples) || samples < 1) throw new Error(`--samples must be a positive integer (got ${values.samples})`);
const models = values.model === 'both' ? ['export', 'mcs'] : [values.model!];
for (const m of models) if (m !== 'export' && m !== 'mcs') throw new Error(`--model must be export, mcs or both (got ${m})`);

const ready = (p: KubeObject) => ((p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const podIP = (p: KubeObject) => (p.status as { podIP?: string } | undefined)?.podIP;
const readyIPs = (s: KubeObject) => ((s as unknown as { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] }).endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => e.addresses);

/** first time (performance.now) each value was seen by a watch */
class FirstSeen {
  readonly at = new Map<string, number>();
  private waiters: (() => void)[] = [];
  see(values: string[]): void {
    const now = performance.now();
    for (const v of values) if (!this.at.has(v)) this.at.set(v, now);
    for (const w of this.waiters.splice(0)) w();
  }
  async wait(v: string, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!this.at.has(v)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${v}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return this.at.get(v)!;
  }
}

function watch(client: KubeClient, gvr: { group: string; version: string; resource: string }, labelSelector: string, onObj: (o: KubeObject) => void): Informer {
  const inf = new Informer(httpSource(client, { ...gvr, labelSelector }));
  inf.addHandlers({ onAdd: onObj, onUpdate: onObj });
  void inf.start();
  return inf;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mcs-'));
  const config = parsePlaygroundConfig({ members: ['member1', 'member2'].map((name) => ({ name, nodes: [{ count: 2, cpu: 64, memory: '256Gi' }] })) });
  const pg = await Playground.start({ config, storage: 'memory', dataDir: join(dir, 'data'), kubeconfigDir: join(dir, 'kube'), timing: { podStartupMs: 50 } });
  const informers: Informer[] = [];
  const results: Record<string, { p50: number; p99: number; n: number }> = {};
  try {
    const karmada = loadClient(pg.karmadaConfigPath);
    const m1 = loadClient(pg.members.get('member1')!.kubeconfig());
    const m2 = loadClient(pg.members.get('member2')!.kubeconfig());
    const baseline: number[] = [];
    for (const model of models) {
      const app = `bench-${model}`;
      const imported = model === 'export' ? `derived-${app}` : app;
      const podReady = new FirstSeen();
      const ownSlice = new FirstSeen();
      const remote = new FirstSeen();
      informers.push(
        watch(m1, podGVR, `app=${app}`, (p) => ready(p) && podIP(p) && podReady.see([podIP(p)!])),
        watch(m1, endpointSliceGVR, `kubernetes.io/service-name=${app}`, (s) => ownSlice.see(readyIPs(s))),
        watch(m2, endpointSliceGVR, `kubernetes.io/service-name=${imported}`, (s) => s.metadata.name!.includes('member1') && remote.see(readyIPs(s))),
      );
      const objects: KubeObject[] = [
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: 'default' }, spec: { selector: { app }, ports: [{ name: 'http', port: 80 }] } },
        ...(model === 'export'
          ? [
              { apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ServiceExport', metadata: { name: app, namespace: 'default' } },
              { apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ServiceImport', metadata: { name: app, namespace: 'default' }, spec: { type: 'ClusterSetIP', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } },
              policy(`${app}-provider`, [['apps/v1', 'Deployment'], ['v1', 'Service'], ['multicluster.x-k8s.io/v1alpha1', 'ServiceExport']], app, 'member1'),
              policy(`${app}-consumer`, [['multicluster.x-k8s.io/v1alpha1', 'ServiceImport']], app, 'member2'),
            ]
          : [
              policy(app, [['apps/v1', 'Deployment']], app, 'member1'),
              { apiVersion: 'networking.karmada.io/v1alpha1', kind: 'MultiClusterService', metadata: { name: app, namespace: 'default' }, spec: { types: ['CrossCluster'], providerClusters: [{ name: 'member1' }], consumerClusters: [{ name: 'member2' }] } },
            ]),
      ];
      for (const o of objects) await karmada.create(o, { namespace: 'default' });
      // the first pod sets the pipeline up (member informers, derived Service, bindings): not a sample
      await settled(m1, app, remote);
      const latencies: number[] = [];
      for (let i = 0; i < samples; i++) {
        const known = new Set(podReady.at.keys());
        await karmada.patch(deploymentGVR, app, { spec: { replicas: i + 2 } }, { namespace: 'default' });
        // a pod that came and went while member1's Deployment caught up is not a sample: the new pod that stays is
        const ip = await newPod(m1, app, i + 2, known);
        const t0 = await podReady.wait(ip);
        baseline.push((await ownSlice.wait(ip)) - t0);
        latencies.push((await remote.wait(ip)) - t0);
      }
      results[model === 'export' ? 'ServiceExport/ServiceImport: ready pod -> endpoint in member2' : 'MultiClusterService: ready pod -> endpoint in member2'] = { p50: pct(latencies, 50), p99: pct(latencies, 99), n: latencies.length };
    }
    results["baseline: ready pod -> member1's own EndpointSlice"] = { p50: pct(baseline, 50), p99: pct(baseline, 99), n: baseline.length };
    if (values.json) console.log(JSON.stringify({ results, machine: machineFacts() }, null, 2));
    else {
      console.log(machineFacts().join('\n'));
      console.log(`in-process playground, 2 members; each sample scales member1's Deployment by one`);
      for (const [what, r] of Object.entries(results)) console.log(`${what.padEnd(62)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  (n=${r.n})`);
    }
  } finally {
    for (const i of informers) i.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function policy(name: string, kinds: [string, string][], resource: string, cluster: string): KubeObject {
  return { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name, namespace: 'default' }, spec: { resourceSelectors: kinds.map(([apiVersion, kind]) => ({ apiVersion, kind, name: resource })), placement: { clusterAffinity: { clusterNames: [cluster] } } } };
}

/** member1 runs exactly one ready pod of the app (any first rollout over) and member2 lists it */
async function settled(m1: KubeClient, app: string, remote: FirstSeen): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pods = (await m1.list(podGVR, { namespace: 'default', labelSelector: `app=${app}` })).items;
    if (pods.length === 1 && ready(pods[0]!) && remote.at.has(podIP(pods[0]!) ?? '')) return;
    if (Date.now() > deadline) throw new Error(`${app} did not settle`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** the IP of the ready pod of the app in member1 that is not in `known`, once member1 runs `count` ready pods */
async function newPod(m1: KubeClient, app: string, count: number, known: Set<string>): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pods = (await m1.list(podGVR, { namespace: 'default', labelSelector: `app=${app}` })).items;
    const fresh = pods.filter((p) => ready(p) && !known.has(podIP(p) ?? ''));
    if (pods.length === count && pods.every(ready) && fresh.length === 1) return podIP(fresh[0]!)!;
    if (Date.now() > deadline) throw new Error(`member1 did not settle at ${count} ready pods of ${app}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
