import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { AggregatedStatusItem } from '../../apis/karmada/binding.js';
import { gvkKey, gvkOf } from '../types.js';
import { aggregateStatusInterpreters } from './aggregate.js';

const NOW = '2024-05-01T00:00:00Z';

function template(apiVersion: string, kind: string, rest: Record<string, unknown> = {}, generation = 2): KubeObject {
  return { apiVersion, kind, metadata: { name: 't', namespace: 'ns', generation }, ...rest };
}

function item(clusterName: string, status?: Record<string, unknown>): AggregatedStatusItem {
  return { clusterName, status, applied: true };
}

function aggregate(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
  return aggregateStatusInterpreters[gvkKey(gvkOf(obj))](obj, items, { now: () => NOW });
}

interface Case {
  name: string;
  obj: KubeObject;
  items: AggregatedStatusItem[];
  /** the expected .status; 'unchanged' asserts the very same object comes back */
  want: Record<string, unknown> | 'unchanged';
}

/** a member that has reconciled the manifest of template generation 2 */
const member = () => ({ generation: 5, observedGeneration: 5, resourceTemplateGeneration: 2 });

const cases: Case[] = [
  {
    name: 'Deployment sums counters; observedGeneration follows generation once every member observed it',
    obj: template('apps/v1', 'Deployment', { status: { observedGeneration: 1, conditions: [{ type: 'Available', status: 'True' }] } }),
    items: [
      item('a', { replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2, generation: 3, observedGeneration: 3, resourceTemplateGeneration: 2 }),
      item('b', { replicas: 1, readyReplicas: 0, updatedReplicas: 1, availableReplicas: 0, unavailableReplicas: 1, generation: 1, observedGeneration: 1, resourceTemplateGeneration: 2 }),
    ],
    want: { observedGeneration: 2, conditions: [{ type: 'Available', status: 'True' }], replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2, unavailableReplicas: 1 },
  },
  {
    name: 'Deployment keeps the old observedGeneration while a member still runs an older manifest',
    obj: template('apps/v1', 'Deployment', { status: { observedGeneration: 1 } }),
    items: [
      item('a', { replicas: 2, generation: 3, observedGeneration: 3, resourceTemplateGeneration: 2 }),
      item('b', { replicas: 2, generation: 3, observedGeneration: 3, resourceTemplateGeneration: 1 }),
    ],
    want: { observedGeneration: 1, replicas: 4 },
  },
  {
    name: 'Deployment keeps the old observedGeneration while a member controller has not caught up',
    obj: template('apps/v1', 'Deployment', { status: { observedGeneration: 1 } }),
    items: [item('a', { replicas: 2, generation: 4, observedGeneration: 3, resourceTemplateGeneration: 2 })],
    want: { observedGeneration: 1, replicas: 2 },
  },
  {
    name: 'Deployment: a member with no status yet holds observedGeneration back',
    obj: template('apps/v1', 'Deployment', { status: { observedGeneration: 1 } }),
    items: [item('a', { replicas: 2, generation: 3, observedGeneration: 3, resourceTemplateGeneration: 2 }), item('b')],
    want: { observedGeneration: 1, replicas: 2 },
  },
  {
    name: 'Deployment already up to date comes back as the same object',
    obj: template('apps/v1', 'Deployment', { status: { observedGeneration: 2, replicas: 2 } }),
    items: [item('a', { replicas: 2, generation: 3, observedGeneration: 3, resourceTemplateGeneration: 2 })],
    want: 'unchanged',
  },
  {
    name: 'StatefulSet sums replicas, ready, current, updated, available',
    obj: template('apps/v1', 'StatefulSet'),
    items: [item('a', { ...member(), replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2 }), item('b', { ...member(), replicas: 1, availableReplicas: 0 })],
    want: { observedGeneration: 2, replicas: 3, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2 },
  },
  {
    name: 'ReplicaSet sums replicas, ready and available (as Karmada, not fullyLabeledReplicas)',
    obj: template('apps/v1', 'ReplicaSet'),
    items: [item('a', { ...member(), replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1 }), item('b', { ...member(), replicas: 3, readyReplicas: 3, availableReplicas: 3 })],
    want: { observedGeneration: 2, replicas: 5, readyReplicas: 4, availableReplicas: 4 },
  },
  {
    name: 'DaemonSet sums scheduling counters; the required ones stay even when zero',
    obj: template('apps/v1', 'DaemonSet'),
    items: [item('a', { ...member(), currentNumberScheduled: 2, desiredNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2 }), item('b', { ...member(), desiredNumberScheduled: 1, numberUnavailable: 1 })],
    want: { observedGeneration: 2, currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberUnavailable: 1 },
  },
  {
    name: 'LoadBalancer Service collects the members\' ingress points as they are, hostnames first',
    obj: template('v1', 'Service', { spec: { type: 'LoadBalancer' } }),
    items: [item('a', { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }), item('b', { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } }), item('c')],
    want: { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }, { ip: '1.2.3.4' }] } },
  },
  {
    name: 'LoadBalancer Service ingress is de-duplicated (ports merged) and sorted by hostname, IP, ipMode',
    obj: template('v1', 'Service', { spec: { type: 'LoadBalancer' } }),
    items: [
      item('a', { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1', ports: [{ port: 443, protocol: 'TCP' }] }] } }),
      item('b', { loadBalancer: { ingress: [{ ip: '10.0.0.1', ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] }, { ip: '10.0.0.1', ipMode: 'VIP' }] } }),
      item('c', { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { hostname: 'b.example.com' }, { hostname: 'a.example.com' }] } }),
    ],
    want: {
      loadBalancer: {
        ingress: [
          { hostname: 'a.example.com' },
          { hostname: 'b.example.com' },
          { ip: '10.0.0.1', ipMode: 'VIP' },
          { ip: '10.0.0.1', ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] },
          { ip: '10.0.0.2' },
        ],
      },
    },
  },
  {
    name: 'ClusterIP Service status is left alone',
    obj: template('v1', 'Service', { spec: { type: 'ClusterIP' } }),
    items: [item('a', { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } })],
    want: 'unchanged',
  },
  {
    name: 'LoadBalancer Service without any ingress yet is unchanged',
    obj: template('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } }),
    items: [item('a', { loadBalancer: {} })],
    want: 'unchanged',
  },
  {
    name: 'Ingress collects ingress points from every member',
    obj: template('networking.k8s.io/v1', 'Ingress'),
    items: [item('a', { loadBalancer: { ingress: [{ ip: '10.1.1.1' }] } }), item('b', { loadBalancer: { ingress: [{ ip: '10.2.2.2', hostname: 'h' }] } })],
    want: { loadBalancer: { ingress: [{ ip: '10.2.2.2', hostname: 'h' }, { ip: '10.1.1.1' }] } },
  },
  {
    name: 'Ingress entries reported by two members appear once',
    obj: template('networking.k8s.io/v1', 'Ingress'),
    items: [item('a', { loadBalancer: { ingress: [{ ip: '10.1.1.1' }] } }), item('b', { loadBalancer: { ingress: [{ ip: '10.1.1.1' }] } })],
    want: { loadBalancer: { ingress: [{ ip: '10.1.1.1' }] } },
  },
  {
    name: 'Job: counts add up, earliest start, Complete only when every member completed',
    obj: template('batch/v1', 'Job'),
    items: [
      item('a', { succeeded: 2, startTime: '2024-01-01T00:00:10Z', completionTime: '2024-01-01T00:01:00Z', conditions: [{ type: 'Complete', status: 'True' }] }),
      item('b', { succeeded: 1, startTime: '2024-01-01T00:00:05Z', completionTime: '2024-01-01T00:02:00Z', conditions: [{ type: 'Complete', status: 'True' }] }),
    ],
    want: {
      succeeded: 3,
      conditions: [{ type: 'Complete', status: 'True', lastProbeTime: NOW, lastTransitionTime: NOW, reason: 'Completed', message: 'Job completed' }],
      startTime: '2024-01-01T00:00:05Z',
      completionTime: '2024-01-01T00:02:00Z',
    },
  },
  {
    name: 'Job: one member still running means no Complete and no completionTime',
    obj: template('batch/v1', 'Job'),
    items: [
      item('a', { succeeded: 1, startTime: '2024-01-01T00:00:10Z', completionTime: '2024-01-01T00:01:00Z', conditions: [{ type: 'Complete', status: 'True' }] }),
      item('b', { active: 1, startTime: '2024-01-01T00:00:20Z' }),
    ],
    want: { active: 1, succeeded: 1, startTime: '2024-01-01T00:00:10Z' },
  },
  {
    name: 'Job: a failed member gives a Failed condition naming the clusters',
    obj: template('batch/v1', 'Job'),
    items: [item('a', { failed: 2, conditions: [{ type: 'Failed', status: 'True' }] }), item('b', { active: 1 })],
    want: { failed: 2, active: 1, conditions: [{ type: 'Failed', status: 'True', lastProbeTime: NOW, lastTransitionTime: NOW, reason: 'JobFailed', message: 'Job executed failed in member clusters a' }] },
  },
  {
    name: 'Job: no statuses yet is not complete',
    obj: template('batch/v1', 'Job'),
    items: [],
    want: 'unchanged',
  },
  {
    name: 'Job: a finished job is never updated again',
    obj: template('batch/v1', 'Job', { status: { conditions: [{ type: 'Complete', status: 'True' }], succeeded: 1 } }),
    items: [item('a', { active: 3 })],
    want: 'unchanged',
  },
  {
    name: 'CronJob concatenates active jobs and keeps the latest schedule times',
    obj: template('batch/v1', 'CronJob'),
    items: [
      item('a', { active: [{ name: 'j1' }], lastScheduleTime: '2024-01-01T01:00:00Z', lastSuccessfulTime: '2024-01-01T00:00:00Z' }),
      item('b', { active: [{ name: 'j2' }], lastScheduleTime: '2024-01-01T02:00:00Z' }),
    ],
    want: { active: [{ name: 'j1' }, { name: 'j2' }], lastScheduleTime: '2024-01-01T02:00:00Z', lastSuccessfulTime: '2024-01-01T00:00:00Z' },
  },
  {
    name: 'Pod: Failed anywhere wins; container statuses keep only ready and state',
    obj: template('v1', 'Pod'),
    items: [
      item('a', { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 3, state: { running: {} } }] }),
      item('b', { phase: 'Failed', containerStatuses: [{ name: 'c', ready: false, state: { terminated: { exitCode: 1 } } }] }),
    ],
    want: { phase: 'Failed', containerStatuses: [{ ready: true, state: { running: {} } }, { ready: false, state: { terminated: { exitCode: 1 } } }] },
  },
  {
    name: 'Pod: a member that has not reported counts as Pending',
    obj: template('v1', 'Pod'),
    items: [item('a', { phase: 'Running' }), item('b')],
    want: { phase: 'Pending' },
  },
  {
    name: 'Pod: Succeeded everywhere is Succeeded',
    obj: template('v1', 'Pod'),
    items: [item('a', { phase: 'Succeeded' }), item('b', { phase: 'Succeeded' })],
    want: { phase: 'Succeeded' },
  },
  {
    name: 'PersistentVolume: Available beats Bound',
    obj: template('v1', 'PersistentVolume'),
    items: [item('a', { phase: 'Bound' }), item('b', { phase: 'Available' })],
    want: { phase: 'Available' },
  },
  {
    name: 'PVC is Bound only when every member is',
    obj: template('v1', 'PersistentVolumeClaim'),
    items: [item('a', { phase: 'Bound' }), item('b', { phase: 'Pending' })],
    want: { phase: 'Pending' },
  },
  {
    name: 'PVC: Lost anywhere wins',
    obj: template('v1', 'PersistentVolumeClaim'),
    items: [item('a', { phase: 'Lost' }), item('b', { phase: 'Pending' })],
    want: { phase: 'Lost' },
  },
  {
    name: 'PVC with all members Bound is Bound',
    obj: template('v1', 'PersistentVolumeClaim', { status: { phase: 'Pending' } }),
    items: [item('a', { phase: 'Bound' }), item('b', { phase: 'Bound' })],
    want: { phase: 'Bound' },
  },
  {
    name: 'PodDisruptionBudget sums counters and prefixes disrupted pods with their cluster',
    obj: template('policy/v1', 'PodDisruptionBudget'),
    items: [
      item('a', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptedPods: { p1: '2024-01-01T00:00:00Z' } }),
      item('b', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 }),
    ],
    want: { disruptionsAllowed: 1, currentHealthy: 4, desiredHealthy: 3, expectedPods: 4, disruptedPods: { 'a/p1': '2024-01-01T00:00:00Z' } },
  },
  {
    name: 'HorizontalPodAutoscaler sums current and desired replicas',
    obj: template('autoscaling/v2', 'HorizontalPodAutoscaler', { status: { conditions: [] } }),
    items: [item('a', { currentReplicas: 2, desiredReplicas: 3 }), item('b', { currentReplicas: 1, desiredReplicas: 1 })],
    want: { conditions: [], currentReplicas: 3, desiredReplicas: 4 },
  },
  {
    name: 'garbage in member statuses reads as zero instead of failing',
    obj: template('apps/v1', 'Deployment'),
    items: [item('a', { replicas: 'many', readyReplicas: null, generation: 1, observedGeneration: 1, resourceTemplateGeneration: 2 })],
    want: { observedGeneration: 2 },
  },
];

describe('AggregateStatus', () => {
  for (const c of cases) {
    test(c.name, () => {
      const before = structuredClone(c.obj);
      const got = aggregate(c.obj, c.items);
      assert.deepEqual(c.obj, before, 'template not mutated');
      if (c.want === 'unchanged') assert.equal(got, c.obj);
      else {
        assert.deepEqual(got.status, c.want);
        assert.deepEqual({ ...got, status: undefined }, { ...c.obj, status: undefined }, 'only status changes');
      }
    });
  }
});
