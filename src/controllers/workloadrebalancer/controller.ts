// The workload rebalancer controller (Karmada's pkg/controllers/workloadrebalancer): for each
// workload a WorkloadRebalancer lists, sets its binding's spec.rescheduleTriggeredAt to the
// rebalancer's creation time so the scheduler places it again from scratch; records the outcome per
// workload (Successful, or Failed with ReferencedBindingNotFound), finishTime, and deletes the
// rebalancer ttlSecondsAfterFinished after it finished.
import { isDeepStrictEqual } from 'node:util';
import { isConflict, isNotFound } from '../../apimachinery/errors.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import { clusterResourceBindingGVR, resourceBindingGVR, workloadRebalancerGVR } from '../../apis/karmada/gvr.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import { generateBindingName } from '../binding/names.js';
import type { ControllerContext } from '../context.js';
import { needsTrigger, syncObservedWorkloads, ttlLeftMs, type ObservedWorkload, type WorkloadRef } from './sync.js';

export const ControllerName = 'workload-rebalancer';

interface WorkloadRebalancer extends KubeObject {
  spec: { workloads: WorkloadRef[]; ttlSecondsAfterFinished?: number };
  status?: { observedWorkloads?: ObservedWorkload[]; observedGeneration?: number; finishTime?: string };
}

export function registerWorkloadRebalancerController(ctx: ControllerContext): void {
  const { client, manager } = ctx;
  const rebalancers = manager.informer(client, workloadRebalancerGVR);

  /** triggers one workload's binding; true once done, false when it must be retried */
  const trigger = async (r: WorkloadRebalancer, o: ObservedWorkload): Promise<boolean> => {
    const w = o.workload;
    const gvr = w.namespace ? resourceBindingGVR : clusterResourceBindingGVR;
    const name = generateBindingName(w.kind, w.name);
    try {
      const b = await client.get<ResourceBinding>(gvr, name, w.namespace ? { namespace: w.namespace } : {});
      if (needsTrigger(r.metadata.creationTimestamp!, b.spec.rescheduleTriggeredAt)) await client.replace({ ...b, spec: { ...b.spec, rescheduleTriggeredAt: r.metadata.creationTimestamp } });
      o.result = 'Successful';
      return true;
    } catch (err) {
      if (isNotFound(err)) {
        o.result = 'Failed';
        o.reason = 'ReferencedBindingNotFound';
        return true;
      }
      return false;
    }
  };

  newControllerManagedBy(manager, ControllerName, client)
    .for(workloadRebalancerGVR)
    .logger(ctx.log)
    .complete(async (key) => {
      const r = rebalancers.get(key) as WorkloadRebalancer | undefined;
      if (!r || r.metadata.deletionTimestamp) return;
      const observed = syncObservedWorkloads(r.spec.workloads ?? [], r.status?.observedWorkloads ?? []).map((o) => ({ ...o }));
      let retry = 0;
      for (const o of observed) if (!o.result && !(await trigger(r, o))) retry++;
      const status: NonNullable<WorkloadRebalancer['status']> = { observedWorkloads: observed, ...(r.metadata.generation !== undefined ? { observedGeneration: r.metadata.generation } : {}), ...(r.status?.finishTime ? { finishTime: r.status.finishTime } : {}) };
      const { finishTime: _f, ...was } = r.status ?? {};
      const { finishTime: _g, ...now } = status;
      if (!isDeepStrictEqual(was, now) && retry === 0) status.finishTime = rfc3339Now();
      if (!isDeepStrictEqual(r.status ?? {}, status)) {
        try {
          await client.updateStatus({ ...r, status });
        } catch (err) {
          if (isConflict(err)) return { requeueAfter: 50 };
          throw err;
        }
      }
      if (retry > 0) throw new Error(`${retry} workload(s) of WorkloadRebalancer ${key} could not be triggered yet; retrying`);
      const left = ttlLeftMs(status.finishTime, r.spec.ttlSecondsAfterFinished, Date.now());
      if (left === undefined) return;
      if (left > 0) return { requeueAfter: left };
      await client.delete(workloadRebalancerGVR, key).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    });
}
