// FieldError builders with Kubernetes' wording, and Go's %#v rendering for values that
// kube-apiserver prints that way (maps, selectors).
import type { FieldError } from '../../../apimachinery/errors.js';
import { isObject, list, str } from '../../tables/json.js';

export const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, ...(detail ? { detail } : {}) });
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({ type: 'FieldValueNotSupported', field, value, supported });

/** An Invalid error whose value Kubernetes prints with Go's %#v (already rendered in `goValue`). */
export const invalidGo = (field: string, goValue: string, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, detail: `${goValue}: ${detail}` });

const goString = (s: string): string => JSON.stringify(s);

/** %#v of a map[string]string: `map[string]string{"a":"b", "c":"d"}`, keys sorted; nil maps print `(nil)`. */
export function goStringMap(m: unknown): string {
  if (!isObject(m)) return 'map[string]string(nil)';
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${goString(k)}:${goString(str(m[k]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** %#v of a *metav1.LabelSelector. */
export function goLabelSelector(sel: unknown): string {
  if (!isObject(sel)) return '(*v1.LabelSelector)(nil)';
  const exprs = list(sel.matchExpressions);
  const exprText =
    sel.matchExpressions === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map((e) => {
            const values = isObject(e) && Array.isArray(e.values) ? `[]string{${e.values.map((v) => goString(str(v))).join(', ')}}` : '[]string(nil)';
            return `v1.LabelSelectorRequirement{Key:${goString(str(isObject(e) ? e.key : ''))}, Operator:${goString(str(isObject(e) ? e.operator : ''))}, Values:${values}}`;
          })
          .join(', ')}}`;
  return `&v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprText}}`;
}

/** validation.IsValidPortNum */
export function portNumErrors(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** ValidateNonnegativeField */
export function nonNegative(field: string, v: unknown): FieldError[] {
  return typeof v === 'number' && v < 0 ? [invalid(field, v, 'must be greater than or equal to 0')] : [];
}

export { jsonEqual } from '../../../apimachinery/clone.js';
