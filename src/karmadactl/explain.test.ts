import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { scheduleBinding, applyScheduleResult } from '../scheduler/schedule.js';
import { binding, cluster, dynamicWeight } from '../scheduler/testing/fixtures.js';
import { formatExplanation, parseBindingRef, renderExplanation, type LiveScheduleExplanation } from './explain.js';

describe('parseBindingRef', () => {
  const cases: { name: string; ref: string; want?: { kind: string; name: string }; error?: RegExp }[] = [
    { name: 'rb/ names a ResourceBinding', ref: 'rb/web-deployment', want: { kind: 'ResourceBinding', name: 'web-deployment' } },
    { name: 'crb/ names a ClusterResourceBinding', ref: 'crb/ns-namespace', want: { kind: 'ClusterResourceBinding', name: 'ns-namespace' } },
    { name: 'the long resource names work, in any case', ref: 'ResourceBindings.work.karmada.io/x', want: { kind: 'ResourceBinding', name: 'x' } },
    { name: 'a bare name is a ResourceBinding', ref: 'web-deployment', want: { kind: 'ResourceBinding', name: 'web-deployment' } },
    { name: 'other kinds are refused', ref: 'deployment/web', error: /unknown binding type "deployment"/ },
    { name: 'an empty name is refused', ref: 'rb/', error: /invalid binding name/ },
    { name: 'a name with a slash is refused', ref: 'rb/a/b', error: /invalid binding name/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.error) assert.throws(() => parseBindingRef(c.ref), c.error);
      else assert.deepEqual(parseBindingRef(c.ref), c.want);
    });
  }
});

describe('explanation output', () => {
  const clusters = [cluster('m1', { cpu: '8' }), cluster('m2', { cpu: '8', taints: [{ key: 'maintenance', effect: 'NoSchedule' }] }), cluster('m3', { cpu: '8' })];
  const b = binding({ clusterAffinity: { clusterNames: ['m1', 'm2', 'm3'] }, replicaScheduling: dynamicWeight }, 4, undefined, { replicaRequirements: { resourceRequest: { cpu: '1' } } });
  // the accurate estimator says m3's nodes are full
  const accurate = { name: 'scheduler-estimator', estimate: (c: { metadata: { name: string } }) => (c.metadata.name === 'm3' ? 0 : undefined) };
  const now = new Date('2024-06-01T00:00:00Z');
  const result = scheduleBinding(b, clusters, { explain: true, estimators: [{ name: 'general', estimate: () => 8 }, accurate], now: () => now });
  const x: LiveScheduleExplanation = {
    kind: 'ResourceBinding',
    binding: b,
    trigger: 'PlacementChanged',
    result,
    scheduled: applyScheduleResult(b, result, now),
    estimates: [
      { cluster: 'm1', general: 8, accurateNote: 'member unreachable: connection refused' },
      { cluster: 'm2', general: 8, accurate: 8 },
      { cluster: 'm3', general: 8, accurate: 0 },
    ],
  };

  test('the table shows the would-be result and each cluster with its reasons and estimates', () => {
    const out = formatExplanation(x);
    assert.match(out, /^Binding:\s+ResourceBinding default\/web-deployment$/m);
    assert.match(out, /^Would be:\s+m1:4$/m);
    const row = (name: string) => out.split('\n').find((l) => l.startsWith(`${name} `))!.trim().split(/\s{3,}/);
    assert.deepEqual(row('m1').slice(0, 2), ['m1', 'yes']);
    assert.match(row('m1').at(-1)!, /accurate estimator: member unreachable/);
    assert.deepEqual(row('m2').slice(0, 2), ['m2', 'no']);
    assert.match(row('m2').at(-1)!, /TaintToleration: cluster\(s\) had untolerated taint \{maintenance:NoSchedule\}/);
    // m3: general 8, accurate 0, available 0, selected, no replicas
    assert.deepEqual(row('m3').slice(3, 8), ['8', '0', '0', 'yes', '-']);
  });

  test('yaml and json carry the same document', () => {
    const fromJson = JSON.parse(renderExplanation(x, 'json'));
    assert.deepEqual(parse(renderExplanation(x, 'yaml')), fromJson);
    assert.equal(fromJson.kind, 'ScheduleExplanation');
    assert.deepEqual(fromJson.result.clusters, [{ name: 'm1', replicas: 4 }]);
    assert.equal(fromJson.result.scheduled, true);
  });

  test('other output formats are refused', () => {
    assert.throws(() => renderExplanation(x, 'wide'), /unknown output format "wide"/);
  });
});
