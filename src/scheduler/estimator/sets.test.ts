import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstFitSets, type ComponentDemand } from './sets.js';

const node = (cpu: number, pods = 110) => new Map([['cpu', cpu], ['pods', pods]]);
const demand = (replicas: number, cpu: number): ComponentDemand => ({ replicas, requests: [['cpu', cpu], ['pods', 1]] });

const cases: { name: string; nodes: Map<string, number>[]; components: ComponentDemand[]; upperBound?: number; admits?: (c: number, n: number) => boolean; want: number }[] = [
  { name: 'one component: its replicas over every node', nodes: [node(4), node(2)], components: [demand(1, 1)], want: 6 },
  { name: 'a set needs every component placed', nodes: [node(4)], components: [demand(1, 1), demand(1, 2)], want: 1 },
  { name: 'replicas of a set may spread over nodes', nodes: [node(1), node(1), node(1)], components: [demand(3, 1)], want: 1 },
  { name: 'pods capacity bounds as any resource', nodes: [node(100, 2)], components: [demand(1, 1)], want: 2 },
  { name: 'a resource no node has: none', nodes: [node(8)], components: [{ replicas: 1, requests: [['nvidia.com/gpu', 1], ['pods', 1]] }], want: 0 },
  { name: 'the upper bound caps the count', nodes: [node(100)], components: [demand(1, 1)], upperBound: 3, want: 3 },
  { name: 'a node refusing a component is skipped for it only', nodes: [node(4), node(4)], components: [demand(1, 1), demand(1, 1)], admits: (c, n) => !(c === 1 && n === 0), want: 4 },
  { name: 'first fit, not best fit: the small component takes the room the big one needed', nodes: [node(2), node(1)], components: [demand(1, 1), demand(1, 2)], want: 0 },
];

for (const c of cases) {
  test(c.name, () => {
    assert.equal(firstFitSets(c.nodes, c.components, c.upperBound ?? 1_000, c.admits), c.want);
  });
}
