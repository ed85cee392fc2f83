// The applied-overrides annotations of a Work, byte-for-byte as Karmada writes them: a JSON list of
// {policyName, overriders} sorted by policy name, with Go's field order, omitempty rules and HTML escaping.
import {
  AppliedClusterOverridesAnnotation,
  AppliedOverridesAnnotation,
  type Overriders,
  type JSONPatchOperation,
  type LabelAnnotationOverrider,
  type CommandArgsOverrider,
} from '../apis/karmada/override.js';

/** One applied rule: Karmada records every matching rule, so a policy may appear more than once. */
export interface AppliedOverrideItem {
  policyName: string;
  overriders: Overriders;
}

export type AppliedOverrideRecord = AppliedOverrideItem[];

type Json = Record<string, unknown>;

function patchOps(ops: readonly JSONPatchOperation[]): Json[] {
  // apiextensions JSON is a struct, which omitempty never omits: an absent value is written as null.
  return ops.map((o) => ({ subPath: o.subPath, operator: o.operator, value: o.value ?? null }));
}

function commandArgs(list: readonly CommandArgsOverrider[]): Json[] {
  return list.map((c) => ({ containerName: c.containerName, operator: c.operator, ...(c.value && c.value.length > 0 ? { value: c.value } : {}) }));
}

function labelAnnotation(list: readonly LabelAnnotationOverrider[]): Json[] {
  return list.map((l) => {
    const keys = Object.keys(l.value ?? {}).sort();
    return { operator: l.operator, ...(keys.length > 0 ? { value: Object.fromEntries(keys.map((k) => [k, l.value[k]])) } : {}) };
  });
}

/** policyv1alpha1.Overriders as Go marshals it: struct field order, empty lists left out. */
function goOverriders(o: Overriders): Json {
  const out: Json = {};
  if (o.plaintext?.length) out.plaintext = o.plaintext.map((p) => ({ path: p.path, operator: p.operator, value: p.value ?? null }));
  if (o.imageOverrider?.length) {
    out.imageOverrider = o.imageOverrider.map((i) => ({
      ...(i.predicate ? { predicate: { path: i.predicate.path } } : {}),
      component: i.component,
      operator: i.operator,
      ...(i.value ? { value: i.value } : {}),
    }));
  }
  if (o.commandOverrider?.length) out.commandOverrider = commandArgs(o.commandOverrider);
  if (o.argsOverrider?.length) out.argsOverrider = commandArgs(o.argsOverrider);
  if (o.labelsOverrider?.length) out.labelsOverrider = labelAnnotation(o.labelsOverrider);
  if (o.annotationsOverrider?.length) out.annotationsOverrider = labelAnnotation(o.annotationsOverrider);
  if (o.fieldOverrider?.length) {
    out.fieldOverrider = o.fieldOverrider.map((f) => ({
      fieldPath: f.fieldPath,
      ...(f.json?.length ? { json: patchOps(f.json) } : {}),
      ...(f.yaml?.length ? { yaml: patchOps(f.yaml) } : {}),
    }));
  }
  return out;
}

/** encoding/json escapes <, >, & and the JS line separators; they only ever occur inside strings. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** The annotation value, or undefined when nothing was applied (Karmada then sets no annotation). */
export function marshalAppliedOverrides(items: AppliedOverrideRecord): string | undefined {
  if (items.length === 0) return undefined;
  const sorted = [...items].sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0));
  return goEscape(JSON.stringify(sorted.map((i) => ({ policyName: i.policyName, overriders: goOverriders(i.overriders) }))));
}

export function parseAppliedOverrides(annotation: string | undefined): AppliedOverrideRecord {
  if (!annotation) return [];
  const parsed: unknown = JSON.parse(annotation);
  return Array.isArray(parsed) ? (parsed as AppliedOverrideRecord) : [];
}

/** The Work annotations recording both kinds of applied policies (only the non-empty ones). */
export function appliedOverridesAnnotations(applied: { appliedClusterOverrides: AppliedOverrideRecord; appliedOverrides: AppliedOverrideRecord }): Record<string, string> {
  const out: Record<string, string> = {};
  const cluster = marshalAppliedOverrides(applied.appliedClusterOverrides);
  if (cluster !== undefined) out[AppliedClusterOverridesAnnotation] = cluster;
  const namespaced = marshalAppliedOverrides(applied.appliedOverrides);
  if (namespaced !== undefined) out[AppliedOverridesAnnotation] = namespaced;
  return out;
}
