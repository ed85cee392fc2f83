// The controllers and admission plugins beyond the core ones.
import type { AdmissionPlugin } from '../../apiserver/rest/admission.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { SimCluster, SimController } from '../cluster.js';
import { CronJobController } from '../workloads/cronjob.js';
import { DaemonSetController } from '../workloads/daemonset.js';
import { JobController } from '../workloads/job.js';
import { StatefulSetController } from '../workloads/statefulset.js';
import { EndpointsController, serviceAllocator } from './services.js';

export function extraControllers(c: SimCluster): SimController[] {
  return [new StatefulSetController(c), new DaemonSetController(c), new JobController(c), new CronJobController(c), new EndpointsController(c)];
}

export function memberAdmission(services: () => Promise<KubeObject[]>): AdmissionPlugin[] {
  return [serviceAllocator(services)];
}
