import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from './cluster.js';
import type { ClusterAffinity, FieldSelectorRequirement } from './placement.js';
import { clusterMatches, matchZones } from './clusteraffinity.js';

function cluster(name: string, spec: Partial<Cluster['spec']> = {}, labels: Record<string, string> = {}): Cluster {
  return { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name, labels }, spec: { syncMode: 'Push', ...spec } } as Cluster;
}

const m1 = cluster('member1', { provider: 'aws', region: 'us-east', zones: ['us-east-1a', 'us-east-1b'] }, { env: 'prod', tier: 'gold' });
const bare = cluster('bare');
const field = (key: string, operator: string, values?: string[]): ClusterAffinity => ({ fieldSelector: { matchExpressions: [{ key, operator, values }] } });

// Expected verdicts follow Karmada v1.19's util.ClusterMatches / Test_matchZones.
const cases: { name: string; c?: Cluster; affinity: ClusterAffinity; want: boolean }[] = [
  { name: 'an empty affinity matches every cluster', affinity: {}, want: true },
  { name: 'clusterNames lists the cluster', affinity: { clusterNames: ['member1', 'x'] }, want: true },
  { name: 'clusterNames without the cluster', affinity: { clusterNames: ['x'] }, want: false },
  { name: 'exclude wins over clusterNames', affinity: { clusterNames: ['member1'], exclude: ['member1'] }, want: false },
  { name: 'matchLabels match', affinity: { labelSelector: { matchLabels: { env: 'prod' } } }, want: true },
  { name: 'matchLabels mismatch', affinity: { labelSelector: { matchLabels: { env: 'dev' } } }, want: false },
  { name: 'matchExpressions In', affinity: { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold', 'silver'] }] } }, want: true },
  { name: 'matchExpressions NotIn', affinity: { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['gold'] }] } }, want: false },
  { name: 'matchExpressions DoesNotExist', affinity: { labelSelector: { matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] } }, want: true },
  { name: 'an invalid label selector matches nothing', affinity: { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] } }, want: false },
  { name: 'labels and names must both hold', affinity: { clusterNames: ['member1'], labelSelector: { matchLabels: { env: 'dev' } } }, want: false },
  { name: 'provider In', affinity: field('provider', 'In', ['aws']), want: true },
  { name: 'region NotIn', affinity: field('region', 'NotIn', ['us-east']), want: false },
  { name: 'region Exists', affinity: field('region', 'Exists'), want: true },
  { name: 'region DoesNotExist on a cluster without region', c: bare, affinity: field('region', 'DoesNotExist'), want: true },
  { name: 'region In on a cluster without region', c: bare, affinity: field('region', 'In', ['us-east']), want: false },
  { name: 'region NotIn on a cluster without region', c: bare, affinity: field('region', 'NotIn', ['us-east']), want: true },
  { name: 'zone In: one overlapping zone is enough', affinity: field('zone', 'In', ['us-east-1a']), want: true },
  { name: 'zone In: every zone listed', affinity: field('zone', 'In', ['us-east-1a', 'us-east-1b']), want: true },
  { name: 'zone In: no overlap', affinity: field('zone', 'In', ['eu-1']), want: false },
  { name: 'zone NotIn: one listed zone excludes', affinity: field('zone', 'NotIn', ['us-east-1b']), want: false },
  { name: 'zone NotIn: none listed', affinity: field('zone', 'NotIn', ['eu-1']), want: true },
  { name: 'zone NotIn on a cluster without zones', c: bare, affinity: field('zone', 'NotIn', ['x']), want: true },
  { name: 'zone with names and region', affinity: { clusterNames: ['member1'], ...field('zone', 'In', ['us-east-1b']) }, want: true },
  { name: 'the deprecated zone counts as the only zone', c: cluster('old', { zone: 'z1' }), affinity: field('zone', 'In', ['z1']), want: true },
];

describe('clusterMatches', () => {
  for (const c of cases) test(c.name, () => assert.equal(clusterMatches(c.c ?? m1, c.affinity), c.want));
});

describe('matchZones (Karmada Test_matchZones)', () => {
  const r = (operator: string, values?: string[]): FieldSelectorRequirement => ({ key: 'zone', operator, values });
  const table: [string, FieldSelectorRequirement, string[], boolean][] = [
    ['empty zones for In', r('In', ['foo']), [], false],
    ['overlapping zones for In', r('In', ['foo', 'baz']), ['foo', 'bar'], true],
    ['all zones for In', r('In', ['foo', 'bar']), ['foo', 'bar'], true],
    ['empty zones for NotIn', r('NotIn', ['foo']), [], true],
    ['partial zones for NotIn', r('NotIn', ['foo']), ['foo', 'bar'], false],
    ['empty zones for Exists', r('Exists'), [], false],
    ['zones for Exists', r('Exists'), ['foo'], true],
    ['empty zones for DoesNotExist', r('DoesNotExist'), [], true],
    ['zones for DoesNotExist', r('DoesNotExist'), ['foo'], false],
    ['unknown operator', r('Gt', ['1']), ['foo'], false],
  ];
  for (const [name, req, zones, want] of table) test(name, () => assert.equal(matchZones(req, zones), want));
});
