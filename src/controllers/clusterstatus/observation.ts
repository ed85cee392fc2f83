// One status round of the cluster status controller applied to Cluster.status (Karmada's
// cluster_status_controller.go setCurrentClusterStatus): fields overwritten, conditions set.
import { isDeepStrictEqual } from 'node:util';
import type { Condition } from '../../apimachinery/types.js';
import type { ClusterStatus } from '../../apis/karmada/cluster.js';
import { setCondition } from './conditions.js';

/** what one round observed: fields to overwrite and conditions to set (on whatever status is current) */
export interface Observation {
  fields: Pick<ClusterStatus, 'kubernetesVersion' | 'apiEnablements' | 'nodeSummary' | 'resourceSummary'>;
  conditions: Condition[];
}

/**
 * The status after an observation; conditions keep lastTransitionTime unless their status changed.
 * Nothing is copied: the status and the observed fields are shared, never modified (informer
 * objects and cached discovery and summaries are read-only), so a round does not clone the
 * cluster's apiEnablements twice to find that nothing changed.
 */
export function applyObservation(status: ClusterStatus | undefined, obs: Observation, now: string): ClusterStatus {
  const next: ClusterStatus = { ...status, ...obs.fields };
  if ('kubernetesVersion' in obs.fields && obs.fields.kubernetesVersion === undefined) delete next.kubernetesVersion;
  for (const c of obs.conditions) next.conditions = setCondition(next.conditions, c, now);
  return next;
}

/** pairs of read-only values already found deeply equal: the cluster's status against the cached fields it was written from */
const provenEqual = new WeakMap<object, object>();

/** deep equality of two statuses, field by field, remembering equal pairs of objects (the same objects come back every round) */
export function sameStatus(a: ClusterStatus, b: ClusterStatus): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof ClusterStatus>;
  for (const k of keys) {
    const x: unknown = a[k];
    const y: unknown = b[k];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (provenEqual.get(x) === y) continue;
    if (!isDeepStrictEqual(x, y)) return false;
    provenEqual.set(x, y);
  }
  return true;
}
