// A write's answer shared with the watch echo of the version it wrote (WriteOptions.shareAnswer),
// against a real API server: the echo is handed over as the very object the write answered, equal to
// what decoding the frame gives, and nothing else is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from './client.js';
import type { KubeObject } from '../apimachinery/types.js';
import { startTestServer } from '../../test/support/apiserver.js';

const configMaps = { group: '', version: 'v1', resource: 'configmaps' };
const configMap = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { a: 'b' } }, data: { k: name } });

test('shareAnswer: the watch echo of a write is the answer itself; other events and unshared writes are decoded', async () => {
  const ts = await startTestServer();
  const sharing = KubeClient.fromKubeconfig(ts.server.adminKubeconfig(), { dropManagedFields: true });
  const plain = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
  const events: [string, KubeObject][] = [];
  // the same events decoded from their frames, by a client that shares nothing
  const decoded: KubeObject[] = [];
  const stops: (() => void)[] = [];
  try {
    const seen = (n: number) => new Promise<void>((resolve) => {
      const poll = () => (events.length >= n && decoded.length >= n ? resolve() : setTimeout(poll, 5));
      poll();
    });
    const from = { namespace: 'default', resourceVersion: '0', dropManagedFields: true };
    stops.push((await sharing.watch(configMaps, from, (type, obj) => events.push([type, obj]), () => {})).stop);
    stops.push((await plain.watch(configMaps, from, (_t, obj) => decoded.push(obj), () => {})).stop);
    const created = await sharing.create(configMap('shared'), { shareAnswer: true });
    const updated = await sharing.replace({ ...created, data: { k: 'changed' } }, { shareAnswer: true });
    const status = await sharing.replace({ ...updated, metadata: { ...updated.metadata, labels: { a: 'c' } } });
    const other = await plain.create(configMap('other'));
    await seen(4);
    assert.deepEqual(events.map(([t, o]) => [t, o.metadata.name, o.metadata.resourceVersion]), [
      ['ADDED', 'shared', created.metadata.resourceVersion],
      ['MODIFIED', 'shared', updated.metadata.resourceVersion],
      ['MODIFIED', 'shared', status.metadata.resourceVersion],
      ['ADDED', 'other', other.metadata.resourceVersion],
    ]);
    assert.equal(events[0]![1], created, 'the create echo is the answer');
    assert.equal(events[1]![1], updated, 'the replace echo is the answer');
    assert.notEqual(events[2]![1], status, 'a write without shareAnswer is decoded from its frame');
    // the shared answers are what the frames hold
    assert.deepEqual(events.map(([, o]) => o), decoded);
  } finally {
    for (const stop of stops) stop();
    sharing.close();
    plain.close();
    await ts.stop();
  }
});

test('shareAnswer: a client that keeps managedFields shares nothing (its watches may drop them)', async () => {
  const ts = await startTestServer();
  const plain = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
  const events: KubeObject[] = [];
  let stop: (() => void) | undefined;
  try {
    ({ stop } = await plain.watch(configMaps, { namespace: 'default', resourceVersion: '0', dropManagedFields: true }, (_t, obj) => events.push(obj), () => {}));
    const created = await plain.create(configMap('kept'), { shareAnswer: true });
    await new Promise<void>((resolve) => {
      const poll = () => (events.length >= 1 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    assert.notEqual(events[0], created);
    assert.ok(created.metadata.managedFields, 'the caller keeps its managedFields');
    assert.equal(events[0]!.metadata.managedFields, undefined);
  } finally {
    stop?.();
    plain.close();
    await ts.stop();
  }
});
