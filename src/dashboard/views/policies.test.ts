import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { AnyPropagationPolicy } from '../../apis/karmada/policy.js';
import { conflictReason, policiesDoc } from './policies.js';

function pp(name: string, ns: string | undefined, o: { priority?: number; preemption?: 'Always' | 'Never'; names?: string[] } = {}): AnyPropagationPolicy {
  return {
    kind: ns ? 'PropagationPolicy' : 'ClusterPropagationPolicy',
    metadata: { name, ...(ns ? { namespace: ns } : {}) },
    spec: { resourceSelectors: (o.names ?? ['']).map((n) => ({ apiVersion: 'apps/v1', kind: 'Deployment', ...(n ? { name: n } : {}) })), priority: o.priority, preemption: o.preemption },
  } as AnyPropagationPolicy;
}

function deploy(name: string, ns: string, claim?: { pp?: string; cpp?: string }): KubeObject {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  if (claim?.pp) Object.assign(labels, { 'propagationpolicy.karmada.io/permanent-id': 'x' }), Object.assign(annotations, { 'propagationpolicy.karmada.io/name': claim.pp, 'propagationpolicy.karmada.io/namespace': ns });
  if (claim?.cpp) Object.assign(labels, { 'clusterpropagationpolicy.karmada.io/permanent-id': 'y' }), Object.assign(annotations, { 'clusterpropagationpolicy.karmada.io/name': claim.cpp });
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels, annotations } };
}

test('policiesDoc: claims per policy, conflicts on both sides with the winner and why', () => {
  const hi = pp('hi', 'a', { priority: 5, names: ['web'] });
  const lo = pp('lo', 'a', { priority: 1 });
  const other = pp('other-ns', 'b');
  const cluster = pp('all', undefined);
  const doc = policiesDoc([hi, lo, other], [cluster], [deploy('web', 'a', { pp: 'hi' }), deploy('api', 'a', { pp: 'lo' }), deploy('free', 'a'), deploy('db', 'b', { cpp: 'all' })]);
  const by = (name: string) => doc.items.find((i) => i.name === name)!;
  assert.deepEqual(doc.items.map((i) => `${i.kind}/${i.namespace ?? ''}/${i.name}`), ['PropagationPolicy/a/hi', 'PropagationPolicy/a/lo', 'PropagationPolicy/b/other-ns', 'ClusterPropagationPolicy//all']);
  assert.deepEqual(by('hi').claims, [{ kind: 'Deployment', namespace: 'a', name: 'web' }]);
  assert.deepEqual(by('lo').claims, [{ kind: 'Deployment', namespace: 'a', name: 'api' }]);
  assert.deepEqual(by('all').claims, [{ kind: 'Deployment', namespace: 'b', name: 'db' }]);
  assert.deepEqual(by('hi').conflicts.map((c) => `${c.template.name}:${c.otherPolicy.name}:${c.winner.name}`), ['web:lo:hi', 'web:all:hi']);
  assert.deepEqual(by('lo').conflicts.map((c) => `${c.template.name}:${c.otherPolicy.name}:${c.winner.name}`), ['web:hi:hi', 'api:all:lo']);
  assert.deepEqual(by('other-ns').conflicts.map((c) => `${c.template.name}:${c.winner.name}`), ['db:all']);
  assert.equal(by('hi').priority, 5);
  assert.equal(by('hi').preemption, 'Never');
  assert.equal(by('hi').conflictResolution, 'Abort');
});

test('conflictReason', () => {
  const cases: [AnyPropagationPolicy, AnyPropagationPolicy, RegExp][] = [
    [pp('w', 'a', { priority: 5 }), pp('o', 'a', { priority: 1 }), /higher priority \(5 > 1\)/],
    [pp('w', 'a', { priority: 1 }), pp('o', 'a', { priority: 5 }), /claimed first; o has the higher priority \(5 > 1\) but preemption: Never/],
    [pp('w', 'a'), pp('o', 'a'), /equal priority \(0\)/],
    [pp('w', 'a'), pp('o', undefined, { priority: 9 }), /PropagationPolicy of the namespace comes before/],
    [pp('w', undefined), pp('o', 'a'), /preemption: Always \(o has Never\)/],
  ];
  for (const [w, o, want] of cases) assert.match(conflictReason(w, o), want);
});
