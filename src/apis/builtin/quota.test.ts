import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { checkPodAgainstQuota, podUsage, prettyPrint, quotaUsed, toResourceList, type ResourceQuota } from './quota.js';

const pod = (name: string, containers: { requests?: Record<string, string>; limits?: Record<string, string> }[], extra: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns' },
  spec: { containers: containers.map((r, i) => ({ name: `c${i}`, image: 'nginx', resources: r })), ...extra },
  ...(status ? { status } : {}),
});

const quota = (hard: Record<string, string>, spec: Partial<ResourceQuota['spec']> = {}, used?: Record<string, string>): ResourceQuota => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'compute', namespace: 'ns' },
  spec: { hard, ...spec },
  status: { hard, ...(used ? { used } : {}) },
});

test('podUsage: what one pod counts against', () => {
  const cases: { name: string; pod: KubeObject; want: Record<string, string> }[] = [
    { name: 'requests count as cpu, requests.cpu and the pod', pod: pod('a', [{ requests: { cpu: '250m', memory: '64Mi' } }]), want: { 'count/pods': '1', cpu: '250m', memory: '64Mi', pods: '1', 'requests.cpu': '250m', 'requests.memory': '64Mi' } },
    { name: 'containers add up; limits are their own names', pod: pod('a', [{ requests: { cpu: '100m' }, limits: { cpu: '200m' } }, { requests: { cpu: '400m' }, limits: { cpu: '1' } }]), want: { 'count/pods': '1', cpu: '500m', 'limits.cpu': '1200m', pods: '1', 'requests.cpu': '500m' } },
    { name: 'the largest init container wins over the sum when larger', pod: pod('a', [{ requests: { cpu: '100m' } }], { initContainers: [{ name: 'init', resources: { requests: { cpu: '2' } } }] }), want: { 'count/pods': '1', cpu: '2', pods: '1', 'requests.cpu': '2' } },
    { name: 'extended resources count only as requests.<name>', pod: pod('a', [{ requests: { 'nvidia.com/gpu': '1' } }]), want: { 'count/pods': '1', pods: '1', 'requests.nvidia.com/gpu': '1' } },
    { name: 'a finished pod keeps only its object count', pod: pod('a', [{ requests: { cpu: '1' } }], {}, { phase: 'Succeeded' }), want: { 'count/pods': '1' } },
  ];
  for (const c of cases) assert.deepEqual(toResourceList(podUsage(c.pod)), c.want, c.name);
});

test('quotaUsed: status.used for the names in hard', () => {
  const pods = [pod('a', [{ requests: { cpu: '500m', memory: '128Mi' } }]), pod('b', [{ requests: { cpu: '250m' } }], { priorityClassName: 'high' }), pod('c', [{ requests: { cpu: '1' } }], {}, { phase: 'Failed' })];
  const cases: { name: string; quota: ResourceQuota; counts?: Map<string, number>; want: Record<string, string> }[] = [
    { name: 'cpu and pods sum the running pods', quota: quota({ cpu: '2', pods: '10' }), want: { cpu: '750m', pods: '2' } },
    { name: 'requests.memory counts pods without memory as nothing', quota: quota({ 'requests.memory': '1Gi' }), want: { 'requests.memory': '128Mi' } },
    { name: 'count/pods includes finished pods', quota: quota({ 'count/pods': '5' }), want: { 'count/pods': '3' } },
    { name: 'nothing used is 0', quota: quota({ 'limits.cpu': '4' }), want: { 'limits.cpu': '0' } },
    { name: 'a PriorityClass scope counts only matching pods', quota: quota({ cpu: '2' }, { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }), want: { cpu: '250m' } },
    { name: 'object counts come from the caller', quota: quota({ 'count/deployments.apps': '3', services: '2' }), counts: new Map([['count/deployments.apps', 2], ['count/services', 1]]), want: { 'count/deployments.apps': '2', services: '1' } },
  ];
  for (const c of cases) assert.deepEqual(quotaUsed(c.quota, pods, c.counts), c.want, c.name);
});

test('checkPodAgainstQuota: admission against status.hard and status.used', () => {
  const p = pod('web-1', [{ requests: { cpu: '500m', memory: '64Mi' } }]);
  const cases: { name: string; quota: ResourceQuota; pod?: KubeObject; want: ReturnType<typeof checkPodAgainstQuota> }[] = [
    { name: 'fits: the new used', quota: quota({ cpu: '1', pods: '2' }, {}, { cpu: '500m', pods: '1' }), want: { ok: true, used: { cpu: '1', pods: '2' } } },
    {
      name: 'past hard: kube\'s message, only the exceeded names',
      quota: quota({ 'requests.cpu': '1', pods: '5' }, {}, { 'requests.cpu': '750m', pods: '1' }),
      want: { ok: false, message: 'exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=750m, limited: requests.cpu=1' },
    },
    { name: 'no status yet', quota: quota({ cpu: '1' }), want: { ok: false, message: 'status unknown for quota: compute, resources: cpu' } },
    { name: 'a cpu quota needs containers to request cpu', quota: quota({ cpu: '1' }, {}, { cpu: '0' }), pod: pod('x', [{ requests: { memory: '1Mi' } }]), want: { ok: false, message: 'failed quota: compute: must specify cpu for: c0' } },
    { name: 'a quota on other resources does not concern the pod', quota: quota({ 'count/services': '1' }, {}, { 'count/services': '0' }), want: undefined },
    { name: 'a scope the pod does not match', quota: quota({ cpu: '0' }, { scopes: ['BestEffort'] }, { cpu: '0' }), want: undefined },
  ];
  for (const c of cases) assert.deepEqual(checkPodAgainstQuota(c.quota, c.pod ?? p), c.want, c.name);
});

test('prettyPrint sorts names', () => {
  assert.equal(prettyPrint(new Map([['pods', { nanos: 2_000_000_000n, format: 'DecimalSI' as const }], ['cpu', { nanos: 500_000_000n, format: 'DecimalSI' as const }]])), 'cpu=500m,pods=2');
});
