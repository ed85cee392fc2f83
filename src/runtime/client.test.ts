import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { splitApiVersion, type KubeObject } from '../apimachinery/types.js';
import { StatusError } from '../apimachinery/errors.js';
import { KubeClient, parseResourceList, resourcePath, statusErrorFromResponse } from './client.js';
import { Deadline } from './transport.js';
import { userAgent } from './user-agent.js';

const pathCases = [
  { name: 'core namespaced object', info: { group: '', version: 'v1', resource: 'configmaps', namespaced: true }, ns: 'default', n: 'a', sub: undefined, want: '/api/v1/namespaces/default/configmaps/a' },
  { name: 'grouped collection across namespaces', info: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true }, ns: undefined, n: undefined, sub: undefined, want: '/apis/apps/v1/deployments' },
  { name: 'cluster-scoped resources ignore the namespace', info: { group: 'cluster.karmada.io', version: 'v1alpha1', resource: 'clusters', namespaced: false }, ns: 'x', n: 'm1', sub: 'status', want: '/apis/cluster.karmada.io/v1alpha1/clusters/m1/status' },
  { name: 'names are escaped', info: { group: '', version: 'v1', resource: 'configmaps', namespaced: true }, ns: 'n', n: 'a b', sub: undefined, want: '/api/v1/namespaces/n/configmaps/a%20b' },
];
for (const c of pathCases) test(`resourcePath: ${c.name}`, () => assert.equal(resourcePath(c.info, c.ns, c.n, c.sub), c.want));

test('splitApiVersion: core has no group', () => {
  assert.deepEqual(splitApiVersion('v1'), { group: '', version: 'v1' });
  assert.deepEqual(splitApiVersion('work.karmada.io/v1alpha2'), { group: 'work.karmada.io', version: 'v1alpha2' });
});

test('parseResourceList folds subresources into their resource', () => {
  const infos = parseResourceList({
    groupVersion: 'apps/v1',
    resources: [
      { name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['get'], shortNames: ['deploy'] },
      { name: 'deployments/status', kind: 'Deployment', namespaced: true },
      { name: 'deployments/scale', kind: 'Scale', namespaced: true },
    ],
  });
  assert.deepEqual(infos, [{ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['get'], shortNames: ['deploy'], subresources: ['status', 'scale'] }]);
});

const errorCases = [
  { name: 'a Status body is kept as the server sent it', code: 409, body: '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled","reason":"Conflict","code":409}', reason: 'Conflict', message: 'Operation cannot be fulfilled' },
  { name: 'a plain-text body gets the reason of its code', code: 404, body: '404 page not found\n', reason: 'NotFound', message: '404 page not found' },
  { name: 'an empty body still says what happened', code: 503, body: '', reason: 'ServiceUnavailable', message: 'the server responded with HTTP 503' },
];
for (const c of errorCases) {
  test(`statusErrorFromResponse: ${c.name}`, () => {
    const err = statusErrorFromResponse(c.code, c.body);
    assert.equal(err.code, c.code);
    assert.equal(err.reason, c.reason);
    assert.equal(err.message, c.message);
  });
}

describe('KubeClient direct request path', () => {
  let server: Server;
  let url: string;
  const seen: { url?: string; headers: Record<string, unknown> }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      if (req.url?.startsWith('/hang')) return;
      if (req.url?.startsWith('/busy') && seen.filter((s) => s.url?.startsWith('/busy')).length === 1) {
        res.writeHead(429, { 'Retry-After': '0', 'Content-Type': 'application/json' });
        res.end('{}');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.url?.startsWith('/object')) return res.end(JSON.stringify({ kind: 'Pod', metadata: { name: 'p', managedFields: [{ manager: 'm', operation: 'Update' }], labels: { a: 'b' } } }));
      res.end(JSON.stringify({ ok: true, url: req.url }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const client = (prefix = '', dropManagedFields = false) => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: url + prefix, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'secret-token', impersonateUser: 'bob' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    return new KubeClient(kc, { requestTimeoutMs: 5_000, dropManagedFields });
  };

  test('dropManagedFields: answers come without metadata.managedFields, the rest as sent', async () => {
    const plain = client();
    const dropping = client('', true);
    try {
      const full = await plain.request<KubeObject>('GET', '/object');
      assert.equal(full.metadata.managedFields?.length, 1);
      assert.deepEqual(await dropping.request('GET', '/object'), { kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } } });
      assert.deepEqual(await dropping.request('GET', '/other'), { ok: true, url: '/other' });
    } finally {
      plain.close();
      dropping.close();
    }
  });

  test('sends the kubeconfig token, impersonation and query as client-node would', async () => {
    const c = client('/prefix');
    try {
      const got = await c.request<{ url: string }>('GET', '/api/v1/pods', { query: { labelSelector: 'app in (a b),tier!=x', limit: 5, skip: undefined, empty: '' } });
      assert.equal(got.url, `/prefix/api/v1/pods?${new URLSearchParams({ labelSelector: 'app in (a b),tier!=x', limit: '5' })}`);
      const headers = seen.at(-1)!.headers;
      assert.equal(headers.authorization, 'Bearer secret-token');
      assert.equal(headers['impersonate-user'], 'bob');
      assert.equal(headers.accept, 'application/json, */*');
      assert.equal((await c.request<{ url: string }>('GET', '/q?watch=1', { query: { limit: 2 } })).url, '/prefix/q?watch=1&limit=2', 'a path with a query gets the rest appended');
      await c.request('POST', '/x', { body: { a: 1 }, contentType: 'application/merge-patch+json' });
      assert.equal(seen.at(-1)!.headers['content-type'], 'application/merge-patch+json');
      assert.equal(seen.at(-1)!.headers['content-length'], '7');
    } finally {
      c.close();
    }
  });

  test('a replaced kubeconfig user (as certificate rotation does) is used from the next request on', async () => {
    const c = client();
    try {
      await c.request('GET', '/before');
      assert.equal(seen.at(-1)!.headers.authorization, 'Bearer secret-token');
      c.kubeConfig.users = c.kubeConfig.users.map((u) => ({ ...u, token: 'rotated-token' }));
      await c.request('GET', '/after');
      assert.equal(seen.at(-1)!.headers.authorization, 'Bearer rotated-token');
    } finally {
      c.close();
    }
  });

  test('a 429 is sent again after Retry-After', async () => {
    const c = client();
    try {
      assert.deepEqual(await c.request('GET', '/busy'), { ok: true, url: '/busy' });
      assert.equal(seen.filter((s) => s.url === '/busy').length, 2);
    } finally {
      c.close();
    }
  });

  test('a request that outlives its timeout, or whose caller aborts, fails with an AbortError', async () => {
    const c = client();
    try {
      await assert.rejects(c.request('GET', '/hang', { timeoutMs: 50 }), (err: Error) => err.name === 'AbortError' && (err.cause as Error)?.name === 'TimeoutError');
      const caller = new AbortController();
      const pending = c.request('GET', '/hang', { signal: caller.signal });
      setImmediate(() => caller.abort(new Error('stopping')));
      await assert.rejects(pending, (err: Error) => err.name === 'AbortError' && (err.cause as Error)?.message === 'stopping');
    } finally {
      c.close();
    }
  });
});

test('Deadline: an already aborted caller aborts at once; done() lets go of the caller', () => {
  const aborted = new Deadline(1000, AbortSignal.abort('gone'));
  assert.equal(aborted.aborted, true);
  assert.equal(aborted.signal.aborted, true);
  assert.equal(aborted.signal.reason, 'gone');
  const caller = new AbortController();
  const d = new Deadline(1000, caller.signal);
  d.done();
  caller.abort();
  assert.equal(d.aborted, false);
});

test('Deadline: the timeout aborts its signal with a TimeoutError', async () => {
  const d = new Deadline(10);
  const signal = d.signal;
  const keepAlive = setTimeout(() => {}, 5000); // the deadline's own timer does not hold the process open
  await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
  clearTimeout(keepAlive);
  assert.equal((d.reason as Error).name, 'TimeoutError');
  d.done();
});

test('Deadline: timeouts of a tick or more share one clock: each expires once its time has passed, a done one never', async () => {
  const keepAlive = setTimeout(() => {}, 5000); // the clock, like a deadline's own timer, does not hold the process open
  const started = performance.now();
  const expiring = new Deadline(150);
  const finished = new Deadline(150);
  finished.done();
  await new Promise<void>((r) => expiring.signal.addEventListener('abort', () => r(), { once: true }));
  assert.ok(performance.now() - started >= 150, 'not before its time');
  assert.equal((expiring.reason as Error).name, 'TimeoutError');
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(finished.aborted, false);
  expiring.done();
  clearTimeout(keepAlive);
});

describe('KubeClient User-Agent', () => {
  const agentCases = [
    { name: 'linux on x64 is amd64, as Go names it', component: 'karmada-controller-manager', platform: 'linux', arch: 'x64', want: /^karmada-controller-manager\/v1\.19\.0 \(linux\/amd64\) karmada-ts\/\d+\.\d+\.\d+/ },
    { name: 'arm64 stays arm64', component: 'karmadactl', platform: 'darwin', arch: 'arm64', want: /^karmadactl\/v1\.19\.0 \(darwin\/arm64\) karmada-ts\// },
  ];
  for (const c of agentCases) test(`userAgent: ${c.name}`, () => assert.match(userAgent(c.component, c.platform, c.arch), c.want));

  test('every request and every watch sends the component User-Agent; none is set without one', async () => {
    const seen: { url?: string; ua?: string }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, ua: req.headers['user-agent'] });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.url === '/api/v1') return res.end(JSON.stringify({ groupVersion: 'v1', resources: [{ name: 'pods', kind: 'Pod', namespaced: true, verbs: ['watch'] }] }));
      res.end(req.url?.includes('watch=true') ? '' : '{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    const ua = userAgent('karmada-scheduler');
    const c = new KubeClient(kc, { userAgent: ua });
    const plain = new KubeClient(kc);
    try {
      await c.request('GET', '/version');
      await new Promise<void>((resolve, reject) => void c.watch({ group: '', version: 'v1', resource: 'pods' }, {}, () => {}, (err) => (err ? reject(err) : resolve())));
      await plain.request('GET', '/plain');
      assert.deepEqual(
        seen.map((s) => [s.url?.split('?')[0], s.ua]),
        [['/version', ua], ['/api/v1', ua], ['/api/v1/pods', ua], ['/plain', undefined]],
      );
    } finally {
      c.close();
      plain.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('KubeClient direct watch', () => {
  let server: Server;
  let port: number;
  const watches: { url?: string; headers: Record<string, unknown>; closed: Promise<void> }[] = [];
  let discoveries = 0;
  const podsGVR = { group: '', version: 'v1', resource: 'pods' };
  const event = (type: string, name: string, rv: string) => JSON.stringify({ type, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', resourceVersion: rv } } });
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/api/v1') {
        discoveries++;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ groupVersion: 'v1', resources: [{ name: 'pods', kind: 'Pod', namespaced: true, verbs: ['watch'] }] }));
      }
      watches.push({ url: req.url, headers: req.headers, closed: new Promise((r) => res.on('close', () => r())) });
      const selector = new URL(req.url!, 'http://x').searchParams.get('labelSelector');
      if (selector === 'forbidden') {
        res.writeHead(403, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'pods is forbidden: User "u" cannot watch resource "pods"' }));
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      if (selector === 'hold') return;
      if (selector === 'fields') {
        const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '5', managedFields: [{ manager: 'm', fieldsV1: { 'f:data': {} } }] }, data: { managedFields: 'kept' } };
        return res.end(`${JSON.stringify({ type: 'ADDED', object })}\n`);
      }
      // frames cut at awkward places, several in one write, a CRLF, and a line that is no event
      const stream = `${event('ADDED', 'a', '2')}\n${event('MODIFIED', 'a', '3')}\r\nnot json\n${event('BOOKMARK', '', '4')}\n{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Expired","code":410,"message":"too old resource version: 1 (4)"}}\n`;
      const cuts = [5, 70, 71, 200, stream.length];
      let at = 0;
      const next = () => {
        const cut = cuts.shift();
        if (cut === undefined) return res.end();
        res.write(stream.slice(at, cut));
        at = cut;
        setImmediate(next);
      };
      next();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const client = (p = port) => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${p}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'secret-token' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    return new KubeClient(kc, { requestTimeoutMs: 5_000, userAgent: 'karmada-test/v0' });
  };
  const watchUntilEnd = (c: KubeClient, labelSelector?: string) =>
    new Promise<{ events: [string, string | undefined][]; err?: Error & { statusCode?: number }; ends: number }>((resolve) => {
      const events: [string, string | undefined][] = [];
      let ends = 0;
      void c.watch(podsGVR, { namespace: 'ns', resourceVersion: '1', allowWatchBookmarks: true, timeoutSeconds: 300, labelSelector }, (type, obj) => events.push([type, obj.metadata?.resourceVersion ?? (obj as unknown as { code: number }).code.toString()]), (err) => {
        ends++;
        setImmediate(() => resolve({ events, err, ends }));
      });
    });

  test('every event comes in order, BOOKMARK and ERROR included, then one clean end', async () => {
    const c = client();
    try {
      const got = await watchUntilEnd(c);
      assert.deepEqual(got.events, [['ADDED', '2'], ['MODIFIED', '3'], ['BOOKMARK', '4'], ['ERROR', '410']]);
      assert.equal(got.err, undefined);
      assert.equal(got.ends, 1);
      const sent = watches.at(-1)!;
      assert.equal(sent.url, '/api/v1/namespaces/ns/pods?watch=true&resourceVersion=1&allowWatchBookmarks=true&timeoutSeconds=300');
      assert.equal(sent.headers.authorization, 'Bearer secret-token');
      assert.equal(sent.headers['user-agent'], 'karmada-test/v0');
    } finally {
      c.close();
    }
  });

  test("a non-200 answer ends the watch with its status code and the server's message", async () => {
    const c = client();
    try {
      const got = await watchUntilEnd(c, 'forbidden');
      assert.deepEqual(got.events, []);
      assert.equal(got.err?.statusCode, 403);
      assert.equal(got.err?.message, 'pods is forbidden: User "u" cannot watch resource "pods"');
      assert.equal(got.ends, 1);
    } finally {
      c.close();
    }
  });

  test('dropManagedFields: the objects come without metadata.managedFields, the rest intact', async () => {
    const c = client();
    try {
      for (const drop of [true, false]) {
        const objects: KubeObject[] = [];
        await new Promise<void>((resolve) => void c.watch(podsGVR, { labelSelector: 'fields', dropManagedFields: drop }, (_t, obj) => objects.push(obj), () => resolve()));
        assert.deepEqual(objects, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '5', ...(drop ? {} : { managedFields: [{ manager: 'm', fieldsV1: { 'f:data': {} } }] }) }, data: { managedFields: 'kept' } }]);
      }
    } finally {
      c.close();
    }
  });

  test('resolve remembers its answers until discovery is invalidated or a miss reads it again', async () => {
    const c = client();
    try {
      const before = discoveries;
      const byResource = await c.resolve(podsGVR);
      assert.equal(await c.resolve({ group: '', version: 'v1', resource: 'pods' }), byResource);
      assert.equal(await c.resolve({ apiVersion: 'v1', kind: 'Pod' }), byResource);
      assert.equal(discoveries - before, 1);
      await assert.rejects(c.resolve({ apiVersion: 'v1', kind: 'Nope' }), (err: StatusError) => err.code === 404 && /no matches for kind "Nope" in version "v1"/.test(err.message));
      assert.equal(discoveries - before, 2, 'a miss reads the group version again');
      c.invalidateDiscovery();
      assert.deepEqual(await c.resolve(podsGVR), byResource);
      assert.equal(discoveries - before, 3);
    } finally {
      c.close();
    }
  });

  test('concurrent resolves that miss the discovery cache share one read of the group version; a refresh reads it again', async () => {
    const c = client();
    try {
      const before = discoveries;
      const answers = await Promise.all([c.resolve(podsGVR), c.resolve({ apiVersion: 'v1', kind: 'Pod' }), c.get(podsGVR, 'a', { namespace: 'ns' }).catch(() => undefined), c.resolve(podsGVR)]);
      assert.equal(discoveries - before, 1, 'one discovery read for four concurrent misses');
      assert.equal(answers[0], answers[3]);
      c.invalidateDiscovery();
      await Promise.all([c.resolve(podsGVR), c.resolve(podsGVR)]);
      assert.equal(discoveries - before, 2, 'invalidated: read again, once');
      await c.resourcesFor('', 'v1', true);
      assert.equal(discoveries - before, 3, 'refresh always reads');
    } finally {
      c.close();
    }
  });

  test('an exec-plugin kubeconfig watches through client-node, with the token the plugin gives', async () => {
    const kc = new KubeConfig();
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-token' } });
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', `process.stdout.write(${JSON.stringify(credential)})`], interactiveMode: 'Never' } }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    const c = new KubeClient(kc, { requestTimeoutMs: 5_000, userAgent: 'karmada-test/v0' });
    try {
      const got = await watchUntilEnd(c);
      assert.deepEqual(got.events, [['ADDED', '2'], ['MODIFIED', '3'], ['BOOKMARK', '4'], ['ERROR', '410']]);
      assert.equal(watches.at(-1)!.headers.authorization, 'Bearer exec-token');
      assert.equal(watches.at(-1)!.headers['user-agent'], 'karmada-test/v0');
      assert.equal(c.transport.connections, 1, 'only discovery went over the pooled transport');
    } finally {
      c.close();
    }
  });

  test('stop() closes the connection and onEnd is not called', async () => {
    const c = client();
    try {
      let ends = 0;
      const handle = await c.watch(podsGVR, { labelSelector: 'hold' }, () => {}, () => ends++);
      handle.stop();
      await watches.at(-1)!.closed;
      await new Promise((r) => setImmediate(r));
      assert.equal(ends, 0);
    } finally {
      c.close();
    }
  });

  test('a server that cannot be reached ends the watch with the error', async () => {
    const c = client();
    await c.resolve(podsGVR);
    // the discovery is cached; the watch goes to a port nobody listens on
    const gone = createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', () => r()));
    const freePort = (gone.address() as AddressInfo).port;
    await new Promise((r) => gone.close(r));
    c.kubeConfig.clusters = c.kubeConfig.clusters.map((cl) => ({ ...cl, server: `http://127.0.0.1:${freePort}` }));
    try {
      const err = await new Promise<Error | undefined>((resolve) => void c.watch(podsGVR, {}, () => {}, resolve));
      assert.equal((err as NodeJS.ErrnoException | undefined)?.code, 'ECONNREFUSED');
    } finally {
      c.close();
    }
  });
});
