import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { AddressInfo, Socket } from 'node:net';
import { createCA, createSignedCert, type KeyPairPem } from '../apiserver/auth/certs.js';
import { buildKubeconfig } from '../apiserver/auth/kubeconfig.js';
import { StatusError } from '../apimachinery/errors.js';
import { KubeClient } from './client.js';
import { Deadline, KeepAliveTransport, sameTlsOptions, tlsOptionsOf } from './transport.js';
import { headersFromRaw, metClosedKeptAlive } from './pooled-dispatch.js';

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

const rawCases = [
  { name: 'names are lower-cased, values kept', raw: ['Content-Type', 'application/json', 'Retry-After', '3'], want: { 'content-type': 'application/json', 'retry-after': '3' } },
  { name: 'a repeated header is joined as node joins it', raw: ['Warning', 'a', 'warning', 'b'], want: { warning: 'a, b' } },
  { name: 'set-cookie stays a list', raw: ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2'], want: { 'set-cookie': ['a=1', 'b=2'] } },
];
for (const c of rawCases) test(`headersFromRaw: ${c.name}`, () => assert.deepEqual(headersFromRaw(c.raw.map((s) => Buffer.from(s, 'latin1'))), c.want));

const closedCases = [
  { name: 'a kept-alive connection the server ended before answering', err: { code: 'UND_ERR_SOCKET', socket: { bytesRead: 120 } }, answered: false, want: true },
  { name: 'a reset of a kept-alive connection', err: { code: 'ECONNRESET', reusedSocket: true }, answered: false, want: true },
  { name: 'a new connection that ended before answering (the request may have been processed)', err: { code: 'UND_ERR_SOCKET', socket: { bytesRead: 0 } }, answered: false, want: false },
  { name: 'an answer had begun', err: { code: 'ECONNRESET', reusedSocket: true }, answered: true, want: false },
  { name: 'a refused connection', err: { code: 'ECONNREFUSED', reusedSocket: true }, answered: false, want: false },
];
for (const c of closedCases) test(`metClosedKeptAlive: ${c.name}`, () => assert.equal(metClosedKeptAlive(c.err, c.answered), c.want));

describe('KeepAliveTransport: connections that end early, deadlines and aborts', () => {
  let server: HttpServer;
  let base: string;
  /** `METHOD path #n`: the n-th request on its connection */
  let seen: string[] = [];
  let behave: (req: IncomingMessage, res: ServerResponse, nth: number) => void = () => undefined;
  const perSocket = new WeakMap<Socket, number>();
  const closedSockets: Socket[] = [];

  before(async () => {
    server = createHttpServer((req, res) => {
      const nth = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, nth);
      seen.push(`${req.method} ${req.url} #${nth}`);
      req.resume();
      req.on('end', () => behave(req, res, nth));
    });
    server.on('connection', (s: Socket) => s.on('close', () => closedSockets.push(s)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    seen = [];
  });

  const answer = (res: ServerResponse, body = '{"ok":true}') => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  };
  const post = (t: KeepAliveTransport, path: string, deadline?: Deadline, signal?: AbortSignal) =>
    t.send({ method: 'POST', url: base + path, headers: { 'Content-Type': 'application/json' }, body: '{"n":1}', deadline, signal });
  /** resolves once the server has received this many requests */
  const serverSaw = async (n: number) => {
    while (seen.length < n) await new Promise((r) => setTimeout(r, 5));
  };

  test('a kept-alive connection the server drops as the next request comes is left, and the request sent again on a new one', async () => {
    behave = (req, res, nth) => (nth === 2 ? req.socket.destroy() : answer(res));
    const t = new KeepAliveTransport();
    try {
      assert.equal((await post(t, '/a')).status, 200);
      const second = await post(t, '/b');
      assert.equal(second.status, 200);
      assert.deepEqual(JSON.parse(second.text), { ok: true });
      assert.deepEqual(seen, ['POST /a #1', 'POST /b #2', 'POST /b #1']);
      assert.equal(t.connections, 2);
    } finally {
      t.close();
    }
  });

  test('a new connection that ends before answering fails the request, which is not sent twice', async () => {
    behave = (req) => req.socket.destroy();
    const t = new KeepAliveTransport();
    try {
      await assert.rejects(post(t, '/once'), (err: NodeJS.ErrnoException) => ['UND_ERR_SOCKET', 'ECONNRESET'].includes(err.code ?? ''));
      assert.deepEqual(seen, ['POST /once #1']);
    } finally {
      t.close();
    }
  });

  test('a deadline that passes mid-answer ends the request with an AbortError and closes its connection', async () => {
    behave = (req, res) => {
      if (req.url === '/slow') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"partial":');
      } else answer(res);
    };
    const t = new KeepAliveTransport();
    try {
      const closedBefore = closedSockets.length;
      await assert.rejects(post(t, '/slow', new Deadline(150)), (err: Error) => err.name === 'AbortError' && (err.cause as Error)?.name === 'TimeoutError');
      while (closedSockets.length === closedBefore) await new Promise((r) => setTimeout(r, 5));
      assert.equal((await post(t, '/after')).status, 200, 'the next request gets a new connection');
      assert.equal(t.connections, 2);
    } finally {
      t.close();
    }
  });

  test("the caller's abort ends a request waiting for its answer, through a Deadline or a bare signal", async () => {
    behave = () => undefined; // never answers
    const t = new KeepAliveTransport();
    try {
      const caller = new AbortController();
      const pending = post(t, '/hang1', new Deadline(30_000, caller.signal));
      await serverSaw(1);
      caller.abort(new Error('stopping'));
      await assert.rejects(pending, (err: Error) => err.name === 'AbortError' && (err.cause as Error)?.message === 'stopping');
      const bare = new AbortController();
      const pending2 = post(t, '/hang2', undefined, bare.signal);
      await serverSaw(2);
      bare.abort(new Error('bare'));
      await assert.rejects(pending2, (err: Error) => err.name === 'AbortError' && (err.cause as Error)?.message === 'bare');
      await assert.rejects(post(t, '/never', undefined, AbortSignal.abort()), (err: Error) => err.name === 'AbortError');
      assert.equal(seen.length, 2, 'an already aborted request is not sent');
    } finally {
      t.close();
    }
  });

  test('a request queued behind busy connections gives up at its deadline, is never sent, and the connection goes on', async () => {
    let holding: ServerResponse | undefined;
    behave = (req, res) => (req.url === '/hold' ? (holding = res) : answer(res));
    const t = new KeepAliveTransport(1);
    try {
      const held = post(t, '/hold', new Deadline(30_000));
      await serverSaw(1);
      await assert.rejects(post(t, '/queued', new Deadline(150)), (err: Error) => err.name === 'AbortError' && (err.cause as Error)?.name === 'TimeoutError');
      answer(holding!);
      assert.equal((await held).status, 200);
      assert.equal((await post(t, '/next')).status, 200);
      assert.deepEqual(seen, ['POST /hold #1', 'POST /next #2'], 'the queued request was never sent; the connection was kept');
      assert.equal(t.connections, 1);
    } finally {
      t.close();
    }
  });

  test('a closed transport fails the requests in flight and refuses new ones', async () => {
    behave = () => undefined;
    const t = new KeepAliveTransport();
    const pending = post(t, '/inflight', new Deadline(30_000));
    await serverSaw(1);
    t.close();
    await assert.rejects(pending);
    await assert.rejects(post(t, '/later'), /closed/);
  });
});

describe('KeepAliveTransport over IPv6, with paths that need escaping', () => {
  let server: HttpServer | undefined;
  let base = '';
  before(async () => {
    const s = createHttpServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Seen-Host': req.headers.host ?? '' });
      res.end(JSON.stringify({ url: req.url }));
    });
    // a machine without IPv6 skips these
    server = await new Promise<HttpServer | undefined>((r) => {
      s.once('error', () => r(undefined));
      s.listen(0, '::1', () => r(s));
    });
    if (server) base = `http://[::1]:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    if (server) await new Promise<void>((r) => server!.close(() => r()));
  });

  test('an IPv6 literal origin, a path with a space and non-ASCII, a query kept', async (t) => {
    if (!server) return t.skip('no IPv6 loopback');
    const tr = new KeepAliveTransport();
    try {
      const got = await tr.send({ method: 'GET', url: `${base}/a b/ü?x=1&y=%2F`, headers: {} });
      assert.deepEqual(JSON.parse(got.text), { url: '/a%20b/%C3%BC?x=1&y=%2F' });
      assert.equal(got.headers['x-seen-host'], base.slice('http://'.length));
    } finally {
      tr.close();
    }
  });
});
