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

/**
 * records every write to the store from now on; stop() ends the recording and counts them by
 * writeKind. The events are kept as they come and parsed only then, so that classifying them (two
 * JSON.parse per update) does not count in the CPU the bench measures meanwhile.
 */
export function countWrites(store: Store, from: number): { stop: () => Map<string, number> } {
  const seen: WatchEvent[] = [];
  const w = store.watch('/', { afterRevision: from }, {
    onEvents: (events) => {
      for (const ev of events) seen.push(ev);
    },
    onError: () => {},
  });
  return {
    stop: () => {
      w.stop();
      const counts = new Map<string, number>();
      for (const ev of seen) {
        const k = writeKind(ev);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      return counts;
    },
  };
}
