// The work status controller's debounce of a progressing member object's changes: quiet for a while,
// or held back too long, then one reconcile; healthy or gone, at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debouncer } from './controller.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('changes in quick succession fire once, after they stop', async () => {
  const fired: string[] = [];
  const d = debouncer((k) => fired.push(k), 300, 10_000);
  for (let i = 0; i < 5; i++) {
    d.hold('ns/w');
    await tick(5);
  }
  assert.deepEqual(fired, [], 'held while the changes keep coming');
  while (d.size > 0) await tick(5);
  assert.deepEqual(fired, ['ns/w']);
});

test('an object that never stops changing is reflected no later than the longest wait', async () => {
  const fired: string[] = [];
  const d = debouncer((k) => fired.push(k), 40, 100);
  const started = performance.now();
  while (fired.length === 0) {
    d.hold('ns/w');
    await tick(10);
    assert.ok(performance.now() - started < 5_000, 'fired while the changes still came');
  }
  assert.equal(fired.length, 1);
  d.now('ns/w');
});

test('a change that needs no wait fires at once and ends the holding; keys are held apart', async () => {
  const fired: string[] = [];
  const d = debouncer((k) => fired.push(k), 30, 10_000);
  d.hold('ns/a');
  d.hold('ns/b');
  d.now('ns/a');
  assert.deepEqual(fired, ['ns/a']);
  while (d.size > 0) await tick(5);
  assert.deepEqual(fired, ['ns/a', 'ns/b'], 'a fired once, b after its quiet time');
});
