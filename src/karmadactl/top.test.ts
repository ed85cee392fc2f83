import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSortBy, formatTopNodes, formatTopPods, nodeUsages, podUsages } from './top.js';

describe('formatTopNodes (Karmada metrics printer)', () => {
  const nodes = [
    ...nodeUsages(
      'm1',
      [{ metadata: { name: 'n1' }, usage: { cpu: '250m', memory: '1Gi' } } as never],
      [
        { metadata: { name: 'n1' }, status: { allocatable: { cpu: '4', memory: '8Gi' } } } as never,
        { metadata: { name: 'n2' }, status: { allocatable: { cpu: '4', memory: '8Gi' } } } as never,
      ],
    ),
    ...nodeUsages('m2', [{ metadata: { name: 'n1' }, usage: { cpu: '1', memory: '512Mi' } } as never], [{ metadata: { name: 'n1' }, status: { allocatable: { cpu: '2', memory: '1Gi' } } } as never]),
  ];
  test('millicores, Mi and percentages of allocatable; nodes without metrics last as <unknown>', () => {
    assert.deepEqual(formatTopNodes(nodes).trimEnd().split('\n').map((l) => l.split(/\s+/)), [
      ['NAME', 'CLUSTER', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%'],
      ['n1', 'm1', '250m', '6%', '1024Mi', '12%'],
      ['n1', 'm2', '1000m', '50%', '512Mi', '50%'],
      ['n2', 'm1', '<unknown>', '<unknown>', '<unknown>', '<unknown>'],
    ]);
  });
  test('--sort-by cpu puts the busiest first', () => {
    assert.match(formatTopNodes(nodes, { sortBy: 'cpu', noHeaders: true }).split('\n')[0]!, /^n1\s+m2\s+1000m/);
  });
  test('--sort-by accepts only cpu or memory', () => assert.throws(() => checkSortBy('name'), /--sort-by accepts only cpu or memory/));
});

describe('formatTopPods', () => {
  const pods = podUsages('m1', [
    { metadata: { name: 'web-1', namespace: 'prod' }, containers: [{ name: 'app', usage: { cpu: '10m', memory: '32Mi' } }, { name: 'side', usage: { cpu: '5m', memory: '16Mi' } }] } as never,
  ]);
  test('pod sums its containers', () => {
    assert.deepEqual(formatTopPods(pods).trim().split('\n').map((l) => l.split(/\s+/)), [
      ['NAME', 'CLUSTER', 'CPU(cores)', 'MEMORY(bytes)'],
      ['web-1', 'm1', '15m', '48Mi'],
    ]);
  });
  test('--containers, -A and --sum', () => {
    const lines = formatTopPods(pods, { containers: true, allNamespaces: true, sum: true }).trimEnd().split('\n').map((l) => l.trim().split(/\s+/));
    assert.deepEqual(lines, [
      ['NAMESPACE', 'POD', 'NAME', 'CLUSTER', 'CPU(cores)', 'MEMORY(bytes)'],
      ['prod', 'web-1', 'app', 'm1', '10m', '32Mi'],
      ['prod', 'web-1', 'side', 'm1', '5m', '16Mi'],
      ['________', '________'],
      ['15m', '48Mi'],
    ]);
  });
});
