import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { allocatableModelings, nodeSummary, resourceSummary } from './summary.js';

function node(name: string, ready: boolean, allocatable: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
}

function pod(name: string, nodeName: string | undefined, phase: string, requests: Record<string, string>, init?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: [{ name: 'c', resources: { requests } }], initContainers: init ? [{ name: 'i', resources: { requests: init } }] : undefined },
    status: { phase },
  };
}

const nodes = [node('n1', true, { cpu: '4', memory: '16Gi', pods: '110' }), node('n2', false, { cpu: '2', memory: '8Gi', pods: '110', 'nvidia.com/gpu': '2' })];

describe('cluster summaries', () => {
  test('nodeSummary counts all and Ready nodes', () => {
    assert.deepEqual(nodeSummary(nodes), { totalNum: 2, readyNum: 1 });
  });

  test('allocatable sums node allocatable in canonical quantities', () => {
    assert.deepEqual(resourceSummary(nodes, []).allocatable, { cpu: '6', memory: '24Gi', 'nvidia.com/gpu': '2', pods: '220' });
  });

  test('allocating is pending pods, allocated is bound non-terminal pods', () => {
    const pods = [
      pod('pending', undefined, 'Pending', { cpu: '500m', memory: '1Gi' }),
      pod('running', 'n1', 'Running', { cpu: '250m', memory: '512Mi', 'nvidia.com/gpu': '1' }),
      pod('init-heavy', 'n1', 'Running', { cpu: '100m' }, { cpu: '1', memory: '256Mi' }),
      pod('done', 'n1', 'Succeeded', { cpu: '2' }),
      pod('failed', 'n2', 'Failed', { cpu: '2' }),
    ];
    const s = resourceSummary(nodes, pods);
    assert.deepEqual(s.allocating, { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '0', pods: '1' });
    assert.deepEqual(s.allocated, { cpu: '1250m', memory: '768Mi', 'ephemeral-storage': '0', pods: '2', 'nvidia.com/gpu': '1' });
  });

  test('no pods: zero allocating and allocated', () => {
    assert.deepEqual(resourceSummary([], []), { allocatable: {}, allocating: { cpu: '0', memory: '0', 'ephemeral-storage': '0', pods: '0' }, allocated: { cpu: '0', memory: '0', 'ephemeral-storage': '0', pods: '0' } });
  });

  test('allocatableModelings count nodes per grade by what is left after their pods', () => {
    const models = [
      { grade: 0, ranges: [{ name: 'cpu', min: '0', max: '1' }, { name: 'memory', min: '0', max: '4Gi' }] },
      { grade: 1, ranges: [{ name: 'cpu', min: '1', max: '2' }, { name: 'memory', min: '4Gi', max: '16Gi' }] },
      { grade: 2, ranges: [{ name: 'cpu', min: '2', max: '4' }, { name: 'memory', min: '16Gi', max: '32Gi' }] },
    ];
    const nodes3 = [
      node('big', true, { cpu: '4', memory: '16Gi', pods: '110' }),
      node('busy', true, { cpu: '4', memory: '16Gi', pods: '110' }),
      node('tiny', true, { cpu: '500m', memory: '8Gi', pods: '110' }),
      node('full', true, { cpu: '4', memory: '16Gi', pods: '1' }),
    ];
    const pods = [pod('p1', 'busy', 'Running', { cpu: '2500m', memory: '1Gi' }), pod('p2', 'full', 'Running', { cpu: '1' })];
    // big: grade 2 (cpu 4 >= 2, memory 16Gi >= 16Gi); busy: 1.5 CPU left -> grade 1; tiny: cpu below 1 -> grade 0; full: no pod slot left
    assert.deepEqual(allocatableModelings(models, nodes3, pods), [
      { grade: 0, count: 1 },
      { grade: 1, count: 1 },
      { grade: 2, count: 1 },
    ]);
    assert.equal(allocatableModelings([], nodes3, pods), undefined);
  });
});
