// What a member's store is written with, by kind of write: the resource, and for an update the
// top-level fields it changed (spec, status.<field>, metadata.<field>; managedFields and
// resourceVersion left out), so a bench can put the writes per Deployment beside Kubernetes' own.
import type { KeyValue, Store, WatchEvent } from '../../src/storage/store.js';

/** "/registry/apps/deployments/ns/name" -> "deployments"; "/registry/pods/ns/name" -> "pods" */
export function resourceOfKey(key: string): string {
  const parts = key.split('/');
  // core resources are /registry/<resource>/..., grouped ones /registry/<group>/<resource>/...
  return parts[2]?.includes('.') || ['apps', 'batch', 'policy', 'autoscaling'].includes(parts[2] ?? '') ? (parts[3] ?? '') : (parts[2] ?? '');
}

const nested = new Set(['metadata', 'status']);

/** the fields an update changed: top-level ones, and one level down for metadata and status */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[k];
    const b = after[k];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (nested.has(k) && a && b && typeof a === 'object' && typeof b === 'object') {
      for (const f of changedFields(a as Record<string, unknown>, b as Record<string, unknown>)) if (!['managedFields', 'resourceVersion'].includes(f)) out.push(`${k}.${f}`);
    } else out.push(k);
  }
  return out;
}

/** "pods create", "deployments update status.replicas,status.conditions", "pods delete" */
export function writeKind(ev: Pick<WatchEvent, 'type' | 'kv'> & { prevKv?: KeyValue }): string {
  const resource = resourceOfKey(ev.kv.key);
  if (ev.type === 'delete') return `${resource} delete`;
  if (!ev.prevKv) return `${resource} create`;
  return `${resource} update ${changedFields(JSON.parse(ev.prevKv.value), JSON.parse(ev.kv.value)).join(',')}`;
}

/** counts every write to the store from now on, by writeKind; stop() ends the count */
export function countWrites(store: Store, from: number): { counts: Map<string, number>; stop: () => void } {
  const counts = new Map<string, number>();
  const w = store.watch('/', { afterRevision: from }, {
    onEvents: (events) => {
      for (const ev of events) {
        const k = writeKind(ev);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    },
    onError: () => {},
  });
  return { counts, stop: () => w.stop() };
}
