// `.ci/run` must never stop a process it did not start: a user's own etcd on the default port is still
// running, and still answering, after the CI's install step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdBinaryAvailable } from '../../src/storage/etcd/testing.js';

const defaultClientPort = 2379;
const defaultPeerPort = 2380;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function answers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/version`);
    return res.ok;
  } catch {
    return false;
  }
}

test('a user\'s etcd on the default port survives the CI install step', async (t) => {
  if (!etcdBinaryAvailable()) return t.skip('etcd is not installed here: the install step would install it, which this test must not do');
  if (!(await portFree(defaultClientPort)) || !(await portFree(defaultPeerPort))) return t.skip('ports 2379/2380 are taken: no room for a stand-in user etcd');
  const dir = mkdtempSync(join(tmpdir(), 'users-etcd-'));
  const userEtcd = spawn('etcd', ['--data-dir', dir, '--listen-client-urls', `http://127.0.0.1:${defaultClientPort}`, '--advertise-client-urls', `http://127.0.0.1:${defaultClientPort}`, '--listen-peer-urls', `http://127.0.0.1:${defaultPeerPort}`], { stdio: 'ignore' });
  try {
    const until = Date.now() + 20_000;
    while (!(await answers(defaultClientPort))) {
      assert.ok(Date.now() < until, 'the stand-in user etcd did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const res = spawnSync('bash', ['.ci/install-deps'], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    assert.equal(userEtcd.exitCode, null, 'the user\'s etcd was stopped');
    assert.equal(userEtcd.signalCode, null, 'the user\'s etcd was killed');
    assert.ok(await answers(defaultClientPort), 'the user\'s etcd no longer answers');
  } finally {
    userEtcd.kill('SIGKILL');
    await new Promise((r) => (userEtcd.exitCode !== null || userEtcd.signalCode !== null ? r(undefined) : userEtcd.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
});
