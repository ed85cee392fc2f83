import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { gvkKey, gvkOf } from '../types.js';
import { healthInterpreters } from './health.js';

function obj(apiVersion: string, kind: string, rest: Record<string, unknown>, generation = 1): KubeObject {
  return { apiVersion, kind, metadata: { name: 'x', generation }, ...rest };
}

const deploy = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 1) => obj('apps/v1', 'Deployment', { spec, status }, generation);
const sts = (spec: Record<string, unknown>, status: Record<string, unknown>) => obj('apps/v1', 'StatefulSet', { spec, status });

const cases: { name: string; obj: KubeObject; healthy: boolean }[] = [
  { name: 'Deployment rolled out and available', obj: deploy({ replicas: 2 }, { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2 }), healthy: true },
  { name: 'Deployment whose controller has not seen the new generation', obj: deploy({ replicas: 2 }, { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2 }, 2), healthy: false },
  { name: 'Deployment still updating replicas', obj: deploy({ replicas: 3 }, { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2 }), healthy: false },
  { name: 'Deployment with updated but unavailable replicas', obj: deploy({ replicas: 2 }, { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 1 }), healthy: false },
  { name: 'Deployment without any status is not healthy', obj: obj('apps/v1', 'Deployment', { spec: { replicas: 1 } }), healthy: false },
  { name: 'StatefulSet fully rolled out', obj: sts({ replicas: 3 }, { observedGeneration: 1, updatedReplicas: 3, availableReplicas: 3 }), healthy: true },
  {
    // Karmada v1.19 compares updatedReplicas with spec.replicas whatever the partition
    name: 'StatefulSet with a partitioned update is unhealthy until every replica is updated (as Karmada)',
    obj: sts({ replicas: 3, updateStrategy: { rollingUpdate: { partition: 2 } } }, { observedGeneration: 1, updatedReplicas: 1, availableReplicas: 3 }),
    healthy: false,
  },
  { name: 'StatefulSet needs every pod available, not only the updated ones', obj: sts({ replicas: 3 }, { observedGeneration: 1, updatedReplicas: 3, availableReplicas: 2 }), healthy: false },
  { name: 'ReplicaSet with all replicas available', obj: obj('apps/v1', 'ReplicaSet', { spec: { replicas: 2 }, status: { observedGeneration: 1, availableReplicas: 2 } }), healthy: true },
  { name: 'ReplicaSet short of available replicas', obj: obj('apps/v1', 'ReplicaSet', { spec: { replicas: 2 }, status: { observedGeneration: 1, availableReplicas: 1 } }), healthy: false },
  {
    name: 'DaemonSet updated and available everywhere',
    obj: obj('apps/v1', 'DaemonSet', { status: { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 } }),
    healthy: true,
  },
  {
    name: 'DaemonSet not yet updated on every node',
    obj: obj('apps/v1', 'DaemonSet', { status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 2 } }),
    healthy: false,
  },
  { name: 'ClusterIP Service is always healthy', obj: obj('v1', 'Service', { spec: { type: 'ClusterIP' } }), healthy: true },
  { name: 'LoadBalancer Service without an ingress point', obj: obj('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } }), healthy: false },
  { name: 'LoadBalancer Service with an IP', obj: obj('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] } } }), healthy: true },
  { name: 'Ingress with a hostname', obj: obj('networking.k8s.io/v1', 'Ingress', { status: { loadBalancer: { ingress: [{ hostname: 'h' }] } } }), healthy: true },
  { name: 'Ingress with an empty ingress entry', obj: obj('networking.k8s.io/v1', 'Ingress', { status: { loadBalancer: { ingress: [{}] } } }), healthy: false },
  { name: 'PVC Bound', obj: obj('v1', 'PersistentVolumeClaim', { status: { phase: 'Bound' } }), healthy: true },
  { name: 'PVC Pending', obj: obj('v1', 'PersistentVolumeClaim', { status: { phase: 'Pending' } }), healthy: false },
  { name: 'Pod Succeeded', obj: obj('v1', 'Pod', { status: { phase: 'Succeeded' } }), healthy: true },
  { name: 'Pod Running and Ready', obj: obj('v1', 'Pod', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }), healthy: true },
  { name: 'Pod Running but not Ready', obj: obj('v1', 'Pod', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }), healthy: false },
  { name: 'Pod Pending', obj: obj('v1', 'Pod', { status: { phase: 'Pending' } }), healthy: false },
  { name: 'PDB with enough healthy pods', obj: obj('policy/v1', 'PodDisruptionBudget', { status: { currentHealthy: 2, desiredHealthy: 2 } }), healthy: true },
  { name: 'PDB short of healthy pods', obj: obj('policy/v1', 'PodDisruptionBudget', { status: { currentHealthy: 1, desiredHealthy: 2 } }), healthy: false },
];

// Karmada v1.19 default/native/healthy_test.go, case by case (objects as Karmada's tests build them)
const bare = (apiVersion: string, kind: string, rest: Record<string, unknown>): KubeObject => ({ apiVersion, kind, metadata: { name: 'fake' }, ...rest }) as KubeObject;
const withGen = (apiVersion: string, kind: string, generation: number, rest: Record<string, unknown>): KubeObject => ({ apiVersion, kind, metadata: { name: 'fake', generation }, ...rest }) as KubeObject;
const karmadaCases: { name: string; obj: KubeObject; healthy: boolean }[] = [
  { name: 'deployment healthy', obj: withGen('apps/v1', 'Deployment', 1, { spec: { replicas: 3 }, status: { availableReplicas: 3, updatedReplicas: 3, observedGeneration: 1 } }), healthy: true },
  { name: 'deployment: generation not equal to observedGeneration', obj: withGen('apps/v1', 'Deployment', 1, { spec: { replicas: 3 }, status: { availableReplicas: 3, updatedReplicas: 3, observedGeneration: 2 } }), healthy: false },
  { name: 'deployment: replicas not equal to updatedReplicas', obj: withGen('apps/v1', 'Deployment', 1, { spec: { replicas: 3 }, status: { updatedReplicas: 1, observedGeneration: 1 } }), healthy: false },
  { name: 'deployment: availableReplicas not equal to updatedReplicas', obj: withGen('apps/v1', 'Deployment', 1, { spec: { replicas: 3 }, status: { availableReplicas: 0, updatedReplicas: 3, observedGeneration: 1 } }), healthy: false },
  { name: 'statefulSet healthy', obj: withGen('apps/v1', 'StatefulSet', 1, { spec: { replicas: 3 }, status: { availableReplicas: 3, updatedReplicas: 3, observedGeneration: 1 } }), healthy: true },
  { name: 'statefulSet: generation not equal to observedGeneration', obj: withGen('apps/v1', 'StatefulSet', 1, { spec: { replicas: 3 }, status: { availableReplicas: 3, updatedReplicas: 3, observedGeneration: 2 } }), healthy: false },
  { name: 'statefulSet: replicas not equal to updatedReplicas', obj: withGen('apps/v1', 'StatefulSet', 1, { spec: { replicas: 3 }, status: { updatedReplicas: 1, observedGeneration: 1 } }), healthy: false },
  { name: 'statefulSet: availableReplicas not equal to updatedReplicas', obj: withGen('apps/v1', 'StatefulSet', 1, { spec: { replicas: 3 }, status: { availableReplicas: 1, updatedReplicas: 3, observedGeneration: 1 } }), healthy: false },
  { name: 'replicaSet healthy', obj: withGen('apps/v1', 'ReplicaSet', 1, { spec: { replicas: 3 }, status: { availableReplicas: 3, observedGeneration: 1 } }), healthy: true },
  { name: 'replicaSet: generation not equal to observedGeneration', obj: withGen('apps/v1', 'ReplicaSet', 1, { spec: { replicas: 3 }, status: { availableReplicas: 3, observedGeneration: 2 } }), healthy: false },
  { name: 'replicaSet: replicas not equal to availableReplicas', obj: withGen('apps/v1', 'ReplicaSet', 1, { spec: { replicas: 3 }, status: { availableReplicas: 2, observedGeneration: 2 } }), healthy: false },
  { name: 'daemonSet healthy', obj: withGen('apps/v1', 'DaemonSet', 1, { status: { observedGeneration: 1 } }), healthy: true },
  { name: 'daemonSet: generation not equal to observedGeneration', obj: withGen('apps/v1', 'DaemonSet', 1, { status: { observedGeneration: 2 } }), healthy: false },
  { name: 'daemonSet: updatedNumberScheduled < desiredNumberScheduled', obj: bare('apps/v1', 'DaemonSet', { status: { updatedNumberScheduled: 3, desiredNumberScheduled: 5 } }), healthy: false },
  { name: 'daemonSet: numberAvailable < updatedNumberScheduled', obj: bare('apps/v1', 'DaemonSet', { status: { updatedNumberScheduled: 5, numberAvailable: 3 } }), healthy: false },
  { name: 'service healthy', obj: bare('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: 'localhost' }] } } }), healthy: true },
  { name: 'service: not loadBalancer type', obj: bare('v1', 'Service', { spec: { type: 'NodePort' }, status: { loadBalancer: { ingress: [{ ip: 'localhost' }] } } }), healthy: true },
  { name: 'service: status.loadBalancer.ingress list is empty', obj: bare('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [] } } }), healthy: false },
  { name: 'ingress healthy', obj: bare('networking.k8s.io/v1', 'Ingress', { status: { loadBalancer: { ingress: [{ ip: 'localhost' }] } } }), healthy: true },
  { name: 'ingress: status.loadBalancer.ingress list is empty', obj: bare('networking.k8s.io/v1', 'Ingress', { status: { loadBalancer: { ingress: [] } } }), healthy: false },
  { name: 'persistentVolumeClaim healthy', obj: bare('v1', 'PersistentVolumeClaim', { status: { phase: 'Bound' } }), healthy: true },
  { name: 'persistentVolumeClaim: status.phase not equals to Bound', obj: bare('v1', 'PersistentVolumeClaim', { status: { phase: 'Pending' } }), healthy: false },
  { name: 'service type pod healthy', obj: bare('v1', 'Pod', { status: { conditions: [{ type: 'Ready', status: 'True' }], phase: 'Running' } }), healthy: true },
  { name: 'job type pod healthy', obj: bare('v1', 'Pod', { status: { phase: 'Succeeded' } }), healthy: true },
  { name: 'pod condition ready false', obj: bare('v1', 'Pod', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }], phase: 'Running' } }), healthy: false },
  { name: 'pod phase not running and not succeeded', obj: bare('v1', 'Pod', { status: { phase: 'Failed' } }), healthy: false },
  { name: 'pod: condition or phase nil', obj: bare('v1', 'Pod', {}), healthy: false },
  { name: 'podDisruptionBudget healthy', obj: bare('policy/v1', 'PodDisruptionBudget', { status: { desiredHealthy: 2, currentHealthy: 3 } }), healthy: true },
  { name: 'podDisruptionBudget healthy when desired healthy equals to current healthy pods', obj: bare('policy/v1', 'PodDisruptionBudget', { status: { desiredHealthy: 2, currentHealthy: 2 } }), healthy: true },
  { name: 'podDisruptionBudget: fewer healthy pods than desired', obj: bare('policy/v1', 'PodDisruptionBudget', { status: { desiredHealthy: 2, currentHealthy: 1 } }), healthy: false },
];

describe('InterpretHealth, Karmada v1.19 healthy_test.go', () => {
  for (const c of karmadaCases) test(c.name, () => assert.equal(healthInterpreters[gvkKey(gvkOf(c.obj))](c.obj), c.healthy));
});

describe('InterpretHealth', () => {
  for (const c of cases) test(c.name, () => assert.equal(healthInterpreters[gvkKey(gvkOf(c.obj))](c.obj), c.healthy));

  test('Job has no native health rule (Karmada treats it as healthy through hookEnabled)', () => {
    assert.equal(healthInterpreters['batch/v1, Kind=Job'], undefined);
  });
});
