// TEMPORARY until src/apimachinery/managedfields.ts lands
import type { KubeObject, ManagedFieldsEntry } from '../../apimachinery/types.js';
export function updateManagedFields(a: { old?: KubeObject; updated: KubeObject; [k: string]: unknown }): ManagedFieldsEntry[] | undefined {
  return a.updated.metadata.managedFields;
}
export function applyServerSide(a: { live?: KubeObject; applied: KubeObject; [k: string]: unknown }): { object: KubeObject; managedFields: ManagedFieldsEntry[] } {
  const object = structuredClone(a.live ?? a.applied);
  if (a.live) Object.assign(object, a.applied, { metadata: { ...a.live.metadata, ...a.applied.metadata } });
  return { object, managedFields: [] };
}
