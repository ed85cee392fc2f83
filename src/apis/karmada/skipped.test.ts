import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSkippedByDefault } from './skipped.js';

// Karmada v1.19 util.NewSkippedResourceConfig defaults.
const cases: [string, string, string, boolean][] = [
  ['policy.karmada.io', 'v1alpha1', 'PropagationPolicy', true],
  ['work.karmada.io', 'v1alpha2', 'ResourceBinding', true],
  ['cluster.karmada.io', 'v1alpha1', 'Cluster', true],
  ['config.karmada.io', 'v1alpha1', 'ResourceInterpreterCustomization', true],
  ['networking.karmada.io', 'v1alpha1', 'MultiClusterIngress', true],
  ['autoscaling.karmada.io', 'v1alpha1', 'FederatedHPA', true],
  ['remedy.karmada.io', 'v1alpha1', 'Remedy', true],
  ['apps.karmada.io', 'v1alpha1', 'WorkloadRebalancer', true],
  ['events.k8s.io', 'v1', 'Event', true],
  ['', 'v1', 'Event', true],
  ['coordination.k8s.io', 'v1', 'Lease', true],
  ['example.karmada.io', 'v1', 'Foo', false],
  ['search.karmada.io', 'v1alpha1', 'ResourceRegistry', false],
  ['multicluster.x-k8s.io', 'v1alpha1', 'ServiceExport', false],
  ['', 'v1', 'Endpoints', false],
  ['discovery.k8s.io', 'v1', 'EndpointSlice', false],
  ['apps', 'v1', 'Deployment', false],
];
for (const [group, version, kind, want] of cases) {
  test(`${group || 'core'}/${version} ${kind}: ${want ? 'skipped' : 'propagated'}`, () => assert.equal(isSkippedByDefault(group, version, kind), want));
}
