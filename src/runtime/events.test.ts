import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../apimachinery/types.js';
import type { KubeClient } from './client.js';
import { EventRecorder } from './events.js';

/** a client that records event writes; each write takes a few ms, as over HTTP */
function fakeClient() {
  const writes: { verb: 'create' | 'patch'; count: number; reason?: string }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const slow = async <T>(fn: () => T): Promise<T> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 3));
    inFlight--;
    return fn();
  };
  const client = {
    create: (obj: KubeObject & { count: number; reason: string }) => slow(() => (writes.push({ verb: 'create', count: obj.count, reason: obj.reason }), obj)),
    patch: (_ref: unknown, _name: string, patch: { count: number }) => slow(() => (writes.push({ verb: 'patch', count: patch.count }), {})),
  } as unknown as KubeClient;
  return { client, writes, maxInFlight: () => maxInFlight };
}

const pod = (uid: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${uid}`, namespace: 'default', uid } });

describe('EventRecorder', () => {
  test('repeats of an event still waiting add to its count instead of writing again', async () => {
    const f = fakeClient();
    const r = new EventRecorder(f.client, 'test', { concurrency: 1 });
    r.record(pod('a'), 'Normal', 'Other', 'first'); // takes the only writer
    for (let i = 0; i < 5; i++) r.record(pod('b'), 'Normal', 'Synced', 'ok');
    await r.flush();
    assert.deepEqual(f.writes, [
      { verb: 'create', count: 1, reason: 'Other' },
      { verb: 'create', count: 5, reason: 'Synced' },
    ]);
  });

  test('a repeat after the event was written patches its count', async () => {
    const f = fakeClient();
    const r = new EventRecorder(f.client, 'test', { repeatDelayMs: 0 });
    r.record(pod('a'), 'Normal', 'Synced', 'ok');
    await r.flush();
    r.record(pod('a'), 'Normal', 'Synced', 'ok');
    await r.flush();
    assert.deepEqual(f.writes.map((w) => [w.verb, w.count]), [['create', 1], ['patch', 2]]);
  });

  test('a repeat recorded while its first write is under way waits for it and patches', async () => {
    const f = fakeClient();
    const r = new EventRecorder(f.client, 'test', { concurrency: 4, repeatDelayMs: 0 });
    r.record(pod('a'), 'Normal', 'Synced', 'ok');
    await new Promise((res) => setImmediate(res));
    r.record(pod('a'), 'Normal', 'Synced', 'ok');
    await r.flush();
    assert.deepEqual(f.writes.map((w) => [w.verb, w.count]), [['create', 1], ['patch', 2]]);
  });

  test('at most `concurrency` writes at once; past maxQueued events are dropped', async () => {
    const f = fakeClient();
    const r = new EventRecorder(f.client, 'test', { concurrency: 2, maxQueued: 10 });
    for (let i = 0; i < 20; i++) r.record(pod(String(i)), 'Normal', 'Synced', 'ok');
    await r.flush();
    assert.equal(f.maxInFlight(), 2);
    assert.equal(f.writes.length, 12, 'two taken at once, ten queued');
    assert.equal(r.dropped, 8);
  });

  test('repeats soon after a write wait and become one count patch', async () => {
    const f = fakeClient();
    const r = new EventRecorder(f.client, 'test', { repeatDelayMs: 50 });
    r.record(pod('a'), 'Normal', 'Synced', 'ok');
    await r.flush();
    for (let i = 0; i < 4; i++) r.record(pod('a'), 'Normal', 'Synced', 'ok');
    await new Promise((res) => setTimeout(res, 10));
    assert.equal(f.writes.length, 1, 'the repeats wait');
    await r.flush();
    assert.deepEqual(f.writes.map((w) => [w.verb, w.count]), [['create', 1], ['patch', 5]]);
  });
});
