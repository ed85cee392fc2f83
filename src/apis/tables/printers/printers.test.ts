import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../apimachinery/types.js';
import type { TableConvertor } from '../../resource.js';
import { findBuiltin } from '../../builtin/index.js';
import { endpointsTable, eventTable, nodeTable, persistentVolumeClaimTable, podTable, resourceQuotaTable, serviceTable } from './core.js';
import { endpointSliceTable, horizontalPodAutoscalerTable, ingressTable, podDisruptionBudgetTable, roleBindingTable, storageClassTable } from './others.js';
import { controllerRevisionTable, cronJobTable, daemonSetTable, jobTable, replicaSetTable, statefulSetTable } from './workloads.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const min = 60_000;
const k = (fields: Record<string, unknown>, meta: KubeObject['metadata'] = {}): KubeObject => ({
  metadata: { name: 'x', creationTimestamp: ago(10 * min), ...meta },
  ...fields,
});
const cellsOf = (t: TableConvertor, o: KubeObject): Record<string, unknown> => {
  const cells = t.cells(o, now);
  assert.equal(cells.length, t.columns.length, 'one cell per column');
  return Object.fromEntries(t.columns.map((c, i) => [c.name, cells[i]]));
};

describe('pod printer', () => {
  const running = (ready: boolean, restarts = 0, extra: Record<string, unknown> = {}) => ({
    name: 'c', ready, restartCount: restarts, state: { running: { startedAt: ago(min) } }, ...extra,
  });
  const cases: { name: string; pod: KubeObject; want: Record<string, unknown> }[] = [
    {
      name: 'running pod counts ready containers over all containers',
      pod: k({ spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'n1' }, status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], containerStatuses: [running(true), running(false)] } }),
      want: { Ready: '1/2', Status: 'Running', Restarts: '0', Age: '10m', IP: '10.0.0.5', Node: 'n1', 'Nominated Node': '<none>', 'Readiness Gates': '<none>' },
    },
    {
      name: 'waiting reason wins over phase',
      pod: k({ spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] } }),
      want: { Ready: '0/1', Status: 'ImagePullBackOff', IP: '<none>', Node: '<none>' },
    },
    {
      name: 'restarts show when the last one happened',
      pod: k({ spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [running(true, 3, { lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * min) } } })] } }),
      want: { Restarts: '3 (2m ago)' },
    },
    {
      name: 'init containers in progress',
      pod: k({
        spec: { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'a' }] },
        status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { running: {} } }] },
      }),
      want: { Status: 'Init:1/2', Ready: '0/1' },
    },
    {
      name: 'sidecar (restartable init) containers count toward READY',
      pod: k({
        spec: { initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] },
        status: { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [{ name: 's', started: true, ready: true }], containerStatuses: [running(true)] },
      }),
      want: { Ready: '2/2', Status: 'Running' },
    },
    {
      name: 'completed container with reason',
      pod: k({ spec: { containers: [{ name: 'a' }] }, status: { phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } }),
      want: { Status: 'Completed', Ready: '0/1' },
    },
    {
      name: 'deleting pod is Terminating',
      pod: k({ spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [running(true)] } }, { deletionTimestamp: ago(0) }),
      want: { Status: 'Terminating' },
    },
    {
      name: 'readiness gates count true conditions',
      pod: k({ spec: { containers: [{ name: 'a' }], readinessGates: [{ conditionType: 'g1' }, { conditionType: 'g2' }] }, status: { phase: 'Running', conditions: [{ type: 'g1', status: 'True' }] } }),
      want: { 'Readiness Gates': '1/2' },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = cellsOf(podTable, c.pod);
      for (const [col, v] of Object.entries(c.want)) assert.equal(got[col], v, col);
    });
  }
});

describe('other printers', () => {
  const cases: { name: string; table: TableConvertor; obj: KubeObject; want: Record<string, unknown> }[] = [
    {
      name: 'ClusterIP service with ports and selector',
      table: serviceTable,
      obj: k({ spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { b: '2', a: '1' } } }),
      want: { Type: 'ClusterIP', 'Cluster-IP': '10.96.0.10', 'External-IP': '<none>', 'Port(s)': '80/TCP,53/UDP', Selector: 'a=1,b=2' },
    },
    {
      name: 'LoadBalancer service pending, with node port',
      table: serviceTable,
      obj: k({ spec: { type: 'LoadBalancer', ports: [{ port: 443, nodePort: 30443, protocol: 'TCP' }] } }),
      want: { 'Cluster-IP': '<none>', 'External-IP': '<pending>', 'Port(s)': '443:30443/TCP', Selector: '<none>' },
    },
    {
      name: 'event with object, source and default count',
      table: eventTable,
      obj: k({ type: 'Normal', reason: 'Scheduled', message: ' assigned \n', involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{a}' }, source: { component: 'scheduler' }, firstTimestamp: ago(3 * min) }, { name: 'web-1.17' }),
      want: { 'Last Seen': '3m', Type: 'Normal', Reason: 'Scheduled', Object: 'pod/web-1', Subobject: 'spec.containers{a}', Source: 'scheduler', Message: 'assigned', 'First Seen': '3m', Count: 1, Name: 'web-1.17' },
    },
    {
      name: 'event series gives last seen and count',
      table: eventTable,
      obj: k({ eventTime: ago(9 * min), series: { count: 4, lastObservedTime: ago(min) }, involvedObject: { kind: 'Node' }, reportingComponent: 'kubelet', reportingInstance: 'n1' }),
      want: { 'Last Seen': '60s', 'First Seen': '9m', Count: 4, Object: 'node', Source: 'kubelet, n1' },
    },
    {
      name: 'node status, roles and addresses',
      table: nodeTable,
      obj: k(
        { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.31.0' }, addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] } },
        { labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master' } },
      ),
      want: { Status: 'Ready,SchedulingDisabled', Roles: 'control-plane,master', Version: 'v1.31.0', 'Internal-IP': '172.18.0.2', 'External-IP': '<none>', 'OS-Image': '<unknown>' },
    },
    {
      name: 'node without conditions is Unknown',
      table: nodeTable,
      obj: k({}),
      want: { Status: 'Unknown', Roles: '<none>' },
    },
    {
      name: 'endpoints list three then count the rest',
      table: endpointsTable,
      obj: k({ subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }], ports: [{ port: 80 }] }] }),
      want: { Endpoints: '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...' },
    },
    {
      name: 'replicaset counts and selector',
      table: replicaSetTable,
      obj: k({ spec: { replicas: 3, selector: { matchLabels: { app: 'a' } }, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } }, status: { replicas: 3, readyReplicas: 1 } }),
      want: { Desired: 3, Current: 3, Ready: 1, Containers: 'c', Images: 'i', Selector: 'app=a' },
    },
    {
      name: 'statefulset READY is ready/desired',
      table: statefulSetTable,
      obj: k({ spec: { replicas: 2 }, status: { readyReplicas: 1 } }),
      want: { Ready: '1/2', Age: '10m' },
    },
    {
      name: 'daemonset counts and node selector',
      table: daemonSetTable,
      obj: k({ spec: { template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' } } } }, status: { desiredNumberScheduled: 2, numberReady: 2 } }),
      want: { Desired: 2, Current: 0, Ready: 2, 'Node Selector': 'kubernetes.io/os=linux', Selector: '<none>' },
    },
    {
      name: 'complete job with duration',
      table: jobTable,
      obj: k({ spec: { completions: 1 }, status: { succeeded: 1, startTime: ago(5 * min), completionTime: ago(4 * min), conditions: [{ type: 'Complete', status: 'True' }] } }),
      want: { Status: 'Complete', Completions: '1/1', Duration: '60s' },
    },
    {
      name: 'running parallel job without completions',
      table: jobTable,
      obj: k({ spec: { parallelism: 3 }, status: { startTime: ago(30_000) } }),
      want: { Status: 'Running', Completions: '0/1 of 3', Duration: '30s' },
    },
    {
      name: 'cronjob schedule, timezone and suspend',
      table: cronJobTable,
      obj: k({ spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } }, status: { active: [{}], lastScheduleTime: ago(2 * min) } }),
      want: { Schedule: '*/5 * * * *', Timezone: '<none>', Suspend: 'False', Active: 1, 'Last Schedule': '2m', Images: 'busybox' },
    },
    {
      name: 'controller revision names its controller by kind.group',
      table: controllerRevisionTable,
      obj: k({ revision: 2 }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] }),
      want: { Controller: 'statefulset.apps/db', Revision: 2 },
    },
    {
      name: 'HPA targets and min pods',
      table: horizontalPodAutoscalerTable,
      obj: k({
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
        status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 35 } } }] },
      }),
      want: { Reference: 'Deployment/web', Targets: 'cpu: 35%/80%', MinPods: '1', MaxPods: 5, Replicas: 2 },
    },
    {
      name: 'HPA without current metrics',
      table: horizontalPodAutoscalerTable,
      obj: k({ spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }] } }),
      want: { Targets: 'memory: <unknown>/100Mi', MinPods: '<unset>' },
    },
    {
      name: 'autoscaling/v1 HPA prints through conversion',
      table: findBuiltin('autoscaling', 'v1', 'horizontalpodautoscalers')!.table!,
      obj: k({ spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 }, status: { currentReplicas: 1, currentCPUUtilizationPercentage: 10 } }),
      want: { Targets: 'cpu: 10%/50%', MaxPods: 3 },
    },
    {
      name: 'events.k8s.io event prints through conversion',
      table: findBuiltin('events.k8s.io', 'v1', 'events')!.table!,
      obj: k({ regarding: { kind: 'Deployment', name: 'web' }, note: 'Scaled up', reason: 'ScalingReplicaSet', type: 'Normal', eventTime: ago(min) }),
      want: { Object: 'deployment/web', Message: 'Scaled up', 'Last Seen': '60s' },
    },
    {
      name: 'bound PVC shows capacity and access modes',
      table: persistentVolumeClaimTable,
      obj: k({ spec: { volumeName: 'pv1', storageClassName: 'standard', volumeMode: 'Filesystem' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'] } }),
      want: { Status: 'Bound', Volume: 'pv1', Capacity: '1Gi', 'Access Modes': 'RWO,RWX', StorageClass: 'standard', VolumeAttributesClass: '<unset>', VolumeMode: 'Filesystem' },
    },
    {
      name: 'default storage class is marked',
      table: storageClassTable,
      obj: k({ provisioner: 'rancher.io/local-path' }, { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      want: { Name: 'standard (default)', ReclaimPolicy: 'Delete', VolumeBindingMode: 'Immediate', AllowVolumeExpansion: false },
    },
    {
      name: 'resource quota splits requests and limits',
      table: resourceQuotaTable,
      obj: k({ status: { hard: { 'limits.cpu': '2', pods: '10', 'requests.cpu': '1' }, used: { pods: '3' } } }),
      want: { Request: 'pods: 3/10, requests.cpu: 0/1', Limit: 'limits.cpu: 0/2' },
    },
    {
      name: 'ingress hosts, class and TLS ports',
      table: ingressTable,
      obj: k({ spec: { rules: [{ host: 'a.example' }, {}], tls: [{}] } }),
      want: { Class: '<none>', Hosts: 'a.example', Address: '', Ports: '80, 443' },
    },
    {
      name: 'rolebinding role and subjects',
      table: roleBindingTable,
      obj: k({ roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', namespace: 'ns', name: 'sa' }, { kind: 'Group', name: 'devs' }] }),
      want: { Role: 'ClusterRole/view', Users: 'alice', Groups: 'devs', ServiceAccounts: 'ns/sa' },
    },
    {
      name: 'PDB shows N/A for the unset bound',
      table: podDisruptionBudgetTable,
      obj: k({ spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }),
      want: { 'Min Available': '50%', 'Max Unavailable': 'N/A', 'Allowed Disruptions': 1 },
    },
    {
      name: 'endpoint slice ports and endpoints',
      table: endpointSliceTable,
      obj: k({ addressType: 'IPv4', ports: [{ port: 80 }, { name: 'dns' }], endpoints: [{ addresses: ['10.0.0.1'] }] }),
      want: { AddressType: 'IPv4', Ports: '80,dns', Endpoints: '10.0.0.1' },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = cellsOf(c.table, c.obj);
      for (const [col, v] of Object.entries(c.want)) assert.deepEqual(got[col], v, col);
    });
  }
});
