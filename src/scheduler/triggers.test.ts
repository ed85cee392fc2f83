import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsReschedule } from './triggers.js';

test('an attached binding (no placement, only requiredBy) is not the scheduler\'s to place', () => {
  const attached = { apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', metadata: { name: 'cfg-configmap', namespace: 'default' }, spec: { resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg' }, requiredBy: [{ name: 'app-deployment', namespace: 'default', clusters: [{ name: 'member3' }] }] } };
  assert.equal(needsReschedule(attached as never), 'NoPlacement');
});

test('a component workload (spec.components) left without clusters is rescheduled as ReplicasChanged, as IsBindingReplicasChanged', () => {
  const placement = { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }], replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } } };
  const rb = (clusters: { name: string }[], components = [{ name: 'jm', replicas: 1 }]) => ({
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'f-flinkdeployment', namespace: 'default', annotations: { 'policy.karmada.io/applied-placement': JSON.stringify(placement) } },
    spec: { resource: { apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', name: 'f' }, components, placement, clusters },
  });
  const cases: [string, ReturnType<typeof rb>, string][] = [
    ['evicted: no clusters left', rb([]), 'ReplicasChanged'],
    ['placed on one cluster: nothing to do for replicas (a non-workload follows every update)', rb([{ name: 'm1' }]), 'Duplicated'],
    ['no components and no clusters: the replica sums agree', rb([], []), 'Duplicated'],
  ];
  for (const [name, binding, want] of cases) assert.equal(needsReschedule(binding as never), want, name);
});
