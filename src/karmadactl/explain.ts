// `karmadactl schedule BINDING`: what the scheduler would do with a live (Cluster)ResourceBinding
// now, and why, without writing anything. Reads the binding and the Clusters from the control plane,
// and (for the accurate estimator) each Ready Push member's Nodes and Pods through the clusters/proxy
// subresource (falling back to the member's own client); runs scheduleBinding with explain on.
import { stringify } from 'yaml';
import { errors } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { DefaultSchedulerName, type ResourceBinding, type TargetCluster } from '../apis/karmada/binding.js';
import type { Cluster } from '../apis/karmada/cluster.js';
import { MemberClients } from '../runtime/member-clients.js';
import type { KubeClient } from '../runtime/client.js';
import { clusterReady } from '../scheduler/component/accurate.js';
import { generalEstimate, generalEstimator, type Node, type Pod, type ReplicaEstimator } from '../scheduler/estimator/index.js';
import { MemberSnapshot } from '../scheduler/estimator/snapshot.js';
import { applyScheduleResult, scheduleBinding, type ScheduleResult } from '../scheduler/schedule.js';
import { needsReschedule, type RescheduleReason } from '../scheduler/triggers.js';
import { clusterGVR, clusterResourceBindingGVR, resourceBindingGVR } from '../apis/karmada/gvr.js';

type BindingKind = 'ResourceBinding' | 'ClusterResourceBinding';

const kindAliases: Record<string, BindingKind> = {
  rb: 'ResourceBinding',
  resourcebinding: 'ResourceBinding',
  resourcebindings: 'ResourceBinding',
  'resourcebindings.work.karmada.io': 'ResourceBinding',
  crb: 'ClusterResourceBinding',
  clusterresourcebinding: 'ClusterResourceBinding',
  clusterresourcebindings: 'ClusterResourceBinding',
  'clusterresourcebindings.work.karmada.io': 'ClusterResourceBinding',
};

/** `rb/NAME`, `crb/NAME` (or the long resource names); a bare NAME is a ResourceBinding */
export function parseBindingRef(ref: string): { kind: BindingKind; name: string } {
  const slash = ref.indexOf('/');
  if (slash < 0) {
    if (!ref) throw errors.badRequest('a binding is required: rb/NAME or crb/NAME');
    return { kind: 'ResourceBinding', name: ref };
  }
  const kind = kindAliases[ref.slice(0, slash).toLowerCase()];
  const name = ref.slice(slash + 1);
  if (!kind) throw errors.badRequest(`unknown binding type ${JSON.stringify(ref.slice(0, slash))}: use rb/NAME or crb/NAME`);
  if (!name || name.includes('/')) throw errors.badRequest(`invalid binding name ${JSON.stringify(name)}`);
  return { kind, name };
}

/** per cluster, what each estimator says (undefined: it could not tell) */
interface ClusterEstimate {
  cluster: string;
  general?: number;
  accurate?: number;
  /** why the accurate estimator has no answer for this cluster */
  accurateNote?: string;
}

export interface LiveScheduleExplanation {
  kind: BindingKind;
  binding: ResourceBinding;
  /** what the scheduler would do with the binding as it is (None: it leaves it alone) */
  trigger: RescheduleReason;
  result: ScheduleResult;
  /** the binding as the scheduler would leave it */
  scheduled: ResourceBinding;
  estimates: ClusterEstimate[];
}

interface ExplainOptions {
  namespace?: string;
  /** read members' Nodes and Pods for the accurate estimator (default true) */
  accurate?: boolean;
  /** --scheduler-name the scheduler runs with */
  schedulerName?: string;
  now?: Date;
}

const nodesPath = '/api/v1/nodes';
const podsPath = '/api/v1/pods';

async function listThroughProxy(client: KubeClient, cluster: string, path: string): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let cont: string | undefined;
  do {
    const page = await client.request<{ items?: KubeObject[]; metadata?: { continue?: string } }>('GET', `/apis/cluster.karmada.io/v1alpha1/clusters/${encodeURIComponent(cluster)}/proxy${path}`, {
      query: { limit: 500, continue: cont },
    });
    items.push(...(page.items ?? []));
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return items;
}

/** a member's Nodes and Pods: through the control plane's proxy, else with the member's own client */
async function memberSnapshot(client: KubeClient, members: MemberClients, cluster: Cluster): Promise<MemberSnapshot> {
  const name = cluster.metadata.name;
  let nodes: KubeObject[];
  let pods: KubeObject[];
  try {
    [nodes, pods] = await Promise.all([listThroughProxy(client, name, nodesPath), listThroughProxy(client, name, podsPath)]);
  } catch (proxyErr) {
    try {
      const member = await members.forCluster(cluster as Cluster & KubeObject);
      const gvr = (resource: string) => ({ group: '', version: 'v1', resource });
      [nodes, pods] = await Promise.all([member.listAll(gvr('nodes')).then((l) => l.items), member.listAll(gvr('pods')).then((l) => l.items)]);
    } catch {
      throw proxyErr;
    }
  }
  const s = new MemberSnapshot();
  for (const n of nodes) s.setNode(n as unknown as Node);
  for (const p of pods) s.setPod(p as unknown as Pod);
  return s;
}

/** the accurate estimator over one-off snapshots, with a note for each member it could not read */
async function accurateEstimates(client: KubeClient, clusters: Cluster[]): Promise<{ estimator: ReplicaEstimator; notes: Map<string, string> }> {
  const members = new MemberClients(client);
  const snapshots = new Map<string, MemberSnapshot>();
  const notes = new Map<string, string>();
  await Promise.all(
    clusters.map(async (c) => {
      const name = c.metadata.name;
      if (c.spec.syncMode !== 'Push') return void notes.set(name, 'Pull mode: not estimated from nodes');
      if (!clusterReady(c)) return void notes.set(name, 'cluster not Ready');
      try {
        snapshots.set(name, await memberSnapshot(client, members, c));
      } catch (err) {
        notes.set(name, `member unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  );
  return {
    estimator: { name: 'scheduler-estimator', estimate: (c, req) => snapshots.get(c.metadata.name)?.estimate(req) },
    notes,
  };
}

export async function explainLiveBinding(client: KubeClient, ref: string, opts: ExplainOptions = {}): Promise<LiveScheduleExplanation> {
  const { kind, name } = parseBindingRef(ref);
  const binding =
    kind === 'ResourceBinding'
      ? await client.get<ResourceBinding>(resourceBindingGVR, name, { namespace: opts.namespace ?? client.defaultNamespace })
      : await client.get<ResourceBinding>(clusterResourceBindingGVR, name);
  const clusters = (await client.listAll<Cluster & KubeObject>(clusterGVR)).items as Cluster[];
  const estimators: ReplicaEstimator[] = [generalEstimator];
  let notes = new Map<string, string>();
  let accurate: ReplicaEstimator | undefined;
  // non-workloads are not estimated: no need to read the members
  if ((opts.accurate ?? true) && (binding.spec.replicas ?? 0) > 0) {
    ({ estimator: accurate, notes } = await accurateEstimates(client, clusters));
    estimators.push(accurate);
  }
  const now = opts.now ?? new Date();
  const result = scheduleBinding(binding, clusters, { estimators, explain: true, now: () => now });
  const req = binding.spec.replicaRequirements;
  const estimates: ClusterEstimate[] =
    (binding.spec.replicas ?? 0) > 0
      ? clusters.map((c) => {
          const e: ClusterEstimate = { cluster: c.metadata.name, general: generalEstimate(c, req) };
          const a = accurate?.estimate(c, req);
          if (a !== undefined) e.accurate = a;
          else e.accurateNote = notes.get(c.metadata.name) ?? 'accurate estimator off';
          return e;
        })
      : [];
  return {
    kind,
    binding,
    trigger: needsReschedule(binding, { schedulerName: opts.schedulerName ?? DefaultSchedulerName, clusters }),
    result,
    scheduled: applyScheduleResult(binding, result, now),
    estimates,
  };
}

const triggerText: Record<RescheduleReason, string> = {
  PlacementChanged: 'the placement changed since the last schedule: it would be scheduled now',
  ReplicasChanged: 'the replicas changed: it would be scaled now',
  RescheduleTriggered: 'a reschedule was requested: it would be scheduled afresh now',
  Duplicated: 'it follows every change: it would be scheduled now',
  TargetClusterDeleting: 'a target cluster is being deleted: it would be scheduled now',
  None: 'up to date: the scheduler leaves it alone until something changes',
  SchedulingSuspended: 'scheduling is suspended: the scheduler leaves it alone',
  OtherScheduler: 'spec.schedulerName names another scheduler: this one leaves it alone',
  NoPlacement: 'no placement (it follows the bindings it is attached to): not scheduled',
};

function clustersText(tcs: TargetCluster[] | undefined): string {
  return tcs && tcs.length > 0 ? tcs.map((c) => `${c.name}:${c.replicas ?? 0}`).join(', ') : '<none>';
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('   ').trimEnd()).join('\n') + '\n';
}

function num(n: number | undefined): string {
  return n === undefined ? '-' : String(n);
}

/** the human-readable explanation */
export function formatExplanation(x: LiveScheduleExplanation): string {
  const b = x.binding;
  const r = b.spec.resource;
  const where = b.metadata.namespace ? `${b.metadata.namespace}/${b.metadata.name}` : b.metadata.name;
  const lines: string[] = [];
  lines.push(`Binding:     ${x.kind} ${where}`);
  lines.push(`Resource:    ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${b.spec.replicas ? `, ${b.spec.replicas} replicas` : ''}`);
  lines.push(`Scheduler:   ${b.spec.schedulerName || DefaultSchedulerName}, priority ${b.spec.schedulePriority?.priority ?? 0}`);
  lines.push(`Trigger:     ${x.trigger} (${triggerText[x.trigger]})`);
  lines.push(`Current:     ${clustersText(b.spec.clusters)}`);
  const c = x.result.condition;
  lines.push(`Would be:    ${x.result.ok ? clustersText(x.result.clusters) : `${clustersText(x.result.clusters)} (${c.reason}: ${c.message})`}`);
  const estimates = new Map(x.estimates.map((e) => [e.cluster, e]));
  for (const attempt of x.result.explain.attempts) {
    lines.push('');
    const heading = [attempt.affinityName !== undefined ? `Affinity ${attempt.affinityName}` : 'Clusters', attempt.strategy ? `strategy ${attempt.strategy}${attempt.mode ? ` (${attempt.mode})` : ''}` : ''].filter(Boolean).join(', ');
    lines.push(`${heading}:`);
    if (attempt.spreadConstraintsIgnored) lines.push(`Note: ${attempt.spreadConstraintsIgnored}`);
    const rows = [['CLUSTER', 'FEASIBLE', 'SCORE', 'GENERAL', 'ACCURATE', 'AVAILABLE', 'SELECTED', 'REPLICAS', 'REASONS']];
    for (const ce of attempt.clusters) {
      const e = estimates.get(ce.name);
      const reasons = ce.skipped ? [ce.skipped] : ce.filters.filter((f) => f.code !== 'Success').flatMap((f) => f.reasons.map((m) => `${f.plugin}: ${m}`));
      if (ce.feasible && e && e.accurate === undefined && e.accurateNote) reasons.push(`accurate estimator: ${e.accurateNote}`);
      rows.push([
        ce.name,
        ce.feasible ? 'yes' : 'no',
        num(ce.score),
        ce.feasible ? num(e?.general) : '-',
        ce.feasible ? num(e?.accurate) : '-',
        num(ce.availableReplicas),
        ce.selected ? 'yes' : ce.feasible ? 'no' : '-',
        ce.replicas === undefined ? '-' : String(ce.replicas),
        reasons.join('; '),
      ]);
    }
    lines.push(table(rows).trimEnd());
    if (attempt.error) lines.push(`Error: ${attempt.error}`);
  }
  return lines.join('\n') + '\n';
}

/** the structured explanation (-o yaml|json) */
function explanationDocument(x: LiveScheduleExplanation): Record<string, unknown> {
  const b = x.binding;
  return {
    apiVersion: 'karmada-ts.io/v1alpha1',
    kind: 'ScheduleExplanation',
    binding: { kind: x.kind, namespace: b.metadata.namespace, name: b.metadata.name },
    trigger: x.trigger,
    current: b.spec.clusters ?? [],
    result: {
      scheduled: x.result.ok,
      clusters: x.result.clusters,
      condition: x.result.condition,
      ...(x.result.affinityName !== undefined ? { affinityName: x.result.affinityName } : {}),
    },
    estimates: x.estimates,
    attempts: x.result.explain.attempts,
  };
}

export function renderExplanation(x: LiveScheduleExplanation, output?: string): string {
  if (output === undefined || output === '') return formatExplanation(x);
  if (output === 'json') return JSON.stringify(explanationDocument(x), null, 2) + '\n';
  if (output === 'yaml') return stringify(explanationDocument(x));
  throw errors.badRequest(`unknown output format ${JSON.stringify(output)}: use yaml or json`);
}
