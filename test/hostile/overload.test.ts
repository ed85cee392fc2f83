// Overload: the API server protects itself as kube-apiserver's max-in-flight does (429 with Retry-After,
// leases never starved), drops a watcher that stops reading once its buffer is full, refuses objects
// etcd could not hold; the client backs off on 429 and gets its writes in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setWatchBufferBytes, watchBufferBytes } from '../../src/apiserver/handlers/watch.js';
import { KubeClient } from '../../src/runtime/client.js';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { adminRequest, heldUpload, type RawClient, tlsSocket } from '../support/http.js';

let ts: TestServer;
let http: RawClient;
const cms = '/api/v1/namespaces/default/configmaps';
const leases = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
const cm = (name: string, data: Record<string, string> = { a: '1' }) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

before(async () => {
  ts = await startTestServer({ maxMutatingRequestsInflight: 1, maxRequestsInflight: 2 });
  http = ts.http;
});

after(() => ts?.stop());

describe('max in flight', () => {
  test('past the limit: 429 with Retry-After, while lease renewals are still served', async () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'leader' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } };
    assert.equal((await http.call(leases, { method: 'POST', body: JSON.stringify(lease) })).status, 201);
    // an upload that never finishes holds the one mutating slot
    const held = heldUpload(ts.server, cms);
    try {
      let refused;
      for (let i = 0; !refused; i++) {
        const res = await http.call(cms, { method: 'POST', body: cm(`flood-${i}`) });
        if (res.status === 429) refused = res;
        else assert.equal(res.status, 201, res.body);
        assert.ok(i < 200, 'the held upload never took the slot');
      }
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(refused.json().reason, 'TooManyRequests');
      for (let i = 0; i < 5; i++) {
        const renewTime = new Date(Date.now() + i).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
        const renewed = await http.call(`${leases}/leader`, { method: 'PATCH', body: JSON.stringify({ spec: { renewTime } }), headers: { 'Content-Type': 'application/merge-patch+json' } });
        assert.equal(renewed.status, 200, renewed.body);
      }
      assert.equal((await http.call(cms, { method: 'POST', body: cm('still-refused') })).status, 429);
      assert.equal((await http.call('/healthz')).body, 'ok');
    } finally {
      held.destroy();
    }
  });

  test('the client waits out 429s with jitter and every write lands', async () => {
    const client = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
    try {
      const names = Array.from({ length: 40 }, (_, i) => `patient-${i}`);
      await Promise.all(names.map((name) => client.request('POST', cms, { body: JSON.parse(cm(name)) })));
      const list = await http.call(`${cms}?labelSelector=`);
      const stored = new Set(list.json().items.map((i: any) => i.metadata.name));
      for (const n of names) assert.ok(stored.has(n), `${n} was not written`);
    } finally {
      client.close();
    }
  });
});

describe('a watcher that stops reading', () => {
  test('is dropped once its buffer is full, while a reading watcher gets every event', async () => {
    const previous = watchBufferBytes;
    setWatchBufferBytes(256 * 1024);
    try {
      const rv = (await http.call(`${cms}?limit=1`)).json().metadata.resourceVersion;
      // the stuck one: sends its request on a raw TLS socket, then reads nothing until the writes are done
      let stuckBytes = 0;
      const stuck = tlsSocket(ts.server, { admin: true }, () => {
        stuck.write(`GET ${cms}?watch=true&resourceVersion=${rv}&labelSelector=load%3Dy HTTP/1.1\r\nHost: ${new URL(ts.server.url).host}\r\nAccept: application/json\r\n\r\n`);
        stuck.pause();
      });
      stuck.on('data', (d: Buffer) => (stuckBytes += d.length));
      stuck.on('error', () => {});
      const stuckClosed = new Promise<void>((resolve) => stuck.on('close', () => resolve()));
      // the healthy one counts what it reads
      let seen = 0;
      const healthy = new Promise<void>((resolve, reject) => {
        const req = adminRequest(ts.server, `${cms}?watch=true&resourceVersion=${rv}&labelSelector=load%3Dy`, {}, (res) => {
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            buf += d;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              buf = buf.slice(nl + 1);
              if (++seen === total) {
                req.destroy();
                resolve();
              }
            }
          });
        });
        req.on('error', (e) => (seen === total ? resolve() : reject(e)));
        req.end();
      });
      const total = 100;
      const payload = 'x'.repeat(96 * 1024);
      const client = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
      try {
        // one at a time: this server admits one write at a time
        for (let i = 0; i < total; i++) {
          await client.request('POST', cms, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `load-${i}`, labels: { load: 'y' } }, data: { payload } } });
        }
      } finally {
        client.close();
      }
      await healthy;
      assert.equal(seen, total);
      // reading again, it finds the stream cut short: the server kept nothing for it
      stuck.resume();
      await stuckClosed;
      assert.ok(stuckBytes < (total * payload.length) / 2, `the stuck watcher was not dropped: it received ${stuckBytes} bytes`);
    } finally {
      setWatchBufferBytes(previous);
    }
  });
});

describe('size limits', () => {
  test('an object over 1.5 MiB is refused as etcd would, and not stored', async () => {
    const res = await http.call(cms, { method: 'POST', body: cm('huge', { a: 'x'.repeat(2 * 1024 * 1024) }) });
    assert.equal(res.status, 413);
    assert.match(res.json().message, /request is too large.*over etcd's limit/);
    assert.equal((await http.call(`${cms}/huge`)).status, 404);
  });

  test('a body declared over 3 MiB is refused with 413 before it is read', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = adminRequest(ts.server, cms, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(4 * 1024 * 1024) } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('{"apiVersion":"v1",');
    });
    assert.equal(answer.status, 413);
    assert.equal(JSON.parse(answer.body).reason, 'RequestEntityTooLarge');
  });
});
