import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Placement, SpreadConstraint } from '../../apis/karmada/placement.js';
import { cluster, dynamicWeight } from '../testing/fixtures.js';
import { selectBestClusters, selectGroups, type ClusterDetail } from './spread.js';

interface C {
  name: string;
  score?: number;
  available?: number;
  region?: string;
  labels?: Record<string, string>;
}

function details(cs: C[]): ClusterDetail[] {
  return cs.map((c) => ({
    name: c.name,
    score: c.score ?? 0,
    available: c.available ?? 100,
    cluster: cluster(c.name, { region: c.region, labels: c.labels }),
  }));
}

const byCluster = (min: number, max: number): SpreadConstraint => ({ spreadByField: 'cluster', minGroups: min, maxGroups: max });
const byRegion = (min: number, max: number): SpreadConstraint => ({ spreadByField: 'region', minGroups: min, maxGroups: max });

interface Case {
  name: string;
  /** clusters already in selection order (score desc, available desc, name) */
  clusters: C[];
  spread: SpreadConstraint[];
  replicaScheduling?: Placement['replicaScheduling'];
  replicas?: number;
  want?: string[];
  wantError?: string;
}

const cases: Case[] = [
  { name: 'no constraints selects every cluster', clusters: [{ name: 'a' }, { name: 'b' }], spread: [], want: ['a', 'b'] },
  { name: 'cluster maxGroups keeps the best-scored clusters', clusters: [{ name: 'a', score: 100 }, { name: 'b', score: 50 }, { name: 'c' }], spread: [byCluster(1, 2)], replicas: 1, want: ['a', 'b'] },
  { name: 'cluster maxGroups above the count takes all', clusters: [{ name: 'a' }, { name: 'b' }], spread: [byCluster(1, 5)], replicas: 1, want: ['a', 'b'] },
  {
    name: 'cluster minGroups above the feasible count fails',
    clusters: [{ name: 'a' }, { name: 'b' }],
    spread: [byCluster(3, 5)],
    replicas: 1,
    wantError: 'the number of feasible clusters is less than spreadConstraint.MinGroups',
  },
  {
    name: 'when the top clusters cannot hold the replicas a roomier one replaces the lowest-scored',
    clusters: [{ name: 'member1', score: 60, available: 40 }, { name: 'member2', score: 50, available: 30 }, { name: 'member3', score: 40, available: 60 }],
    spread: [byCluster(1, 2)],
    replicas: 80,
    want: ['member1', 'member3'],
  },
  {
    name: 'no combination of maxGroups clusters holds the replicas',
    clusters: [{ name: 'a', available: 10 }, { name: 'b', available: 20 }],
    spread: [byCluster(1, 1)],
    replicas: 50,
    wantError: 'no enough resource when selecting 1 clusters',
  },
  {
    name: 'Duplicated ignores capacity when selecting',
    clusters: [{ name: 'a', score: 100, available: 1 }, { name: 'b', available: 500 }],
    spread: [byCluster(1, 1)],
    replicaScheduling: { replicaSchedulingType: 'Duplicated' },
    replicas: 50,
    want: ['a'],
  },
  {
    name: 'static weights ignore spread constraints',
    clusters: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
    spread: [byCluster(1, 1)],
    replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['a'] }, weight: 1 }] } },
    replicas: 3,
    want: ['a', 'b', 'c'],
  },
  {
    name: "Weighted without weightPreference (the webhook's default for Divided) ignores spread constraints, as Karmada",
    clusters: [{ name: 'a', score: 100 }, { name: 'b' }],
    spread: [byCluster(1, 1)],
    replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
    replicas: 4,
    want: ['a', 'b'],
  },
  {
    name: 'Aggregated honours cluster maxGroups 1',
    clusters: [{ name: 'a', score: 100 }, { name: 'b' }],
    spread: [byCluster(1, 1)],
    replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' },
    replicas: 4,
    want: ['a'],
  },
  {
    name: 'dynamic weight with cluster maxGroups 1 takes the one cluster that holds every replica',
    clusters: [{ name: 'a', score: 100, available: 3 }, { name: 'b', available: 4 }],
    spread: [byCluster(1, 1)],
    replicas: 4,
    want: ['b'],
  },
  {
    name: 'region spread prefers the fewest regions that meet the cluster minimum',
    clusters: [{ name: 'r1a', score: 100, region: 'r1' }, { name: 'r1b', region: 'r1' }, { name: 'r2a', region: 'r2' }, { name: 'r3a', region: 'r3' }],
    spread: [byRegion(1, 2), byCluster(2, 3)],
    replicas: 3,
    want: ['r1a', 'r1b'],
  },
  {
    name: 'region spread picks the highest-scored combination of regions',
    clusters: [{ name: 'x', score: 100, region: 'r1' }, { name: 'y', region: 'r3' }, { name: 'z', region: 'r2' }],
    spread: [byRegion(2, 2), byCluster(2, 2)],
    replicas: 3,
    want: ['x', 'z'],
  },
  {
    name: 'region spread takes one cluster per region, then the best of the rest up to cluster maxGroups',
    clusters: [
      { name: 'a1', score: 100, region: 'ra' },
      { name: 'b1', score: 100, region: 'rb' },
      { name: 'a2', score: 50, region: 'ra' },
      { name: 'b2', score: 0, available: 500, region: 'rb' },
      { name: 'a3', score: 0, available: 1, region: 'ra' },
    ],
    spread: [byRegion(2, 2), byCluster(2, 4)],
    replicas: 3,
    want: ['a1', 'b1', 'a2', 'b2'],
  },
  {
    name: 'fewer regions than region minGroups fails',
    clusters: [{ name: 'a', region: 'r1' }, { name: 'b', region: 'r2' }],
    spread: [byRegion(3, 3), byCluster(1, 3)],
    replicas: 1,
    wantError: 'the number of feasible region is less than spreadConstraint.MinGroups',
  },
  {
    name: 'regions that cannot reach the cluster minimum fail',
    clusters: [{ name: 'a', region: 'r1' }, { name: 'b', region: 'r2' }, { name: 'c', region: 'r2' }],
    spread: [byRegion(1, 2), byCluster(4, 5)],
    replicas: 1,
    wantError: 'the number of clusters is less than the cluster spreadConstraint.MinGroups',
  },
  {
    name: 'spread by label keeps clusters that carry the label, best first',
    clusters: [{ name: 'a', score: 100 }, { name: 'b', score: 90, labels: { team: 'x' } }, { name: 'c', labels: { team: 'y' } }, { name: 'd', labels: { team: 'z' } }],
    spread: [{ spreadByLabel: 'team', minGroups: 1, maxGroups: 2 }],
    replicas: 1,
    want: ['b', 'c'],
  },
  {
    name: 'spread by label with too few labelled clusters fails',
    clusters: [{ name: 'a' }, { name: 'b', labels: { team: 'x' } }],
    spread: [{ spreadByLabel: 'team', minGroups: 2, maxGroups: 2 }],
    replicas: 1,
    wantError: 'the number of feasible clusters is less than spreadConstraint[0].MinGroups',
  },
  {
    name: 'zone alone does not drive selection',
    clusters: [{ name: 'a' }],
    spread: [{ spreadByField: 'zone', minGroups: 1, maxGroups: 1 }],
    replicas: 1,
    wantError: 'just support cluster and region spread constraint',
  },
  {
    name: 'zone with cluster selects by cluster',
    clusters: [{ name: 'a', score: 1 }, { name: 'b' }],
    spread: [{ spreadByField: 'zone', minGroups: 1, maxGroups: 2 }, byCluster(1, 1)],
    replicas: 1,
    want: ['a'],
  },
];

describe('selectBestClusters', () => {
  for (const c of cases) {
    test(c.name, () => {
      const placement: Placement = { spreadConstraints: c.spread, replicaScheduling: c.replicaScheduling ?? dynamicWeight };
      const run = () => selectBestClusters(placement, details(c.clusters), c.replicas ?? 0).map((x) => x.metadata.name);
      if (c.wantError) assert.throws(run, { message: c.wantError });
      else assert.deepEqual(run(), c.want);
    });
  }
});

describe('selectGroups', () => {
  const g = (name: string, value: number, weight = 0) => ({ name, value, weight });
  const cases: { name: string; groups: ReturnType<typeof g>[]; min: number; max: number; target: number; want: string[] }[] = [
    { name: 'among equal weights the largest combination wins', groups: [g('g2', 2), g('g3', 3), g('g6', 6), g('g7', 7)], min: 2, max: 2, target: 7, want: ['g6', 'g7'] },
    { name: 'weight beats size', groups: [g('small', 1, 100), g('big', 9, 0), g('mid', 5, 0)], min: 2, max: 2, target: 2, want: ['small', 'big'] },
    { name: 'a feasible prefix of the best path wins (fewer groups)', groups: [g('a', 5, 100), g('b', 1, 50)], min: 1, max: 2, target: 3, want: ['a'] },
    { name: 'nothing reaches the target', groups: [g('a', 1), g('b', 1)], min: 1, max: 2, target: 3, want: [] },
    { name: 'maxGroups bounds the path length', groups: [g('a', 1), g('b', 1), g('c', 1)], min: 1, max: 2, target: 3, want: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(selectGroups(c.groups, c.min, c.max, c.target).map((x) => x.name), c.want);
    });
  }
});
