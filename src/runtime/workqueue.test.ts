import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LowPriority, WorkQueue, runWorkers, workerTurnMs } from './workqueue.js';

test('a key added many times while queued is handed out once', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.add('a');
  q.add('b');
  assert.equal(q.length, 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
  q.shutdown();
});

test('a key re-added while processing is queued again after done', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  const k = await q.get();
  q.add('a');
  assert.equal(q.length, 0, 'not handed out twice at once');
  q.done(k!);
  assert.equal(q.length, 1);
  q.shutdown();
});

test('isWaiting: a key queued and not yet handed out; not while processing, nor once done', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  assert.equal(q.isWaiting('a'), true);
  assert.equal(q.isWaiting('b'), false);
  const k = await q.get();
  assert.equal(q.isWaiting('a'), false, 'processing');
  q.done(k!);
  assert.equal(q.isWaiting('a'), false, 'done');
  q.shutdown();
});

test('failing keys are retried with backoff until they succeed', async () => {
  const q = new WorkQueue<string>({ baseDelayMs: 1 });
  // retry timers are unref'd (they must not keep a process alive), so hold the loop open here
  const keepAlive = setInterval(() => {}, 1000);
  let calls = 0;
  const done = runWorkers(q, 2, async () => {
    calls++;
    if (calls < 4) throw new Error('not yet');
    q.shutdown();
  });
  q.add('x');
  await done;
  clearInterval(keepAlive);
  assert.equal(calls, 4);
});

test('with a priority, higher keys are handed out first and equal ones in queued order', async () => {
  const priorities: Record<string, number> = { low: 0, mid1: 5, high: 10, mid2: 5, low2: 0 };
  const q = new WorkQueue<string>({ priority: (k) => priorities[k] });
  for (const k of ['low', 'mid1', 'high', 'mid2', 'low2']) q.add(k);
  const order: string[] = [];
  for (let i = 0; i < 5; i++) {
    const k = (await q.get())!;
    order.push(k);
    q.done(k);
  }
  assert.deepEqual(order, ['high', 'mid1', 'mid2', 'low', 'low2']);
  q.shutdown();
});

test('without a priority the queue stays first in, first out', async () => {
  const q = new WorkQueue<string>();
  for (const k of ['c', 'a', 'b']) q.add(k);
  const order: string[] = [];
  for (let i = 0; i < 3; i++) order.push((await q.get())!);
  assert.deepEqual(order, ['c', 'a', 'b']);
  q.shutdown();
});

test('a shut-down queue hands out nothing more, even keys still queued', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.add('b');
  q.shutdown();
  assert.equal(await q.get(), undefined);
  assert.equal(q.length, 0);
  q.add('c');
  assert.equal(await q.get(), undefined, 'adds after shutdown are ignored');
});

test('workers stop after their current key when the queue shuts down', async () => {
  const q = new WorkQueue<string>();
  const seen: string[] = [];
  for (const k of ['a', 'b', 'c']) q.add(k);
  await runWorkers(q, 1, async (k) => {
    seen.push(k);
    q.shutdown();
  });
  assert.deepEqual(seen, ['a']);
});

test('a key already waiting keeps the earlier of two delays', async () => {
  const q = new WorkQueue<string>();
  const keepAlive = setInterval(() => {}, 1000); // delay timers are unref'd
  q.addAfter('a', 20);
  q.addAfter('a', 10_000);
  const started = performance.now();
  assert.equal(await q.get(), 'a');
  assert.ok(performance.now() - started < 1000, 'the later time did not push it back');
  q.addAfter('b', 10_000);
  q.addAfter('b', 20);
  assert.equal(await Promise.race([q.get(), new Promise((r) => setTimeout(() => r('late'), 1000))]), 'b', 'an earlier time moves it forward');
  q.shutdown();
  clearInterval(keepAlive);
});

test('priorities given to add: low keys wait behind normal ones, a re-add at a higher priority moves a key up', async () => {
  const cases: { name: string; steps: (q: WorkQueue<string>) => void; want: string[] }[] = [
    { name: 'low after normal, FIFO within each', steps: (q) => [['l1', LowPriority], ['l2', LowPriority], ['n1'], ['n2']].forEach(([k, p]) => q.add(k as string, p as number | undefined)), want: ['n1', 'n2', 'l1', 'l2'] },
    { name: 'a low key touched again by a fresh change goes first', steps: (q) => [['l1', LowPriority], ['l2', LowPriority], ['l3', LowPriority], ['l3']].forEach(([k, p]) => q.add(k as string, p as number | undefined)), want: ['l3', 'l1', 'l2'] },
    { name: 'a normal key added again at low priority stays where it was', steps: (q) => [['n1'], ['l1', LowPriority], ['n1', LowPriority]].forEach(([k, p]) => q.add(k as string, p as number | undefined)), want: ['n1', 'l1'] },
  ];
  for (const c of cases) {
    const q = new WorkQueue<string>();
    c.steps(q);
    const got: string[] = [];
    while (q.length) {
      const k = (await q.get())!;
      got.push(k);
      q.done(k);
    }
    assert.deepEqual(got, c.want, c.name);
  }
});

test('a key moved up and queued again at low priority later waits at its new place, and a long backlog keeps its order', async () => {
  const q = new WorkQueue<string>();
  for (const k of ['l1', 'l2', 'l3']) q.add(k, LowPriority);
  q.add('l2'); // moved up: its old entry stays behind l1
  assert.equal(await q.get(), 'l2');
  q.done('l2');
  q.add('l2', LowPriority); // queued again: behind l3 now, not at its old place
  const got: string[] = [];
  while (q.length) got.push((await q.get())!);
  assert.deepEqual(got, ['l1', 'l3', 'l2']);

  const n = 5000; // past the point where the queue compacts what it handed out
  for (let i = 0; i < n; i++) q.add(`b${i}`, LowPriority);
  const order: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 2000) q.add('fresh');
    const k = (await q.get())!;
    order.push(k);
    q.done(k);
  }
  assert.equal(order[2000], 'fresh', 'a fresh key goes before the rest of the backlog');
  assert.deepEqual(order.filter((k) => k !== 'fresh'), Array.from({ length: n - 1 }, (_, i) => `b${i}`));
  assert.equal(q.length, 1);
  assert.equal(await q.get(), `b${n - 1}`);
  q.shutdown();
});

test('a key added at low priority and then normally while it was processing comes back at normal priority', async () => {
  const q = new WorkQueue<string>();
  q.add('a', LowPriority);
  assert.equal(await q.get(), 'a');
  q.add('a', LowPriority);
  q.add('a');
  q.add('b', LowPriority);
  q.done('a');
  assert.equal(await q.get(), 'a', 'the higher of the two priorities it was given');
  q.shutdown();
});

test('a queue ordered by its own priority function ignores priorities given to add, but for the initial list', async () => {
  const prio: Record<string, number> = { a: 1, b: 5, c: 5 };
  const q = new WorkQueue<string>({ priority: (k) => prio[k] ?? 0 });
  q.add('a', 100);
  q.add('b', LowPriority);
  assert.equal(await q.get(), 'b');
  assert.equal(await q.get(), 'a');
  // a restarted scheduler: its backlog (initial list, LowPriority) waits behind a fresh key of the same
  // schedulePriority, and a backlog key touched by a fresh event moves up; a higher schedulePriority still wins
  for (const k of ['old1', 'old2', 'old3']) q.add(k, LowPriority);
  q.add('fresh');
  q.add('old3');
  q.add('c', LowPriority);
  const got: string[] = [];
  while (q.length) got.push((await q.get())!);
  assert.deepEqual(got, ['c', 'fresh', 'old3', 'old1', 'old2']);
  q.shutdown();
});

test('workers over a backlog of reconciles that need no I/O let the event loop in every workerTurnMs, so a fresh key queued by an I/O callback goes first', async () => {
  const q = new WorkQueue<string>();
  for (let i = 0; i < 4000; i++) q.add(`old${i}`, LowPriority);
  const done: string[] = [];
  const busy = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };
  // cache-only reconciles: CPU, then a promise already resolved
  const workers = runWorkers(q, 2, async (key) => {
    busy(0.05);
    done.push(key);
    if (key === 'fresh') q.shutdown();
  });
  // a watch event arriving while the backlog runs (a macrotask, as socket data is)
  let freshQueuedAfter = -1;
  setTimeout(() => {
    freshQueuedAfter = done.length;
    q.add('fresh', 10);
  }, 0);
  await workers;
  assert.ok(freshQueuedAfter >= 0 && freshQueuedAfter < 4000, `the timer ran only after ${freshQueuedAfter} of 4000 reconciles`);
  assert.ok(freshQueuedAfter * 0.05 < workerTurnMs * 20, `the timer waited ${freshQueuedAfter} reconciles of 0.05 ms`);
  assert.equal(done.at(-1), 'fresh', 'the fresh key went ahead of the backlog left');
  assert.ok(done.length < 4001, 'and the backlog had not been worked off before it');
});
