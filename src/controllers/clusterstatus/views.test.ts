import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { allocatableModelings, nodeSummary, resourceSummary } from './summary.js';
import { nodeSummaryView, podSummaryView } from './views.js';

const container = (name: string, requests?: Record<string, string>) => ({ name, image: 'nginx:1.25', env: [{ name: 'A', value: 'b' }], ports: [{ containerPort: 80 }], resources: requests ? { requests, limits: { cpu: '4' } } : {} });

const pods: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bound', namespace: 'ns', uid: 'u1', resourceVersion: '7', labels: { app: 'a' }, annotations: { big: 'x'.repeat(100) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'r' }] },
    spec: { nodeName: 'n1', containers: [container('app', { cpu: '250m', memory: '64Mi' }), container('side')], initContainers: [container('init', { cpu: '1' })], overhead: { cpu: '10m' }, volumes: [{ name: 'v', emptyDir: {} }] },
    status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true }] },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'ns', uid: 'u2', resourceVersion: '8' }, spec: { containers: [container('app', { memory: '1Gi' })] }, status: { phase: 'Pending' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'done', namespace: 'ns', uid: 'u3', resourceVersion: '9' }, spec: { nodeName: 'n1', containers: [container('app', { cpu: '2' })] }, status: { phase: 'Succeeded' } },
];

const nodes: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', uid: 'n', resourceVersion: '3', labels: { zone: 'a' } },
    spec: { podCIDR: '10.0.0.0/24' },
    status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, capacity: { cpu: '4' }, conditions: [{ type: 'Ready', status: 'True' }], images: [{ names: ['nginx'], sizeBytes: 1 }], nodeInfo: { kubeletVersion: 'v1.30' } },
  },
];

describe('cluster status informer views', () => {
  test('a pod keeps its node, its containers\' requests and its phase; nothing else', () => {
    assert.deepEqual(podSummaryView(pods[0]), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bound', namespace: 'ns', uid: 'u1', resourceVersion: '7', labels: { app: 'a' } },
      spec: { nodeName: 'n1', containers: [{ name: 'app', resources: { requests: { cpu: '250m', memory: '64Mi' } } }, { name: 'side' }], initContainers: [{ name: 'init', resources: { requests: { cpu: '1' } } }], overhead: { cpu: '10m' } },
      status: { phase: 'Running' },
    });
  });

  test('a node keeps its allocatable and conditions', () => {
    assert.deepEqual(nodeSummaryView(nodes[0]), { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n', resourceVersion: '3', labels: { zone: 'a' } }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
  });

  test('the summaries from the views are those from the whole objects', () => {
    const models = [{ grade: 0, ranges: [{ name: 'cpu', min: '0', max: '2' }] }, { grade: 1, ranges: [{ name: 'cpu', min: '2', max: '100' }] }];
    const pv = pods.map(podSummaryView);
    const nv = nodes.map(nodeSummaryView);
    assert.deepEqual(resourceSummary(nv, pv), resourceSummary(nodes, pods));
    assert.deepEqual(nodeSummary(nv), nodeSummary(nodes));
    assert.deepEqual(allocatableModelings(models, nv, pv), allocatableModelings(models, nodes, pods));
  });
});
