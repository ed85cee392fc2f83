// Table tests for the dashboard's pure formatting: status words and shapes, capacity, times, diffs, links.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { age, diffLines, diffStat, formatTime, groupVersion, healthBadge, percentOf, placementText, readyBadge, stepBadge, usageText, workloadPath, workloadsQuery } from './format.js';

describe('badges carry a word and a shape, never colour alone', () => {
  const cases: [string, ReturnType<typeof readyBadge>, string, string][] = [
    ['Ready True', readyBadge('True'), 'Ready', '✔'],
    ['Ready False', readyBadge('False'), 'NotReady', '✖'],
    ['Ready Unknown', readyBadge('Unknown'), 'Unknown', '?'],
    ['Ready missing', readyBadge(undefined), 'Unknown', '?'],
    ['Healthy', healthBadge('Healthy'), 'Healthy', '✔'],
    ['Unhealthy', healthBadge('Unhealthy'), 'Unhealthy', '✖'],
    ['Progressing', healthBadge('Progressing'), 'Progressing', '◐'],
    ['health missing', healthBadge(undefined), 'Unknown', '?'],
    ['step done', stepBadge('done'), 'done', '✔'],
    ['step pending', stepBadge('pending'), 'pending', '…'],
    ['step failed', stepBadge('failed'), 'failed', '✖'],
  ];
  for (const [name, b, text, icon] of cases)
    test(name, () => {
      assert.equal(b.text, text);
      assert.equal(b.icon, icon);
    });
  test('distinct statuses have distinct shapes', () => {
    const shapes = new Set(['True', 'False', 'Unknown'].map((s) => readyBadge(s as 'True').icon));
    assert.equal(shapes.size, 3);
  });
});

describe('capacity', () => {
  const q = (text: string, value: number) => ({ text, value });
  const cases: [string, Parameters<typeof usageText>, number | undefined, string][] = [
    ['a quarter', [q('2', 2), q('8', 8)], 25, '2 / 8 (25%)'],
    ['rounded', [q('1', 1), q('3', 3)], 33, '1 / 3 (33%)'],
    ['none allocatable', [q('0', 0), q('0', 0)], undefined, '0 / 0'],
    ['missing allocated', [undefined, q('16Gi', 17179869184)], 0, '0 / 16Gi (0%)'],
    ['both missing', [undefined, undefined], undefined, '0 / 0'],
    ['overcommitted', [q('12', 12), q('8', 8)], 150, '12 / 8 (150%)'],
  ];
  for (const [name, args, pct, text] of cases)
    test(name, () => {
      assert.equal(percentOf(...args), pct);
      assert.equal(usageText(...args), text);
    });
});

describe('times', () => {
  test('formatTime is UTC to the second', () => {
    assert.equal(formatTime('2026-12-07T01:45:03.123Z'), '2026-12-07 01:45:03Z');
    assert.equal(formatTime('2026-12-07T01:45:03Z'), '2026-12-07 01:45:03Z');
    assert.equal(formatTime(undefined), '—');
    assert.equal(formatTime('not a time'), 'not a time');
  });
  const now = Date.parse('2026-12-07T02:00:00Z');
  const cases: [string, string][] = [
    ['2026-12-07T01:59:55Z', '5s'],
    ['2026-12-07T01:57:40Z', '2m20s'],
    ['2026-12-07T01:57:00Z', '3m'],
    ['2026-12-06T23:30:00Z', '2h30m'],
    ['2026-12-03T02:00:00Z', '4d'],
    ['2026-12-07T02:00:09Z', '0s'],
  ];
  for (const [iso, want] of cases) test(`age of ${iso}`, () => assert.equal(age(iso, now), want));
});

describe('diffs', () => {
  test('each line is marked by kind, with a word for added and removed', () => {
    const lines = diffLines('--- template\n+++ member1\n@@ -1,3 +1,3 @@\n spec:\n-  replicas: 3\n+  replicas: 2\n+  paused: false\n');
    assert.deepEqual(
      lines.map((l) => [l.kind, l.label]),
      [['file', ''], ['file', ''], ['hunk', ''], ['ctx', ''], ['del', 'removed'], ['add', 'added'], ['add', 'added']],
    );
    assert.equal(lines[4].text, '-  replicas: 3', 'the sign stays in the text');
    assert.deepEqual(diffStat(lines), { added: 2, removed: 1 });
  });
  test('an empty diff has no lines', () => assert.deepEqual(diffLines(''), []));
});

describe('workload links and queries', () => {
  const cases: [string, Parameters<typeof workloadPath>[0], string][] = [
    ['namespaced apps', { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' }, '/workloads/apps/v1/Deployment/default/web'],
    ['core group', { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-a', name: 'cfg' }, '/workloads/core/v1/ConfigMap/team-a/cfg'],
    ['cluster scoped', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'r' }, '/workloads/rbac.authorization.k8s.io/v1/ClusterRole/_/r'],
    ['escaped', { apiVersion: 'v1', kind: 'Service', namespace: 'a', name: 'x y' }, '/workloads/core/v1/Service/a/x%20y'],
  ];
  for (const [name, row, path] of cases) test(name, () => assert.equal(workloadPath(row), path));
  test('groupVersion', () => {
    assert.deepEqual(groupVersion('apps/v1'), ['apps', 'v1']);
    assert.deepEqual(groupVersion('v1'), ['core', 'v1']);
  });
  test('placementText', () => {
    assert.equal(placementText([]), 'not placed');
    assert.equal(placementText([{ name: 'member1', replicas: 3 }, { name: 'member2', replicas: 1 }]), '3 on member1, 1 on member2');
    assert.equal(placementText([{ name: 'member1' }]), 'member1');
  });
  test('workloadsQuery leaves empty filters out', () => {
    assert.equal(workloadsQuery({ namespace: '', kind: 'Deployment', q: 'a b', offset: 0, limit: 200, cluster: undefined }), '?kind=Deployment&q=a+b&offset=0&limit=200');
    assert.equal(workloadsQuery({ namespace: '' }), '');
  });
});
