// List and watch filters: a label selector and a field selector over the fields a kind supports.
import type { ResourceDef } from '../../apis/resource.js';
import { checkSupportedFields, parseFieldSelector } from '../../apimachinery/fields.js';
import { parseSelector } from '../../apimachinery/labels.js';
import type { KubeObject } from '../../apimachinery/types.js';

/** `reads`: when it reads nothing but the labels, or nothing but metadata (labels, name, namespace) */
export type ObjectFilter = ((obj: KubeObject) => boolean) & { reads?: 'labels' | 'metadata' };

export function buildFilter(def: ResourceDef, labelSelector?: string, fieldSelector?: string): ObjectFilter | undefined {
  const labels = labelSelector ? parseSelector(labelSelector) : undefined;
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  const extra = def.fieldSelectors ?? {};
  if (fields) checkSupportedFields(fields, ['metadata.name', 'metadata.namespace', ...Object.keys(extra)]);
  if ((!labels || labels.empty()) && (!fields || fields.empty())) return undefined;
  const filter: ObjectFilter = (obj) => {
    if (labels && !labels.matches(obj.metadata.labels)) return false;
    if (fields) {
      return fields.matches((field) => {
        if (field === 'metadata.name') return obj.metadata.name;
        if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
        return extra[field]?.(obj);
      });
    }
    return true;
  };
  if (!fields || fields.empty()) filter.reads = 'labels';
  else if (fields.requirements.every((r) => r.field === 'metadata.name' || r.field === 'metadata.namespace')) filter.reads = 'metadata';
  return filter;
}
