// needs: etcd (scripts/run-tests.mjs skips this file loudly where etcd is not installed, and fails under CI)
// Writes whose connection drops after etcd committed them: the etcd3 client retries them on a new
// connection, and the retry must report the write as done, not as a 409 or 404 (found by `npm run chaos`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { noCompaction } from '../compactor.js';
import { EtcdStore } from './etcd.js';
import { startEtcd, type EtcdCluster } from './local.js';

let cluster: EtcdCluster | undefined;
before(async () => {
  cluster = await startEtcd({ members: 1 });
});
after(async () => {
  await cluster?.stop();
});

/**
 * A TCP proxy to etcd that, once it sees `marker` go to etcd, lets etcd take it, then cuts the client's
 * connection before the answer comes back: the committed-but-unanswered write of a killed member.
 */
async function cuttingProxy(target: string): Promise<{ endpoint: string; cutOn(marker: string): void; cuts(): number; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  let marker: Buffer | undefined;
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    let cutting = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      if (marker && chunk.includes(marker)) {
        marker = undefined;
        cutting = true;
        cuts++;
        setTimeout(() => {
          client.destroy();
          upstream.destroy();
        }, 300);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cutting) client.write(chunk);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${addr.port}`,
    cutOn: (m) => (marker = Buffer.from(m)),
    cuts: () => cuts,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

test('etcd: a create, an update and a delete whose answers were cut after they committed succeed on the client retry', { timeout: 60_000 }, async () => {
  const proxy = await cuttingProxy(cluster!.endpoints[0]!);
  const store = new EtcdStore({ endpoints: [proxy.endpoint], compaction: noCompaction, callTimeoutMs: 8000 });
  try {
    await store.get('/warm-up');
    proxy.cutOn('created-7c1e');
    const created = await store.create('/cut/a', '{"uid":"created-7c1e"}');
    proxy.cutOn('updated-53fa');
    const updated = await store.update('/cut/a', '{"uid":"created-7c1e","v":"updated-53fa"}', created.modRevision);
    assert.ok(updated.modRevision > created.modRevision);
    proxy.cutOn('/cut/a');
    const deleted = await store.delete('/cut/a', updated.modRevision);
    assert.equal(deleted.value, '{"uid":"created-7c1e","v":"updated-53fa"}');
    assert.equal(proxy.cuts(), 3, 'each write lost its first connection');
    assert.equal(await store.get('/cut/a'), undefined);
  } finally {
    await store.close();
    await proxy.close();
  }
});
