// One chaos run: a control plane in processes under load, a random component kill -9'd and restarted
// again and again, then the wait until what the control plane and the members hold matches every
// acknowledged write (convergenceProblems).
import { join } from 'node:path';
import { credentialsFromKubeconfig, KubeHttp } from '../kube-https.js';
import { ChaosCluster, type ChaosStorage } from './cluster.js';
import { chaosNamespace, convergenceProblems, groupLabel, versionOf, type Observed, type SeenObject } from './expect.js';
import { Load } from './load.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** a seeded generator (mulberry32), so a run that found something can be run again */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ChaosOptions {
  storage: ChaosStorage;
  dir: string;
  members: number;
  kills: number;
  /** mean pause between kills (each pause is 0.5x..1.5x of it) */
  killIntervalMs: number;
  workers: number;
  convergeTimeoutMs: number;
  /** kill only these components (names as ChaosCluster.killables() gives them); default all */
  only?: (name: string) => boolean;
  /** kill these components in this order instead of at random (the suite's run, so each kind is hit) */
  victims?: string[];
  log?: (line: string) => void;
  random?: () => number;
}

export interface ChaosResult {
  storage: ChaosStorage;
  kills: Array<{ component: string; downMs: number }>;
  acknowledgedWrites: number;
  retriedRequests: number;
  templates: { present: number; deleted: number };
  /** from the last kill to every check passing; undefined when it never converged */
  convergeAfterLastKillMs?: number;
  /** what was still wrong at the deadline (empty when converged), and what the server contradicted */
  problems: string[];
  violations: string[];
}

interface Item {
  kind?: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

async function listItems(client: KubeHttp, path: string): Promise<Item[]> {
  const res = await client.get(path, { timeoutMs: 10_000 });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text.slice(0, 200)}`);
  return (res.body as { items: Item[] }).items;
}

const seen = (kind: string) => (i: Item): SeenObject => ({ kind, name: i.metadata.name, version: versionOf({ ...i, kind } as Parameters<typeof versionOf>[0]) });

/** reads everything convergenceProblems looks at, from the control plane and each member */
export async function observe(cp: KubeHttp, members: Map<string, KubeHttp>): Promise<Observed> {
  const sel = `labelSelector=${encodeURIComponent(groupLabel)}`;
  const ns = chaosNamespace;
  const [deps, cms, rbs, works] = await Promise.all([
    listItems(cp, `/apis/apps/v1/namespaces/${ns}/deployments?${sel}`),
    listItems(cp, `/api/v1/namespaces/${ns}/configmaps?${sel}`),
    listItems(cp, `/apis/work.karmada.io/v1alpha2/namespaces/${ns}/resourcebindings`),
    listItems(cp, `/apis/work.karmada.io/v1alpha1/works`),
  ]);
  const out: Observed = {
    templates: [...deps.map(seen('Deployment')), ...cms.map(seen('ConfigMap'))],
    bindings: rbs.map((b) => ({ name: b.metadata.name, resource: (b.spec as { resource: { kind: string; name: string } }).resource })),
    works: [],
    members: {},
  };
  for (const w of works) {
    const cluster = /^karmada-es-(.+)$/.exec(w.metadata.namespace ?? '')?.[1];
    const manifest = (w.spec as { workload?: { manifests?: Array<{ kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } }> } }).workload?.manifests?.[0];
    if (!cluster || !manifest || manifest.metadata.namespace !== ns || !manifest.metadata.labels?.[groupLabel]) continue;
    out.works.push({ cluster, name: w.metadata.name, resource: { kind: manifest.kind, name: manifest.metadata.name } });
  }
  for (const [name, m] of members) {
    const [md, mc] = await Promise.all([listItems(m, `/apis/apps/v1/namespaces/${ns}/deployments?${sel}`), listItems(m, `/api/v1/namespaces/${ns}/configmaps?${sel}`)]);
    out.members[name] = [...md.map(seen('Deployment')), ...mc.map(seen('ConfigMap'))];
  }
  return out;
}

/** the metadata of bindings that should be gone: who owns them, since when, and what holds them */
async function explainLeftovers(cp: KubeHttp, problems: string[], log: (line: string) => void): Promise<void> {
  for (const p of problems.slice(0, 5)) {
    const m = /^(Deployment|ConfigMap)\/(\S+): deleted but its ResourceBinding remains/.exec(p);
    if (!m) continue;
    const res = await cp.get(`/apis/work.karmada.io/v1alpha2/namespaces/${chaosNamespace}/resourcebindings/${m[2]}-${m[1]!.toLowerCase()}`).catch(() => undefined);
    log(`  ${m[1]}/${m[2]}'s binding: ${JSON.stringify((res?.body as { metadata?: unknown } | undefined)?.metadata)}`);
  }
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const log = o.log ?? (() => {});
  const rnd = o.random ?? Math.random;
  const started = Date.now();
  const at = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
  const cluster = await ChaosCluster.start({ dir: join(o.dir, o.storage), storage: o.storage, members: o.members });
  const cp = new KubeHttp(credentialsFromKubeconfig(cluster.kubeconfig), { maxSockets: o.workers + 4 });
  const members = new Map(cluster.memberNames.map((n) => [n, new KubeHttp(credentialsFromKubeconfig(cluster.memberKubeconfig(n)))]));
  const load = new Load({ client: cp, clusters: cluster.memberNames, workers: o.workers, random: rnd });
  const killed: ChaosResult['kills'] = [];
  let lastKillAt = Date.now();
  try {
    log(`${at()} ${o.storage}: control plane, ${o.members} members${cluster.etcd ? ' and 3 etcd members' : ''} up, each in its own process`);
    const nsRes = await cp.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: chaosNamespace } });
    if (nsRes.status !== 201) throw new Error(`creating namespace ${chaosNamespace}: ${nsRes.status} ${nsRes.text}`);
    load.start();
    const killables = cluster.killables().filter((k) => !o.only || o.only(k.name));
    const byName = new Map(killables.map((k) => [k.name, k]));
    for (const v of o.victims ?? []) if (!byName.has(v)) throw new Error(`no component ${v} to kill (there are ${[...byName.keys()].join(', ')})`);
    const kills = o.victims?.length ?? o.kills;
    for (let i = 0; i < kills; i++) {
      await sleep(o.killIntervalMs * (0.5 + rnd()));
      if (load.violations.length) break;
      const victim = o.victims ? byName.get(o.victims[i]!)! : killables[Math.floor(rnd() * killables.length)]!;
      lastKillAt = Date.now();
      await victim.kill();
      await sleep(200 + rnd() * 1000);
      await victim.restart();
      const downMs = Date.now() - lastKillAt;
      killed.push({ component: victim.name, downMs });
      log(`${at()} kill -9 #${i + 1} ${victim.name}: back after ${downMs} ms (${load.acknowledged} writes acknowledged so far)`);
    }
    await sleep(o.killIntervalMs / 2);
    await load.stop();
    log(`${at()} load stopped: ${load.acknowledged} writes acknowledged, ${load.retries} retried requests; waiting for convergence`);
    let problems: string[] = ['not checked'];
    let convergeAfterLastKillMs: number | undefined;
    const deadline = Date.now() + o.convergeTimeoutMs;
    let lastProgress = Date.now();
    while (Date.now() < deadline) {
      try {
        problems = convergenceProblems([...load.templates.values()], [...load.policies.values()], await observe(cp, members));
      } catch (err) {
        problems = [`observing: ${(err as Error).message}`];
      }
      if (!problems.length) {
        convergeAfterLastKillMs = Date.now() - lastKillAt;
        break;
      }
      if (Date.now() - lastProgress > 5000) {
        lastProgress = Date.now();
        log(`${at()} ${problems.length} differences left, e.g. ${problems[0]}`);
      }
      await sleep(500);
    }
    if (problems.length) {
      await explainLeftovers(cp, problems, log);
      for (const k of new Set(problems.slice(0, 5).map((p) => p.split(':')[0]!))) log(`  ${k}, the writes' answers: ${(load.history.get(k) ?? []).join(', ')}`);
    }
    const templates = [...load.templates.values()];
    log(
      convergeAfterLastKillMs !== undefined
        ? `${at()} converged ${(convergeAfterLastKillMs / 1000).toFixed(1)} s after the last kill`
        : `${at()} NOT converged ${(o.convergeTimeoutMs / 1000).toFixed(0)} s after the load stopped: ${problems.length} problems, e.g.\n  ${problems.slice(0, 15).join('\n  ')}`,
    );
    return {
      storage: o.storage,
      kills: killed,
      acknowledgedWrites: load.acknowledged,
      retriedRequests: load.retries,
      templates: { present: templates.filter((t) => t.present).length, deleted: templates.filter((t) => !t.present).length },
      convergeAfterLastKillMs,
      problems,
      violations: load.violations,
    };
  } finally {
    await load.stop().catch(() => {});
    cp.close();
    for (const m of members.values()) m.close();
    await cluster.stop();
  }
}
