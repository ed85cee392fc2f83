import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncLoop } from './sync-loop.js';

test('SyncLoop: one pass at a time, a change during a pass runs one more, a failed pass is retried until it completes', async () => {
  let passes = 0;
  let concurrent = 0;
  let failuresLeft = 2;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const completed: number[] = [];
  const loop = new SyncLoop(
    async () => {
      concurrent++;
      assert.equal(concurrent, 1, 'passes never overlap');
      passes++;
      if (passes === 1) await gate;
      concurrent--;
      if (failuresLeft > 0 && passes > 2) {
        failuresLeft--;
        return false;
      }
      completed.push(passes);
      return true;
    },
    { min: 5, max: 20 },
  );
  const first = loop.trigger();
  void loop.trigger(); // during the first pass: asks for exactly one more
  void loop.trigger();
  release();
  await first;
  assert.equal(passes, 2);
  await loop.trigger(); // fails: retried on its own, twice
  await new Promise<void>((resolve, reject) => {
    const until = Date.now() + 2000;
    const check = () => (completed.includes(5) ? resolve() : Date.now() > until ? reject(new Error(`passes ${passes}, completed ${completed}`)) : setTimeout(check, 5));
    check();
  });
  assert.deepEqual(completed, [1, 2, 5]);
  loop.stop();
  await loop.trigger();
  assert.equal(passes, 5, 'a stopped loop runs nothing');
});
