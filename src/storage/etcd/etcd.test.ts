// needs: etcd (scripts/run-tests.mjs skips this file loudly where etcd is not installed, and fails under CI)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runStoreConformance } from '../conformance.js';
import { noCompaction } from '../compactor.js';
import { ConflictError, KeyExistsError, UnavailableError } from '../store.js';
import { EtcdStore } from './etcd.js';
import { startEtcd, type EtcdCluster } from './local.js';

// one etcd for the whole file; every conformance test writes under its own prefix
let cluster: EtcdCluster | undefined;
before(async () => {
  cluster = await startEtcd({ members: 1 });
});
after(async () => {
  await cluster?.stop();
});

function endpoints(): string[] {
  if (!cluster) throw new Error('etcd did not start (see the before hook)');
  return cluster.endpoints;
}

runStoreConformance('etcd', async () => ({
  store: new EtcdStore({ endpoints: endpoints(), compaction: noCompaction }),
  cleanup: async () => {},
}));

test('etcd: an unreachable endpoint fails fast with UnavailableError and healthy() is false', async () => {
  const store = new EtcdStore({ endpoints: ['http://127.0.0.1:1'], callTimeoutMs: 1000, compaction: noCompaction });
  try {
    const started = Date.now();
    await assert.rejects(store.create('/registry/x', '1'), UnavailableError);
    assert.ok(Date.now() - started < 5000, 'no hang');
    assert.equal(await store.healthy(), false);
  } finally {
    await store.close();
  }
});

test('etcd: compactedRevision() finds the revision etcd compacted to', async () => {
  const store = new EtcdStore({ endpoints: endpoints(), compaction: noCompaction });
  const other = new EtcdStore({ endpoints: endpoints(), compaction: noCompaction });
  try {
    for (let i = 0; i < 5; i++) await store.create(`/registry/compact-probe/${Date.now()}-${i}`, '1');
    const target = (await store.currentRevision()) - 2;
    await store.compact(target);
    // a second client learns it only by probing
    assert.equal(await other.compactedRevision(), target);
  } finally {
    await store.close();
    await other.close();
  }
});

test('etcd: a watch from a past revision on an unreachable cluster ends with UnavailableError promptly', async () => {
  const store = new EtcdStore({ endpoints: ['http://127.0.0.1:1'], callTimeoutMs: 1000, compaction: noCompaction });
  try {
    const started = Date.now();
    const err = await new Promise<Error>((resolve) => {
      store.watch('/registry/', { afterRevision: 5 }, { onEvents: () => {}, onError: resolve });
    });
    assert.ok(err instanceof UnavailableError, String(err));
    assert.ok(Date.now() - started < 5000);
  } finally {
    await store.close();
  }
});

test('etcd: without a client retry, a create of the same bytes or a stale update of them still fails', async () => {
  const store = new EtcdStore({ endpoints: endpoints(), compaction: noCompaction });
  try {
    const created = await store.create('/retry/a', '{"uid":"u1"}');
    await assert.rejects(store.create('/retry/a', '{"uid":"u1"}'), KeyExistsError);
    await store.update('/retry/a', '{"uid":"u1","v":2}', created.modRevision);
    await assert.rejects(store.update('/retry/a', '{"uid":"u1","v":2}', created.modRevision), ConflictError);
  } finally {
    await store.close();
  }
});
