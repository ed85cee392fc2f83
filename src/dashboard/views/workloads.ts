// The workloads page: one row per resource template (what karmada-dashboard lists per kind, here all
// kinds together) with its policy, placement, replicas per cluster and one health word, built from
// the template, its (Cluster)ResourceBinding's spec.clusters, Scheduled condition and aggregatedStatus;
// filtered, sorted and paged on the server so 10,000 templates stay cheap for the browser.
import { errors } from '../../apimachinery/errors.js';
import { splitApiVersion, type KubeObject } from '../../apimachinery/types.js';
import { ConditionScheduled, type ResourceBinding } from '../../apis/karmada/binding.js';
import { claimOf } from '../../controllers/detector/match.js';

export type Health = 'Healthy' | 'Unhealthy' | 'Progressing' | 'Unknown';
export const healths: Health[] = ['Healthy', 'Unhealthy', 'Progressing', 'Unknown'];

export interface PolicyRef {
  kind: 'PropagationPolicy' | 'ClusterPropagationPolicy';
  namespace?: string;
  name: string;
}

export interface WorkloadRow {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  policy: PolicyRef | null;
  clusters: { name: string; replicas: number }[];
  replicas: { desired: number; ready: number } | null;
  health: Health;
  scheduled: boolean;
  message: string;
}

/** group/kind/namespace/name: the identity of a template whatever version it is read at */
export function templateKey(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${splitApiVersion(apiVersion).group}/${kind}/${namespace ?? ''}/${name}`;
}

function bindingKey(b: ResourceBinding): string {
  const r = b.spec.resource;
  return templateKey(r.apiVersion, r.kind, r.namespace, r.name);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** desired and ready replicas: the binding's scheduled replicas, the template's (aggregated) status */
export function replicasOf(template: KubeObject | undefined, binding: ResourceBinding | undefined): { desired: number; ready: number } | null {
  const spec = (template?.spec ?? {}) as Record<string, unknown>;
  const status = (template?.status ?? {}) as Record<string, unknown>;
  const desired = binding?.spec.replicas || num(spec.replicas) || num(spec.parallelism);
  if (desired === undefined) return null;
  let ready = num(status.readyReplicas) ?? num(status.numberReady) ?? num(status.succeeded);
  if (ready === undefined && binding) {
    ready = 0;
    for (const item of binding.status?.aggregatedStatus ?? []) ready += num((item.status ?? {}).readyReplicas) ?? 0;
  }
  return { desired, ready: ready ?? 0 };
}

/** one word for where a template stands, and why */
export function healthOf(template: KubeObject | undefined, binding: ResourceBinding | undefined, replicas: { desired: number; ready: number } | null): { health: Health; message: string } {
  if (!binding) {
    if (template && claimOf(template)) return { health: 'Progressing', message: 'claimed by a policy; no binding visible yet' };
    if (replicas && replicas.desired > 0 && replicas.ready >= replicas.desired) return { health: 'Healthy', message: 'no binding visible; the template reports every replica ready' };
    return { health: 'Unknown', message: 'no PropagationPolicy propagates it' };
  }
  const scheduled = binding.status?.conditions?.find((c) => c.type === ConditionScheduled);
  if (!scheduled) return { health: 'Progressing', message: 'waiting for the scheduler' };
  if (scheduled.status !== 'True') return { health: 'Unhealthy', message: `not scheduled (${scheduled.reason ?? 'Unknown'}): ${scheduled.message ?? ''}`.trim() };
  const targets = (binding.spec.clusters ?? []).map((c) => c.name);
  if (targets.length === 0) return { health: 'Unhealthy', message: 'scheduled to no cluster' };
  const byCluster = new Map((binding.status?.aggregatedStatus ?? []).map((a) => [a.clusterName, a]));
  const failedApply = targets.map((t) => byCluster.get(t)).find((a) => a && a.applied === false);
  if (failedApply) return { health: 'Unhealthy', message: `not applied on ${failedApply.clusterName}: ${failedApply.appliedMessage ?? ''}`.trim() };
  const unhealthy = targets.filter((t) => byCluster.get(t)?.health === 'Unhealthy');
  if (unhealthy.length > 0) return { health: 'Unhealthy', message: `unhealthy on ${unhealthy.join(', ')}` };
  const waiting = targets.filter((t) => byCluster.get(t)?.health !== 'Healthy');
  if (waiting.length > 0) return { health: 'Progressing', message: `waiting for ${waiting.join(', ')}` };
  if (replicas && replicas.ready < replicas.desired) return { health: 'Progressing', message: `${replicas.ready}/${replicas.desired} replicas ready` };
  return { health: 'Healthy', message: '' };
}

function policyOf(template: KubeObject | undefined, binding: ResourceBinding | undefined): PolicyRef | null {
  const claim = (template && claimOf(template)) || (binding && claimOf(binding));
  if (!claim) return null;
  return claim.kind === 'PropagationPolicy' ? { kind: claim.kind, namespace: claim.namespace, name: claim.name } : { kind: claim.kind, name: claim.name };
}

export function workloadRow(template: KubeObject | undefined, binding: ResourceBinding | undefined): WorkloadRow {
  const ref = binding?.spec.resource;
  const replicas = replicasOf(template, binding);
  const { health, message } = healthOf(template, binding, replicas);
  return {
    apiVersion: template?.apiVersion ?? ref?.apiVersion ?? '',
    kind: template?.kind ?? ref?.kind ?? '',
    namespace: template?.metadata.namespace ?? ref?.namespace ?? '',
    name: template?.metadata.name ?? ref?.name ?? '',
    uid: template?.metadata.uid ?? ref?.uid ?? '',
    policy: policyOf(template, binding),
    clusters: (binding?.spec.clusters ?? []).map((c) => ({ name: c.name, replicas: c.replicas ?? 0 })),
    replicas,
    health,
    scheduled: binding?.status?.conditions?.some((c) => c.type === ConditionScheduled && c.status === 'True') ?? false,
    message,
  };
}

/** a row per template: templates in the caches, and the templates bindings name that are not cached */
export function workloadRows(templates: readonly KubeObject[], bindings: readonly ResourceBinding[]): WorkloadRow[] {
  const byKey = new Map<string, ResourceBinding>();
  for (const b of bindings) if (b.spec?.resource) byKey.set(bindingKey(b), b);
  const rows: WorkloadRow[] = [];
  const seen = new Set<string>();
  for (const t of templates) {
    const key = templateKey(t.apiVersion ?? '', t.kind ?? '', t.metadata.namespace, t.metadata.name ?? '');
    seen.add(key);
    rows.push(workloadRow(t, byKey.get(key)));
  }
  for (const [key, b] of byKey) if (!seen.has(key)) rows.push(workloadRow(undefined, b));
  return rows.sort(compareRows);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** namespace, kind, name; code-point order (localeCompare is ten times slower on 10,000 rows) */
export function compareRows(a: WorkloadRow, b: WorkloadRow): number {
  return cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind) || cmp(a.name, b.name);
}

interface WorkloadQuery {
  namespace?: string;
  kind?: string;
  cluster?: string;
  health?: Health;
  q?: string;
  offset: number;
  limit: number;
}

function intParam(params: URLSearchParams, name: string, dflt: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw errors.badRequest(`query parameter ${name}: must be a whole number from 0 to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

/** the filters and page of /ui/v1/workloads; bad values are 400s that say which parameter */
export function parseWorkloadQuery(params: URLSearchParams): WorkloadQuery {
  const health = params.get('health') || undefined;
  if (health !== undefined && !healths.includes(health as Health)) throw errors.badRequest(`query parameter health: must be one of ${healths.join(', ')}, got ${JSON.stringify(health)}`);
  const str = (n: string) => params.get(n) || undefined;
  return { namespace: str('namespace'), kind: str('kind'), cluster: str('cluster'), health: health as Health | undefined, q: str('q'), offset: intParam(params, 'offset', 0, 1e9), limit: intParam(params, 'limit', 100, 5000) };
}

export function rowMatches(row: WorkloadRow, q: WorkloadQuery): boolean {
  if (q.namespace !== undefined && row.namespace !== q.namespace) return false;
  if (q.kind !== undefined && row.kind.toLowerCase() !== q.kind.toLowerCase()) return false;
  if (q.cluster !== undefined && !row.clusters.some((c) => c.name === q.cluster)) return false;
  if (q.health !== undefined && row.health !== q.health) return false;
  if (q.q !== undefined) {
    const needle = q.q.toLowerCase();
    if (!`${row.namespace}/${row.name}`.toLowerCase().includes(needle) && !row.kind.toLowerCase().includes(needle)) return false;
  }
  return true;
}

export function pageRows(rows: readonly WorkloadRow[], q: WorkloadQuery): { total: number; items: WorkloadRow[] } {
  const matching = rows.filter((r) => rowMatches(r, q));
  return { total: matching.length, items: matching.slice(q.offset, q.offset + q.limit) };
}
