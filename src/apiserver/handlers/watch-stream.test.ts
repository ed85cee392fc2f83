// A watch's frames of one event-loop turn reach the socket as one HTTP chunk: a watch from an older
// resourceVersion replays its backlog in one turn, and it arrives in order, in one chunk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { KubeClient } from '../../runtime/client.js';
import { startTestServer, type TestServer } from '../../../test/support/apiserver.js';

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.stop();
});

/** the HTTP chunks of a chunked body, as far as `raw` holds whole ones */
function chunksOf(raw: string): string[] {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) return out;
    const size = parseInt(body.slice(at, eol), 16);
    if (!size || body.length < eol + 2 + size) return out;
    out.push(body.slice(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

test('a backlog of events replayed in one turn goes out as one chunk, in order', async () => {
  const cms = '/api/v1/namespaces/default/configmaps';
  const client = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
  const names = ['w-0', 'w-1', 'w-2', 'w-3', 'w-4'];
  let rv: string;
  try {
    rv = ((await client.request('GET', `${cms}?limit=1`)) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    for (const name of names) await client.request('POST', cms, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { stream: 'y' } }, data: { a: '1' } } });
  } finally {
    client.close();
  }
  const url = new URL(ts.server.url);
  const raw = await new Promise<string>((resolve, reject) => {
    let got = '';
    const s = connect({ host: url.hostname, port: Number(url.port), ca: ts.server.caPem, cert: ts.server.adminCredentials.certPem, key: ts.server.adminCredentials.keyPem, servername: 'localhost' }, () => {
      s.write(`GET ${cms}?watch=true&resourceVersion=${rv}&labelSelector=stream%3Dy HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\n\r\n`);
    });
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      got += d;
      if (chunksOf(got).join('').split('\n').length > names.length) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', reject);
  });
  const chunks = chunksOf(raw);
  assert.equal(chunks.length, 1, `one chunk, got ${chunks.length}`);
  const events = chunks[0]!.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
  assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.name}`), names.map((n) => `ADDED ${n}`));
});
