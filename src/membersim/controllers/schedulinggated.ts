// A pod created with spec.schedulingGates is PodScheduled=False, reason SchedulingGated, from the
// start: kube-apiserver's pod strategy (applySchedulingGatedCondition in PrepareForCreate, since
// Kubernetes 1.27) adds it at create, in the create's own write; the scheduler then leaves the pod
// alone until its gates are removed. Here as the member API server's admission.
import type { AdmissionPlugin } from '../../apiserver/rest/admission.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { PodStatusShape } from '../pods.js';

export const schedulingGatedReason = 'SchedulingGated';
export const schedulingGatedMessage = 'Scheduling is blocked due to non-empty scheduling gates';

export function isSchedulingGated(pod: KubeObject): boolean {
  return !!(pod.spec as { schedulingGates?: unknown[] } | undefined)?.schedulingGates?.length;
}

/** the pod's status with the SchedulingGated condition added, or undefined when it gets none (no gates, or PodScheduled already there) */
export function withSchedulingGated(pod: KubeObject, now: string): PodStatusShape | undefined {
  if (!isSchedulingGated(pod)) return undefined;
  const status = (pod.status ?? {}) as PodStatusShape;
  if (status.conditions?.some((c) => c.type === 'PodScheduled')) return undefined;
  const gated = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: schedulingGatedReason, message: schedulingGatedMessage };
  return { ...status, conditions: [...(status.conditions ?? []), gated] };
}

/** the admission step: pods, at create only (Kubernetes lets an update only remove gates, never add them) */
export function schedulingGatedAdmission(): AdmissionPlugin {
  return {
    name: 'SchedulingGatedCondition',
    mutate: ({ operation, def, obj, subresource }) => {
      if (operation !== 'CREATE' || subresource || def.group !== '' || def.resource !== 'pods') return;
      const status = withSchedulingGated(obj, rfc3339Now());
      if (status) obj.status = status;
    },
  };
}
