// deploymentReplicasSyncer (pkg/controllers/deploymentreplicassyncer): a Divided Deployment whose
// replicas member HPAs own (retain-replicas=true) gets the sum of the members' replicas back into its
// spec.replicas, once the binding has been scheduled for the current spec and every member's status
// has been collected, so the template follows what the HPAs decided.
import type { KubeObject } from '../../apimachinery/types.js';
import { isNotFound } from '../../apimachinery/errors.js';
import { RetainReplicasLabel } from '../../apis/karmada/wellknown.js';
import { resourceBindingGVR } from '../../apis/karmada/gvr.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { generateBindingName } from '../binding/names.js';
import { deploymentGVR } from '../../apis/builtin/gvr.js';

export const ControllerName = 'deployment-replicas-syncer';
const waitMs = 1000;

const retained = (d: KubeObject) => d.metadata.labels?.[RetainReplicasLabel] === 'true';
const specReplicas = (d: KubeObject) => (d.spec as { replicas?: number } | undefined)?.replicas;
const statusReplicas = (d: KubeObject) => (d.status as { replicas?: number } | undefined)?.replicas ?? 0;

/** the predicate: only retained Deployments whose spec or status replicas changed (or that just got the label) */
export function replicasChanged(d: KubeObject, old: KubeObject): boolean {
  if (!retained(d)) return false;
  if (!retained(old)) return true;
  return specReplicas(d) !== specReplicas(old) || statusReplicas(d) !== statusReplicas(old);
}

/** isDeploymentStatusCollected: the spec reached the binding, was scheduled, and every member reported replicas summing to the template's status */
export function statusCollected(d: KubeObject, binding: KubeObject): boolean {
  const spec = binding.spec as { replicas?: number; clusters?: unknown[] };
  const status = (binding.status ?? {}) as { schedulerObservedGeneration?: number; aggregatedStatus?: { clusterName: string; status?: { replicas?: number } }[] };
  if (specReplicas(d) === undefined || specReplicas(d) !== spec.replicas) return false;
  if (binding.metadata.generation !== status.schedulerObservedGeneration) return false;
  const aggregated = status.aggregatedStatus ?? [];
  if (aggregated.length !== (spec.clusters ?? []).length) return false;
  let sum = 0;
  for (const a of aggregated) {
    if (!a.status || (a.status.replicas ?? 0) <= 0) return false;
    sum += a.status.replicas!;
  }
  return statusReplicas(d) === sum;
}

export function registerDeploymentReplicasSyncerController(ctx: ControllerContext): void {
  newControllerManagedBy(ctx.manager, ControllerName, ctx.client)
    .for(deploymentGVR, { create: () => false, deleted: () => false, update: replicasChanged })
    .complete(async (key) => {
      const [namespace, name] = key.split('/');
      const binding = await ctx.client.get(resourceBindingGVR, generateBindingName('Deployment', name), { namespace }).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
      if (!binding) return;
      const placement = (binding.spec as { placement?: { replicaScheduling?: { replicaSchedulingType?: string } } }).placement;
      if (placement?.replicaScheduling?.replicaSchedulingType !== 'Divided') return;
      const d = await ctx.client.get(deploymentGVR, name, { namespace }).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
      if (!d || !retained(d) || specReplicas(d) === statusReplicas(d)) return;
      if (!statusCollected(d, binding)) return { requeueAfter: waitMs };
      await ctx.client.patch(deploymentGVR, name, { spec: { replicas: statusReplicas(d) } }, { namespace });
    });
}
