// FederatedResourceQuota arithmetic, pure (Karmada's helper.CalculateResourceUsage, the enforcement
// controller's calculateUsedWithResourceBinding and the resourcebinding webhook's quota check): what a
// binding's scheduled replicas use, what a binding write adds, and whether an FRQ admits it.
import { compareQuantities, formatQuantity } from '../../apimachinery/quantity.js';
import { addUsage, maskUsage, subtractUsage, toResourceList, toUsage, type ResourceList, type Usage } from '../builtin/quota.js';
import type { ResourceBinding } from './binding.js';
import type { FederatedResourceQuota } from './policy.js';

/** the label on a quota's Works naming its FederatedResourceQuota's namespace */
export const FederatedResourceQuotaNamespaceLabel = 'federatedresourcequota.karmada.io/namespace';
/** the label on a quota's Works naming its FederatedResourceQuota */
export const FederatedResourceQuotaNameLabel = 'federatedresourcequota.karmada.io/name';
/** the Status reason of a binding write the quota refuses (util.QuotaExceededReason) */
export const QuotaExceededReason = 'QuotaExceeded';

/**
 * CalculateResourceUsage: per-replica requests times the scheduled replicas; with components, one
 * set of every component per scheduled cluster.
 */
export function bindingUsage(rb: Pick<ResourceBinding, 'spec'>): Usage {
  const clusters = rb.spec.clusters ?? [];
  const components = rb.spec.components ?? [];
  let usage: Usage = new Map();
  if (components.length > 0) {
    if (clusters.length === 0) return usage;
    for (const c of components) {
      for (const [k, v] of toUsage(c.replicaRequirements?.resourceRequest)) {
        if (v.nanos === 0n || c.replicas === 0) continue;
        usage = addUsage(usage, new Map([[k, { ...v, nanos: v.nanos * BigInt(c.replicas) * BigInt(clusters.length) }]]));
      }
    }
    return usage;
  }
  const replicas = clusters.reduce((n, c) => n + (c.replicas ?? 0), 0);
  if (replicas === 0) return usage;
  for (const [k, v] of toUsage(rb.spec.replicaRequirements?.resourceRequest)) if (v.nanos !== 0n) usage.set(k, { ...v, nanos: v.nanos * BigInt(replicas) });
  return usage;
}

/** the enforcement controller's overallUsed: every binding's usage, for the names in overall */
export function overallUsedFromBindings(bindings: readonly Pick<ResourceBinding, 'spec'>[], overall: ResourceList): ResourceList {
  let used: Usage = new Map();
  for (const b of bindings) used = addUsage(used, bindingUsage(b));
  return toResourceList(maskUsage(used, Object.keys(overall)));
}

/** calculateDelta: new usage minus old, names whose difference is zero left out */
export function usageDelta(now: Usage, before: Usage): Usage {
  const delta = subtractUsage(now, before);
  for (const [k, v] of delta) if (v.nanos === 0n) delta.delete(k);
  return delta;
}

/** isQuotaRelevantFieldChanged: requests, total scheduled replicas, clusters (with components) or components changed */
export function quotaRelevantChange(old: Pick<ResourceBinding, 'spec'>, now: Pick<ResourceBinding, 'spec'>): boolean {
  const same = (a: ResourceList | undefined, b: ResourceList | undefined) => usageDelta(toUsage(a), toUsage(b)).size === 0 && Object.keys(a ?? {}).length === Object.keys(b ?? {}).length;
  if (!same(old.spec.replicaRequirements?.resourceRequest, now.spec.replicaRequirements?.resourceRequest)) return true;
  const total = (b: Pick<ResourceBinding, 'spec'>) => (b.spec.clusters ?? []).reduce((n, c) => n + (c.replicas ?? 0), 0);
  if (total(old) !== total(now)) return true;
  const oc = old.spec.components ?? [];
  const nc = now.spec.components ?? [];
  if (oc.length > 0 || nc.length > 0) {
    const names = (b: Pick<ResourceBinding, 'spec'>) => (b.spec.clusters ?? []).map((c) => c.name).sort().join(',');
    if (names(old) !== names(now)) return true;
  }
  if (oc.length !== nc.length) return true;
  return oc.some((c, i) => c.replicas !== nc[i].replicas || !same(c.replicaRequirements?.resourceRequest, nc[i].replicaRequirements?.resourceRequest));
}

type FederatedQuotaCheck =
  /** the FRQ does not limit what changes */
  | { kind: 'untouched' }
  | { kind: 'allowed'; overallUsed: ResourceList }
  | { kind: 'exceeded'; message: string };

/**
 * processSingleFRQ: the binding's delta against one FRQ's overall and status.overallUsed. Only
 * resources the write adds to are held against the limit: a binding that frees resources is never
 * refused, even when an FRQ lowered below its usage is over on something else (Karmada checks every
 * resource there, so such a quota would refuse scaling down).
 */
export function checkFederatedQuota(frq: FederatedResourceQuota, delta: Usage): FederatedQuotaCheck {
  const overall = toUsage(frq.spec?.overall);
  if (overall.size === 0) return { kind: 'untouched' };
  const mine = maskUsage(delta, overall.keys());
  if (mine.size === 0) return { kind: 'untouched' };
  const after = addUsage(toUsage(frq.status?.overallUsed), mine);
  for (const name of [...mine.keys()].sort()) {
    if (mine.get(name)!.nanos <= 0n) continue;
    const sum = after.get(name)!;
    const limit = overall.get(name)!;
    if (compareQuantities(sum, limit) > 0) {
      return { kind: 'exceeded', message: `FederatedResourceQuota(${frq.metadata.namespace}/${frq.metadata.name}) exceeded for resource ${name}: requested sum ${formatQuantity(sum)}, limit ${formatQuantity(limit)}.` };
    }
  }
  return { kind: 'allowed', overallUsed: toResourceList(after) };
}

/** the status controller's overallUsed without enforcement: the members' ResourceQuota used, summed */
export function overallUsedFromMembers(aggregated: readonly { used?: ResourceList }[]): ResourceList {
  let used: Usage = new Map();
  for (const a of aggregated) used = addUsage(used, toUsage(a.used));
  return toResourceList(used);
}
