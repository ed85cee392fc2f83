// TLS and credentials: TLS 1.2 or newer only; `karmada-ts certs rotate` gives a running server a new
// serving certificate without dropping open connections; /metrics and /debug are not for anonymous eyes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerCertificate } from 'node:tls';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { runCli } from '../support/cli.js';
import { adminRequest, type RawClient, tlsSocket } from '../support/http.js';
import { eventually } from '../support/kubectl.js';

let ts: TestServer;
let http: RawClient;

before(async () => {
  ts = await startTestServer();
  http = ts.http;
});

after(() => ts?.stop());

function handshake(opts: { maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' } = {}): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = tlsSocket(ts.server, opts, () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      resolve(cert);
    });
    socket.on('error', reject);
  });
}

test('TLS 1.2 and 1.3 are served, TLS 1.1 is refused', async () => {
  await handshake({ maxVersion: 'TLSv1.2' });
  await handshake({ maxVersion: 'TLSv1.3' });
  await assert.rejects(handshake({ maxVersion: 'TLSv1.1' }));
});

test('certs rotate: new connections get a new certificate from the same CA, an open watch carries on', async () => {
  const before = await handshake();
  // a watch opened before the rotation
  const events: string[] = [];
  const watch = adminRequest(ts.server, '/api/v1/namespaces/default/configmaps?watch=true', {}, (res) => {
    res.setEncoding('utf8');
    res.on('data', (d: string) => events.push(...d.split('\n').filter(Boolean)));
  });
  watch.on('error', () => {});
  watch.end();

  const out = await runCli('karmada-ts', ['certs', 'rotate', '--data-dir', ts.dataDir, '--validity-days', '30']);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /new serving certificate, valid until/);

  const rotated = await eventually(async () => {
    const now = await handshake();
    assert.notEqual(now.fingerprint256, before.fingerprint256, 'still the old certificate');
    return now;
  }, 'a new serving certificate', 10_000);
  const days = (Date.parse(rotated.valid_to) - Date.now()) / 86_400_000;
  assert.ok(days > 29 && days <= 30, `valid for ${days} days`);
  assert.equal(rotated.issuer.CN, before.issuer.CN);
  // new requests (verified against the same CA) and the old watch both work
  assert.equal((await http.call('/api/v1/namespaces/default/configmaps', { method: 'POST', body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-rotation' } }) })).status, 201);
  await eventually(() => events.some((e) => e.includes('after-rotation')), 'the event on the watch opened before the rotation', 10_000);
  watch.destroy();
});

test('certs rotate refuses a directory without an API server', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-apiserver-'));
  const out = await runCli('karmada-ts', ['certs', 'rotate', '--data-dir', empty]);
  rmSync(empty, { recursive: true });
  assert.notEqual(out.code, 0);
  assert.match(out.stderr, /no API server data dir/);
});

test('/metrics and /debug are not readable anonymously', async () => {
  for (const path of ['/metrics', '/debug/pprof/', '/debug/flags/v']) {
    assert.equal((await http.call(path, { auth: 'none' })).status, 401, path);
  }
  assert.equal((await http.call('/metrics')).status, 200);
});
