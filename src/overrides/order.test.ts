import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { OverridePolicy, ResourceSelector } from '../apis/karmada/override.js';
import type { KubeObject } from '../apimachinery/types.js';
import { ImplicitPriority, orderPolicies, policyInScope, resourceSelectorPriority } from './order.js';

const nginx: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'web', labels: { app: 'nginx', tier: 'front' } } };

describe('resourceSelectorPriority (util.ResourceSelectorPriority)', () => {
  const cases: { name: string; rs: ResourceSelector; want: ImplicitPriority }[] = [
    { name: 'kind only matches all of that kind', rs: { apiVersion: 'apps/v1', kind: 'Deployment' }, want: ImplicitPriority.MatchAll },
    { name: 'name match', rs: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }, want: ImplicitPriority.MatchName },
    { name: 'name mismatch', rs: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'redis' }, want: ImplicitPriority.MisMatch },
    { name: 'name wins and the label selector is ignored', rs: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', labelSelector: { matchLabels: { app: 'other' } } }, want: ImplicitPriority.MatchName },
    { name: 'label selector match', rs: { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'nginx' } } }, want: ImplicitPriority.MatchLabelSelector },
    { name: 'label selector expression match', rs: { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] } }, want: ImplicitPriority.MatchLabelSelector },
    { name: 'label selector mismatch', rs: { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'redis' } } }, want: ImplicitPriority.MisMatch },
    { name: 'empty label selector matches everything as a label match', rs: { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: {} }, want: ImplicitPriority.MatchLabelSelector },
    { name: 'apiVersion must be equal', rs: { apiVersion: 'apps/v1beta1', kind: 'Deployment' }, want: ImplicitPriority.MisMatch },
    { name: 'kind must be equal', rs: { apiVersion: 'apps/v1', kind: 'StatefulSet' }, want: ImplicitPriority.MisMatch },
    { name: 'namespace must be equal when given', rs: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'other' }, want: ImplicitPriority.MisMatch },
    { name: 'namespace equal', rs: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'nginx' }, want: ImplicitPriority.MatchName },
    { name: 'invalid label selector matches nothing', rs: { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchExpressions: [{ key: 'a', operator: 'Bogus' as 'In' }] } }, want: ImplicitPriority.MisMatch },
  ];
  for (const c of cases) test(c.name, () => assert.equal(resourceSelectorPriority(nginx, c.rs), c.want));
});

function op(name: string, selectors?: ResourceSelector[], namespace = 'web'): OverridePolicy {
  return { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'OverridePolicy', metadata: { name, namespace }, spec: selectors ? { resourceSelectors: selectors } : {} };
}
const byName: ResourceSelector = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' };
const byLabel: ResourceSelector = { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'nginx' } } };
const byKind: ResourceSelector = { apiVersion: 'apps/v1', kind: 'Deployment' };
const other: ResourceSelector = { apiVersion: 'v1', kind: 'Service' };

describe('orderPolicies', () => {
  const cases: { name: string; policies: OverridePolicy[]; want: string[] }[] = [
    { name: 'ascending priority: kind-only, then label, then name (most specific applied last)', policies: [op('a-name', [byName]), op('b-label', [byLabel]), op('c-kind', [byKind])], want: ['c-kind', 'b-label', 'a-name'] },
    { name: 'no selectors counts as match-all', policies: [op('a-name', [byName]), op('z-all')], want: ['z-all', 'a-name'] },
    { name: 'same priority sorts by name', policies: [op('b', [byKind]), op('a'), op('c', [byKind])], want: ['a', 'b', 'c'] },
    { name: 'a policy takes its best selector', policies: [op('a', [byKind, byName]), op('b', [byLabel])], want: ['b', 'a'] },
    { name: 'policies that do not select the resource are dropped', policies: [op('a', [other]), op('b', [byKind])], want: ['b'] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(orderPolicies(c.policies, nginx).map((p) => p.metadata.name), c.want));
});

describe('policyInScope', () => {
  const cases: { name: string; policy: OverridePolicy; resource: KubeObject; namespaced: boolean; want: boolean }[] = [
    { name: 'OverridePolicy applies in its own namespace', policy: op('p'), resource: nginx, namespaced: true, want: true },
    { name: 'OverridePolicy does not apply in another namespace', policy: op('p', undefined, 'other'), resource: nginx, namespaced: true, want: false },
    { name: 'OverridePolicy never applies to cluster-scoped resources', policy: op('p'), resource: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } }, namespaced: true, want: false },
    { name: 'ClusterOverridePolicy applies everywhere', policy: op('p', undefined, 'other'), resource: nginx, namespaced: false, want: true },
  ];
  for (const c of cases) test(c.name, () => assert.equal(policyInScope(c.policy, c.resource, c.namespaced), c.want));
});
