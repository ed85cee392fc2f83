import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { AggregatedStatusItem } from '../../apis/karmada/binding.js';
import { createDefaultInterpreter, type DefaultInterpreter } from '../default.js';
import type { LuaCustomizationLayer } from '../lua/customization.js';
import { gvkOf, InterpreterOperation } from '../types.js';
import { createThirdPartyLayer, thirdPartyCustomizations } from './index.js';

// Expectations follow the cases of Karmada's resourcecustomizations/**/testdata, written here.
type Case =
  | { name: string; op: 'InterpretReplica'; obj: KubeObject; replicas: number; requirements?: unknown }
  | { name: string; op: 'ReviseReplica'; obj: KubeObject; desired: number; want: unknown }
  | { name: string; op: 'AggregateStatus'; obj: KubeObject; items: AggregatedStatusItem[]; want: unknown }
  | { name: string; op: 'InterpretStatus'; obj: KubeObject; want: unknown }
  | { name: string; op: 'InterpretHealth'; obj: KubeObject; want: 'Healthy' | 'Unhealthy' | 'Unknown' }
  | { name: string; op: 'InterpretDependency'; obj: KubeObject; want: unknown };

const template = {
  metadata: { labels: { app: 'sample' } },
  spec: {
    volumes: [{ name: 'configmap', configMap: { name: 'my-sample-config' } }],
    containers: [
      {
        name: 'nginx',
        image: 'nginx:alpine',
        resources: { requests: { cpu: '100m' } },
        env: [{ name: 'logData', valueFrom: { configMapKeyRef: { name: 'mysql-config', key: 'log' } } }],
      },
    ],
  },
};

function workload(apiVersion: string, kind: string, extra: Partial<KubeObject> = {}, generation = 1): KubeObject {
  return { apiVersion, kind, metadata: { name: 'sample', namespace: 'test', generation }, spec: { replicas: 2, template }, ...extra } as KubeObject;
}

function rolloutCases(apiVersion: string, kind: string, counters: string[], texts: string[]): Case[] {
  const full = (n: number) => Object.fromEntries(counters.map((c) => [c, n]));
  const member = (n: number, gen: number, rev = 'sample-59df6bd888') => ({ ...full(n), ...Object.fromEntries(texts.map((t) => [t, t === 'labelSelector' ? 'app=sample' : rev])), observedGeneration: gen });
  return [
    { name: `${kind}: replicas and the pod template's requirements`, op: 'InterpretReplica', obj: workload(apiVersion, kind), replicas: 2, requirements: { resourceRequest: { cpu: '100m' } } },
    { name: `${kind}: ReviseReplica sets spec.replicas`, op: 'ReviseReplica', obj: workload(apiVersion, kind), desired: 5, want: { replicas: 5, template } },
    {
      name: `${kind}: two members are summed`,
      op: 'AggregateStatus',
      obj: workload(apiVersion, kind),
      items: [
        { clusterName: 'member1', applied: true, status: { ...member(2, 1), generation: 1, resourceTemplateGeneration: 1 } },
        { clusterName: 'member3', applied: true, status: { ...member(2, 1), generation: 1, resourceTemplateGeneration: 1 } },
      ],
      want: { ...full(4), ...member(4, 1) },
    },
    {
      name: `${kind}: a member still on the previous template generation keeps observedGeneration back`,
      op: 'AggregateStatus',
      obj: workload(apiVersion, kind, { status: { observedGeneration: 2 } }, 3),
      items: [
        { clusterName: 'member1', applied: true, status: { replicas: 2, readyReplicas: 2, generation: 3, observedGeneration: 3, resourceTemplateGeneration: 3 } },
        { clusterName: 'member2', applied: true, status: { replicas: 2, readyReplicas: 2, generation: 2, observedGeneration: 2, resourceTemplateGeneration: 2 } },
      ],
      want: { ...full(0), replicas: 4, readyReplicas: 4, ...Object.fromEntries(texts.map((t) => [t, ''])), observedGeneration: 2 },
    },
    {
      name: `${kind}: no member yet gives zeros and the template's generation`,
      op: 'AggregateStatus',
      obj: workload(apiVersion, kind),
      items: [],
      want: { ...full(0), ...Object.fromEntries(texts.map((t) => [t, ''])), observedGeneration: 1 },
    },
    { name: `${kind}: ReflectStatus keeps the status fields Karmada names, with the member's generation`, op: 'InterpretStatus', obj: workload(apiVersion, kind, { status: { ...member(2, 1), collisionCount: 0 } }), want: { ...member(2, 1), generation: 1 } },
    { name: `${kind}: healthy when rolled out`, op: 'InterpretHealth', obj: workload(apiVersion, kind, { status: member(2, 1) }), want: 'Healthy' },
    { name: `${kind}: unhealthy when observedGeneration lags`, op: 'InterpretHealth', obj: workload(apiVersion, kind, { status: member(2, 1) }, 2), want: 'Unhealthy' },
    { name: `${kind}: unhealthy when fewer updated than desired`, op: 'InterpretHealth', obj: workload(apiVersion, kind, { spec: { replicas: 3, template }, status: { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2 } }), want: 'Unhealthy' },
    { name: `${kind}: unhealthy when fewer available than updated`, op: 'InterpretHealth', obj: workload(apiVersion, kind, { status: { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 1 } }), want: 'Unhealthy' },
    {
      name: `${kind}: the pod template's ConfigMaps are dependencies`,
      op: 'InterpretDependency',
      obj: workload(apiVersion, kind),
      want: [
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'my-sample-config' },
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'mysql-config' },
      ],
    },
  ];
}

type RetainCase = { name: string; op: 'Retain'; obj: KubeObject; observed: KubeObject; want: unknown };

const flux = (apiVersion: string, kind: string, spec: Record<string, unknown> = {}, status?: Record<string, unknown>, generation = 2): KubeObject =>
  ({ apiVersion, kind, metadata: { name: 'podinfo', namespace: 'flux', generation }, spec, ...(status ? { status } : {}) }) as KubeObject;
const ready = (reason: string, message = 'ok') => ({ type: 'Ready', status: 'True', reason, message });
const git = 'source.toolkit.fluxcd.io/v1';
const fluxItem = (clusterName: string, status: Record<string, unknown>): AggregatedStatusItem => ({ clusterName, applied: true, status });

const fluxCases: (Case | RetainCase)[] = [
  { name: 'GitRepository: healthy when Ready is True with reason Succeeded', op: 'InterpretHealth', obj: flux(git, 'GitRepository', {}, { conditions: [ready('Succeeded')] }), want: 'Healthy' },
  { name: 'GitRepository: unhealthy when Ready has another reason', op: 'InterpretHealth', obj: flux(git, 'GitRepository', {}, { conditions: [ready('Progressing')] }), want: 'Unhealthy' },
  { name: 'GitRepository: unhealthy without status', op: 'InterpretHealth', obj: flux(git, 'GitRepository'), want: 'Unhealthy' },
  { name: 'HelmChart: any reason of a True Ready is healthy', op: 'InterpretHealth', obj: flux('source.toolkit.fluxcd.io/v1beta2', 'HelmChart', {}, { conditions: [ready('ChartPullSucceeded')] }), want: 'Healthy' },
  { name: 'HelmRelease: healthy when reconciled', op: 'InterpretHealth', obj: flux('helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease', {}, { conditions: [ready('ReconciliationSucceeded')] }), want: 'Healthy' },
  {
    name: 'GitRepository: conditions merged per type/status/reason with cluster-prefixed messages; observedGeneration once every member reconciled',
    op: 'AggregateStatus',
    obj: flux(git, 'GitRepository', { interval: '1m' }),
    items: [
      fluxItem('member1', { conditions: [ready('Succeeded', 'stored artifact')], artifact: { revision: 'main@sha1:a' }, generation: 1, observedGeneration: 1, resourceTemplateGeneration: 2 }),
      fluxItem('member2', { conditions: [ready('Succeeded', 'stored artifact')], artifact: { revision: 'main@sha1:b' }, generation: 1, observedGeneration: 1, resourceTemplateGeneration: 2 }),
    ],
    want: { observedGeneration: 2, artifact: { revision: 'main@sha1:b' }, conditions: [{ ...ready('Succeeded'), message: 'member1=stored artifact, member2=stored artifact' }] },
  },
  {
    name: 'GitRepository: a member behind keeps the previous observedGeneration',
    op: 'AggregateStatus',
    obj: flux(git, 'GitRepository', {}, { observedGeneration: 1 }),
    items: [fluxItem('member1', { generation: 2, observedGeneration: 1, resourceTemplateGeneration: 2 })],
    want: { observedGeneration: 1 },
  },
  {
    name: 'Bucket: url from the last member that has one',
    op: 'AggregateStatus',
    obj: flux('source.toolkit.fluxcd.io/v1beta2', 'Bucket'),
    items: [fluxItem('member1', { url: 'http://a', generation: 1, observedGeneration: 1, resourceTemplateGeneration: 2 }), fluxItem('member2', { url: '' })],
    want: { observedGeneration: 0, url: 'http://a' }, // the empty artifact table is dropped, as gopher-lua's conversion does
  },
  { name: 'GitRepository: the member keeps spec.suspend', op: 'Retain', obj: flux(git, 'GitRepository', { suspend: false, url: 'u' }), observed: flux(git, 'GitRepository', { suspend: true, url: 'u' }), want: { suspend: true, url: 'u' } },
  {
    name: 'GitRepository: ReflectStatus adds generation and the template generation',
    op: 'InterpretStatus',
    obj: { ...flux(git, 'GitRepository', {}, { observedGeneration: 2, conditions: [ready('Succeeded')], lastHandledReconcileAt: 'x' }), metadata: { name: 'p', namespace: 'flux', generation: 2, annotations: { 'resourcetemplate.karmada.io/generation': '5' } } } as KubeObject,
    want: { observedGeneration: 2, conditions: [ready('Succeeded')], generation: 2, resourceTemplateGeneration: 5 },
  },
  {
    name: 'HelmRelease: secrets, service account and valuesFrom ConfigMaps/Secrets are dependencies',
    op: 'InterpretDependency',
    obj: flux('helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease', {
      serviceAccountName: 'sa',
      kubeConfig: { secretRef: { name: 'kc' } },
      valuesFrom: [{ kind: 'ConfigMap', name: 'values' }, { kind: 'Secret', name: 'kc' }, { kind: 'Secret', name: 'extra' }],
    }),
    want: [
      { apiVersion: 'v1', kind: 'Secret', namespace: 'flux', name: 'kc' },
      { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'flux', name: 'sa' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'flux', name: 'values' },
      { apiVersion: 'v1', kind: 'Secret', namespace: 'flux', name: 'extra' },
    ],
  },
  {
    name: 'Kyverno ClusterPolicy: rule counts summed, ready from the last member, conditions merged',
    op: 'AggregateStatus',
    obj: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p', generation: 1 }, spec: {} } as KubeObject,
    items: [
      fluxItem('member1', { ready: true, rulecount: { validate: 1, generate: 0, mutate: 2, verifyimages: 0 }, conditions: [ready('Succeeded')] }),
      fluxItem('member2', { ready: false, rulecount: { validate: 1, generate: 1, mutate: 0, verifyimages: 0 } }),
    ],
    want: { ready: false, rulecount: { validate: 2, generate: 1, mutate: 2, verifyimages: 0 }, conditions: [{ ...ready('Succeeded'), message: 'member1=ok' }] },
  },
  { name: 'Kyverno Policy: status.ready decides health', op: 'InterpretHealth', obj: { apiVersion: 'kyverno.io/v1', kind: 'Policy', metadata: { name: 'p' }, status: { ready: true } } as KubeObject, want: 'Healthy' },
];

const kruiseDaemonSet = (status: Record<string, unknown>, generation = 1) => ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'test', generation }, spec: { template }, status }) as KubeObject;
const daemonSetCases: Case[] = [
  { name: 'Kruise DaemonSet: healthy when every scheduled pod is updated and available', op: 'InterpretHealth', obj: kruiseDaemonSet({ observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 }), want: 'Healthy' },
  { name: 'Kruise DaemonSet: unhealthy while updating', op: 'InterpretHealth', obj: kruiseDaemonSet({ observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 1, numberAvailable: 1 }), want: 'Unhealthy' },
  {
    name: 'Kruise DaemonSet: counters summed over members',
    op: 'AggregateStatus',
    obj: kruiseDaemonSet({}, 1),
    items: [
      { clusterName: 'member1', status: { numberReady: 2, desiredNumberScheduled: 2, daemonSetHash: 'h1', generation: 1, observedGeneration: 1, resourceTemplateGeneration: 1 } },
      { clusterName: 'member2', status: { numberReady: 1, desiredNumberScheduled: 3, generation: 1, observedGeneration: 1, resourceTemplateGeneration: 1 } },
    ],
    want: { observedGeneration: 1, currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 5, numberReady: 3, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0, daemonSetHash: 'h1' },
  },
];

const job = (apiVersion: string, kind: string, spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ apiVersion, kind, metadata: { name: 'train', namespace: 'ml' }, spec, ...(status ? { status } : {}) }) as KubeObject;
const kubeflowCases: Case[] = [
  { name: 'PyTorchJob: healthy while no Failed condition is True', op: 'InterpretHealth', obj: job('kubeflow.org/v1', 'PyTorchJob', {}, { conditions: [{ type: 'Running', status: 'True' }] }), want: 'Healthy' },
  { name: 'PyTorchJob: a True Failed condition is unhealthy', op: 'InterpretHealth', obj: job('kubeflow.org/v1', 'PyTorchJob', {}, { conditions: [{ type: 'Failed', status: 'True' }] }), want: 'Unhealthy' },
  { name: 'MPIJob: no conditions yet is unhealthy', op: 'InterpretHealth', obj: job('kubeflow.org/v2beta1', 'MPIJob', {}, { conditions: [] }), want: 'Unhealthy' },
  {
    name: 'TFJob: the templates of every replica type give the dependencies',
    op: 'InterpretDependency',
    obj: job('kubeflow.org/v1', 'TFJob', { tfReplicaSpecs: { Worker: { replicas: 2, template }, PS: { template: { spec: { containers: [{ name: 'ps', image: 'tf', envFrom: [{ secretRef: { name: 'creds' } }] }] } } } } }),
    want: [
      { apiVersion: 'v1', kind: 'Secret', namespace: 'ml', name: 'creds' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ml', name: 'my-sample-config' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ml', name: 'mysql-config' },
    ],
  },
];

const wf = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'wf', namespace: 'argo' }, spec, ...(status ? { status } : {}) }) as KubeObject;
const batchCases: (Case | RetainCase)[] = [
  { name: 'Argo Workflow: replicas are the parallelism (1 by default)', op: 'InterpretReplica', obj: wf({ nodeSelector: { disk: 'ssd' } }), replicas: 1, requirements: { nodeClaim: { nodeSelector: { disk: 'ssd' } } } },
  { name: 'Argo Workflow: ReviseReplica sets parallelism', op: 'ReviseReplica', obj: wf({ parallelism: 2 }), desired: 4, want: { parallelism: 4 } },
  { name: 'Argo Workflow: a Failed phase is unhealthy', op: 'InterpretHealth', obj: wf({}, { phase: 'Failed' }), want: 'Unhealthy' },
  { name: 'Argo Workflow: a Running phase is healthy', op: 'InterpretHealth', obj: wf({}, { phase: 'Running' }), want: 'Healthy' },
  { name: 'Argo Workflow: the member keeps suspend', op: 'Retain', obj: wf({ suspend: false }), observed: wf({ suspend: true }, { phase: 'Running' }), want: { suspend: true } },
  {
    name: 'Argo Workflow: volumes, the executor service account and claim templates are dependencies',
    op: 'InterpretDependency',
    obj: wf({ executor: { serviceAccountName: 'runner' }, volumes: [{ name: 'cfg', configMap: { name: 'wf-config' } }], volumeClaimTemplates: [{ metadata: { name: 'work' } }] }),
    want: [
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'argo', name: 'wf-config' },
      { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'argo', name: 'runner' },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'argo', name: 'work' },
    ],
  },
  { name: 'Volcano Job: Pending is healthy (on its way)', op: 'InterpretHealth', obj: { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: { name: 'j' }, status: { state: { phase: 'Pending' } } } as KubeObject, want: 'Healthy' },
  { name: 'Volcano Job: Failed is unhealthy', op: 'InterpretHealth', obj: { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: { name: 'j' }, status: { state: { phase: 'Failed' } } } as KubeObject, want: 'Unhealthy' },
  { name: 'SparkApplication: only FAILED is unhealthy', op: 'InterpretHealth', obj: { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 's' }, status: { applicationState: { state: 'FAILED' } } } as KubeObject, want: 'Unhealthy' },
  { name: 'RayJob: complete and succeeded is healthy', op: 'InterpretHealth', obj: { apiVersion: 'ray.io/v1', kind: 'RayJob', metadata: { name: 'r' }, status: { jobDeploymentStatus: 'Complete', jobStatus: 'SUCCEEDED' } } as KubeObject, want: 'Healthy' },
  { name: 'RayCluster: head ready and provisioned is healthy', op: 'InterpretHealth', obj: { apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'r' }, status: { conditions: [{ type: 'HeadPodReady', status: 'True' }, { type: 'RayClusterProvisioned', status: 'True' }] } } as KubeObject, want: 'Healthy' },
  { name: 'RayCluster: a replica failure is unhealthy', op: 'InterpretHealth', obj: { apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'r' }, status: { conditions: [{ type: 'HeadPodReady', status: 'True' }, { type: 'RayClusterProvisioned', status: 'True' }, { type: 'RayClusterReplicaFailure', status: 'True' }] } } as KubeObject, want: 'Unhealthy' },
  { name: 'RayService: Ready is healthy', op: 'InterpretHealth', obj: { apiVersion: 'ray.io/v1', kind: 'RayService', metadata: { name: 'r' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as KubeObject, want: 'Healthy' },
  { name: 'Notebook: one replica with the template\'s requirements', op: 'InterpretReplica', obj: { apiVersion: 'kubeflow.org/v1', kind: 'Notebook', metadata: { name: 'nb', namespace: 'ml' }, spec: { template } } as KubeObject, replicas: 1, requirements: { resourceRequest: { cpu: '100m' } } },
  { name: 'Notebook: a container being created is healthy', op: 'InterpretHealth', obj: { apiVersion: 'kubeflow.org/v1', kind: 'Notebook', metadata: { name: 'nb' }, status: { containerState: { waiting: { reason: 'ContainerCreating' } } } } as KubeObject, want: 'Healthy' },
  { name: 'Notebook: an OOMKilled container is unhealthy', op: 'InterpretHealth', obj: { apiVersion: 'kubeflow.org/v1', kind: 'Notebook', metadata: { name: 'nb' }, status: { containerState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } } } as KubeObject, want: 'Unhealthy' },
  { name: 'Kruise BroadcastJob: replicas are the parallelism', op: 'InterpretReplica', obj: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'BroadcastJob', metadata: { name: 'b', namespace: 'test' }, spec: { parallelism: 3, template } } as KubeObject, replicas: 3, requirements: { resourceRequest: { cpu: '100m' } } },
  { name: 'Kruise BroadcastJob: a failed pod is unhealthy', op: 'InterpretHealth', obj: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'BroadcastJob', metadata: { name: 'b' }, status: { desired: 2, failed: 1, succeeded: 1, active: 0 } } as KubeObject, want: 'Unhealthy' },
  { name: 'RayJob: still initializing is not healthy yet', op: 'InterpretHealth', obj: { apiVersion: 'ray.io/v1', kind: 'RayJob', metadata: { name: 'r' }, status: { jobDeploymentStatus: 'Initializing' } } as KubeObject, want: 'Unhealthy' },
];

const kruise = (kind: string, spec: Record<string, unknown>, status?: Record<string, unknown>, generation = 1, namespace: string | undefined = 'test') =>
  ({ apiVersion: 'apps.kruise.io/v1alpha1', kind, metadata: { name: 'k', ...(namespace ? { namespace } : {}), generation }, spec, ...(status ? { status } : {}) }) as KubeObject;
const jobRef = (name: string) => ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'BroadcastJob', name, namespace: 'test' });
const udCounters = (n: number) => ({ replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n, unavailableReplicas: 0 });
const kruiseNewCases: (Case | RetainCase)[] = [
  {
    name: 'AdvancedCronJob: active jobs of every member joined, type and lastScheduleTime from the last member',
    op: 'AggregateStatus',
    obj: kruise('AdvancedCronJob', { schedule: '*/1 * * * *', template: { broadcastJobTemplate: { spec: { template } } } }),
    items: [
      { clusterName: 'member1', status: { active: [jobRef('a')], type: 'BroadcastJob', lastScheduleTime: '2023-02-08T07:16:00Z' } },
      { clusterName: 'member2', status: { active: [jobRef('b')], type: 'BroadcastJob', lastScheduleTime: '2023-02-08T07:17:00Z' } },
    ],
    want: { active: [jobRef('a'), jobRef('b')], type: 'BroadcastJob', lastScheduleTime: '2023-02-08T07:17:00Z' },
  },
  { name: 'AdvancedCronJob: members without status give an empty type', op: 'AggregateStatus', obj: kruise('AdvancedCronJob', { template: {} }), items: [{ clusterName: 'member1' }], want: { type: '' } },
  {
    name: 'AdvancedCronJob: the job template\'s pod template gives the dependencies',
    op: 'InterpretDependency',
    obj: kruise('AdvancedCronJob', { template: { jobTemplate: { spec: { template } } } }),
    want: [
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'my-sample-config' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'mysql-config' },
    ],
  },
  { name: 'SidecarSet: no replicas of its own', op: 'InterpretReplica', obj: kruise('SidecarSet', { containers: [] }, undefined, 1, undefined), replicas: 0, requirements: undefined },
  { name: 'SidecarSet: healthy when every matched pod is updated', op: 'InterpretHealth', obj: kruise('SidecarSet', {}, { matchedPods: 3, updatedPods: 3, readyPods: 2 }), want: 'Healthy' },
  { name: 'SidecarSet: healthy with no matched pod', op: 'InterpretHealth', obj: kruise('SidecarSet', {}, { matchedPods: 0 }), want: 'Healthy' },
  { name: 'SidecarSet: unhealthy while pods are updating', op: 'InterpretHealth', obj: kruise('SidecarSet', {}, { matchedPods: 3, updatedPods: 1 }), want: 'Unhealthy' },
  { name: 'SidecarSet: unhealthy without status', op: 'InterpretHealth', obj: kruise('SidecarSet', {}), want: 'Unhealthy' },
  { name: 'SidecarSet: ReflectStatus keeps the pod counts, missing ones as 0', op: 'InterpretStatus', obj: kruise('SidecarSet', {}, { matchedPods: 2, readyPods: 1, observedGeneration: 1 }), want: { matchedPods: 2, updatedPods: 0, readyPods: 1 } },
  {
    name: 'SidecarSet: pod counts summed over members',
    op: 'AggregateStatus',
    obj: kruise('SidecarSet', {}, { observedGeneration: 7 }),
    items: [
      { clusterName: 'member1', status: { matchedPods: 2, updatedPods: 2, readyPods: 2 } },
      { clusterName: 'member2', status: { matchedPods: 3, updatedPods: 1 } },
      { clusterName: 'member3' },
    ],
    want: { matchedPods: 5, updatedPods: 3, readyPods: 2 },
  },
  {
    name: 'SidecarSet: env, envFrom and volume ConfigMaps/Secrets are dependencies, in Karmada\'s order',
    op: 'InterpretDependency',
    obj: kruise('SidecarSet', {
      containers: [{ name: 's', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } }], envFrom: [{ configMapRef: { name: 'cm' } }] }],
      volumes: [{ name: 'v', secret: { secretName: 'vol-sec' } }, { name: 'p', projected: { sources: [{ configMap: { name: 'proj' } }] } }],
    }),
    want: [
      { apiVersion: 'v1', kind: 'Secret', namespace: 'test', name: 'sec' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'cm' },
      { apiVersion: 'v1', kind: 'Secret', namespace: 'test', name: 'vol-sec' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'proj' },
    ],
  },
  { name: 'SidecarSet: Retain keeps the template as it is', op: 'Retain', obj: kruise('SidecarSet', { containers: [{ name: 'a' }] }), observed: kruise('SidecarSet', { containers: [{ name: 'b' }] }), want: { containers: [{ name: 'a' }] } },
  { name: 'UnitedDeployment: replicas and the template\'s requirements', op: 'InterpretReplica', obj: kruise('UnitedDeployment', { replicas: 4, template }), replicas: 4, requirements: { resourceRequest: { cpu: '100m' } } },
  { name: 'UnitedDeployment: ReviseReplica sets spec.replicas', op: 'ReviseReplica', obj: kruise('UnitedDeployment', { replicas: 4 }), desired: 2, want: { replicas: 2 } },
  {
    name: 'UnitedDeployment: counters summed, conditions merged by type (last wins), observedGeneration once every member reconciled',
    op: 'AggregateStatus',
    obj: kruise('UnitedDeployment', { replicas: 4 }, undefined, 2),
    items: [
      { clusterName: 'member1', status: { ...udCounters(2), conditions: [{ type: 'SubsetProvisioned', status: 'True', reason: 'a' }], generation: 1, observedGeneration: 1, resourceTemplateGeneration: 2 } },
      { clusterName: 'member2', status: { ...udCounters(2), conditions: [{ type: 'SubsetProvisioned', status: 'True', reason: 'b' }], generation: 1, observedGeneration: 1, resourceTemplateGeneration: 2 } },
    ],
    want: { observedGeneration: 2, ...udCounters(4), conditions: [{ type: 'SubsetProvisioned', status: 'True', reason: 'b' }] },
  },
  {
    name: 'UnitedDeployment: a member behind keeps the previous observedGeneration',
    op: 'AggregateStatus',
    obj: kruise('UnitedDeployment', {}, { observedGeneration: 1 }, 2),
    items: [{ clusterName: 'member1', status: { ...udCounters(1), generation: 2, observedGeneration: 1, resourceTemplateGeneration: 2 } }],
    want: { observedGeneration: 1, ...udCounters(1) },
  },
  {
    name: 'UnitedDeployment: ReflectStatus adds generation and the template generation',
    op: 'InterpretStatus',
    obj: { ...kruise('UnitedDeployment', {}, { ...udCounters(2), observedGeneration: 3, subsetReplicas: { a: 2 } }, 3), metadata: { name: 'k', namespace: 'test', generation: 3, annotations: { 'resourcetemplate.karmada.io/generation': '4' } } } as KubeObject,
    want: { ...udCounters(2), observedGeneration: 3, generation: 3, resourceTemplateGeneration: 4 },
  },
  { name: 'UnitedDeployment: healthy when rolled out', op: 'InterpretHealth', obj: kruise('UnitedDeployment', { replicas: 2 }, { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2 }), want: 'Healthy' },
  { name: 'UnitedDeployment: unhealthy while fewer are available than updated', op: 'InterpretHealth', obj: kruise('UnitedDeployment', { replicas: 2 }, { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 1 }), want: 'Unhealthy' },
  {
    name: 'UnitedDeployment: the template\'s ConfigMaps are dependencies',
    op: 'InterpretDependency',
    obj: kruise('UnitedDeployment', { template }),
    want: [
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'my-sample-config' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'mysql-config' },
    ],
  },
];

const flink = (spec: Record<string, unknown>, status?: Record<string, unknown>) =>
  ({ apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', metadata: { name: 'basic', namespace: 'flink' }, spec: { flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2' }, ...spec }, ...(status ? { status } : {}) }) as KubeObject;
const manager = (cpu: number, memory: string, replicas?: number) => ({ ...(replicas !== undefined ? { replicas } : {}), resource: { cpu, memory } });
const flinkRequest = (cpu: string, memory: string) => ({ resourceRequest: { cpu, memory }, namespace: 'flink' });
const flinkJob = (state: string, extra: Record<string, unknown> = {}) => ({ jobStatus: { state }, ...extra });
const flinkCases: Case[] = [
  { name: 'FlinkDeployment: job and task managers as set', op: 'InterpretReplica', obj: flink({ jobManager: manager(1, '2048m', 1), taskManager: manager(1, '2048m', 1) }), replicas: 2, requirements: flinkRequest('1', '2048m') },
  { name: 'FlinkDeployment: task managers from parallelism over task slots', op: 'InterpretReplica', obj: flink({ job: { parallelism: 10 }, jobManager: manager(1, '2048m'), taskManager: manager(1, '2048m') }), replicas: 6, requirements: flinkRequest('1', '2048m') },
  { name: 'FlinkDeployment: zero task slots count one task manager', op: 'InterpretReplica', obj: flink({ flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '0' }, job: { parallelism: 10 }, jobManager: manager(1, '2048m', 1), taskManager: manager(1, '2048m') }), replicas: 2, requirements: flinkRequest('1', '2048m') },
  { name: 'FlinkDeployment: the larger cpu and memory of the two managers', op: 'InterpretReplica', obj: flink({ jobManager: manager(2, '4096m', 1), taskManager: manager(1, '8192m', 2) }), replicas: 3, requirements: flinkRequest('2', '8192m') },
  { name: 'FlinkDeployment: no jobManager is one, with the task manager\'s resources', op: 'InterpretReplica', obj: flink({ taskManager: manager(1, '2048m', 2) }), replicas: 3, requirements: flinkRequest('1', '2048m') },
  {
    name: 'FlinkDeployment: the pod template\'s node selector, tolerations and priority class',
    op: 'InterpretReplica',
    obj: flink({ jobManager: manager(1, '2048m', 1), taskManager: manager(1, '2048m', 2), podTemplate: { spec: { nodeSelector: { disktype: 'ssd' }, tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }], priorityClassName: 'high' } } }),
    replicas: 3,
    requirements: { ...flinkRequest('1', '2048m'), nodeClaim: { nodeSelector: { disktype: 'ssd' }, tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }] }, priorityClassName: 'high' },
  },
  { name: 'FlinkDeployment: a running job is healthy', op: 'InterpretHealth', obj: flink({}, flinkJob('RUNNING')), want: 'Healthy' },
  { name: 'FlinkDeployment: a job still being created is not healthy yet', op: 'InterpretHealth', obj: flink({}, flinkJob('CREATED')), want: 'Unhealthy' },
  { name: 'FlinkDeployment: an ephemeral state with an allowlisted user error is healthy (nothing to reschedule)', op: 'InterpretHealth', obj: flink({}, flinkJob('RECONCILING', { error: 'Back-off pulling image: ImagePullBackOff' })), want: 'Healthy' },
  { name: 'FlinkDeployment: an ephemeral state with another error is unhealthy', op: 'InterpretHealth', obj: flink({}, flinkJob('RECONCILING', { error: 'bad image' })), want: 'Unhealthy' },
  { name: 'FlinkDeployment: an errored job manager deployment without a user error is unhealthy', op: 'InterpretHealth', obj: flink({}, flinkJob('INITIALIZING', { jobManagerDeploymentStatus: 'ERROR' })), want: 'Unhealthy' },
  { name: 'FlinkDeployment: a short-lived state (RESTARTING) is healthy', op: 'InterpretHealth', obj: flink({}, flinkJob('RESTARTING')), want: 'Healthy' },
  { name: 'FlinkDeployment: no job state, READY and STABLE, is healthy', op: 'InterpretHealth', obj: flink({}, { jobManagerDeploymentStatus: 'READY', lifecycleState: 'STABLE' }), want: 'Healthy' },
  { name: 'FlinkDeployment: no job status and no error is unhealthy', op: 'InterpretHealth', obj: flink({}, { jobManagerDeploymentStatus: 'DEPLOYING' }), want: 'Unhealthy' },
  {
    name: 'FlinkDeployment: the last member with a status speaks for the deployment',
    op: 'AggregateStatus',
    obj: flink({}),
    items: [
      { clusterName: 'member1', status: { jobStatus: { state: 'FAILED' }, lifecycleState: 'FAILED', observedGeneration: 1, jobManagerDeploymentStatus: 'READY' } },
      { clusterName: 'member2', status: { jobStatus: { state: 'RUNNING' }, lifecycleState: 'STABLE', observedGeneration: 2, jobManagerDeploymentStatus: 'READY', taskManager: { replicas: 1 } } },
      { clusterName: 'member3' },
    ],
    want: { jobStatus: { state: 'RUNNING' }, lifecycleState: 'STABLE', observedGeneration: 2, jobManagerDeploymentStatus: 'READY', taskManager: { replicas: 1 } },
  },
  {
    name: 'FlinkDeployment: ReflectStatus keeps the fields Karmada names',
    op: 'InterpretStatus',
    obj: flink({}, { clusterInfo: { 'flink-version': '1.17' }, jobStatus: { state: 'RUNNING' }, lifecycleState: 'STABLE', observedGeneration: 1, jobManagerDeploymentStatus: 'READY', reconciliationStatus: { state: 'DEPLOYED' }, taskManager: { replicas: 1 } }),
    want: { clusterInfo: { 'flink-version': '1.17' }, jobStatus: { state: 'RUNNING' }, lifecycleState: 'STABLE', observedGeneration: 1, jobManagerDeploymentStatus: 'READY', reconciliationStatus: { state: 'DEPLOYED' }, taskManager: { replicas: 1 } },
  },
];

const vcjob = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: { name: 'j', namespace: 'vc' }, spec, ...(status ? { status } : {}) }) as KubeObject;
const volcanoCases: Case[] = [
  {
    name: 'Volcano Job: counts summed, the latest version and longest run, task phases summed, zeros left out',
    op: 'AggregateStatus',
    obj: vcjob({ minAvailable: 2 }),
    items: [
      { clusterName: 'member1', status: { minAvailable: 1, running: 1, pending: 0, version: 2, runningDuration: '1m30s', state: { phase: 'Running' }, taskStatusCount: { worker: { phase: { Running: 1 } } }, conditions: [{ status: 'Running' }] } },
      { clusterName: 'member2', status: { minAvailable: 1, running: 1, succeeded: 1, version: 1, runningDuration: '45s', state: { phase: 'Running' }, taskStatusCount: { worker: { phase: { Running: 1, Succeeded: 1 } } }, controlledResources: { 'plugin-svc': 'svc' } } },
      { clusterName: 'member3' },
    ],
    want: {
      minAvailable: 2, running: 2, succeeded: 1, version: 2, runningDuration: '1m30s', state: { phase: 'Running' },
      taskStatusCount: { worker: { phase: { Running: 2, Succeeded: 1 } } }, controlledResources: { 'plugin-svc': 'svc' }, conditions: [{ status: 'Running' }],
    },
  },
  // the emptied status table is dropped on the way out of Lua, as gopher-lua's conversion does
  { name: 'Volcano Job: members without status leave no status', op: 'AggregateStatus', obj: vcjob({}, { running: 3 }), items: [{ clusterName: 'member1' }], want: undefined },
  {
    name: 'Volcano Job: ReflectStatus keeps the counts, state, task counts, resources and conditions',
    op: 'InterpretStatus',
    obj: vcjob({}, { running: 1, version: 1, state: { phase: 'Running' }, taskStatusCount: { w: { phase: { Running: 1 } } }, conditions: [{ status: 'Pending' }], other: 'x' }),
    want: { running: 1, version: 1, state: { phase: 'Running' }, taskStatusCount: { w: { phase: { Running: 1 } } }, conditions: [{ status: 'Pending' }] },
  },
];

const ray = (kind: string, spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ apiVersion: 'ray.io/v1', kind, metadata: { name: 'r', namespace: 'ray' }, spec, ...(status ? { status } : {}) }) as KubeObject;
const rayItem = (clusterName: string, status?: Record<string, unknown>): AggregatedStatusItem => ({ clusterName, applied: true, ...(status ? { status } : {}) });
const rayCases: Case[] = [
  {
    name: 'RayCluster: one member\'s status is taken as it is',
    op: 'AggregateStatus',
    obj: ray('RayCluster', {}, { readyWorkerReplicas: 9 }),
    items: [rayItem('member1', { readyWorkerReplicas: 1, desiredCPU: '2', state: 'ready' })],
    want: { readyWorkerReplicas: 1, desiredCPU: '2', state: 'ready' },
  },
  {
    name: 'RayCluster: conditions joined, worker counts and resources summed, the latest update, head from the first member',
    op: 'AggregateStatus',
    obj: ray('RayCluster', {}),
    items: [
      rayItem('member1', { conditions: [{ type: 'HeadPodReady', status: 'True' }], readyWorkerReplicas: 1, desiredWorkerReplicas: 2, desiredCPU: '1500m', desiredMemory: '1Gi', desiredGPU: '1', lastUpdateTime: '2025-01-01T00:00:00Z', head: { podIP: '10.0.0.1' } }),
      rayItem('member2', { conditions: [{ type: 'RayClusterProvisioned', status: 'True' }], readyWorkerReplicas: 2, desiredWorkerReplicas: 2, desiredCPU: '500m', desiredMemory: '1Gi', lastUpdateTime: '2025-02-01T00:00:00Z', head: { podIP: '10.0.0.2' } }),
    ],
    want: {
      conditions: [{ type: 'HeadPodReady', status: 'True' }, { type: 'RayClusterProvisioned', status: 'True' }],
      readyWorkerReplicas: 3, availableWorkerReplicas: 0, maxWorkerReplicas: 0, minWorkerReplicas: 0, desiredWorkerReplicas: 4,
      desiredCPU: '2', desiredMemory: '2Gi', desiredGPU: '1', desiredTPU: '0', lastUpdateTime: '2025-02-01T00:00:00Z', head: { podIP: '10.0.0.1' },
    },
  },
  {
    name: 'RayJob: the worst deployment status (with its reason) and the worst job status',
    op: 'AggregateStatus',
    obj: ray('RayJob', { entrypoint: 'python x.py' }),
    items: [
      rayItem('member1', { jobDeploymentStatus: 'Running', jobStatus: 'RUNNING', reason: 'r1' }),
      rayItem('member2', { jobDeploymentStatus: 'Failed', jobStatus: 'PENDING', reason: 'DeadlineExceeded', message: 'too slow' }),
      rayItem('member3'),
    ],
    want: { jobDeploymentStatus: 'Failed', jobStatus: 'RUNNING', reason: 'DeadlineExceeded', message: 'too slow' },
  },
  { name: 'RayJob: a failed deployment is unhealthy', op: 'InterpretHealth', obj: ray('RayJob', {}, { jobDeploymentStatus: 'Failed', jobStatus: 'FAILED' }), want: 'Unhealthy' },
  {
    name: 'RayJob: the head, worker and submitter pods\' dependencies, kind by kind, without the default service account',
    op: 'InterpretDependency',
    obj: ray('RayJob', {
      rayClusterSpec: {
        headGroupSpec: { template: { spec: { serviceAccountName: 'default', volumes: [{ name: 'c', configMap: { name: 'head-cm' } }, { name: 'd', persistentVolumeClaim: { claimName: 'data' } }], containers: [{ name: 'h', envFrom: [{ secretRef: { name: 'creds' } }] }] } } },
        workerGroupSpecs: [{ groupName: 'gpu', template: { spec: { serviceAccountName: 'ray-worker', imagePullSecrets: [{ name: 'pull' }], containers: [{ name: 'w', env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'head-cm', key: 'k' } } }] }] } } }],
      },
      submitterPodTemplate: { spec: { volumes: [{ name: 'csi', csi: { driver: 'x', nodePublishSecretRef: { name: 'csi-secret' } } }] } },
    }),
    want: [
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ray', name: 'head-cm' },
      { apiVersion: 'v1', kind: 'Secret', namespace: 'ray', name: 'creds' },
      { apiVersion: 'v1', kind: 'Secret', namespace: 'ray', name: 'pull' },
      { apiVersion: 'v1', kind: 'Secret', namespace: 'ray', name: 'csi-secret' },
      { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'ray', name: 'ray-worker' },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'ray', name: 'data' },
    ],
  },
];

const raySvc = (groups: Record<string, unknown>[], status?: Record<string, unknown>) =>
  ray('RayService', { rayClusterConfig: { headGroupSpec: { template: { spec: { nodeSelector: { pool: 'ray' }, containers: [{ name: 'head', resources: { requests: { cpu: '1', memory: '2Gi' } } }] } } }, workerGroupSpecs: groups } }, status);
const rayWorker = (groupName: string, replicas: number, cpu: string, memory: string) => ({ groupName, replicas, template: { spec: { containers: [{ name: 'w', resources: { requests: { cpu, memory } } }] } } });
const rayServiceCases: Case[] = [
  {
    name: 'RayService: the head and every worker, the largest cpu and memory of any group, the head\'s placement',
    op: 'InterpretReplica',
    obj: raySvc([rayWorker('small', 2, '500m', '4Gi'), rayWorker('big', 3, '2', '1Gi')]),
    replicas: 6,
    requirements: { resourceRequest: { cpu: '2', memory: '4Gi' }, nodeClaim: { nodeSelector: { pool: 'ray' } }, namespace: 'ray' },
  },
  {
    name: 'RayService: ReviseReplica keeps the head and shares the workers in proportion, the last group taking the rest',
    op: 'ReviseReplica',
    obj: raySvc([rayWorker('a', 1, '1', '1Gi'), rayWorker('b', 3, '1', '1Gi')]),
    desired: 9,
    want: { rayClusterConfig: { ...(raySvc([rayWorker('a', 2, '1', '1Gi'), rayWorker('b', 6, '1', '1Gi')]).spec as Record<string, unknown>).rayClusterConfig as object } },
  },
  {
    name: 'RayService: ReviseReplica from zero workers shares them evenly',
    op: 'ReviseReplica',
    obj: raySvc([rayWorker('a', 0, '1', '1Gi'), rayWorker('b', 0, '1', '1Gi'), rayWorker('c', 0, '1', '1Gi')]),
    desired: 5,
    want: { rayClusterConfig: { ...(raySvc([rayWorker('a', 2, '1', '1Gi'), rayWorker('b', 1, '1', '1Gi'), rayWorker('c', 1, '1', '1Gi')]).spec as Record<string, unknown>).rayClusterConfig as object } },
  },
  {
    name: 'RayService: conditions joined, endpoints summed, the worst application status and an empty serviceStatus win',
    op: 'AggregateStatus',
    obj: raySvc([]),
    items: [
      rayItem('member1', { conditions: [{ type: 'Ready', status: 'True' }], numServeEndpoints: 2, observedGeneration: 2, serviceStatus: 'Running', activeServiceStatus: { rayClusterName: 'c1', applicationStatuses: { app: { status: 'RUNNING' } } } }),
      rayItem('member2', { conditions: [{ type: 'Ready', status: 'False' }], numServeEndpoints: 1, observedGeneration: 1, serviceStatus: '', activeServiceStatus: { rayClusterName: 'c2', applicationStatuses: { app: { status: 'UNHEALTHY' } } }, pendingServiceStatus: { rayClusterName: 'p2' } }),
    ],
    want: {
      conditions: [{ type: 'Ready', status: 'True' }, { type: 'Ready', status: 'False' }], numServeEndpoints: 3, observedGeneration: 2, serviceStatus: '',
      activeServiceStatus: { rayClusterName: 'c1', applicationStatuses: { app: { status: 'UNHEALTHY' } } }, pendingServiceStatus: { rayClusterName: 'p2' },
    },
  },
  {
    name: 'RayService: the cluster config\'s pods give the dependencies',
    op: 'InterpretDependency',
    obj: ray('RayService', { rayClusterConfig: { headGroupSpec: { template: { spec: { serviceAccountName: 'ray-head', volumes: [{ name: 's', secret: { secretName: 'tls' } }] } } } } }),
    want: [
      { apiVersion: 'v1', kind: 'Secret', namespace: 'ray', name: 'tls' },
      { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'ray', name: 'ray-head' },
    ],
  },
];

const spark = (status?: Record<string, unknown>) => ({ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'pi', namespace: 'spark' }, spec: { type: 'Scala' }, ...(status ? { status } : {}) }) as KubeObject;
const sparkCases: Case[] = [
  {
    name: 'SparkApplication: one member\'s status is taken as it is',
    op: 'AggregateStatus',
    obj: spark(),
    items: [{ clusterName: 'member1', status: { applicationState: { state: 'RUNNING' }, sparkApplicationId: 'spark-1', executorState: { 'pi-exec-1': 'RUNNING' }, submissionAttempts: 1 } }],
    want: { applicationState: { state: 'RUNNING' }, sparkApplicationId: 'spark-1', executorState: { 'pi-exec-1': 'RUNNING' }, submissionAttempts: 1 },
  },
  {
    name: 'SparkApplication: several members give the worst state, summed attempts and the latest times',
    op: 'AggregateStatus',
    obj: spark(),
    items: [
      { clusterName: 'member1', status: { applicationState: { state: 'FAILED', errorMessage: 'oom' }, executionAttempts: 1, submissionAttempts: 1, lastSubmissionAttemptTime: '2025-01-02T00:00:00Z', terminationTime: '2025-01-03T00:00:00Z' } },
      { clusterName: 'member2', status: { applicationState: { state: 'RUNNING' }, executionAttempts: 2, submissionAttempts: 1, lastSubmissionAttemptTime: '2025-01-05T00:00:00Z' } },
    ],
    want: { applicationState: { state: 'FAILED', errorMessage: 'oom' }, sparkApplicationId: '', executionAttempts: 3, submissionAttempts: 2, lastSubmissionAttemptTime: '2025-01-05T00:00:00Z', submissionID: '', terminationTime: '2025-01-03T00:00:00Z' },
  },
  {
    name: 'SparkApplication: ReflectStatus keeps the fields Karmada names',
    op: 'InterpretStatus',
    obj: spark({ applicationState: { state: 'COMPLETED' }, driverInfo: { podName: 'pi-driver' }, submissionID: 'x', other: 1 }),
    want: { applicationState: { state: 'COMPLETED' }, driverInfo: { podName: 'pi-driver' }, submissionID: 'x' },
  },
];

const bcj = (status?: Record<string, unknown>, labels: Record<string, string> = { app: 'sample' }) =>
  ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'BroadcastJob', metadata: { name: 'b', namespace: 'test' }, spec: { parallelism: 1, template: { ...template, metadata: { labels } } }, ...(status ? { status } : {}) }) as KubeObject;
const done = (type: string) => ({ conditions: [{ type, status: 'True' }] });
const broadcastJobCases: (Case | RetainCase)[] = [
  {
    name: 'Kruise BroadcastJob: counts summed, a Failed condition naming the failed members',
    op: 'AggregateStatus',
    obj: bcj(),
    items: [
      { clusterName: 'member1', status: { active: 0, succeeded: 2, failed: 0, desired: 2, phase: 'completed', ...done('Complete') } },
      { clusterName: 'member2', status: { active: 0, succeeded: 1, failed: 1, desired: 2, phase: 'failed', ...done('Failed') } },
      { clusterName: 'member3', status: { active: 1, succeeded: 0, failed: 1, desired: 2, phase: 'failed', ...done('Failed') } },
    ],
    want: { active: 1, succeeded: 3, failed: 2, desired: 6, phase: 'failed', conditions: [{ type: 'Failed', status: 'True', reason: 'JobFailed', message: 'Job executed failed in member clusters: member2, member3' }] },
  },
  {
    name: 'Kruise BroadcastJob: Completed once every member completed',
    op: 'AggregateStatus',
    obj: bcj(),
    items: [
      { clusterName: 'member1', status: { succeeded: 1, desired: 1, phase: 'completed', ...done('Complete') } },
      { clusterName: 'member2', status: { succeeded: 1, desired: 1, phase: 'completed', ...done('Complete') } },
    ],
    want: { active: 0, succeeded: 2, failed: 0, desired: 2, phase: 'completed', conditions: [{ type: 'Completed', status: 'True', reason: 'Completed', message: 'Job completed' }] },
  },
  {
    name: 'Kruise BroadcastJob: ReflectStatus keeps the fields Karmada names',
    op: 'InterpretStatus',
    obj: bcj({ active: 1, desired: 2, phase: 'running', startTime: '2025-01-01T00:00:00Z', other: 1 }),
    want: { active: 1, desired: 2, phase: 'running', startTime: '2025-01-01T00:00:00Z' },
  },
  { name: 'Kruise BroadcastJob: the member keeps its pod template labels', op: 'Retain', obj: bcj(), observed: bcj(undefined, { app: 'sample', 'controller-uid': 'u1' }), want: (bcj(undefined, { app: 'sample', 'controller-uid': 'u1' }).spec) },
  {
    name: 'Kruise BroadcastJob: the pod template\'s ConfigMaps are dependencies',
    op: 'InterpretDependency',
    obj: bcj(),
    want: [
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'my-sample-config' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'mysql-config' },
    ],
  },
];

const nb = (status?: Record<string, unknown>) => ({ apiVersion: 'kubeflow.org/v1', kind: 'Notebook', metadata: { name: 'nb', namespace: 'ml' }, spec: { template }, ...(status ? { status } : {}) }) as KubeObject;
const notebookCases: Case[] = [
  {
    name: 'Notebook: ready pods summed, the last member\'s container state, conditions joined',
    op: 'AggregateStatus',
    obj: nb(),
    items: [
      { clusterName: 'member1', status: { readyReplicas: 1, containerState: { waiting: { reason: 'ContainerCreating' } }, conditions: [{ type: 'Ready', status: 'False' }] } },
      { clusterName: 'member2', status: { readyReplicas: 1, containerState: { running: { startedAt: 't' } }, conditions: [{ type: 'Ready', status: 'True' }] } },
    ],
    want: { readyReplicas: 2, containerState: { running: { startedAt: 't' } }, conditions: [{ type: 'Ready', status: 'False' }, { type: 'Ready', status: 'True' }] },
  },
  { name: 'Notebook: ReflectStatus keeps ready pods (0 by default), container state and conditions', op: 'InterpretStatus', obj: nb({ containerState: { running: { startedAt: 't' } }, conditions: [{ type: 'Ready', status: 'True' }], other: 1 }), want: { readyReplicas: 0, containerState: { running: { startedAt: 't' } }, conditions: [{ type: 'Ready', status: 'True' }] } },
];

const cases: (Case | RetainCase)[] = [
  ...notebookCases,
  ...broadcastJobCases,
  ...sparkCases,
  ...rayServiceCases,
  ...rayCases,
  ...volcanoCases,
  ...flinkCases,
  ...kruiseNewCases,
  ...fluxCases,
  ...batchCases,
  ...kubeflowCases,
  ...daemonSetCases,
  ...rolloutCases('apps.kruise.io/v1alpha1', 'CloneSet', ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'updatedReadyReplicas', 'expectedUpdatedReplicas'], ['updateRevision', 'currentRevision', 'labelSelector']),
  ...rolloutCases('apps.kruise.io/v1beta1', 'StatefulSet', ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'updatedReadyReplicas'], ['updateRevision', 'currentRevision']),
];

// lazily: what a controller manager loads (each script compiled at its first call), answering the same
for (const lazy of [false, true]) describe(`third-party customizations${lazy ? ', compiled at their first call' : ''}`, () => {
  let layer: LuaCustomizationLayer;
  let interpreter: DefaultInterpreter;
  before(async () => {
    layer = await createThirdPartyLayer({ lazy });
    interpreter = createDefaultInterpreter({ thirdparty: layer });
  });
  after(() => layer.close());

  test('every kind enables the operations it customizes', () => {
    for (const c of thirdPartyCustomizations) {
      const gvk = gvkOf(c.spec.target);
      assert.equal(interpreter.hookEnabled(gvk, InterpreterOperation.InterpretReplica), 'replicaResource' in c.spec.customizations, c.metadata.name);
    }
  });

  test('PyTorchJob components: one per replica type, replicas defaulting to 1', () => {
    const obj = job('kubeflow.org/v1', 'PyTorchJob', { pytorchReplicaSpecs: { Worker: { replicas: 3, template }, Master: { template } } });
    assert.deepEqual(layer.getComponents(obj), [
      { name: 'master', replicas: 1, replicaRequirements: { resourceRequest: { cpu: '100m' } } },
      { name: 'worker', replicas: 3, replicaRequirements: { resourceRequest: { cpu: '100m' } } },
    ]);
  });

  test('FlinkDeployment components: the job manager and the task managers, each with its own resources', () => {
    const obj = flink({ job: { parallelism: 10 }, jobManager: manager(0.5, '2048m'), taskManager: manager(2, '2Gi'), podTemplate: { spec: { priorityClassName: 'high' } } });
    assert.deepEqual(layer.getComponents(obj), [
      { name: 'jobmanager', replicas: 1, replicaRequirements: { resourceRequest: { cpu: '500m', memory: '2048m' }, priorityClassName: 'high' } },
      { name: 'taskmanager', replicas: 5, replicaRequirements: { resourceRequest: { cpu: '2', memory: '2147483648' }, priorityClassName: 'high' } },
    ]);
  });

  test('Volcano Job components: one per task, minAvailable pods of its template (1 by default)', () => {
    const obj = vcjob({ tasks: [{ name: 'ps', template }, { name: 'worker', minAvailable: 3, replicas: 4, template }] });
    assert.deepEqual(layer.getComponents(obj), [
      { name: 'ps', replicas: 1, replicaRequirements: { resourceRequest: { cpu: '100m' } } },
      { name: 'worker', replicas: 3, replicaRequirements: { resourceRequest: { cpu: '100m' } } },
    ]);
  });

  test('RayCluster and RayJob components: the head and each worker group (unnamed ones numbered, replicas 0 by default)', () => {
    const clusterSpec = { headGroupSpec: { template }, workerGroupSpecs: [{ groupName: 'small', replicas: 2, template }, {}] };
    const want = [
      { name: 'ray-head', replicas: 1, replicaRequirements: { resourceRequest: { cpu: '100m' } } },
      { name: 'small', replicas: 2, replicaRequirements: { resourceRequest: { cpu: '100m' } } },
      { name: 'worker-2', replicas: 0 },
    ];
    assert.deepEqual(layer.getComponents(ray('RayCluster', clusterSpec)), want);
    assert.deepEqual(layer.getComponents(ray('RayJob', { rayClusterSpec: clusterSpec })), want);
  });

  test('SparkApplication components: the driver and the executors with memory plus overhead, GPUs and placement', () => {
    const obj = {
      ...spark(),
      spec: {
        type: 'Scala',
        driver: { cores: 1, memory: '512m', nodeSelector: { disk: 'ssd' }, priorityClassName: 'high' },
        executor: { cores: 0.5, memory: '1g', instances: 2, gpu: { name: 'nvidia.com/gpu', quantity: 1 } },
        dynamicAllocation: { enabled: true, initialExecutors: 3 },
      },
    } as KubeObject;
    assert.deepEqual(layer.getComponents(obj), [
      { name: 'driver', replicas: 1, replicaRequirements: { resourceRequest: { cpu: '1', memory: '896Mi' }, nodeClaim: { nodeSelector: { disk: 'ssd' } }, priorityClassName: 'high' } },
      { name: 'executor', replicas: 3, replicaRequirements: { resourceRequest: { cpu: '500m', memory: '1433Mi', 'nvidia.com/gpu': '1' } } },
    ]);
    // a JVM job's overhead is a tenth of its memory, and an explicit overhead wins
    const java = { ...obj, spec: { type: 'Java', driver: { cores: 1, memory: '8g' }, executor: { cores: 1, memory: '1g', memoryOverhead: '1g' } } } as KubeObject;
    assert.deepEqual(layer.getComponents(java).map((c) => [c.replicas, c.replicaRequirements?.resourceRequest?.memory]), [[1, '9011Mi'], [1, '2Gi']]);
  });

  test('PyTorchJob status: counts summed per replica type, zeros left out, a Failed condition naming the failed members', () => {
    const obj = job('kubeflow.org/v1', 'PyTorchJob', { pytorchReplicaSpecs: { Worker: { replicas: 2, template } } });
    const got = interpreter.aggregateStatus(obj, [
      { clusterName: 'member1', status: { startTime: '2025-01-02T00:00:00Z', replicaStatuses: { Worker: { active: 1 } }, conditions: [{ type: 'Running', status: 'True' }] } },
      { clusterName: 'member2', status: { startTime: '2025-01-01T00:00:00Z', completionTime: '2025-01-03T00:00:00Z', replicaStatuses: { Master: { failed: 1 }, Worker: { failed: 1 } }, conditions: [{ type: 'Failed', status: 'True' }] } },
    ]).status as Record<string, unknown>;
    const [failed, ...rest] = got.conditions as Record<string, unknown>[];
    assert.deepEqual(rest, []);
    assert.match(String(failed?.lastTransitionTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual({ ...failed, lastProbeTime: undefined, lastTransitionTime: undefined }, { type: 'Failed', status: 'True', reason: 'PyTorchJobFailed', message: 'PyTorchJob executed failed in member clusters: member2', lastProbeTime: undefined, lastTransitionTime: undefined });
    assert.deepEqual({ ...got, conditions: undefined }, { startTime: '2025-01-01T00:00:00Z', replicaStatuses: { Master: { failed: 1 }, Worker: { active: 1, failed: 1 } }, conditions: undefined });
  });

  test('TFJob status: Succeeded with the latest completion time once every member succeeded', () => {
    const obj = job('kubeflow.org/v1', 'TFJob', { tfReplicaSpecs: { Worker: { replicas: 2, template } } });
    const ok = (completionTime: string) => ({ completionTime, replicaStatuses: { Worker: { succeeded: 1 } }, conditions: [{ type: 'Succeeded', status: 'True' }] });
    const got = interpreter.aggregateStatus(obj, [{ clusterName: 'member1', status: ok('2025-01-02T00:00:00Z') }, { clusterName: 'member2', status: ok('2025-01-03T00:00:00Z') }]).status as Record<string, unknown>;
    assert.equal(got.completionTime, '2025-01-03T00:00:00Z');
    assert.deepEqual(got.replicaStatuses, { Worker: { succeeded: 2 } });
    assert.deepEqual((got.conditions as Record<string, unknown>[]).map((c) => [c.type, c.reason, c.message]), [['Succeeded', 'Completed', 'TFJob completed successfully']]);
  });

  test('MPIJob status: counts summed per replica type, the latest condition of each type; one member taken as it is', () => {
    const obj = job('kubeflow.org/v2beta1', 'MPIJob', { mpiReplicaSpecs: { Worker: { replicas: 2, template } } });
    const got = interpreter.aggregateStatus(obj, [
      { clusterName: 'member1', status: { startTime: '2025-01-02T00:00:00Z', replicaStatuses: { Launcher: { active: 1 }, Worker: { active: 2 } }, conditions: [{ type: 'Running', status: 'True', lastTransitionTime: '2025-01-02T00:00:00Z' }] } },
      { clusterName: 'member2', status: { startTime: '2025-01-01T00:00:00Z', replicaStatuses: { Worker: { active: 1, failed: 1 } }, conditions: [{ type: 'Created', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }, { type: 'Running', status: 'False', lastTransitionTime: '2025-01-03T00:00:00Z' }] } },
    ]).status;
    assert.deepEqual(got, {
      startTime: '2025-01-01T00:00:00Z',
      replicaStatuses: { Launcher: { active: 1, succeeded: 0, failed: 0 }, Worker: { active: 3, succeeded: 0, failed: 1 } },
      conditions: [{ type: 'Running', status: 'False', lastTransitionTime: '2025-01-03T00:00:00Z' }, { type: 'Created', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }],
    });
    const one = { replicaStatuses: { Worker: { active: 2 } }, conditions: [{ type: 'Running', status: 'True' }] };
    assert.deepEqual(interpreter.aggregateStatus(structuredClone(obj), [{ clusterName: 'member1', status: one }]).status, one);
    assert.deepEqual(interpreter.reflectStatus({ ...obj, status: { replicaStatuses: { Worker: { active: 2, selector: 'a=b', extra: 1 } }, startTime: 't', other: 1 } } as KubeObject), { replicaStatuses: { Worker: { active: 2, selector: 'a=b' } }, startTime: 't' });
  });

  test('MPIJob components follow the object\'s key order (gopher-lua pairs()); a worker defaults to 0', () => {
    const obj = job('kubeflow.org/v2beta1', 'MPIJob', { mpiReplicaSpecs: { Worker: { template }, Launcher: { replicas: 1, template } } });
    assert.deepEqual(layer.getComponents(obj).map((c) => [c.name, c.replicas]), [['Worker', 0], ['Launcher', 1]]);
  });

  for (const c of cases) {
    test(c.name, () => {
      const obj = structuredClone(c.obj);
      switch (c.op) {
        case 'InterpretReplica': {
          const got = interpreter.getReplicas(obj);
          assert.equal(got.replicas, c.replicas);
          assert.deepEqual(got.requirements, c.requirements);
          break;
        }
        case 'ReviseReplica':
          assert.deepEqual(interpreter.reviseReplica(obj, c.desired).spec, c.want);
          break;
        case 'AggregateStatus':
          assert.deepEqual(interpreter.aggregateStatus(obj, c.items).status, c.want);
          break;
        case 'InterpretStatus':
          assert.deepEqual(interpreter.reflectStatus(obj), c.want);
          break;
        case 'InterpretHealth':
          assert.equal(interpreter.interpretHealth(obj), c.want);
          break;
        case 'InterpretDependency':
          assert.deepEqual(interpreter.getDependencies(obj), c.want);
          break;
        case 'Retain':
          assert.deepEqual(interpreter.retain(obj, structuredClone(c.observed)).spec, c.want);
          break;
      }
    });
  }
});
