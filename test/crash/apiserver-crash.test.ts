// kill -9 of `karmada-ts apiserver` in the middle of concurrent writes: every write the server
// acknowledged over HTTP is there after a restart on the same data dir (SQLite) or etcd, and
// resourceVersions keep growing past every one handed out before the crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configMap, credentialsFromDataDir, KubeHttp } from '../../bench/support/kube-https.js';
import { skipWithoutEtcd, startEtcd } from '../../src/storage/etcd/local.js';
import { startApiServerProcess, type ApiServerProcess } from '../support/apiserver-process.js';

const writers = 8;
const cmPath = '/api/v1/namespaces/default/configmaps';

interface Ack {
  name: string;
  resourceVersion: number;
  data: Record<string, string>;
}

/**
 * Each writer creates its own ConfigMaps and updates each twice (seq 0, 1, 2), recording every
 * acknowledgment, until it sees an error (the server is gone). Names are the writer's alone, so the
 * last acknowledgment of a name is its newest state.
 */
async function writeUntilFailure(client: KubeHttp, round: number, acks: Map<string, Ack>, onAck: () => void): Promise<void> {
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      try {
        for (let n = 0; ; n++) {
          const name = `r${round}-w${w}-${n}`;
          let data = { writer: String(w), seq: '0' };
          let res = await client.post(cmPath, configMap(name, data), { timeoutMs: 10_000 });
          if (res.status !== 201) return;
          acks.set(name, { name, resourceVersion: Number(res.body.metadata.resourceVersion), data });
          onAck();
          for (let seq = 1; seq <= 2; seq++) {
            data = { writer: String(w), seq: String(seq) };
            res = await client.put(`${cmPath}/${name}`, configMap(name, data, 'default', res.body.metadata.resourceVersion), { timeoutMs: 10_000 });
            if (res.status !== 200) return;
            acks.set(name, { name, resourceVersion: Number(res.body.metadata.resourceVersion), data });
            onAck();
          }
        }
      } catch {
        // the connection died with the server: whatever was in flight was never acknowledged
      }
    }),
  );
}

async function verifyAfterRestart(client: KubeHttp, acks: Map<string, Ack>): Promise<void> {
  const list = await client.get(cmPath);
  assert.equal(list.status, 200, list.text);
  const stored = new Map<string, { rv: number; data: Record<string, string> }>(
    list.body.items.map((cm: { metadata: { name: string; resourceVersion: string }; data: Record<string, string> }) => [cm.metadata.name, { rv: Number(cm.metadata.resourceVersion), data: cm.data }]),
  );
  for (const ack of acks.values()) {
    const got = stored.get(ack.name);
    assert.ok(got, `acknowledged ConfigMap ${ack.name} (resourceVersion ${ack.resourceVersion}) is missing after kill -9`);
    assert.ok(got.rv >= ack.resourceVersion, `${ack.name} went back from resourceVersion ${ack.resourceVersion} to ${got.rv}`);
    assert.equal(got.data.writer, ack.data.writer);
    assert.ok(Number(got.data.seq) >= Number(ack.data.seq), `${ack.name}: acknowledged seq ${ack.data.seq}, stored ${got.data.seq}`);
    if (got.rv === ack.resourceVersion) assert.deepEqual(got.data, ack.data);
  }
  // and each one reads back by name too (the GET path, not only LIST)
  const sample = [...acks.values()].filter((_, i) => i % 25 === 0);
  for (const ack of sample) {
    const res = await client.get(`${cmPath}/${ack.name}`);
    assert.equal(res.status, 200, `GET ${ack.name}: ${res.text}`);
    assert.ok(Number(res.body.metadata.resourceVersion) >= ack.resourceVersion);
  }
}

/** two rounds of: write until kill -9, restart on the same data dir (and storage), verify, write more */
async function crashAndRecover(storageArgs: string[]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'karmada-ts-apiserver-crash-'));
  let server: ApiServerProcess | undefined;
  const clients: KubeHttp[] = [];
  const connect = (s: ApiServerProcess) => {
    const c = new KubeHttp(credentialsFromDataDir(s.url, dataDir), { maxSockets: writers });
    clients.push(c);
    return c;
  };
  try {
    const acks = new Map<string, Ack>();
    let highestAcked = 0;
    for (const round of [1, 2]) {
      server = await startApiServerProcess(dataDir, storageArgs);
      const client = connect(server);
      let count = 0;
      const target = 250 * round;
      const victim = server;
      let killed: Promise<void> | undefined;
      await writeUntilFailure(client, round, acks, () => {
        if (++count === target) killed = victim.kill('SIGKILL');
      });
      await killed;
      assert.ok(count >= target, `only ${count} writes were acknowledged before the writers stopped:\n${victim.output()}`);
      assert.equal(victim.child.signalCode, 'SIGKILL', 'the server died of kill -9, not by itself');
      client.close();
      for (const ack of acks.values()) highestAcked = Math.max(highestAcked, ack.resourceVersion);

      server = await startApiServerProcess(dataDir, storageArgs);
      const after = connect(server);
      await verifyAfterRestart(after, acks);

      const created = await after.post(cmPath, configMap(`after-crash-${round}`, { a: 'b' }));
      assert.equal(created.status, 201, created.text);
      const createdRv = Number(created.body.metadata.resourceVersion);
      assert.ok(createdRv > highestAcked, `a create after the restart got resourceVersion ${createdRv}, not above ${highestAcked}`);
      const someAck = acks.values().next().value!;
      const current = await after.get(`${cmPath}/${someAck.name}`);
      // a seq of its own each round: an update that changes nothing keeps its resourceVersion, as in kube
      const seq = String(100 + round);
      const updated = await after.put(`${cmPath}/${someAck.name}`, { ...current.body, data: { ...current.body.data, seq } });
      assert.equal(updated.status, 200, updated.text);
      assert.ok(Number(updated.body.metadata.resourceVersion) > createdRv);
      acks.set(someAck.name, { name: someAck.name, resourceVersion: Number(updated.body.metadata.resourceVersion), data: { writer: someAck.data.writer, seq } });
      highestAcked = Number(updated.body.metadata.resourceVersion);
      after.close();
      await server.kill('SIGTERM');
      server = undefined;
    }
  } finally {
    for (const c of clients) c.close();
    await server?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('apiserver on sqlite: every acknowledged write survives kill -9; resourceVersions continue above them', { timeout: 60_000 }, async () => {
  await crashAndRecover(['--storage', 'sqlite']);
});

test('apiserver on etcd (--etcd-servers): kill -9 of the server loses no acknowledged write; resourceVersions continue', { timeout: 60_000, skip: skipWithoutEtcd() }, async () => {
  const etcd = await startEtcd({ members: 1 });
  try {
    await crashAndRecover(['--storage', 'etcd', '--etcd-servers', etcd.endpoints.join(',')]);
  } finally {
    await etcd.stop();
  }
});
