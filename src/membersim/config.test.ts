import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseMemberConfig } from './config.js';
import { buildNodes } from './nodes.js';

describe('parseMemberConfig', () => {
  const bad: { name: string; input: unknown; problem: string }[] = [
    { name: 'name is required', input: {}, problem: 'member.name: is required' },
    { name: 'names are RFC 1123 labels', input: { name: 'Member_1' }, problem: 'member.name: "Member_1" must be a lowercase RFC 1123 label of at most 48 characters' },
    { name: 'syncMode is Push or Pull', input: { name: 'm', syncMode: 'push' }, problem: 'member.syncMode: "push" must be Push or Pull' },
    { name: 'unknown fields are refused', input: { name: 'm', node: [] }, problem: 'member.node: unknown field' },
    { name: 'quantities must parse', input: { name: 'm', nodes: [{ cpu: 'lots' }] }, problem: 'member.nodes[0].cpu: "lots" is not a quantity' },
    { name: 'count is a whole number', input: { name: 'm', nodes: [{ count: 1.5 }] }, problem: 'member.nodes[0].count: 1.5 must be a whole number' },
    { name: 'taint effects are checked', input: { name: 'm', nodes: [{ taints: [{ key: 'k', effect: 'Never' }] }] }, problem: 'member.nodes[0].taints[0].effect: "Never" must be one of NoSchedule' },
    { name: 'extended resources are domain-prefixed', input: { name: 'm', nodes: [{ extendedResources: { gpu: 1 } }] }, problem: 'member.nodes[0].extendedResources.gpu: an extended resource name must be domain-prefixed' },
  ];
  for (const c of bad) {
    test(c.name, () => {
      assert.throws(() => parseMemberConfig(c.input), (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith(c.problem)));
    });
  }

  test('defaults: Push, one pool of three nodes', () => {
    const cfg = parseMemberConfig({ name: 'm' });
    assert.equal(cfg.syncMode, 'Push');
    assert.equal(buildNodes(cfg, 'now').length, 3);
  });

  test('nodes carry capacity, labels, zones round-robin and taints', () => {
    const cfg = parseMemberConfig({
      name: 'm', region: 'us-east', zones: ['a', 'b'],
      nodes: [{ count: 3, cpu: 2, memory: '8Gi', pods: 20, labels: { tier: 'web' }, extendedResources: { 'nvidia.com/gpu': 4 }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }],
    });
    const nodes = buildNodes(cfg, '2026-01-01T00:00:00Z');
    assert.deepEqual(nodes.map((n) => n.metadata.name), ['m-node-1', 'm-node-2', 'm-node-3']);
    assert.deepEqual(nodes.map((n) => n.metadata.labels!['topology.kubernetes.io/zone']), ['a', 'b', 'a']);
    const n = nodes[0];
    assert.equal(n.metadata.labels!['topology.kubernetes.io/region'], 'us-east');
    assert.equal(n.metadata.labels!.tier, 'web');
    assert.deepEqual((n.status as { capacity: unknown }).capacity, { cpu: '2', memory: '8Gi', pods: '20', 'ephemeral-storage': '100Gi', 'nvidia.com/gpu': '4' });
    assert.deepEqual((n.spec as { taints: unknown }).taints, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]);
    assert.equal((n.status as { nodeInfo: { kubeletVersion: string } }).nodeInfo.kubeletVersion, 'v1.32.4');
  });

  test('several pools without a namePrefix get distinct node names, numbered on', () => {
    const cfg = parseMemberConfig({ name: 'm', nodes: [{ count: 2, cpu: 4 }, { count: 2, cpu: 16, labels: { size: 'large' } }, { count: 1, namePrefix: 'gpu' }] });
    const nodes = buildNodes(cfg, 'now');
    assert.deepEqual(nodes.map((n) => n.metadata.name), ['m-node-1', 'm-node-2', 'm-node-3', 'm-node-4', 'm-gpu-1']);
    assert.deepEqual(nodes.map((n) => n.metadata.labels!.size ?? ''), ['', '', 'large', 'large', '']);
  });
});
