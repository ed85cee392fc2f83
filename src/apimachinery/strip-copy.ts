// A deep copy of an object without its status and the named metadata fields, in one walk: what
// Karmada's prune (and objectwatcher) does with DeepCopy then delete, without copying the parts it
// drops (status and managedFields are often most of an object). Key order is kept.
import { deepCopyJson } from './clone.js';
import type { KubeObject } from './types.js';

export function copyWithoutStatus(obj: KubeObject, dropMetadata: ReadonlySet<string>): KubeObject {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    if (k === 'status') continue;
    const v = (obj as Record<string, unknown>)[k];
    if (k === 'metadata' && v && typeof v === 'object' && !Array.isArray(v)) {
      const meta: Record<string, unknown> = {};
      for (const mk of Object.keys(v)) if (!dropMetadata.has(mk)) meta[mk] = deepCopyJson((v as Record<string, unknown>)[mk]);
      out.metadata = meta;
    } else if (k !== '__proto__') {
      out[k] = deepCopyJson(v);
    } else {
      Object.defineProperty(out, k, { value: deepCopyJson(v), enumerable: true, writable: true, configurable: true });
    }
  }
  return out as unknown as KubeObject;
}
