import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { componentLogger } from './logging.js';

test('componentLogger never writes a credential, wherever a controller puts it', () => {
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  const log = componentLogger('karmada-controller-manager', 'info', sink);
  const secrets = ['s3cr3t-token', 'Bearer abc.def.ghi', 'apiVersion: v1\nkind: Config', 'LS0tLS1CRUdJTi', 'hunter2'];
  log.error({ err: { message: 'sync failed', config: { headers: { authorization: secrets[1] } } }, controller: 'cluster-status' }, 'reconcile failed');
  log.info({ secret: { metadata: { name: 'member1' }, data: { token: secrets[0], caBundle: secrets[3] } } }, 'member credentials read');
  log.info({ cluster: 'member1', kubeconfig: secrets[2], client: { token: secrets[0] } }, 'joined');
  log.warn({ user: { password: secrets[4] }, request: { headers: { Authorization: secrets[1] } } }, 'login');
  for (const s of secrets) assert.ok(!out.includes(s), `${JSON.stringify(s)} was logged:\n${out}`);
  assert.match(out, /reconcile failed/);
  assert.match(out, /"controller":"cluster-status"/);
  assert.match(out, /"name":"member1"/, 'what is not a credential stays readable');
  assert.equal(out.trim().split('\n').length, 4);
});
