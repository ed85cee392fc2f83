import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../apimachinery/types.js';
import type { KubeClient } from './client.js';
import { aggregate, aggregateMaxEvents, EventRecorder } from './events.js';

/** a client that records event writes; each write takes a few ms, as over HTTP */
function fakeClient() {
  const writes: { verb: 'create' | 'patch'; count: number; reason?: string; message?: string }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const slow = async <T>(fn: () => T): Promise<T> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 3));
    inFlight--;
    return fn();
  };
  // events are POSTed and merge-PATCHed under /api/v1/namespaces/<ns>/events, their answers not decoded
  const client = {
    request: (method: string, path: string, opts: { body: KubeObject & { count: number; reason: string; message: string }; decode?: boolean }) => {
      assert.match(path, /^\/api\/v1\/namespaces\/[^/]+\/events/);
      assert.equal(opts.decode, false);
      const b = opts.body;
      const combined = b.message.startsWith('(combined') ? { message: b.message } : {};
      if (method === 'POST') return slow(() => void writes.push({ verb: 'create', count: b.count, reason: b.reason, ...combined }));
      return slow(() => void writes.push({ verb: 'patch', count: b.count, ...combined }));
    },
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

  test('recording never waits for the API: a full queue drops, counts and logs (once a second), and what was queued is written', async () => {
    const f = fakeClient();
    const logged: { obj: object; msg: string }[] = [];
    const r = new EventRecorder(f.client, 'test', { concurrency: 1, maxQueued: 5, log: { warn: (obj, msg) => logged.push({ obj, msg }) } });
    for (let i = 0; i < 50; i++) r.record(pod(String(i)), 'Normal', 'SyncSucceed', `applied ${i}`);
    assert.equal(r.queued, 5, 'one being written, five waiting');
    assert.equal(r.dropped, 44);
    assert.equal(logged.length, 1, 'one line for the burst, not one per drop');
    assert.match(logged[0].msg, /^unable to record event: too many queued events, dropped event Normal SyncSucceed on Pod\/default\/p-6: applied 6$/);
    assert.deepEqual(logged[0].obj, { component: 'test', dropped: 1, droppedSinceLastLog: 1, queued: 5 });
    await r.flush();
    assert.deepEqual(f.writes.map((w) => w.count), [1, 1, 1, 1, 1, 1], 'the first and the five queued are written');
  });

  test('while the pipeline is busy events yield to it: one at a time, busyPerSecond apart, after its own requests; idle again, `concurrency` at once', async () => {
    const f = fakeClient();
    let busy = true;
    const order: string[] = [];
    const started: number[] = [];
    const client = {
      request: (method: string, path: string, opts: { body: KubeObject }) => {
        order.push(`event ${opts.body.metadata.name!.split('.')[0]}`);
        started.push(performance.now());
        return f.client.request(method, path, opts);
      },
    } as unknown as KubeClient;
    const r = new EventRecorder(client, 'test', { concurrency: 4, busy: () => busy, busyPerSecond: 50 });
    for (let i = 0; i < 12; i++) r.record(pod(String(i)), 'Normal', 'Synced', 'ok');
    order.push('pipeline request issued in the same turn');
    assert.equal(r.queued, 12, 'nothing written in the turn that recorded them');
    while (f.writes.length < 4) await new Promise((res) => setImmediate(res));
    assert.equal(f.maxInFlight(), 1);
    assert.equal(order[0], 'pipeline request issued in the same turn');
    for (let i = 1; i < started.length; i++) assert.ok(started[i]! - started[i - 1]! >= 19, `busy: event ${i} started ${(started[i]! - started[i - 1]!).toFixed(1)} ms after the one before, under 1/50 s`);
    busy = false;
    await r.flush();
    assert.equal(f.writes.length, 12);
    assert.equal(f.maxInFlight(), 4, 'the rest `concurrency` at once once the pipeline is idle');
  });

  test('a Warning recorded into a full queue takes the place of the oldest Normal event; Normal ones are dropped', async () => {
    const f = fakeClient();
    const r = new EventRecorder(f.client, 'test', { concurrency: 1, maxQueued: 3 });
    r.record(pod('0'), 'Normal', 'Synced', 'being written');
    for (let i = 1; i <= 3; i++) r.record(pod(String(i)), 'Normal', 'Synced', `queued ${i}`);
    r.record(pod('4'), 'Warning', 'SyncFailed', 'a failure');
    r.record(pod('5'), 'Normal', 'Synced', 'no room');
    r.record(pod('6'), 'Warning', 'SyncFailed', 'another failure');
    r.record(pod('7'), 'Warning', 'SyncFailed', 'a third failure');
    r.record(pod('8'), 'Warning', 'SyncFailed', 'no Normal left to replace');
    assert.equal(r.dropped, 5, 'queued 1, 2 and 3 made room; 5 and 8 found none');
    await r.flush();
    assert.deepEqual(f.writes.map((w) => w.reason), ['Synced', 'SyncFailed', 'SyncFailed', 'SyncFailed']);
  });

  test('similar events past ten messages become one combined Event, as client-go aggregates them', async () => {
    const f = fakeClient();
    const r = new EventRecorder(f.client, 'test', { repeatDelayMs: 0 });
    for (let i = 1; i <= 100; i++) r.record(pod('t'), 'Normal', 'SyncSucceed', `Successfully applied resource(default/t) to cluster member${i}`);
    r.record(pod('u'), 'Normal', 'SyncSucceed', 'Successfully applied resource(default/u) to cluster member1');
    await r.flush();
    const creates = f.writes.filter((w) => w.verb === 'create');
    assert.equal(creates.length, 11, 'nine of their own, one combined for the other 91, and one of another object');
    // recorded while the first writes were under way, the 91 wait as one, with the latest message
    assert.deepEqual(f.writes.filter((w) => w.message), [{ verb: 'create', count: 91, reason: 'SyncSucceed', message: '(combined from similar events): Successfully applied resource(default/t) to cluster member100' }]);
    r.record(pod('t'), 'Normal', 'SyncSucceed', 'Successfully applied resource(default/t) to cluster member101');
    await r.flush();
    assert.deepEqual(f.writes.at(-1), { verb: 'patch', count: 92, message: '(combined from similar events): Successfully applied resource(default/t) to cluster member101' });
  });
});

describe('aggregate (EventAggregator)', () => {
  const cases: { name: string; messages: string[]; want: string }[] = [
    { name: 'the first message is its own', messages: ['a'], want: 'a' },
    { name: 'nine distinct messages are each their own', messages: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], want: '9' },
    { name: 'the tenth distinct message is combined', messages: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], want: '(combined from similar events): 10' },
    { name: 'a message already seen stays its own past the threshold', messages: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '3'], want: '3' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const seen = new Map();
      let last = { key: '', message: '' };
      for (const m of c.messages) last = aggregate(seen, 'uid|Normal|R', m, 1000);
      assert.equal(last.message, c.want);
      assert.equal(last.key.endsWith('(combined)'), c.want.startsWith('(combined'));
    });
  }
  test('the count restarts after ten minutes without a similar event', () => {
    const seen = new Map();
    for (let i = 0; i < aggregateMaxEvents; i++) aggregate(seen, 'k', String(i), 0);
    assert.equal(aggregate(seen, 'k', 'new', 601_000).message, 'new');
  });
});
