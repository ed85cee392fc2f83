// A workload's page, beyond its row: the scheduler's explanation per cluster (scheduleBinding with
// explain on, the code `karmadactl schedule` and `karmada-ts schedule --explain` run), the overrides
// each member's copy receives (applyOverrides on the cleaned template, as the binding controller
// renders Works) as a unified diff, and the pod tree rows of each member.
import { stringify } from 'yaml';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { clusterMatches } from '../../apis/karmada/clusteraffinity.js';
import type { ClusterOverridePolicy, OverridePolicy } from '../../apis/karmada/override.js';
import { cleanTemplate } from '../../controllers/binding/render.js';
import { applyOverrides } from '../../overrides/index.js';
import { scheduleBinding } from '../../scheduler/schedule.js';
import { unifiedDiff } from './diff.js';
import type { TimelineStep } from './timeline.js';
import type { WorkloadRow } from './workloads.js';

export interface ClusterExplanation {
  name: string;
  feasible: boolean;
  filters: { plugin: string; result: string; reason: string }[];
  score: number | null;
  scores: { plugin: string; score: number }[];
  maxReplicas: number | null;
  assigned: number;
}

export interface Explanation {
  clusters: ClusterExplanation[];
  /** the scheduler's verdict now: its Scheduled condition message */
  message: string;
}

interface OverrideView {
  cluster: string;
  policies: string[];
  diff: string;
}

export interface PodView {
  cluster: string;
  name: string;
  namespace: string;
  node: string;
  phase: string;
  ready: string;
  restarts: number;
  containers: string[];
}

export interface WorkloadDetail {
  row: WorkloadRow;
  template: KubeObject | null;
  binding: ResourceBinding | null;
  timeline: TimelineStep[];
  explanation: Explanation;
  overrides: OverrideView[];
  pods: PodView[];
  /** members whose pods could not be read, and why */
  podErrors: { cluster: string; message: string }[];
}

/** what the scheduler would decide for the binding now, per cluster, and why */
export function explanationOf(binding: ResourceBinding | undefined, clusters: Cluster[], now = new Date()): Explanation {
  if (!binding?.spec.placement) return { clusters: [], message: binding ? 'no placement: the binding follows the bindings it is attached to' : 'no binding: nothing to schedule' };
  const result = scheduleBinding(binding, clusters, { explain: true, now: () => now });
  const attempt = result.explain.attempts[result.explain.attempts.length - 1];
  const assigned = new Map(result.clusters.map((c) => [c.name, c.replicas ?? 0]));
  const out: ClusterExplanation[] = (attempt?.clusters ?? []).map((c) => ({
    name: c.name,
    feasible: c.feasible,
    filters: c.skipped ? [{ plugin: '-', result: 'Skipped', reason: c.skipped }] : c.filters.map((f) => ({ plugin: f.plugin, result: f.code, reason: f.reasons.join('; ') })),
    score: c.score ?? null,
    scores: Object.entries(c.scores ?? {}).map(([plugin, score]) => ({ plugin, score })),
    maxReplicas: c.availableReplicas ?? null,
    assigned: result.ok ? assigned.get(c.name) ?? 0 : 0,
  }));
  out.sort((a, b) => a.name.localeCompare(b.name));
  return { clusters: out, message: result.condition.message ?? '' };
}

/** per target cluster: the override policies that apply and the diff from the template to the member's copy */
export function overridesOf(template: KubeObject | undefined, binding: ResourceBinding | undefined, clusters: Cluster[], cops: readonly ClusterOverridePolicy[], ops: readonly OverridePolicy[]): OverrideView[] {
  if (!template || !binding) return [];
  const base = cleanTemplate(template);
  const before = stringify(base);
  const byName = new Map(clusters.map((c) => [c.metadata.name, c]));
  return (binding.spec.clusters ?? [])
    .map((t) => t.name)
    .sort()
    .map((name) => {
      const cluster = byName.get(name) ?? ({ metadata: { name }, spec: { syncMode: 'Push' } } as Cluster);
      const r = applyOverrides({ manifest: structuredClone(base), cluster, clusterOverridePolicies: cops, overridePolicies: ops, matchesCluster: clusterMatches });
      const policies = [...new Set([...r.appliedClusterOverrides.map((i) => i.policyName), ...r.appliedOverrides.map((i) => i.policyName)])];
      const failed = r.failures.map((f) => `# ${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.policy} ${f.field}: ${f.message}`);
      return { cluster: name, policies, diff: failed.join('\n') + (failed.length ? '\n' : '') + unifiedDiff(before, stringify(r.manifest), 'template', name) };
    });
}

export interface PodLike {
  metadata: { name?: string; namespace?: string };
  spec?: { nodeName?: string; containers?: { name: string }[] };
  status?: { phase?: string; containerStatuses?: { ready?: boolean; restartCount?: number }[] };
}

export function podView(cluster: string, pod: PodLike): PodView {
  const statuses = pod.status?.containerStatuses ?? [];
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  return {
    cluster,
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace ?? '',
    node: pod.spec?.nodeName ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: `${statuses.filter((s) => s.ready).length}/${containers.length}`,
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    containers,
  };
}

/** the label selector of a workload's pods (spec.selector.matchLabels), or undefined for non-workloads */
export function podSelectorOf(template: KubeObject | undefined): string | undefined {
  const spec = (template?.spec ?? {}) as { selector?: { matchLabels?: Record<string, string> } };
  // a Job's selector is generated per member (controller-uid); its pods all carry job-name
  if (template?.kind === 'Job') return `job-name=${template.metadata.name}`;
  const labels = spec.selector?.matchLabels;
  if (!labels || Object.keys(labels).length === 0) return undefined;
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
