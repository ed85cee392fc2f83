// Printers for apps/v1 and batch/v1 kinds, following kube-apiserver's printers.go.
import type { KubeObject } from '../../../apimachinery/types.js';
import type { TableConvertor } from '../../resource.js';
import { ageSince, durationBetween } from '../age.js';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, wide } from '../columns.js';
import { boolPtr, containerCells, formatLabelSelector, formatLabels, selectorString } from '../format.js';
import { at, int, list, obj, str } from '../json.js';

const name = (o: KubeObject): string => o.metadata.name ?? '';
const age = (o: KubeObject, now: Date): string => ageSince(o.metadata.creationTimestamp, now);
const templateContainers = (o: KubeObject): [string, string] => containerCells(at(o, 'spec', 'template', 'spec', 'containers'));

export const deploymentTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    wide('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
  ],
  cells: (o, now) => {
    const status = obj(o.status);
    const [names, images] = templateContainers(o);
    return [
      name(o),
      `${int(status.readyReplicas)}/${int(at(o, 'spec', 'replicas'))}`,
      int(status.updatedReplicas),
      int(status.availableReplicas),
      age(o, now),
      names,
      images,
      selectorString(at(o, 'spec', 'selector')),
    ];
  },
};

export const replicaSetTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    wide('Selector', 'string', 'Selector is a label query over pods that should match the replica count.'),
  ],
  cells: (o, now) => {
    const status = obj(o.status);
    const [names, images] = templateContainers(o);
    return [name(o), int(at(o, 'spec', 'replicas')), int(status.replicas), int(status.readyReplicas), age(o, now), names, images, formatLabelSelector(at(o, 'spec', 'selector'))];
  },
};

export const statefulSetTable: TableConvertor = {
  columns: [nameColumn, column('Ready', 'string', 'Number of the pod with ready state'), ageColumn, containersColumn, imagesColumn],
  cells: (o, now) => {
    const [names, images] = templateContainers(o);
    return [name(o), `${int(at(o, 'status', 'readyReplicas'))}/${int(at(o, 'spec', 'replicas'))}`, age(o, now), names, images];
  },
};

export const daemonSetTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    column('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
    ageColumn,
    containersColumn,
    imagesColumn,
    wide('Selector', 'string', 'A label query over pods that are managed by the daemon set.'),
  ],
  cells: (o, now) => {
    const s = obj(o.status);
    const [names, images] = templateContainers(o);
    return [
      name(o),
      int(s.desiredNumberScheduled),
      int(s.currentNumberScheduled),
      int(s.numberReady),
      int(s.updatedNumberScheduled),
      int(s.numberAvailable),
      formatLabels(at(o, 'spec', 'template', 'spec', 'nodeSelector')),
      age(o, now),
      names,
      images,
      formatLabelSelector(at(o, 'spec', 'selector')),
    ];
  },
};

export const controllerRevisionTable: TableConvertor = {
  columns: [nameColumn, column('Controller', 'string', 'Controller of the object'), column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'), ageColumn],
  cells: (o, now) => {
    const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
    let controller = '<none>';
    if (ref) {
      const group = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
      const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
      controller = `${groupKind.toLowerCase()}/${ref.name}`;
    }
    return [name(o), controller, int(o.revision), age(o, now)];
  },
};

const conditionTrue = (conds: unknown, type: string): boolean => {
  const c = list(conds).find((x) => str(at(x, 'type')) === type);
  return c !== undefined && str(at(c, 'status')) === 'True';
};

export const jobTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    wide('Selector', 'string', 'A label query over pods that should match the pod count.'),
  ],
  cells: (o, now) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const succeeded = int(status.succeeded);
    let completions: string;
    if (typeof spec.completions === 'number') completions = `${succeeded}/${spec.completions}`;
    else {
      const parallelism = int(spec.parallelism);
      completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }
    const start = str(status.startTime);
    const end = str(status.completionTime);
    const duration = !start ? '' : !end ? ageSince(start, now) : durationBetween(start, end);
    let state = 'Running';
    if (conditionTrue(status.conditions, 'Complete')) state = 'Complete';
    else if (conditionTrue(status.conditions, 'Failed')) state = 'Failed';
    else if (o.metadata.deletionTimestamp) state = 'Terminating';
    else if (conditionTrue(status.conditions, 'Suspended')) state = 'Suspended';
    else if (conditionTrue(status.conditions, 'FailureTarget')) state = 'FailureTarget';
    const [names, images] = templateContainers(o);
    return [name(o), state, completions, duration, age(o, now), names, images, formatLabelSelector(spec.selector)];
  },
};

export const cronJobTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    wide('Selector', 'string', 'A label query over pods that should match the pod count.'),
  ],
  cells: (o, now) => {
    const spec = obj(o.spec);
    const last = at(o, 'status', 'lastScheduleTime');
    const [names, images] = containerCells(at(spec, 'jobTemplate', 'spec', 'template', 'spec', 'containers'));
    return [
      name(o),
      str(spec.schedule),
      typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
      boolPtr(spec.suspend),
      list(at(o, 'status', 'active')).length,
      typeof last === 'string' && last ? ageSince(last, now) : '<none>',
      age(o, now),
      names,
      images,
      formatLabelSelector(at(spec, 'jobTemplate', 'spec', 'selector')),
    ];
  },
};

