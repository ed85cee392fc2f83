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
        { clusterName: 'member1', applied: true, status: member(2, 1) },
        { clusterName: 'member3', applied: true, status: member(2, 1) },
      ],
      want: { ...full(4), ...member(4, 1) },
    },
    {
      name: `${kind}: observedGeneration comes from the last member reporting it (a stale member keeps it back)`,
      op: 'AggregateStatus',
      obj: workload(apiVersion, kind, { status: { observedGeneration: 2 } }, 3),
      items: [
        { clusterName: 'member1', applied: true, status: { replicas: 2, readyReplicas: 2, observedGeneration: 3 } },
        { clusterName: 'member2', applied: true, status: { replicas: 2, readyReplicas: 2, observedGeneration: 2 } },
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
    { name: `${kind}: ReflectStatus keeps the status fields Karmada names`, op: 'InterpretStatus', obj: workload(apiVersion, kind, { status: { ...member(2, 1), collisionCount: 0 } }), want: member(2, 1) },
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

const cases: Case[] = [
  ...rolloutCases('apps.kruise.io/v1alpha1', 'CloneSet', ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'updatedReadyReplicas', 'expectedUpdatedReplicas'], ['updateRevision', 'currentRevision', 'labelSelector']),
  ...rolloutCases('apps.kruise.io/v1beta1', 'StatefulSet', ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'updatedReadyReplicas'], ['updateRevision', 'currentRevision']),
];

describe('third-party customizations', () => {
  let layer: LuaCustomizationLayer;
  let interpreter: DefaultInterpreter;
  before(async () => {
    layer = await createThirdPartyLayer();
    interpreter = createDefaultInterpreter({ thirdparty: layer });
  });
  after(() => layer.close());

  test('every kind enables the operations it customizes', () => {
    for (const c of thirdPartyCustomizations) {
      const gvk = gvkOf(c.spec.target);
      assert.equal(interpreter.hookEnabled(gvk, InterpreterOperation.InterpretReplica), 'replicaResource' in c.spec.customizations, c.metadata.name);
    }
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
      }
    });
  }
});
