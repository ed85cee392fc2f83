import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { gvkKey, gvkOf, type DependentObjectReference } from '../types.js';
import { dependenciesInterpreters } from './dependencies.js';

const podSpec = {
  serviceAccountName: 'runner',
  imagePullSecrets: [{ name: 'pull' }],
  initContainers: [{ name: 'i', envFrom: [{ configMapRef: { name: 'init-cm' } }] }],
  containers: [
    {
      name: 'c',
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'a' } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'b' } } },
        { name: 'C', value: 'plain' },
      ],
      envFrom: [{ secretRef: { name: 'envfrom-secret' } }],
    },
  ],
  volumes: [
    { name: 'v1', configMap: { name: 'vol-cm' } },
    { name: 'v2', secret: { secretName: 'vol-secret' } },
    { name: 'v3', persistentVolumeClaim: { claimName: 'data' } },
    { name: 'v4', projected: { sources: [{ configMap: { name: 'proj-cm' } }, { secret: { name: 'proj-secret' } }, { serviceAccountToken: {} }] } },
    { name: 'v5', csi: { driver: 'd', nodePublishSecretRef: { name: 'csi-secret' } } },
    { name: 'v6', configMap: { name: 'vol-cm' } },
  ],
};

const ref = (kind: string, name: string): DependentObjectReference => ({ apiVersion: 'v1', kind, namespace: 'ns', name });
const full = [
  ref('ConfigMap', 'env-cm'),
  ref('ConfigMap', 'init-cm'),
  ref('ConfigMap', 'proj-cm'),
  ref('ConfigMap', 'vol-cm'),
  ref('Secret', 'csi-secret'),
  ref('Secret', 'env-secret'),
  ref('Secret', 'envfrom-secret'),
  ref('Secret', 'proj-secret'),
  ref('Secret', 'pull'),
  ref('Secret', 'vol-secret'),
  ref('ServiceAccount', 'runner'),
  ref('PersistentVolumeClaim', 'data'),
];

function workload(apiVersion: string, kind: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion, kind, metadata: { name: 'w', namespace: 'ns' }, spec };
}

const cases: { name: string; obj: KubeObject; want: DependentObjectReference[] }[] = [
  { name: 'Deployment: every reference in its pod template, deduplicated and sorted', obj: workload('apps/v1', 'Deployment', { template: { spec: podSpec } }), want: full },
  { name: 'StatefulSet pod template', obj: workload('apps/v1', 'StatefulSet', { template: { spec: podSpec } }), want: full },
  { name: 'ReplicaSet pod template', obj: workload('apps/v1', 'ReplicaSet', { template: { spec: podSpec } }), want: full },
  { name: 'DaemonSet pod template', obj: workload('apps/v1', 'DaemonSet', { template: { spec: podSpec } }), want: full },
  { name: 'Job pod template', obj: workload('batch/v1', 'Job', { template: { spec: podSpec } }), want: full },
  { name: 'CronJob reads spec.jobTemplate.spec.template', obj: workload('batch/v1', 'CronJob', { jobTemplate: { spec: { template: { spec: podSpec } } } }), want: full },
  { name: 'Pod reads its own spec', obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: podSpec }, want: full },
  {
    name: 'the default service account is never a dependency',
    obj: workload('apps/v1', 'Deployment', { template: { spec: { serviceAccountName: 'default', containers: [{ name: 'c' }] } } }),
    want: [],
  },
  { name: 'a workload without a template depends on nothing', obj: workload('apps/v1', 'Deployment', {}), want: [] },
  {
    name: 'Ingress depends on its TLS secrets',
    obj: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'ns' }, spec: { tls: [{ secretName: 'tls-a' }, { hosts: ['x'] }] } },
    want: [ref('Secret', 'tls-a')],
  },
  {
    name: 'ServiceImport depends on its derived Service and that service’s EndpointSlices',
    obj: { apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ServiceImport', metadata: { name: 'web', namespace: 'ns' } },
    want: [
      ref('Service', 'derived-web'),
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace: 'ns', labelSelector: { matchLabels: { 'kubernetes.io/service-name': 'derived-web' } } },
    ],
  },
];

describe('InterpretDependency', () => {
  for (const c of cases) test(c.name, () => assert.deepEqual(dependenciesInterpreters[gvkKey(gvkOf(c.obj))](c.obj), c.want));
});
