import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { AddressInfo } from 'node:net';
import { createCA, createSignedCert, type KeyPairPem } from '../apiserver/auth/certs.js';
import { buildKubeconfig } from '../apiserver/auth/kubeconfig.js';
import { StatusError } from '../apimachinery/errors.js';
import { KubeClient } from './client.js';
import { sameTlsOptions, tlsOptionsOf } from './transport.js';

const tlsCases = [
  { name: 'equal strings are the same settings', a: { ca: 'x', cert: 'c' }, b: { ca: 'x', cert: 'c' }, same: true },
  { name: 'buffers compare by content (client-node decodes certData anew for each request)', a: { key: Buffer.from('k') }, b: { key: Buffer.from('k') }, same: true },
  { name: 'another client key is another agent', a: { key: Buffer.from('k1') }, b: { key: Buffer.from('k2') }, same: false },
  { name: 'skipping verification changes the settings', a: { ca: 'x' }, b: { ca: 'x', rejectUnauthorized: false }, same: false },
];
for (const c of tlsCases) test(`sameTlsOptions: ${c.name}`, () => assert.equal(sameTlsOptions(tlsOptionsOf(c.a), tlsOptionsOf(c.b)), c.same));

test('tlsOptionsOf keeps only the TLS settings that are set', () => {
  assert.deepEqual(tlsOptionsOf({ ca: 'x', keepAlive: false, timeout: undefined, servername: 's', key: undefined }), { ca: 'x', servername: 's' });
});

describe('KubeClient over a keep-alive transport', () => {
  let server: Server;
  let ca: KeyPairPem;
  let admin: KeyPairPem;
  let url: string;
  let handshakes = 0;
  const paths: string[] = [];

  before(async () => {
    ca = await createCA('test-ca');
    const serving = await createSignedCert(ca, { commonName: 'localhost', usage: 'server', ips: ['127.0.0.1'] });
    admin = await createSignedCert(ca, { commonName: 'admin', usage: 'client' });
    server = createServer({ cert: serving.certPem, key: serving.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      paths.push(`${req.method} ${req.url}`);
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/api/v1') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ groupVersion: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['watch'] }] }));
          return;
        }
        if (req.url?.includes('watch=true')) {
          const rv = new URL(req.url, url).searchParams.get('resourceVersion');
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(`${JSON.stringify({ type: 'ADDED', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `after-${rv}`, namespace: 'default' } } })}\n`);
          return;
        }
        if (req.url?.startsWith('/api/v1/namespaces/default/configmaps/missing')) {
          res.writeHead(404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'configmaps "missing" not found' }));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Echo', method: req.method, url: req.url, body: body ? JSON.parse(body) : undefined }));
      });
    });
    server.on('secureConnection', () => handshakes++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });

  const client = () => KubeClient.fromKubeconfig(buildKubeconfig([{ name: 'test', server: url, caPem: ca.certPem, user: { clientCertPem: admin.certPem, clientKeyPem: admin.keyPem } }]));

  test('sequential requests share one TLS connection, with queries, bodies and errors intact', async () => {
    const c = client();
    const before = handshakes;
    try {
      for (let i = 0; i < 5; i++) {
        const got = await c.request<{ method: string; url: string; body?: unknown }>('POST', '/echo', { query: { i, skip: undefined }, body: { n: i } });
        assert.deepEqual(got, { kind: 'Echo', method: 'POST', url: `/echo?i=${i}`, body: { n: i } });
      }
      await assert.rejects(c.request('GET', '/api/v1/namespaces/default/configmaps/missing'), (err) => err instanceof StatusError && err.code === 404 && err.reason === 'NotFound');
      assert.equal(handshakes - before, 1, 'one handshake for six requests');
      assert.equal(c.transport.connections, 1);
    } finally {
      c.close();
    }
  });

  test('concurrent requests open parallel connections and reuse them afterwards', async () => {
    const c = client();
    try {
      await Promise.all(Array.from({ length: 4 }, (_, i) => c.request('GET', `/p/${i}`)));
      const opened = c.transport.connections;
      assert.ok(opened >= 1 && opened <= 4, `opened ${opened}`);
      await Promise.all(Array.from({ length: 4 }, (_, i) => c.request('GET', `/q/${i}`)));
      assert.ok(c.transport.connections <= 4, 'the second round reuses the pooled connections');
    } finally {
      c.close();
    }
  });

  /** a client whose kubeconfig names its CA, certificate and key as files in dir (client-node reads them) */
  const fileCredentialsClient = (dir: string) => {
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(dir, 'cert.pem'), admin.certPem);
    writeFileSync(join(dir, 'key.pem'), admin.keyPem);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: url, caFile: join(dir, 'ca.pem') }],
      users: [{ name: 'u', certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    return new KubeClient(kc);
  };

  test('credentials read from files go through client-node each request, over the same pool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'transport-test-'));
    const c = fileCredentialsClient(dir);
    try {
      for (let i = 0; i < 3; i++) {
        const got = await c.request<{ url: string; body?: unknown }>('PUT', '/files', { query: { i, labelSelector: 'a in (b c)' }, body: { n: i } });
        assert.deepEqual(got, { kind: 'Echo', method: 'PUT', url: `/files?i=${i}&labelSelector=a+in+%28b+c%29`, body: { n: i } });
      }
      await assert.rejects(c.request('GET', '/api/v1/namespaces/default/configmaps/missing'), (err) => err instanceof StatusError && err.code === 404);
      assert.equal(c.transport.connections, 1);
    } finally {
      c.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const watchOnce = (c: KubeClient, rv: string) =>
    new Promise<string[]>((resolve, reject) => {
      const names: string[] = [];
      void c.watch({ group: '', version: 'v1', resource: 'configmaps' }, { resourceVersion: rv }, (_type, obj) => names.push(obj.metadata.name!), (err) => (err ? reject(err) : setImmediate(() => resolve(names))));
    });

  test('watches with client certificates run on their own connection, which the next watch reuses', async () => {
    const c = client();
    try {
      assert.deepEqual(await watchOnce(c, '1'), ['after-1']);
      assert.deepEqual(await watchOnce(c, '2'), ['after-2']);
      assert.equal(c.transport.connections, 2, 'one for discovery, one for both watches');
    } finally {
      c.close();
    }
  });

  test('a kubeconfig with credential files watches through client-node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'transport-test-'));
    const c = fileCredentialsClient(dir);
    try {
      assert.deepEqual(await watchOnce(c, '7'), ['after-7']);
      assert.equal(c.transport.connections, 1, 'the watch did not use the pooled transport');
    } finally {
      c.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a closed client refuses requests', async () => {
    const c = client();
    c.close();
    await assert.rejects(c.request('GET', '/x'), /closed/);
  });

  test('an aborted signal ends the request', async () => {
    const c = client();
    try {
      await assert.rejects(c.request('GET', '/y', { signal: AbortSignal.abort() }), (err: Error) => err.name === 'AbortError');
    } finally {
      c.close();
    }
  });
});
