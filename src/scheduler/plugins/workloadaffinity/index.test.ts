import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding, ResourceBindingSpec } from '../../../apis/karmada/binding.js';
import { cluster } from '../../testing/fixtures.js';
import { obeysAffinityGroup, obeysAntiAffinityGroup, peersOf, workloadAffinity, workloadAntiAffinity } from './index.js';
import { AssigningCache } from '../../component/assigning.js';

const rb = (name: string, clusters: string[], groups: ResourceBindingSpec['workloadAffinityGroups'], namespace = 'default', rv = '1'): ResourceBinding => ({
  kind: 'ResourceBinding',
  metadata: { name, namespace, resourceVersion: rv },
  spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: name.replace(/-deployment$/, '') }, clusters: clusters.map((c) => ({ name: c })), workloadAffinityGroups: groups },
});
const self = { name: 'web-deployment', namespace: 'default' };

// Karmada v1.19 obeyAffinityGroup / obeyAntiAffinityGroup.
describe('obeysAffinityGroup', () => {
  const cases: [string, ResourceBinding, string, boolean][] = [
    ['a group member on the cluster: allowed', rb('db-deployment', ['m1'], { affinityGroup: 'app=shop' }), 'm1', true],
    ['a group member elsewhere: denied', rb('db-deployment', ['m2'], { affinityGroup: 'app=shop' }), 'm1', false],
    ['a group member not scheduled yet: allowed', rb('db-deployment', [], { affinityGroup: 'app=shop' }), 'm1', true],
    ['another namespace does not count', rb('db-deployment', ['m2'], { affinityGroup: 'app=shop' }, 'other'), 'm1', true],
    ['another group does not count', rb('db-deployment', ['m2'], { affinityGroup: 'app=blog' }), 'm1', true],
    ['the binding itself does not count', rb('web-deployment', ['m2'], { affinityGroup: 'app=shop' }), 'm1', true],
  ];
  for (const [name, other, c, want] of cases) test(name, () => assert.equal(obeysAffinityGroup(self, 'app=shop', c, other), want));
});

describe('obeysAntiAffinityGroup', () => {
  const cases: [string, ResourceBinding, string, boolean][] = [
    ['a group member on the cluster: denied', rb('db-deployment', ['m1'], { antiAffinityGroup: 'ha=pair' }), 'm1', false],
    ['a group member elsewhere: allowed', rb('db-deployment', ['m2'], { antiAffinityGroup: 'ha=pair' }), 'm1', true],
    ['the binding itself does not count', rb('web-deployment', ['m1'], { antiAffinityGroup: 'ha=pair' }), 'm1', true],
  ];
  for (const [name, other, c, want] of cases) test(name, () => assert.equal(obeysAntiAffinityGroup(self, 'ha=pair', c, other), want));
});

describe('the filters', () => {
  const state = (groups: ResourceBindingSpec['workloadAffinityGroups'], peers: ResourceBinding[], scheduled: string[] = []) => ({
    spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' }, workloadAffinityGroups: groups },
    status: {},
    scheduled: new Set(scheduled),
    evicting: new Set<string>(),
    peers: peersOf(peers),
  });
  test('affinity: only the group\'s cluster passes, with Karmada\'s reason', () => {
    const s = state({ affinityGroup: 'app=shop' }, [rb('db-deployment', ['m2'], { affinityGroup: 'app=shop' })]);
    assert.equal(workloadAffinity.filter(s, cluster('m2')).code, 'Success');
    assert.deepEqual(workloadAffinity.filter(s, cluster('m1')), { code: 'Unschedulable', reasons: ['ResourceBinding with the same affinity group does not target this cluster'] });
  });
  test('anti-affinity: the group\'s cluster is refused', () => {
    const s = state({ antiAffinityGroup: 'ha=pair' }, [rb('db-deployment', ['m2'], { antiAffinityGroup: 'ha=pair' })]);
    assert.equal(workloadAntiAffinity.filter(s, cluster('m1')).code, 'Success');
    assert.deepEqual(workloadAntiAffinity.filter(s, cluster('m2')), { code: 'Unschedulable', reasons: ['cluster already has workload with the same anti-affinity group'] });
  });
  test('a cluster the binding already targets always passes', () => {
    const s = state({ antiAffinityGroup: 'ha=pair' }, [rb('db-deployment', ['m2'], { antiAffinityGroup: 'ha=pair' })], ['m2']);
    assert.equal(workloadAntiAffinity.filter(s, cluster('m2')).code, 'Success');
  });
});

describe('AssigningCache', () => {
  test('a just-written copy stands in until the cache catches up', () => {
    const cache = new AssigningCache<ResourceBinding>();
    const stale = rb('db-deployment', [], { affinityGroup: 'g' }, 'default', '5');
    const written = rb('db-deployment', ['m1'], { affinityGroup: 'g' }, 'default', '7');
    cache.remember(written);
    assert.deepEqual(cache.freshest([stale])[0].spec.clusters, [{ name: 'm1' }]);
    const caughtUp = rb('db-deployment', ['m1'], { affinityGroup: 'g' }, 'default', '7');
    assert.equal(cache.freshest([caughtUp])[0], caughtUp);
    assert.equal(cache.freshest([stale])[0], stale, 'forgotten once the cache caught up');
  });
});
