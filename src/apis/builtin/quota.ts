// ResourceQuota evaluation, pure (Kubernetes' pkg/quota/v1 and its pod evaluator, the quota
// controller's CalculateUsage and the ResourceQuota admission's check): what a pod uses, which quotas
// cover it, a quota's status.used, and the refusal a write past status.hard gets.
import type { KubeObject } from '../../apimachinery/types.js';
import { addQuantities, compareQuantities, formatQuantity, quantityFrom, subtractQuantities, tryParseQuantity, type Quantity } from '../../apimachinery/quantity.js';

/** a ResourceList as JSON carries it */
export type ResourceList = Record<string, string | number>;
/** a ResourceList parsed, for arithmetic */
export type Usage = Map<string, Quantity>;

export interface ResourceQuotaSpec {
  hard?: ResourceList;
  scopes?: string[];
  scopeSelector?: { matchExpressions?: ScopedRequirement[] };
}
interface ScopedRequirement {
  scopeName: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}
export interface ResourceQuota extends KubeObject {
  spec?: ResourceQuotaSpec;
  status?: { hard?: ResourceList; used?: ResourceList };
}

interface Resources {
  requests?: ResourceList;
  limits?: ResourceList;
}
interface Container {
  name: string;
  resources?: Resources;
}
interface PodSpec {
  containers?: Container[];
  initContainers?: (Container & { restartPolicy?: string })[];
  overhead?: ResourceList;
  activeDeadlineSeconds?: number;
  priorityClassName?: string;
}

const one = quantityFrom(1);
const zero = quantityFrom(0);

/** parses a ResourceList; malformed quantities are left out (the API server validated them) */
export function toUsage(list: ResourceList | undefined): Usage {
  const out: Usage = new Map();
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = tryParseQuantity(String(v));
    if (q) out.set(k, q);
  }
  return out;
}

/** back to JSON, keys sorted, quantities in Go's canonical form */
export function toResourceList(usage: Usage): ResourceList {
  const out: ResourceList = {};
  for (const k of [...usage.keys()].sort()) out[k] = formatQuantity(usage.get(k)!);
  return out;
}

export function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = new Map(a);
  for (const [k, v] of b) out.set(k, addQuantities(out.get(k) ?? zero, v));
  return out;
}

export function subtractUsage(a: Usage, b: Usage): Usage {
  const out: Usage = new Map(a);
  for (const [k, v] of b) out.set(k, subtractQuantities(out.get(k) ?? zero, v));
  return out;
}

/** only the keys of `names` */
export function maskUsage(u: Usage, names: Iterable<string>): Usage {
  const out: Usage = new Map();
  for (const n of names) {
    const v = u.get(n);
    if (v) out.set(n, v);
  }
  return out;
}

/** quota's prettyPrint: `requests.cpu=500m,requests.memory=1Gi`, sorted by name */
export function prettyPrint(u: Usage): string {
  return [...u.keys()].sort().map((k) => `${k}=${formatQuantity(u.get(k)!)}`).join(',');
}

const isExtended = (name: string) => name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');
const isHugePages = (name: string) => name.startsWith('hugepages-');

/** PodRequests / PodLimits: the containers' sum, the largest init container if larger, plus overhead */
function podResources(spec: PodSpec, which: keyof Resources): Usage {
  let sum: Usage = new Map();
  for (const c of spec.containers ?? []) sum = addUsage(sum, toUsage(c.resources?.[which]));
  // restartable (sidecar) init containers run beside the app containers
  for (const c of spec.initContainers ?? []) if (c.restartPolicy === 'Always') sum = addUsage(sum, toUsage(c.resources?.[which]));
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') continue;
    for (const [k, v] of toUsage(c.resources?.[which])) if (compareQuantities(v, sum.get(k) ?? zero) > 0) sum.set(k, v);
  }
  return addUsage(sum, toUsage(spec.overhead));
}

/** podComputeUsageHelper: the quota names a pod's requests and limits count against */
function computeUsage(requests: Usage, limits: Usage): Usage {
  const out: Usage = new Map([['pods', one]]);
  for (const [k, v] of requests) {
    if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') {
      out.set(k, v);
      out.set(`requests.${k}`, v);
    } else if (isHugePages(k) || isExtended(k)) out.set(`requests.${k}`, v);
  }
  for (const [k, v] of limits) if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') out.set(`limits.${k}`, v);
  return out;
}

/** QuotaV1Pod: pods that reached the end of their life (or whose grace period ran out) no longer hold compute */
function podHoldsCompute(pod: KubeObject, now: number): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deleting = pod.metadata.deletionTimestamp;
  if (deleting) {
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
    if (Date.parse(deleting) + grace < now) return false;
  }
  return true;
}

/** PodUsageFunc: count/pods always; pods, cpu, memory, requests.*, limits.* while the pod holds compute */
export function podUsage(pod: KubeObject, now = Date.now()): Usage {
  const base: Usage = new Map([['count/pods', one]]);
  if (!podHoldsCompute(pod, now)) return base;
  const spec = (pod.spec ?? {}) as PodSpec;
  return addUsage(base, computeUsage(podResources(spec, 'requests'), podResources(spec, 'limits')));
}

function isBestEffort(spec: PodSpec): boolean {
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])].every((c) => {
    const names = [...Object.keys(c.resources?.requests ?? {}), ...Object.keys(c.resources?.limits ?? {})];
    return !names.some((n) => n === 'cpu' || n === 'memory');
  });
}

/** the quota's scopes as selector requirements (getScopeSelectorsFromQuota) */
export function scopeRequirements(quota: ResourceQuota): ScopedRequirement[] {
  return [...(quota.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists' as const })), ...(quota.spec?.scopeSelector?.matchExpressions ?? [])];
}

function podMatchesScope(spec: PodSpec, r: ScopedRequirement): boolean {
  switch (r.scopeName) {
    case 'Terminating':
      return spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds >= 0;
    case 'NotTerminating':
      return spec.activeDeadlineSeconds === undefined || spec.activeDeadlineSeconds < 0;
    case 'BestEffort':
      return isBestEffort(spec);
    case 'NotBestEffort':
      return !isBestEffort(spec);
    case 'PriorityClass':
      return priorityMatches(spec.priorityClassName ?? '', r);
    default:
      return false;
  }
}

/** a PriorityClass scope requirement against a priority class name ('' for none) */
export function priorityMatches(name: string, r: ScopedRequirement): boolean {
  switch (r.operator) {
    case 'Exists':
      return name !== '';
    case 'DoesNotExist':
      return name === '';
    case 'In':
      return name !== '' && (r.values ?? []).includes(name);
    case 'NotIn':
      return name === '' || !(r.values ?? []).includes(name);
    default:
      return false;
  }
}

/** whether a quota tracks the pod: every scope must match (an unscoped quota tracks every pod) */
function quotaCoversPod(quota: ResourceQuota, pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as PodSpec;
  return scopeRequirements(quota).every((r) => podMatchesScope(spec, r));
}

/** resources counted by object count: `count/<resource>[.<group>]` and the legacy names */
const legacyCounts: Record<string, string> = { services: 'count/services', secrets: 'count/secrets', configmaps: 'count/configmaps', persistentvolumeclaims: 'count/persistentvolumeclaims', replicationcontrollers: 'count/replicationcontrollers' };

/**
 * CalculateUsage: status.used of a quota, for the names in its hard, from the namespace's pods and
 * the object counts the caller knows (`count/<resource>[.<group>]` → number). Names nothing
 * evaluates are reported as 0, as kube's quota controller does.
 */
export function quotaUsed(quota: ResourceQuota, pods: readonly KubeObject[], counts: ReadonlyMap<string, number> = new Map(), now = Date.now()): ResourceList {
  const hard = Object.keys(quota.spec?.hard ?? {});
  let used: Usage = new Map(hard.map((h) => [h, zero]));
  for (const pod of pods) if (quotaCoversPod(quota, pod)) used = addUsage(used, maskUsage(podUsage(pod, now), hard));
  // object counts are not scoped: scoped quotas only track pods
  if (scopeRequirements(quota).length === 0) {
    for (const h of hard) {
      const n = counts.get(legacyCounts[h] ?? h);
      if (n !== undefined && h !== 'pods' && h !== 'count/pods') used.set(h, quantityFrom(n));
    }
  }
  return toResourceList(used);
}

/** the names whose absence from a container's requests/limits a cpu or memory quota refuses */
const validationSet = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** podEvaluator.Constraints: with a cpu/memory quota, each container must state what the quota counts */
function missingConstraints(spec: PodSpec, hard: readonly string[]): string | undefined {
  const required = hard.filter((h) => validationSet.has(h));
  if (required.length === 0) return undefined;
  const missing = new Map<string, string[]>();
  for (const c of spec.containers ?? []) {
    const has = computeUsage(toUsage(c.resources?.requests), toUsage(c.resources?.limits));
    for (const r of required) if (!has.has(r)) missing.set(r, [...(missing.get(r) ?? []), c.name]);
  }
  if (missing.size === 0) return undefined;
  return `must specify ${[...missing.keys()].sort().map((r) => `${r} for: ${missing.get(r)!.sort().join(',')}`).join('; ')}`;
}

type QuotaCheck = { ok: true; used: ResourceList } | { ok: false; message: string };

/**
 * The ResourceQuota admission's check of one new pod against one quota: the quota's status.used
 * after the pod, or why the pod is refused (the message after `pods "NAME" is forbidden: `).
 * Undefined when the quota does not concern the pod.
 */
export function checkPodAgainstQuota(quota: ResourceQuota, pod: KubeObject, now = Date.now()): QuotaCheck | undefined {
  if (!quotaCoversPod(quota, pod)) return undefined;
  const name = quota.metadata.name;
  const hardNames = Object.keys(quota.status?.hard ?? {});
  if (hardNames.length === 0) return undefined;
  const constraint = missingConstraints((pod.spec ?? {}) as PodSpec, hardNames);
  if (constraint) return { ok: false, message: `failed quota: ${name}: ${constraint}` };
  const requested = maskUsage(podUsage(pod, now), hardNames);
  if (requested.size === 0) return undefined;
  const usedNow = toUsage(quota.status?.used);
  const unknown = [...requested.keys()].filter((k) => !usedNow.has(k));
  if (unknown.length > 0) return { ok: false, message: `status unknown for quota: ${name}, resources: ${unknown.sort().join(',')}` };
  const after = addUsage(usedNow, requested);
  const hard = toUsage(quota.status?.hard);
  const exceeded = [...requested.keys()].filter((k) => compareQuantities(after.get(k)!, hard.get(k) ?? zero) > 0);
  if (exceeded.length > 0) {
    return {
      ok: false,
      message: `exceeded quota: ${name}, requested: ${prettyPrint(maskUsage(requested, exceeded))}, used: ${prettyPrint(maskUsage(usedNow, exceeded))}, limited: ${prettyPrint(maskUsage(hard, exceeded))}`,
    };
  }
  return { ok: true, used: toResourceList(after) };
}
