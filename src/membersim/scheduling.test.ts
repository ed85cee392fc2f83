import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../apimachinery/types.js';
import { emptyUsage, filterNode, placePod, requestsOf, unschedulableMessage, type NodeUsage } from './scheduling.js';

const node = (name: string, opts: { cpu?: string; pods?: string; labels?: Record<string, string>; taints?: unknown[]; unschedulable?: boolean; gpu?: string } = {}): KubeObject => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
  spec: { ...(opts.taints ? { taints: opts.taints } : {}), ...(opts.unschedulable ? { unschedulable: true } : {}) },
  status: { allocatable: { cpu: opts.cpu ?? '2', memory: '4Gi', pods: opts.pods ?? '110', ...(opts.gpu ? { 'nvidia.com/gpu': opts.gpu } : {}) } },
});
const pod = (spec: Record<string, unknown> = {}, requests: Record<string, string> = {}): KubeObject => ({
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'x', resources: { requests } }], ...spec },
});
const used = (cpu: number, pods = 1): NodeUsage => ({ requested: new Map([['cpu', cpu]]), pods });

describe('filterNode', () => {
  const cases: { name: string; pod: KubeObject; node: KubeObject; usage?: NodeUsage; want?: string[] }[] = [
    { name: 'fits when requests are within what is left', pod: pod({}, { cpu: '1' }), node: node('n'), usage: used(1000) },
    { name: 'cpu beyond what is left is Insufficient cpu', pod: pod({}, { cpu: '1' }), node: node('n'), usage: used(1500), want: ['Insufficient cpu'] },
    { name: 'a full node is Too many pods', pod: pod(), node: node('n', { pods: '1' }), usage: used(0, 1), want: ['Too many pods'] },
    { name: 'extended resources count like cpu', pod: pod({}, { 'nvidia.com/gpu': '1' }), node: node('n'), want: ['Insufficient nvidia.com/gpu'] },
    { name: 'nodeSelector must match the labels', pod: pod({ nodeSelector: { disk: 'ssd' } }), node: node('n'), want: ["node(s) didn't match Pod's node affinity/selector"] },
    {
      name: 'required node affinity In',
      pod: pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } }),
      node: node('n', { labels: { zone: 'a' } }),
    },
    { name: 'an untolerated NoSchedule taint is reported with key and value', pod: pod(), node: node('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), want: ['node(s) had untolerated taint {dedicated: gpu}'] },
    { name: 'PreferNoSchedule taints do not filter', pod: pod(), node: node('n', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }) },
    { name: 'a matching toleration lets the pod in', pod: pod({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }), node: node('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }) },
    { name: 'a cordoned node is unschedulable', pod: pod(), node: node('n', { unschedulable: true }), want: ['node(s) were unschedulable'] },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(filterNode(c.pod, c.node, c.usage ?? emptyUsage(), requestsOf(c.pod))?.reasons, c.want));
  }
});

describe('unschedulableMessage', () => {
  test('histogram sorted as kube-scheduler prints it, with the preemption summary', () => {
    const msg = unschedulableMessage(3, [
      { reasons: ['Insufficient cpu'], unresolvable: false },
      { reasons: ['node(s) had untolerated taint {dedicated: gpu}'], unresolvable: true },
      { reasons: ['Insufficient cpu'], unresolvable: false },
    ]);
    assert.equal(msg, '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
  });
  test('no nodes at all', () => assert.equal(unschedulableMessage(0, []), 'no nodes available to schedule pods'));
});

describe('placePod', () => {
  test('prefers the least allocated node', () => {
    const usage = new Map([['a', used(1500)], ['b', used(0, 0)]]);
    assert.equal(placePod(pod({}, { cpu: '100m' }), [node('a'), node('b')], (n) => usage.get(n) ?? emptyUsage()).node, 'b');
  });
  test('nodeName is honoured', () => {
    assert.equal(placePod(pod({ nodeName: 'a' }), [node('a'), node('b')], () => emptyUsage()).node, 'a');
  });
});
