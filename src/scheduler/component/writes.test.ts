import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyPlacementAnnotation, type ResourceBinding } from '../../apis/karmada/binding.js';
import { scheduleBinding } from '../schedule.js';
import { binding, cluster } from '../testing/fixtures.js';
import { observedGenerationPatch, sameTargets, specPatch, statusPatch, targetClustersString } from './writes.js';

const now = new Date('2024-06-01T00:00:00Z');
const clusters = [cluster('m1'), cluster('m2')];
const duplicated = { clusterAffinity: { clusterNames: ['m1', 'm2'] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' as const } };

function scheduled(b: ResourceBinding): ResourceBinding {
  const r = scheduleBinding(b, clusters, { now: () => now });
  const out = structuredClone(b);
  out.spec.clusters = r.clusters;
  out.metadata.annotations = { [PolicyPlacementAnnotation]: JSON.stringify(b.spec.placement) };
  out.status = { conditions: [r.condition], schedulerObservedGeneration: 2, lastScheduledTime: '2024-06-01T00:00:00Z' };
  out.metadata.generation = 2;
  return out;
}

describe('scheduler writes', () => {
  test('a first schedule patches clusters and the applied placement', () => {
    const b = binding(duplicated, 2);
    const r = scheduleBinding(b, clusters, { now: () => now });
    assert.deepEqual(specPatch(b, r, now), {
      metadata: { annotations: { [PolicyPlacementAnnotation]: JSON.stringify(duplicated) } },
      spec: { clusters: [{ name: 'm1', replicas: 2 }, { name: 'm2', replicas: 2 }] },
    });
  });

  test('the status patch takes the generation after the spec patch', () => {
    const b = binding(duplicated, 2);
    const r = scheduleBinding(b, clusters, { now: () => now });
    const p = statusPatch(b, r, now, 2);
    assert.equal(p?.status.schedulerObservedGeneration, 2);
    assert.equal(p?.status.lastScheduledTime, '2024-06-01T00:00:00Z');
    assert.deepEqual(p?.status.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [['Scheduled', 'True', 'Success', 'Binding has been scheduled successfully.']]);
  });

  test('scheduling again to the same result writes nothing', () => {
    const b = scheduled(binding(duplicated, 2));
    const r = scheduleBinding(b, clusters, { now: () => now });
    assert.equal(specPatch(b, r, now), undefined);
    assert.equal(statusPatch(b, r, now, 2), undefined);
  });

  test('no cluster fits: clusters are cleared with null and the condition says why, without schedulerObservedGeneration', () => {
    const b = scheduled(binding(duplicated, 2));
    const placement = { clusterAffinity: { clusterNames: ['nowhere'] } };
    b.spec.placement = placement;
    const r = scheduleBinding(b, clusters, { now: () => now });
    assert.deepEqual(specPatch(b, r, now)?.spec, { clusters: null });
    const p = statusPatch(b, r, now, 3);
    assert.equal(p?.status.conditions?.[0].reason, 'NoClusterFit');
    assert.equal(p?.status.schedulerObservedGeneration, undefined);
  });

  test('a binding with nothing to schedule: schedulerObservedGeneration follows its generation, and only when it lags', () => {
    const cases: { name: string; generation?: number; observed?: number; want?: number }[] = [
      { name: 'a spec change with nothing to schedule', generation: 3, observed: 2, want: 3 },
      { name: 'already observed', generation: 3, observed: 3 },
      { name: 'never scheduled', generation: 1, want: 1 },
      { name: 'no generation (not from an API server)', observed: 2 },
    ];
    for (const c of cases) {
      const b = scheduled(binding(duplicated, 2));
      b.metadata.generation = c.generation;
      b.status = c.observed === undefined ? {} : { ...b.status, schedulerObservedGeneration: c.observed };
      assert.deepEqual(observedGenerationPatch(b), c.want === undefined ? undefined : { status: { schedulerObservedGeneration: c.want } }, c.name);
    }
  });

  test('a result that only reorders the same clusters patches nothing', () => {
    const b = scheduled(binding(duplicated, 2));
    const r = scheduleBinding(b, clusters, { now: () => now });
    b.spec.clusters = [...b.spec.clusters!].reverse();
    assert.equal(specPatch(b, r, now), undefined);
  });

  const targetCases = [
    { name: 'order does not matter', a: [{ name: 'm1', replicas: 1 }, { name: 'm2', replicas: 2 }], b: [{ name: 'm2', replicas: 2 }, { name: 'm1', replicas: 1 }], same: true },
    { name: 'replicas matter', a: [{ name: 'm1', replicas: 1 }], b: [{ name: 'm1', replicas: 2 }], same: false },
    { name: 'another cluster differs', a: [{ name: 'm1', replicas: 1 }], b: [{ name: 'm2', replicas: 1 }], same: false },
    { name: 'a cluster more differs', a: [{ name: 'm1', replicas: 1 }], b: [{ name: 'm1', replicas: 1 }, { name: 'm2', replicas: 1 }], same: false },
    { name: 'a repeated name is never the same as distinct ones', a: [{ name: 'm1', replicas: 1 }, { name: 'm1', replicas: 1 }], b: [{ name: 'm1', replicas: 1 }, { name: 'm2', replicas: 1 }], same: false },
  ];
  for (const c of targetCases) test(`sameTargets: ${c.name}`, () => assert.equal(sameTargets(c.a, c.b), c.same));

  test('targetClustersString as Karmada prints results in events', () => {
    assert.equal(targetClustersString([{ name: 'member1', replicas: 2 }, { name: 'member2', replicas: 1 }]), 'member1:2, member2:1');
  });
});
