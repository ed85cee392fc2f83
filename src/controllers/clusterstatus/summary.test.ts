import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { nodeSummary, resourceSummary } from './summary.js';

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
});
