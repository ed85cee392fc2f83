// One status round of the cluster status controller applied to Cluster.status (Karmada's
// cluster_status_controller.go setCurrentClusterStatus): fields overwritten, conditions set.
import type { Condition } from '../../apimachinery/types.js';
import type { ClusterStatus } from '../../apis/karmada/cluster.js';
import { setCondition } from './conditions.js';

/** what one round observed: fields to overwrite and conditions to set (on whatever status is current) */
export interface Observation {
  fields: Pick<ClusterStatus, 'kubernetesVersion' | 'apiEnablements' | 'nodeSummary' | 'resourceSummary'>;
  conditions: Condition[];
}

/** the status after an observation; conditions keep lastTransitionTime unless their status changed */
export function applyObservation(status: ClusterStatus | undefined, obs: Observation, now: string): ClusterStatus {
  const next: ClusterStatus = { ...structuredClone(status ?? {}), ...structuredClone(obs.fields) };
  if ('kubernetesVersion' in obs.fields && obs.fields.kubernetesVersion === undefined) delete next.kubernetesVersion;
  for (const c of obs.conditions) next.conditions = setCondition(next.conditions, c, now);
  return next;
}
