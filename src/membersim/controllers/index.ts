// The controllers and admission plugins beyond the core ones.
import type { AdmissionPlugin } from '../../apiserver/rest/admission.js';
import type { MemberController, SimCluster } from '../cluster.js';
import { CronJobController } from '../workloads/cronjob.js';
import { DaemonSetController } from '../workloads/daemonset.js';
import { JobController } from '../workloads/job.js';
import { StatefulSetController } from '../workloads/statefulset.js';
import { DisruptionController } from './disruption.js';
import { EndpointSliceController } from './endpointslices.js';
import { ResourceQuotaController } from './resourcequota.js';
import { schedulingGatedAdmission } from './schedulinggated.js';

export function extraControllers(c: SimCluster): MemberController[] {
  return [new StatefulSetController(c), new DaemonSetController(c), new JobController(c), new CronJobController(c), new EndpointSliceController(c), new DisruptionController(c), new ResourceQuotaController(c)];
}

/**
 * admission beyond the API server's own (the service allocator is the API server's, as in
 * kube-apiserver); the pod strategy's SchedulingGated condition, which only a member's pods need
 */
export function memberAdmission(): AdmissionPlugin[] {
  return [schedulingGatedAdmission()];
}
