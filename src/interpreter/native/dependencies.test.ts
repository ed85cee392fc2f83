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

// Karmada v1.19 default/native/dependencies_test.go: its three pod specs under every workload kind
describe('InterpretDependency, Karmada v1.19 dependencies_test.go', () => {
  const ns = 'karmada-test';
  const ref = (kind: string, name: string) => ({ apiVersion: 'v1', kind, namespace: ns, name });
  const pairs: { podSpec: Record<string, unknown>; want: ReturnType<typeof ref>[] }[] = [
    {
      podSpec: {
        serviceAccountName: 'test-serviceaccount',
        volumes: [
          { name: 'initcontainer-volume-mount', configMap: { name: 'test-configmap' } },
          { name: 'cloud-secret-volume', secret: { secretName: 'cloud-secret' } },
          { name: 'container-volume-mount', persistentVolumeClaim: { claimName: 'test-pvc' } },
        ],
      },
      want: [ref('ConfigMap', 'test-configmap'), ref('Secret', 'cloud-secret'), ref('ServiceAccount', 'test-serviceaccount'), ref('PersistentVolumeClaim', 'test-pvc')],
    },
    {
      podSpec: {
        serviceAccountName: 'test-serviceaccount',
        imagePullSecrets: [{ name: 'test-secret' }],
        initContainers: [{ envFrom: [{ configMapRef: { name: 'initcontainer-envfrom-configmap' }, secretRef: { name: 'test-secret' } }], env: [{ valueFrom: { secretKeyRef: { name: 'test-secret' } } }] }],
      },
      want: [ref('ConfigMap', 'initcontainer-envfrom-configmap'), ref('Secret', 'test-secret'), ref('ServiceAccount', 'test-serviceaccount')],
    },
    {
      podSpec: {
        containers: [{ envFrom: [{ configMapRef: { name: 'test-configmap' } }], env: [{ valueFrom: { configMapKeyRef: { name: 'test-configmap' } } }] }],
        volumes: [{ name: 'container-volume-mount', persistentVolumeClaim: { claimName: 'test-pvc' }, azureFile: { secretName: 'test-secret' } }],
      },
      want: [ref('ConfigMap', 'test-configmap'), ref('Secret', 'test-secret'), ref('PersistentVolumeClaim', 'test-pvc')],
    },
  ];
  const wrap: Record<string, (podSpec: Record<string, unknown>) => KubeObject> = {
    deployment: (spec) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'fake', namespace: ns }, spec: { template: { spec } } }) as KubeObject,
    replicaset: (spec) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'fake', namespace: ns }, spec: { template: { spec } } }) as KubeObject,
    job: (spec) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'fake', namespace: ns }, spec: { template: { spec } } }) as KubeObject,
    cronjob: (spec) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'fake', namespace: ns }, spec: { jobTemplate: { spec: { template: { spec } } } } }) as KubeObject,
    pod: (spec) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fake', namespace: ns }, spec }) as KubeObject,
    daemonset: (spec) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'fake', namespace: ns }, spec: { template: { spec } } }) as KubeObject,
    statefulset: (spec) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'fake', namespace: ns }, spec: { template: { spec } } }) as KubeObject,
  };
  const sorted = (refs: unknown[]) => [...refs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  for (const [kind, build] of Object.entries(wrap)) {
    test(`${kind} without dependencies`, () => {
      const obj = build({ containers: [{ name: 'c', image: 'nginx' }] });
      assert.deepEqual(dependenciesInterpreters[gvkKey(gvkOf(obj))](obj), []);
    });
    pairs.forEach((p, i) => {
      test(`${kind} with dependencies ${i + 1}`, () => {
        const obj = build(p.podSpec);
        assert.deepEqual(sorted(dependenciesInterpreters[gvkKey(gvkOf(obj))](obj)), sorted(p.want));
      });
    });
  }
  test('statefulset with partial dependencies 4: a PVC of a volumeClaimTemplate is not a dependency', () => {
    const obj = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'fake-statefulset', namespace: ns }, spec: { serviceName: 'fake-service', template: { spec: pairs[0].podSpec }, volumeClaimTemplates: [{ metadata: { name: 'test-pvc' } }] } } as KubeObject;
    assert.deepEqual(sorted(dependenciesInterpreters[gvkKey(gvkOf(obj))](obj)), sorted(pairs[0].want.slice(0, 3)));
  });
  test('ingress with dependencies 2', () => {
    const obj = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'test-ingress', namespace: ns }, spec: { tls: [{ hosts: ['foo1.*.bar.com'], secretName: 'cloud-secret' }, { hosts: ['foo2.*.bar.com'], secretName: 'test-secret' }] } } as KubeObject;
    assert.deepEqual(dependenciesInterpreters[gvkKey(gvkOf(obj))](obj), [ref('Secret', 'cloud-secret'), ref('Secret', 'test-secret')]);
  });
  test('getAllDefaultDependenciesInterpreter covers the kinds Karmada does', () => {
    assert.equal(Object.keys(dependenciesInterpreters).length, 9);
  });
});
