// Shared by labelsOverrider and annotationsOverrider: add, replace or remove keys of a metadata map.
import type { LabelAnnotationOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { OverrideError } from '../errors.js';
import { escapeToken } from '../../apimachinery/jsonpointer.js';
import { applyPatch, type PatchOp } from '../patch.js';

/**
 * Karmada's rule: add sets every key (creating the map if needed, overwriting existing values);
 * replace and remove only touch keys that are already there.
 */
export function applyMetadataMapOverrider(obj: KubeObject, o: LabelAnnotationOverrider, field: 'labels' | 'annotations'): KubeObject {
  const existing = obj.metadata?.[field];
  const current: Record<string, string> = existing && typeof existing === 'object' ? existing : {};
  if (o.value !== undefined && (o.value === null || typeof o.value !== 'object' || Array.isArray(o.value))) {
    throw new OverrideError(`value must be a map of strings, not ${JSON.stringify(o.value)}`);
  }
  const entries = Object.entries(o.value ?? {});
  // add needs the map to exist; JSON patch does not create parents.
  const doc = o.operator === 'add' && current !== existing && entries.length > 0 ? { ...obj, metadata: { ...obj.metadata, [field]: {} } } : obj;
  const ops: PatchOp[] = [];
  for (const [key, value] of entries) {
    if (o.operator !== 'add' && !Object.prototype.hasOwnProperty.call(current, key)) continue;
    ops.push({ op: o.operator, path: `/metadata/${field}/${escapeToken(key)}`, value });
  }
  return ops.length === 0 ? obj : applyPatch(doc, ops);
}
