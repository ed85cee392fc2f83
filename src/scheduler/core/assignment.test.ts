import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBindingSpec, ResourceBindingStatus, TargetCluster } from '../../apis/karmada/binding.js';
import type { Placement } from '../../apis/karmada/placement.js';
import { cluster, dynamicWeight } from '../testing/fixtures.js';
import { assignReplicas } from './assignment.js';
import { FitError, UnschedulableError, findCause } from '../framework/errors.js';

const aggregated: Placement['replicaScheduling'] = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' };
const evenly: Placement['replicaScheduling'] = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' };
const weights = (list: [string[], number][]): Placement['replicaScheduling'] => ({
  replicaSchedulingType: 'Divided',
  replicaDivisionPreference: 'Weighted',
  weightPreference: { staticWeightList: list.map(([names, weight]) => ({ targetCluster: { clusterNames: names }, weight })) },
});

interface Case {
  name: string;
  clusters: string[];
  /** estimated available replicas per cluster */
  available?: Record<string, number>;
  strategy: Placement['replicaScheduling'] | undefined;
  replicas: number;
  previous?: TargetCluster[];
  status?: ResourceBindingStatus;
  rescheduleTriggeredAt?: string;
  want?: Record<string, number>;
  /** names without replicas (non-workload) */
  wantNames?: string[];
  wantError?: string;
}

const cases: Case[] = [
  // static weights
  { name: 'static 1:2 divides 9 exactly into 3:6', clusters: ['a', 'b'], strategy: weights([[['a'], 1], [['b'], 2]]), replicas: 9, want: { a: 3, b: 6 } },
  { name: 'static 1:3 gives the remainder to the heavier cluster (2:7)', clusters: ['a', 'b'], strategy: weights([[['a'], 1], [['b'], 3]]), replicas: 9, want: { a: 2, b: 7 } },
  { name: 'Weighted without weightPreference splits evenly, remainder by name', clusters: ['a', 'b', 'c'], strategy: evenly, replicas: 10, want: { a: 4, b: 3, c: 3 } },
  {
    name: 'static weights ignore the previous result: equal ties go by name (Webster, empty UID)',
    clusters: ['a', 'b', 'c'],
    strategy: evenly,
    replicas: 10,
    previous: [{ name: 'a', replicas: 3 }, { name: 'b', replicas: 3 }, { name: 'c', replicas: 4 }],
    want: { a: 4, b: 3, c: 3 },
  },
  { name: 'weights that select no candidate fall back to an even split', clusters: ['a', 'b'], strategy: weights([[['zzz'], 5]]), replicas: 4, want: { a: 2, b: 2 } },
  { name: 'a candidate missing from the weight list gets nothing', clusters: ['a', 'b'], strategy: weights([[['a'], 1]]), replicas: 5, want: { a: 5 } },
  { name: 'when several rules match the largest weight counts', clusters: ['a', 'b'], strategy: weights([[['a', 'b'], 1], [['b'], 3]]), replicas: 8, want: { a: 2, b: 6 } },
  { name: 'fewer replicas than clusters: zero-replica clusters are dropped', clusters: ['a', 'b', 'c'], strategy: evenly, replicas: 2, want: { a: 1, b: 1 } },
  // the examples, as Karmada's AllocateWebsterSeats gives them
  { name: '5 at equal weights over three clusters', clusters: ['a', 'b', 'c'], strategy: evenly, replicas: 5, want: { a: 2, b: 2, c: 1 } },
  { name: '14 at static 3:2:1', clusters: ['a', 'b', 'c'], strategy: weights([[['a'], 3], [['b'], 2], [['c'], 1]]), replicas: 14, want: { a: 7, b: 5, c: 2 } },
  { name: '12 at dynamic weights 20:12:6', clusters: ['a', 'b', 'c'], available: { a: 20, b: 12, c: 6 }, strategy: dynamicWeight, replicas: 12, want: { a: 6, b: 4, c: 2 } },
  { name: 'Webster, not largest remainders: 5 at 170:110:60 gives 2:2:1', clusters: ['a', 'b', 'c'], available: { a: 170, b: 110, c: 60 }, strategy: dynamicWeight, replicas: 5, want: { a: 2, b: 2, c: 1 } },
  { name: 'HA: 1 replica at 2:1 goes to the heavier', clusters: ['a', 'b'], strategy: weights([[['a'], 2], [['b'], 1]]), replicas: 1, want: { a: 1 } },
  { name: 'HA: 2 replicas at 2:1 go one each', clusters: ['a', 'b'], strategy: weights([[['a'], 2], [['b'], 1]]), replicas: 2, want: { a: 1, b: 1 } },
  { name: '13 at static 1:2:3 gives 2:4:7', clusters: ['a', 'b', 'c'], strategy: weights([[['a'], 1], [['b'], 2], [['c'], 3]]), replicas: 13, want: { a: 2, b: 4, c: 7 } },
  // dynamic weights
  { name: 'dynamic weight divides by available replicas', clusters: ['a', 'b'], available: { a: 10, b: 30 }, strategy: dynamicWeight, replicas: 8, want: { a: 2, b: 6 } },
  { name: 'dynamic weight: a cluster with zero capacity gets nothing', clusters: ['a', 'b', 'c'], available: { a: 5, b: 5, c: 0 }, strategy: dynamicWeight, replicas: 3, want: { a: 2, b: 1 } },
  {
    name: 'dynamic weight fails when capacity is short',
    clusters: ['a', 'b'],
    available: { a: 1, b: 1 },
    strategy: dynamicWeight,
    replicas: 5,
    wantError: 'failed to scale up: Clusters available replicas 2 are not enough to schedule.',
  },
  { name: 'all clusters at zero capacity cannot take a replica', clusters: ['a', 'b'], available: { a: 0, b: 0 }, strategy: dynamicWeight, replicas: 1, wantError: 'failed to scale up: Clusters available replicas 0 are not enough to schedule.' },
  {
    name: 'scale-up places only the extra replicas, old ones stay',
    clusters: ['a', 'b'],
    available: { a: 10, b: 30 },
    strategy: dynamicWeight,
    replicas: 12,
    previous: [{ name: 'a', replicas: 2 }, { name: 'b', replicas: 6 }],
    want: { a: 3, b: 9 },
  },
  {
    name: 'scale-up onto a cluster without previous replicas keeps the others untouched',
    clusters: ['a', 'b'],
    available: { a: 0, b: 10 },
    strategy: dynamicWeight,
    replicas: 9,
    previous: [{ name: 'a', replicas: 5 }],
    want: { a: 5, b: 4 },
  },
  {
    name: 'scale-down shrinks in proportion to the previous result',
    clusters: ['a', 'b'],
    available: { a: 100, b: 0 },
    strategy: dynamicWeight,
    replicas: 8,
    previous: [{ name: 'a', replicas: 3 }, { name: 'b', replicas: 9 }],
    want: { a: 2, b: 6 },
  },
  {
    name: 'scale-down remainder goes to the first by name among equals',
    clusters: ['a', 'b', 'c'],
    strategy: dynamicWeight,
    available: { a: 1, b: 1, c: 1 },
    replicas: 7,
    previous: [{ name: 'a', replicas: 5 }, { name: 'b', replicas: 5 }, { name: 'c', replicas: 5 }],
    want: { a: 3, b: 2, c: 2 },
  },
  {
    name: 'unchanged replicas keep the previous result as it is',
    clusters: ['a', 'b'],
    available: { a: 0, b: 0 },
    strategy: dynamicWeight,
    replicas: 8,
    previous: [{ name: 'a', replicas: 2 }, { name: 'b', replicas: 6 }],
    want: { a: 2, b: 6 },
  },
  {
    name: 'replicas on a cluster that is no longer a candidate are placed again',
    clusters: ['a', 'b'],
    available: { a: 10, b: 10 },
    strategy: dynamicWeight,
    replicas: 8,
    previous: [{ name: 'a', replicas: 4 }, { name: 'x', replicas: 4 }],
    want: { a: 6, b: 2 },
  },
  {
    name: 'rescheduleTriggeredAt after lastScheduledTime recalculates everything (Fresh)',
    clusters: ['a', 'b'],
    available: { a: 10, b: 10 },
    strategy: dynamicWeight,
    replicas: 8,
    previous: [{ name: 'a', replicas: 6 }, { name: 'b', replicas: 2 }],
    rescheduleTriggeredAt: '2024-05-02T00:00:00Z',
    status: { lastScheduledTime: '2024-05-01T00:00:00Z' },
    want: { a: 5, b: 3 },
  },
  {
    name: 'rescheduleTriggeredAt before lastScheduledTime stays Steady',
    clusters: ['a', 'b'],
    available: { a: 10, b: 10 },
    strategy: dynamicWeight,
    replicas: 8,
    previous: [{ name: 'a', replicas: 6 }, { name: 'b', replicas: 2 }],
    rescheduleTriggeredAt: '2024-04-30T00:00:00Z',
    status: { lastScheduledTime: '2024-05-01T00:00:00Z' },
    want: { a: 6, b: 2 },
  },
  // aggregated
  { name: 'aggregated uses the single roomiest cluster when it fits', clusters: ['a', 'b', 'c'], available: { a: 10, b: 30, c: 5 }, strategy: aggregated, replicas: 12, want: { b: 12 } },
  { name: 'aggregated takes as few clusters as fit, split by capacity', clusters: ['a', 'b', 'c'], available: { a: 10, b: 8, c: 5 }, strategy: aggregated, replicas: 15, want: { a: 8, b: 7 } },
  {
    name: 'aggregated scale-up fills the cluster already running replicas first',
    clusters: ['a', 'b', 'c'],
    available: { a: 10, b: 8, c: 5 },
    strategy: aggregated,
    replicas: 8,
    previous: [{ name: 'c', replicas: 5 }],
    want: { c: 8 },
  },
  {
    name: 'aggregated scale-down shrinks onto as few clusters as hold the replicas',
    clusters: ['a', 'b'],
    strategy: aggregated,
    replicas: 5,
    previous: [{ name: 'a', replicas: 9 }, { name: 'b', replicas: 6 }],
    want: { a: 5 },
  },
  { name: 'aggregated fails when the clusters together are too small', clusters: ['a', 'b'], available: { a: 2, b: 2 }, strategy: aggregated, replicas: 5, wantError: 'failed to scale up: Clusters available replicas 4 are not enough to schedule.' },
  // duplicated and non-workloads
  { name: 'duplicated gives every cluster all replicas', clusters: ['a', 'b'], strategy: { replicaSchedulingType: 'Duplicated' }, replicas: 3, want: { a: 3, b: 3 } },
  { name: 'no replicaScheduling means duplicated', clusters: ['a', 'b'], strategy: undefined, replicas: 2, want: { a: 2, b: 2 } },
  { name: 'a non-workload (0 replicas) goes to every candidate without replicas', clusters: ['a', 'b'], strategy: dynamicWeight, replicas: 0, wantNames: ['a', 'b'] },
];

describe('assignReplicas', () => {
  for (const c of cases) {
    test(c.name, () => {
      const candidates = c.clusters.map((n) => cluster(n));
      const spec: ResourceBindingSpec = {
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        replicas: c.replicas,
        placement: c.strategy ? { replicaScheduling: structuredClone(c.strategy) } : {},
      };
      if (c.previous) spec.clusters = c.previous;
      if (c.rescheduleTriggeredAt) spec.rescheduleTriggeredAt = c.rescheduleTriggeredAt;
      const calc = (cs: typeof candidates) => cs.map((x) => c.available?.[x.metadata.name] ?? 0);
      if (c.wantError) {
        assert.throws(() => assignReplicas(candidates, spec, c.status ?? {}, calc), (e: Error) => {
          assert.equal(e.message, c.wantError);
          assert.ok(findCause(e, UnschedulableError), 'an UnschedulableError is in the chain');
          assert.equal(findCause(e, FitError), undefined);
          return true;
        });
        return;
      }
      const got = assignReplicas(candidates, spec, c.status ?? {}, calc).clusters;
      if (c.wantNames) {
        assert.deepEqual(got, c.wantNames.map((name) => ({ name })));
        return;
      }
      const byName = Object.fromEntries(got.map((t) => [t.name, t.replicas]));
      assert.deepEqual(byName, c.want);
      assert.equal(new Set(got.map((t) => t.name)).size, got.length, 'no cluster twice');
    });
  }

  test('Divided without a division preference has no strategy: Karmada\'s error', () => {
    const spec: ResourceBindingSpec = { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' }, replicas: 3, placement: { replicaScheduling: { replicaSchedulingType: 'Divided' } } };
    assert.throws(() => assignReplicas([cluster('a')], spec, {}, () => [5]), {
      message: 'unsupported replica scheduling strategy, replicaSchedulingType: Divided, replicaDivisionPreference: , please try another scheduling strategy',
    });
  });

  test('the spec.clusters order is by name, earlier clusters that got nothing new last (MergeTargetClusters)', () => {
    const candidates = ['c', 'b', 'a'].map((n) => cluster(n));
    const spec: ResourceBindingSpec = {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' },
      replicas: 6,
      placement: { replicaScheduling: aggregated },
      clusters: [{ name: 'c', replicas: 2 }],
    };
    const got = assignReplicas(candidates, spec, {}, () => [10, 0, 0]).clusters;
    assert.deepEqual(got, [{ name: 'c', replicas: 6 }]);
    const spread = assignReplicas(candidates, { ...spec, placement: { replicaScheduling: dynamicWeight } }, {}, () => [0, 4, 4]).clusters;
    assert.deepEqual(spread, [{ name: 'a', replicas: 2 }, { name: 'b', replicas: 2 }, { name: 'c', replicas: 2 }]);
  });

  test('no candidates is an error', () => {
    assert.throws(() => assignReplicas([], { resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'x' } }, {}, () => []), /no clusters available to schedule/);
  });

  test('the same input always gives the same result (remainders are deterministic)', () => {
    const candidates = ['c', 'a', 'b', 'd'].map((n) => cluster(n));
    const spec: ResourceBindingSpec = { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' }, replicas: 7, placement: { replicaScheduling: dynamicWeight } };
    const calc = (cs: typeof candidates) => cs.map(() => 5);
    const first = assignReplicas(candidates, spec, {}, calc).clusters;
    for (let i = 0; i < 20; i++) assert.deepEqual(assignReplicas(candidates, spec, {}, calc).clusters, first);
    assert.deepEqual(Object.fromEntries(first.map((t) => [t.name, t.replicas])), { a: 2, b: 2, c: 2, d: 1 });
  });
});

// Karmada v1.19 core/common_test.go TestAssignReplicas "Overflow: ..." cases.
describe('assignReplicas with overflowAffinities', () => {
  const placement = (): Placement => ({
    replicaScheduling: dynamicWeight,
    clusterAffinities: [
      { affinityName: 'affinity1', clusterNames: ['member1'], overflowAffinities: [{ affinityName: 'overflow', clusterNames: ['member2'] }] },
    ],
  });
  const cases: { name: string; replicas: number; allocatable: [number, number]; previous?: TargetCluster[]; want?: TargetCluster[]; wantError?: string }[] = [
    { name: 'the primary tier has room: no overflow', replicas: 5, allocatable: [10, 10], want: [{ name: 'member1', replicas: 5 }] },
    {
      name: 'the primary tier is full: the rest overflows to the next tier',
      replicas: 5,
      allocatable: [2, 10],
      want: [
        { name: 'member1', replicas: 2 },
        { name: 'member2', replicas: 3 },
      ],
    },
    { name: 'every tier is full: unschedulable', replicas: 10, allocatable: [2, 2], wantError: 'Clusters available replicas are not enough to schedule.' },
    {
      name: 'replicas a tier already runs count as its room',
      replicas: 8,
      allocatable: [2, 10],
      previous: [{ name: 'member1', replicas: 3 }],
      want: [
        { name: 'member1', replicas: 5 },
        { name: 'member2', replicas: 3 },
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const candidates = [cluster('member1'), cluster('member2')];
      const spec: ResourceBindingSpec = { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, replicas: c.replicas, placement: placement() };
      if (c.previous) spec.clusters = c.previous;
      const status: ResourceBindingStatus = { schedulerObservingAffinityName: 'affinity1' };
      const run = () => assignReplicas(candidates, spec, status, () => c.allocatable);
      if (c.wantError) {
        assert.throws(run, (e: Error) => e.message === c.wantError && !!findCause(e, UnschedulableError));
        return;
      }
      const out = run();
      assert.deepEqual(out.clusters, c.want);
      assert.equal(out.tiers?.[0].affinityName, 'affinity1');
    });
  }

  test('without an observed affinity name there are no tiers', () => {
    const spec: ResourceBindingSpec = { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, replicas: 5, placement: placement() };
    const out = assignReplicas([cluster('member1'), cluster('member2')], spec, {}, () => [2, 10]);
    assert.equal(out.tiers, undefined);
    assert.deepEqual(out.clusters, [
      { name: 'member1', replicas: 1 },
      { name: 'member2', replicas: 4 },
    ]);
  });

  test('an unknown replicaSchedulingType is unsupported', () => {
    const spec = { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' }, replicas: 3, placement: { replicaScheduling: { replicaSchedulingType: 'UnsupportedType', replicaDivisionPreference: 'UnsupportedPreference' } } } as unknown as ResourceBindingSpec;
    assert.throws(() => assignReplicas([cluster('member1')], spec, {}, () => [5]), /^Error: unsupported replica scheduling strategy, replicaSchedulingType: UnsupportedType, replicaDivisionPreference: UnsupportedPreference/);
  });
});
