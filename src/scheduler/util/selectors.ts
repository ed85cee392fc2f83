// Small matchers for the selector shapes the scheduler meets: metav1.LabelSelector on cluster
// labels, and corev1.NodeSelectorRequirement on node labels and fields.
import type { LabelSelector, LabelSelectorRequirement } from '../../apimachinery/types.js';
import type { NodeSelectorRequirement } from '../../apis/karmada/binding.js';

function has(labels: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

function labelRequirementMatches(r: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has(labels, r.key) && values.includes(labels[r.key]);
    case 'NotIn':
      return !has(labels, r.key) || !values.includes(labels[r.key]);
    case 'Exists':
      return has(labels, r.key);
    case 'DoesNotExist':
      return !has(labels, r.key);
    default:
      // LabelSelectorAsSelector fails on an unknown operator; a selector that fails matches nothing.
      return false;
  }
}

/** metav1.LabelSelector matching; an empty selector matches everything. */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (l[k] !== v || !has(l, k)) return false;
  }
  for (const r of selector.matchExpressions ?? []) {
    if (!labelRequirementMatches(r, l)) return false;
  }
  return true;
}

const integer = /^[+-]?\d+$/;

/** corev1.NodeSelectorRequirement against a label (or field) set, as nodeaffinity does. */
export function nodeRequirementMatches(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has(labels, r.key) && values.includes(labels[r.key]);
    case 'NotIn':
      return !has(labels, r.key) || !values.includes(labels[r.key]);
    case 'Exists':
      return has(labels, r.key);
    case 'DoesNotExist':
      return !has(labels, r.key);
    case 'Gt':
    case 'Lt': {
      if (!has(labels, r.key) || values.length !== 1 || !integer.test(values[0]) || !integer.test(labels[r.key])) return false;
      const a = BigInt(labels[r.key]);
      const b = BigInt(values[0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}
