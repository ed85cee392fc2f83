// Printers for core/v1 kinds, following kube-apiserver's pkg/printers/internalversion/printers.go.
// Cells are produced for every column (the server prints wide); toTable drops wide ones on request.
import type { KubeObject } from '../../../apimachinery/types.js';
import type { TableConvertor } from '../../resource.js';
import { ageSince } from '../age.js';
import { ageColumn, column, nameColumn, wide } from '../columns.js';
import { containerCells, formatLabels, quantityText } from '../format.js';
import { at, int, isObject, list, obj, str } from '../json.js';

const name = (o: KubeObject): string => o.metadata.name ?? '';
const age = (o: KubeObject, now: Date): string => ageSince(o.metadata.creationTimestamp, now);

export const namespaceTable: TableConvertor = {
  columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  cells: (o, now) => [name(o), str(at(o, 'status', 'phase')), age(o, now)],
};

export const configMapTable: TableConvertor = {
  columns: [nameColumn, column('Data', 'string', 'Data contains the configuration data.'), ageColumn],
  cells: (o, now) => [name(o), Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length, age(o, now)],
};

export const secretTable: TableConvertor = {
  columns: [nameColumn, column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'), column('Data', 'string', 'Data contains the secret data.'), ageColumn],
  cells: (o, now) => [name(o), str(o.type), Object.keys(obj(o.data)).length, age(o, now)],
};

export const serviceAccountTable: TableConvertor = {
  columns: [nameColumn, column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn],
  cells: (o, now) => [name(o), list(o.secrets).length, age(o, now)],
};

export const serviceTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn,
    wide('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  cells: (o, now) => {
    const spec = obj(o.spec);
    const clusterIPs = list(spec.clusterIPs);
    const internalIP = clusterIPs.length > 0 ? str(clusterIPs[0]) : str(spec.clusterIP) || '<none>';
    const ports = servicePorts(spec.ports);
    return [name(o), str(spec.type), internalIP, serviceExternalIP(o), ports || '<none>', age(o, now), formatLabels(spec.selector)];
  },
};

function servicePorts(ports: unknown): string {
  return list(ports)
    .map((p) => {
      const port = int(at(p, 'port'));
      const protocol = str(at(p, 'protocol'));
      const nodePort = int(at(p, 'nodePort'));
      return nodePort > 0 ? `${port}:${nodePort}/${protocol}` : `${port}/${protocol}`;
    })
    .join(',');
}

/** getServiceExternalIP with wide=true (the server never clips). */
function serviceExternalIP(o: KubeObject): string {
  const spec = obj(o.spec);
  const externalIPs = list(spec.externalIPs).map((x) => str(x));
  switch (str(spec.type)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(at(o, 'status', 'loadBalancer', 'ingress'));
      if (externalIPs.length > 0) return [...lb, ...externalIPs].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
  }
  return '<unknown>';
}

/** The IPs (or hostnames) of load-balancer ingress points, de-duplicated and sorted. */
export function loadBalancerAddresses(ingress: unknown): string[] {
  const set = new Set<string>();
  for (const i of list(ingress)) {
    const ip = str(at(i, 'ip'));
    const host = str(at(i, 'hostname'));
    if (ip) set.add(ip);
    else if (host) set.add(host);
  }
  return [...set].sort();
}

export const endpointsTable: TableConvertor = {
  columns: [nameColumn, column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), ageColumn],
  cells: (o, now) => [name(o), formatEndpoints(o.subsets), age(o, now)],
};

function formatEndpoints(subsets: unknown): string {
  const ss = list(subsets);
  if (ss.length === 0) return '<none>';
  const max = 3;
  const shown: string[] = [];
  let count = 0;
  for (const s of ss) {
    const addresses = list(at(s, 'addresses')).map((a) => str(at(a, 'ip')));
    const ports = list(at(s, 'ports'));
    if (ports.length === 0) {
      count += addresses.length;
      for (const ip of addresses) if (shown.length < max) shown.push(ip);
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const ip of addresses) if (shown.length < max) shown.push(joinHostPort(ip, int(at(p, 'port'))));
    }
  }
  const text = shown.join(',');
  return count > max ? `${text} + ${count - max} more...` : text;
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export const podTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    wide('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
    wide('Node', 'string', 'NodeName indicates in which node this pod is scheduled.'),
    wide('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.'),
    wide('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.'),
  ],
  cells: (o, now) => podCells(o, now),
};

const isRestartable = (c: unknown): boolean => str(at(c, 'restartPolicy')) === 'Always';
const laterOf = (a: string, b: unknown): string => (typeof b === 'string' && b !== '' && (a === '' || Date.parse(b) > Date.parse(a)) ? b : a);
const conditionIs = (conds: unknown, type: string): boolean => list(conds).some((c) => str(at(c, 'type')) === type && str(at(c, 'status')) === 'True');

function podCells(pod: KubeObject, now: Date): unknown[] {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const conditions = list(status.conditions);
  const initContainers = list(spec.initContainers);
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = list(spec.containers).length;
  let readyContainers = 0;
  let lastRestartDate = '';
  let lastRestartableInitDate = '';

  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  for (const c of conditions) {
    if (str(at(c, 'type')) === 'PodScheduled' && str(at(c, 'reason')) === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initByName = new Map<string, unknown>();
  for (const c of initContainers) {
    initByName.set(str(at(c, 'name')), c);
    if (isRestartable(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = list(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const restartable = isRestartable(initByName.get(str(at(cs, 'name'))));
    restarts += int(at(cs, 'restartCount'));
    lastRestartDate = laterOf(lastRestartDate, at(cs, 'lastState', 'terminated', 'finishedAt'));
    if (restartable) {
      restartableInitRestarts += int(at(cs, 'restartCount'));
      lastRestartableInitDate = laterOf(lastRestartableInitDate, at(cs, 'lastState', 'terminated', 'finishedAt'));
    }
    const terminated = at(cs, 'state', 'terminated');
    const waitingReason = str(at(cs, 'state', 'waiting', 'reason'));
    if (isObject(terminated) && int(terminated.exitCode) === 0) continue;
    if (restartable && at(cs, 'started') === true) {
      if (at(cs, 'ready') === true) readyContainers++;
      continue;
    }
    if (isObject(terminated)) {
      const r = str(terminated.reason);
      if (r) reason = `Init:${r}`;
      else if (int(terminated.signal) !== 0) reason = `Init:Signal:${int(terminated.signal)}`;
      else reason = `Init:ExitCode:${int(terminated.exitCode)}`;
    } else if (waitingReason && waitingReason !== 'PodInitializing') {
      reason = `Init:${waitingReason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || isInitializedTrue(conditions)) {
    restarts = restartableInitRestarts;
    lastRestartDate = lastRestartableInitDate;
    let hasRunning = false;
    const statuses = list(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += int(at(cs, 'restartCount'));
      lastRestartDate = laterOf(lastRestartDate, at(cs, 'lastState', 'terminated', 'finishedAt'));
      const waitingReason = str(at(cs, 'state', 'waiting', 'reason'));
      const terminated = at(cs, 'state', 'terminated');
      if (waitingReason) reason = waitingReason;
      else if (isObject(terminated) && str(terminated.reason)) reason = str(terminated.reason);
      else if (isObject(terminated)) {
        reason = int(terminated.signal) !== 0 ? `Signal:${int(terminated.signal)}` : `ExitCode:${int(terminated.exitCode)}`;
      } else if (at(cs, 'ready') === true && isObject(at(cs, 'state', 'running'))) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionIs(conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && str(status.reason) === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestartDate !== '' ? `${restarts} (${ageSince(lastRestartDate, now)} ago)` : String(restarts);

  const podIPs = list(status.podIPs);
  const podIP = (podIPs.length > 0 ? str(at(podIPs[0], 'ip')) : '') || '<none>';
  const gates = list(spec.readinessGates);
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const trueCount = gates.filter((g) => {
      const c = conditions.find((x) => str(at(x, 'type')) === str(at(g, 'conditionType')));
      return c !== undefined && str(at(c, 'status')) === 'True';
    }).length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [
    name(pod),
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsText,
    ageSince(pod.metadata.creationTimestamp, now),
    podIP,
    str(spec.nodeName) || '<none>',
    str(status.nominatedNodeName) || '<none>',
    readinessGates,
  ];
}

/** isPodInitializedConditionTrue looks only at the first Initialized condition. */
function isInitializedTrue(conditions: unknown[]): boolean {
  const c = conditions.find((x) => str(at(x, 'type')) === 'Initialized');
  return c !== undefined && str(at(c, 'status')) === 'True';
}

export const podTemplateTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Containers', 'string', 'Names of each container in the template.'),
    column('Images', 'string', 'Images referenced by each container in the template.'),
    column('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  cells: (o) => {
    const [names, images] = containerCells(at(o, 'template', 'spec', 'containers'));
    return [name(o), names, images, formatLabels(at(o, 'template', 'metadata', 'labels'))];
  },
};

export const nodeTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    wide('Internal-IP', 'string', 'List of addresses reachable to the node.'),
    wide('External-IP', 'string', 'List of addresses reachable to the node.'),
    wide('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    wide('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    wide('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
  ],
  cells: (o, now) => {
    const status = obj(o.status);
    const ready = list(status.conditions).filter((c) => str(at(c, 'type')) === 'Ready').pop();
    const states: string[] = [];
    if (ready !== undefined) states.push(str(at(ready, 'status')) === 'True' ? 'Ready' : 'NotReady');
    else states.push('Unknown');
    if (at(o, 'spec', 'unschedulable') === true) states.push('SchedulingDisabled');
    const roles = nodeRoles(o.metadata.labels ?? {});
    const info = obj(status.nodeInfo);
    const address = (type: string): string => str(at(list(status.addresses).find((a) => str(at(a, 'type')) === type), 'address')) || '<none>';
    return [
      name(o),
      states.join(','),
      roles.length > 0 ? roles.join(',') : '<none>',
      age(o, now),
      str(info.kubeletVersion),
      address('InternalIP'),
      address('ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

/** Roles from `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` label, sorted. */
function nodeRoles(labels: Record<string, string>): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return [...roles].sort();
}

export const eventTable: TableConvertor = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'string', 'The object that this event is about.'),
    wide('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].'),
    wide('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.'),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    wide('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
    wide('Count', 'string', 'The number of times this event has occurred.'),
    { ...nameColumn, priority: 1 },
  ],
  cells: (o, now) => {
    const firstTs = str(o.firstTimestamp);
    const firstSeen = firstTs ? ageSince(firstTs, now) : ageSince(o.eventTime, now);
    let lastSeen = str(o.lastTimestamp) ? ageSince(o.lastTimestamp, now) : firstSeen;
    let count = int(o.count);
    if (isObject(o.series)) {
      lastSeen = ageSince(o.series.lastObservedTime, now);
      count = int(o.series.count);
    } else if (count === 0) count = 1;
    const involved = obj(o.involvedObject);
    const kind = str(involved.kind).toLowerCase();
    const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
    const component = str(at(o, 'source', 'component')) || str(o.reportingComponent);
    const instance = str(at(o, 'source', 'host')) || str(o.reportingInstance);
    const source = instance ? `${component}, ${instance}` : component;
    return [lastSeen, str(o.type), str(o.reason), target, str(involved.fieldPath), source, str(o.message).trim(), firstSeen, count, name(o)];
  },
};

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
function accessModes(modes: unknown): string {
  const set = new Set(list(modes).map((m) => str(m)));
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

function storageClassOf(o: KubeObject): string {
  const beta = o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
  return beta !== undefined ? beta : str(at(o, 'spec', 'storageClassName'));
}

export const persistentVolumeClaimTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn,
    wide('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.'),
  ],
  cells: (o, now) => {
    const spec = obj(o.spec);
    const phase = o.metadata.deletionTimestamp ? 'Terminating' : str(at(o, 'status', 'phase'));
    const bound = str(spec.volumeName) !== '';
    return [
      name(o),
      phase,
      str(spec.volumeName),
      bound ? quantityText(at(o, 'status', 'capacity', 'storage')) : '',
      bound ? accessModes(at(o, 'status', 'accessModes')) : '',
      storageClassOf(o),
      str(spec.volumeAttributesClassName) || '<unset>',
      age(o, now),
      str(spec.volumeMode) || '<unset>',
    ];
  },
};

export const persistentVolumeTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn,
    wide('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'),
  ],
  cells: (o, now) => {
    const spec = obj(o.spec);
    const claim = isObject(spec.claimRef) ? `${str(spec.claimRef.namespace)}/${str(spec.claimRef.name)}` : '';
    return [
      name(o),
      quantityText(at(spec, 'capacity', 'storage')),
      accessModes(spec.accessModes),
      str(spec.persistentVolumeReclaimPolicy),
      o.metadata.deletionTimestamp ? 'Terminating' : str(at(o, 'status', 'phase')),
      claim,
      storageClassOf(o),
      str(spec.volumeAttributesClassName) || '<unset>',
      str(at(o, 'status', 'reason')),
      age(o, now),
      str(spec.volumeMode) || '<unset>',
    ];
  },
};

export const resourceQuotaTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    ageColumn,
  ],
  cells: (o, now) => {
    const hard = obj(at(o, 'status', 'hard'));
    const used = obj(at(o, 'status', 'used'));
    const requests: string[] = [];
    const limits: string[] = [];
    for (const r of Object.keys(hard).sort()) {
      const text = `${r}: ${quantityText(used[r])}/${quantityText(hard[r])}`;
      const pieces = r.split('.');
      (pieces.length > 1 && pieces[0] === 'limits' ? limits : requests).push(text);
    }
    return [name(o), requests.join(', '), limits.join(', '), age(o, now)];
  },
};
