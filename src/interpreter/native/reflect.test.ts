import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { gvkKey, gvkOf } from '../types.js';
import { reflectStatusInterpreters, reflectWholeStatus } from './reflect.js';

function member(apiVersion: string, kind: string, rest: Record<string, unknown>, annotations: Record<string, string> = {}): KubeObject {
  return { apiVersion, kind, metadata: { name: 'm', namespace: 'ns', generation: 4, annotations }, ...rest };
}

function reflect(obj: KubeObject) {
  return (reflectStatusInterpreters[gvkKey(gvkOf(obj))] ?? reflectWholeStatus)(obj);
}

const gen = { 'resourcetemplate.karmada.io/generation': '3' };

const cases: { name: string; obj: KubeObject; want?: Record<string, unknown>; error?: RegExp }[] = [
  {
    name: 'Deployment: counters plus the member generation and the template generation it came from',
    obj: member('apps/v1', 'Deployment', { status: { replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 4, conditions: [{ type: 'Available' }] } }, gen),
    want: { generation: 4, resourceTemplateGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 4 },
  },
  {
    name: 'Deployment without a status has nothing to collect',
    obj: member('apps/v1', 'Deployment', {}),
    want: undefined,
  },
  {
    name: 'deployment with invalid generation annotation (Karmada: an error)',
    obj: member('apps/v1', 'Deployment', { status: { replicas: 1 } }, { 'resourcetemplate.karmada.io/generation': 'x' }),
    error: /failed to parse Deployment\(ns\/m\) generation from annotation\(resourcetemplate.karmada.io\/generation:x\): strconv.ParseInt: parsing "x": invalid syntax/,
  },
  {
    // a deliberate difference: Karmada fails here; we read 0, so hand-made Works still report status
    name: 'deployment without generation annotation reads template generation 0 (Karmada: an error)',
    obj: member('apps/v1', 'Deployment', { status: { replicas: 1 } }),
    want: { generation: 4, replicas: 1 },
  },
  {
    name: 'StatefulSet: replicas and availableReplicas always present',
    obj: member('apps/v1', 'StatefulSet', { status: { currentRevision: 'r1', observedGeneration: 4 } }, gen),
    want: { generation: 4, resourceTemplateGeneration: 3, replicas: 0, availableReplicas: 0, observedGeneration: 4 },
  },
  {
    name: 'ReplicaSet collects replicas, ready, available and observedGeneration (not fullyLabeledReplicas)',
    obj: member('apps/v1', 'ReplicaSet', { status: { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 4 } }, gen),
    want: { generation: 4, resourceTemplateGeneration: 3, replicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 4 },
  },
  {
    name: 'replicaset with invalid generation annotation (Karmada: an error)',
    obj: member('apps/v1', 'ReplicaSet', { status: { replicas: 3 } }, { 'resourcetemplate.karmada.io/generation': 'invalid' }),
    error: /invalid syntax/,
  },
  {
    name: 'daemonset with invalid generation annotation (Karmada: an error)',
    obj: member('apps/v1', 'DaemonSet', { status: { numberReady: 1 } }, { 'resourcetemplate.karmada.io/generation': '' }),
    error: /invalid syntax/,
  },
  {
    name: 'statefulset without status field',
    obj: member('apps/v1', 'StatefulSet', {}, gen),
  },
  {
    name: 'LoadBalancer service without status should return nil',
    obj: member('v1', 'Service', { spec: { type: 'LoadBalancer' } }),
  },
  {
    name: 'job with empty conditions',
    obj: member('batch/v1', 'Job', { status: { active: 1, conditions: [] } }),
    want: { active: 1, conditions: [] },
  },
  {
    name: 'DaemonSet collects scheduling counters',
    obj: member('apps/v1', 'DaemonSet', { status: { currentNumberScheduled: 1, desiredNumberScheduled: 1, numberReady: 1, numberAvailable: 1, updatedNumberScheduled: 1, observedGeneration: 4 } }, gen),
    want: { generation: 4, resourceTemplateGeneration: 3, currentNumberScheduled: 1, numberMisscheduled: 0, desiredNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 1, observedGeneration: 4 },
  },
  {
    name: 'LoadBalancer Service reflects only loadBalancer',
    obj: member('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] }, conditions: [] } }),
    want: { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] } },
  },
  {
    name: 'ClusterIP Service reflects nothing',
    obj: member('v1', 'Service', { spec: { type: 'ClusterIP' }, status: { loadBalancer: {} } }),
    want: undefined,
  },
  {
    name: 'Ingress reflects its whole status',
    obj: member('networking.k8s.io/v1', 'Ingress', { status: { loadBalancer: { ingress: [{ hostname: 'h' }] } } }),
    want: { loadBalancer: { ingress: [{ hostname: 'h' }] } },
  },
  {
    name: 'Job reflects counts, conditions and times, not uncountedTerminatedPods',
    obj: member('batch/v1', 'Job', { status: { active: 1, succeeded: 2, startTime: 't0', conditions: [{ type: 'Complete', status: 'True' }], uncountedTerminatedPods: {}, ready: 1 } }),
    want: { active: 1, succeeded: 2, conditions: [{ type: 'Complete', status: 'True' }], startTime: 't0' },
  },
  {
    name: 'PodDisruptionBudget reflects its four counters and disrupted pods',
    obj: member('policy/v1', 'PodDisruptionBudget', { status: { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2, observedGeneration: 4, conditions: [] } }),
    want: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 },
  },
  {
    name: 'HPA reflects current and desired replicas',
    obj: member('autoscaling/v2', 'HorizontalPodAutoscaler', { status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [] } }),
    want: { currentReplicas: 2, desiredReplicas: 3 },
  },
  {
    name: 'a kind without a rule reflects its whole status',
    obj: member('example.io/v1', 'Widget', { status: { phase: 'Ready', x: { y: 1 } } }),
    want: { phase: 'Ready', x: { y: 1 } },
  },
  {
    name: 'object with invalid status format (Karmada: an error)',
    obj: member('example.io/v1', 'Widget', { status: 'broken' }),
    error: /\.status accessor error: "broken" is of the type string, expected map\[string\]interface\{\}/,
  },
  ...['PodDisruptionBudget:policy/v1', 'HorizontalPodAutoscaler:autoscaling/v2', 'Job:batch/v1', 'DaemonSet:apps/v1', 'StatefulSet:apps/v1', 'Service:v1', 'Ingress:networking.k8s.io/v1'].map((kv) => {
    const [kind, apiVersion] = kv.split(':');
    return { name: `${kind} with invalid status format (Karmada: an error)`, obj: member(apiVersion, kind, { spec: { type: 'LoadBalancer' }, status: 'invalid' }, gen), error: /accessor error/ };
  }),
  ...['PodDisruptionBudget:policy/v1', 'HorizontalPodAutoscaler:autoscaling/v2', 'Job:batch/v1', 'Ingress:networking.k8s.io/v1'].map((kv) => {
    const [kind, apiVersion] = kv.split(':');
    return { name: `${kind} without status`, obj: member(apiVersion, kind, {}) };
  }),
];

describe('ReflectStatus', () => {
  for (const c of cases) {
    test(c.name, () => {
      if (c.error) assert.throws(() => reflect(c.obj), c.error);
      else assert.deepEqual(reflect(c.obj), c.want);
    });
  }

  test('getAllDefaultReflectStatusInterpreter covers the kinds Karmada does', () => {
    assert.deepEqual(Object.keys(reflectStatusInterpreters).sort(), [
      'apps/v1, Kind=DaemonSet', 'apps/v1, Kind=Deployment', 'apps/v1, Kind=ReplicaSet', 'apps/v1, Kind=StatefulSet',
      'autoscaling/v2, Kind=HorizontalPodAutoscaler', 'batch/v1, Kind=Job', 'networking.k8s.io/v1, Kind=Ingress',
      'policy/v1, Kind=PodDisruptionBudget', 'v1, Kind=Service',
    ]);
  });
});
