import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterRV, formatMultiClusterContinue, formatMultiClusterRV, memberRV, parseMultiClusterContinue, parseMultiClusterRV, setClusterRV } from './versions.js';

const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

test('resourceVersions: sorted by cluster, base64url without padding, as Karmada writes them', () => {
  const m = parseMultiClusterRV('');
  setClusterRV(m, 'member2', '7');
  setClusterRV(m, 'member1', '12');
  assert.equal(formatMultiClusterRV(m), enc({ member1: '12', member2: '7' }));
  assert.ok(!formatMultiClusterRV(m).includes('='));
});

const cases: [string, string | null, string, string][] = [
  ['none', null, 'member1', ''],
  ['zero asks every member for 0', '0', 'member1', '0'],
  ['a known cluster', enc({ member1: '5' }), 'member1', '5'],
  ['a cluster the version does not name', enc({ member1: '5' }), 'member2', ''],
  ['garbage is ignored', '!!not-base64', 'member1', ''],
  ['JSON that is not a map is ignored', enc(['x']), 'member1', ''],
];
for (const [name, input, cluster, want] of cases) {
  test(`clusterRV: ${name}`, () => assert.equal(clusterRV(parseMultiClusterRV(input), cluster), want));
}

test('zero and empty round-trip unchanged', () => {
  assert.equal(formatMultiClusterRV(parseMultiClusterRV('0')), '0');
  assert.equal(formatMultiClusterRV(parseMultiClusterRV('')), '');
});

test('continue tokens: complete lists have none; others name the cluster and its own token', () => {
  assert.equal(formatMultiClusterContinue({ rv: 'x' }), '');
  const token = formatMultiClusterContinue({ rv: 'x', cluster: 'member2', continue: 'default/web-1' });
  assert.deepEqual(parseMultiClusterContinue(token), { rv: 'x', cluster: 'member2', continue: 'default/web-1' });
  assert.equal(parseMultiClusterContinue('garbage'), undefined);
});

test('memberRV: a multi-cluster version becomes the member one; a plain one is kept', () => {
  assert.equal(memberRV(enc({ member1: '9', member2: '3' }), 'member2'), '3');
  assert.equal(memberRV('0', 'member1'), '0');
  assert.equal(memberRV(undefined, 'member1'), undefined);
});
