// The accurate estimator's ResourceQuota plugin (Karmada's pkg/estimator/server/framework/plugins/
// resourcequota, gate ResourceQuotaEstimate): replicas the member's ResourceQuotas in the workload's
// namespace still admit, from status.hard - status.used over the per-replica requests; pure. Compute
// resources (cpu, memory, their requests./limits. forms, extended resources) and the PriorityClass
// scope are understood; limits.* and the other scopes are not, as in Karmada.
import { resourceAmount } from '../../apimachinery/quantity.js';
import { priorityMatches, scopeRequirements, type ResourceQuota } from '../../apis/builtin/quota.js';
import type { ReplicaRequirements } from '../../apis/karmada/binding.js';

const computeResources = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);
const isExtended = (name: string) => name.includes('/') && !name.startsWith('kubernetes.io/');

/** matchingResources: the quota names the plugin evaluates */
function matching(name: string): boolean {
  if (computeResources.has(name) || isExtended(name)) return true;
  for (const prefix of ['requests.', 'limits.']) if (name.startsWith(prefix) && isExtended(name.slice(prefix.length))) return true;
  return false;
}

/** calculateFreeResources: hard - used per request name (requests.cpu and cpu are one), limits left out */
function freeResources(quota: ResourceQuota): Map<string, number> {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  const free = new Map<string, number>();
  for (const name of Object.keys(hard)) {
    if (!matching(name) || name.startsWith('limits.') || used[name] === undefined) continue;
    const trimmed = name.startsWith('requests.') ? name.slice('requests.'.length) : name;
    free.set(trimmed, resourceAmount(trimmed, hard[name]) - resourceAmount(trimmed, used[name]));
  }
  return free;
}

/** whether the quota applies to a workload of this priority class: unscoped, or a PriorityClass scope matching it */
function applies(quota: ResourceQuota, priorityClassName: string): boolean {
  const selectors = scopeRequirements(quota);
  return selectors.length === 0 || selectors.some((s) => s.scopeName === 'PriorityClass' && priorityMatches(priorityClassName, s));
}

/**
 * The replicas the quotas still admit (the smallest over the quotas), or undefined when none of them
 * constrains what one replica requests.
 */
export function replicasAllowedByQuotas(quotas: readonly ResourceQuota[], requirements: ReplicaRequirements | undefined): number | undefined {
  if (!requirements?.namespace) return undefined;
  const request = Object.entries(requirements.resourceRequest ?? {}).filter(([name]) => name === 'cpu' || name === 'memory' || isExtended(name));
  let allowed: number | undefined;
  for (const q of quotas) {
    if (q.metadata.namespace !== requirements.namespace || !applies(q, requirements.priorityClassName ?? '')) continue;
    const free = freeResources(q);
    for (const [name, quantity] of request) {
      const f = free.get(name);
      const per = resourceAmount(name, quantity);
      if (f === undefined || !(per > 0)) continue;
      const n = Math.max(0, Math.floor(f / per));
      allowed = allowed === undefined ? n : Math.min(allowed, n);
    }
  }
  return allowed;
}
