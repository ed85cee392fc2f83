// Karmada's clusters/proxy: kubectl on the control plane reaches a member's API through it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestbed, type Testbed } from '../support/karmada.js';

let tb: Testbed;
before(async () => {
  tb = await startTestbed({ members: ['member1'] });
});
after(async () => {
  await tb?.stop();
});

const proxy = (path: string) => `/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy${path}`;

test('clusters/proxy is discoverable', async () => {
  assert.match(await tb.kubectl.ok(['get', '--raw', '/apis/cluster.karmada.io/v1alpha1']), /"name":"clusters\/proxy"/);
});

test('reads and writes reach the member through the proxy', async () => {
  await tb.member('member1').kubectl.ok(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: in-member, namespace: default}\ndata: {where: member1}\n' });
  const got = JSON.parse(await tb.kubectl.ok(['get', '--raw', proxy('/api/v1/namespaces/default/configmaps/in-member')]));
  assert.equal(got.data.where, 'member1');
  const version = JSON.parse(await tb.kubectl.ok(['get', '--raw', proxy('/version')]));
  assert.equal(version.minor, '32');
  const missing = await tb.kubectl.run(['get', '--raw', proxy('/api/v1/namespaces/default/configmaps/nope')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /not found/);
});

test('an unknown cluster is a 404', async () => {
  const r = await tb.kubectl.run(['get', '--raw', '/apis/cluster.karmada.io/v1alpha1/clusters/nowhere/proxy/version']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /clusters.cluster.karmada.io "nowhere" not found/);
});
