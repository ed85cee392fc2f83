import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toResourceList, toUsage } from '../builtin/quota.js';
import type { ResourceBinding } from './binding.js';
import type { FederatedResourceQuota } from './policy.js';
import { bindingUsage, checkFederatedQuota, overallUsedFromBindings, overallUsedFromMembers, quotaRelevantChange, usageDelta } from './quota.js';

type Spec = Partial<ResourceBinding['spec']>;
const rb = (spec: Spec): Pick<ResourceBinding, 'spec'> => ({ spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, ...spec } as ResourceBinding['spec'] });
const frq = (overall: Record<string, string>, overallUsed?: Record<string, string>): FederatedResourceQuota => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'FederatedResourceQuota',
  metadata: { name: 'team', namespace: 'ns' },
  spec: { overall },
  ...(overallUsed ? { status: { overallUsed } } : {}),
});

test('bindingUsage: requests times scheduled replicas', () => {
  const cases: { name: string; spec: Spec; want: Record<string, string> }[] = [
    { name: 'replicas over clusters add up', spec: { replicaRequirements: { resourceRequest: { cpu: '500m', memory: '128Mi' } }, clusters: [{ name: 'm1', replicas: 2 }, { name: 'm2', replicas: 1 }] }, want: { cpu: '1500m', memory: '384Mi' } },
    { name: 'not scheduled uses nothing', spec: { replicaRequirements: { resourceRequest: { cpu: '1' } } }, want: {} },
    { name: 'no requests uses nothing', spec: { clusters: [{ name: 'm1', replicas: 3 }] }, want: {} },
    { name: 'components: one set per scheduled cluster', spec: { components: [{ name: 'a', replicas: 2, replicaRequirements: { resourceRequest: { cpu: '1' } } }, { name: 'b', replicas: 1, replicaRequirements: { resourceRequest: { cpu: '500m' } } }], clusters: [{ name: 'm1' }, { name: 'm2' }] }, want: { cpu: '5' } },
  ];
  for (const c of cases) assert.deepEqual(toResourceList(bindingUsage(rb(c.spec))), c.want, c.name);
});

test('overallUsedFromBindings keeps the names of overall', () => {
  const bindings = [rb({ replicaRequirements: { resourceRequest: { cpu: '1', memory: '1Gi' } }, clusters: [{ name: 'm1', replicas: 1 }] }), rb({ replicaRequirements: { resourceRequest: { cpu: '250m' } }, clusters: [{ name: 'm2', replicas: 2 }] })];
  assert.deepEqual(overallUsedFromBindings(bindings, { cpu: '2' }), { cpu: '1500m' });
});

test('checkFederatedQuota: Karmada\'s message names the resource, the sum and the limit', () => {
  const cases: { name: string; frq: FederatedResourceQuota; delta: Record<string, string>; want: ReturnType<typeof checkFederatedQuota> }[] = [
    { name: 'fits', frq: frq({ cpu: '2' }, { cpu: '1' }), delta: { cpu: '1' }, want: { kind: 'allowed', overallUsed: { cpu: '2' } } },
    { name: 'past overall', frq: frq({ cpu: '2' }, { cpu: '1' }), delta: { cpu: '1500m' }, want: { kind: 'exceeded', message: 'FederatedResourceQuota(ns/team) exceeded for resource cpu: requested sum 2500m, limit 2.' } },
    { name: 'no status yet counts from zero', frq: frq({ memory: '1Gi' }), delta: { memory: '2Gi' }, want: { kind: 'exceeded', message: 'FederatedResourceQuota(ns/team) exceeded for resource memory: requested sum 2Gi, limit 1Gi.' } },
    { name: 'resources the FRQ does not limit', frq: frq({ cpu: '2' }), delta: { memory: '1Gi' }, want: { kind: 'untouched' } },
    { name: 'freeing resources is allowed even over the limit', frq: frq({ cpu: '1' }, { cpu: '3' }), delta: { cpu: '-1' }, want: { kind: 'allowed', overallUsed: { cpu: '2' } } },
  ];
  for (const c of cases) assert.deepEqual(checkFederatedQuota(c.frq, toUsage(c.delta)), c.want, c.name);
});

test('usageDelta leaves out what did not change', () => {
  assert.deepEqual(toResourceList(usageDelta(toUsage({ cpu: '2', memory: '1Gi' }), toUsage({ cpu: '1', memory: '1Gi' }))), { cpu: '1' });
});

test('quotaRelevantChange', () => {
  const base: Spec = { replicaRequirements: { resourceRequest: { cpu: '1' } }, clusters: [{ name: 'm1', replicas: 2 }] };
  const cases: { name: string; now: Spec; want: boolean }[] = [
    { name: 'same', now: base, want: false },
    { name: 'replicas moved between clusters', now: { ...base, clusters: [{ name: 'm2', replicas: 2 }] }, want: false },
    { name: 'more replicas', now: { ...base, clusters: [{ name: 'm1', replicas: 3 }] }, want: true },
    { name: 'bigger requests', now: { ...base, replicaRequirements: { resourceRequest: { cpu: '2' } } }, want: true },
    { name: 'same requests spelled otherwise', now: { ...base, replicaRequirements: { resourceRequest: { cpu: '1000m' } } }, want: false },
  ];
  for (const c of cases) assert.equal(quotaRelevantChange(rb(base), rb(c.now)), c.want, c.name);
});

test('overallUsedFromMembers sums the members\' used', () => {
  assert.deepEqual(overallUsedFromMembers([{ used: { cpu: '500m', pods: '1' } }, { used: { cpu: '1' } }, {}]), { cpu: '1500m', pods: '1' });
});
