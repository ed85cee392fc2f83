// Which override policies apply to a resource, in the order Karmada applies them: ascending
// implicit priority (match-all, then label selector, then name), then ascending name, so the most
// specific policy is applied last and wins.
import type { AnyOverridePolicy, ResourceSelector } from '../apis/karmada/override.js';
import { labelSelectorAsSelector } from '../apimachinery/labels.js';
import type { KubeObject } from '../apimachinery/types.js';

/** util.ImplicitPriority */
export const ImplicitPriority = {
  MisMatch: 0,
  MatchAll: 1,
  MatchLabelSelector: 2,
  MatchName: 3,
} as const;
export type ImplicitPriority = (typeof ImplicitPriority)[keyof typeof ImplicitPriority];

/**
 * util.ResourceSelectorPriority: apiVersion and kind must be equal, namespace too when the selector
 * has one; then a name decides alone (the label selector is ignored), else the label selector, else
 * everything of that kind matches.
 */
export function resourceSelectorPriority(resource: KubeObject, rs: ResourceSelector): ImplicitPriority {
  if (resource.apiVersion !== rs.apiVersion || resource.kind !== rs.kind) return ImplicitPriority.MisMatch;
  if (rs.namespace && resource.metadata?.namespace !== rs.namespace) return ImplicitPriority.MisMatch;
  if (rs.name) return rs.name === resource.metadata?.name ? ImplicitPriority.MatchName : ImplicitPriority.MisMatch;
  if (!rs.labelSelector) return ImplicitPriority.MatchAll;
  try {
    return labelSelectorAsSelector(rs.labelSelector).matches(resource.metadata?.labels ?? {}) ? ImplicitPriority.MatchLabelSelector : ImplicitPriority.MisMatch;
  } catch {
    // an invalid selector matches nothing (admission refuses it)
    return ImplicitPriority.MisMatch;
  }
}

/** The best priority among the selectors; a policy without selectors matches everything (MatchAll). */
export function policyPriority(policy: AnyOverridePolicy, resource: KubeObject): ImplicitPriority {
  const selectors = policy.spec?.resourceSelectors ?? [];
  if (selectors.length === 0) return ImplicitPriority.MatchAll;
  let best: ImplicitPriority = ImplicitPriority.MisMatch;
  for (const rs of selectors) {
    const p = resourceSelectorPriority(resource, rs);
    if (p > best) best = p;
  }
  return best;
}

/** True when the policy's resourceSelectors select the resource (ignoring namespace scope). */
export function policySelectsResource(policy: AnyOverridePolicy, resource: KubeObject): boolean {
  return policyPriority(policy, resource) > ImplicitPriority.MisMatch;
}

/**
 * OverridePolicies only apply to resources in their own namespace, and never to cluster-scoped
 * resources; ClusterOverridePolicies apply everywhere.
 */
export function policyInScope(policy: AnyOverridePolicy, resource: KubeObject, namespaced: boolean): boolean {
  if (!namespaced) return true;
  const ns = resource.metadata?.namespace;
  return !!ns && policy.metadata?.namespace === ns;
}

/** The policies that select the resource, sorted as Karmada applies them. */
export function orderPolicies<P extends AnyOverridePolicy>(policies: readonly P[], resource: KubeObject): P[] {
  return policies
    .map((policy) => ({ policy, priority: policyPriority(policy, resource) }))
    .filter((p) => p.priority > ImplicitPriority.MisMatch)
    .sort((a, b) => a.priority - b.priority || compareNames(a.policy.metadata.name, b.policy.metadata.name))
    .map((p) => p.policy);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
