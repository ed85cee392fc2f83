import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BackoffQueue } from './backoff.js';

describe('BackoffQueue', () => {
  const setup = (priorities: Record<string, number>) => {
    let t = 0;
    const q = new BackoffQueue({ priority: (k) => priorities[k] ?? 0, now: () => t });
    return { q, at: (ms: number) => (t = ms) };
  };

  test('backoff doubles from 1 s and stops at 10 s (calculateBackoffDuration)', () => {
    const { q } = setup({});
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((n) => q.backoffMs(n)), [0, 1000, 2000, 4000, 8000, 10000, 10000]);
  });

  test('a flush moves every completed binding, highest priority first, then the earlier failure', () => {
    const { q, at } = setup({ low: 1, high: 100, mid: 50, mid2: 50 });
    at(0);
    q.push('low');
    at(10);
    q.push('mid2');
    at(20);
    q.push('high');
    at(30);
    q.push('mid');
    at(500);
    assert.deepEqual(q.flush(), [], 'nothing before its backoff ends');
    at(1030);
    assert.deepEqual(q.flush(), ['high', 'mid2', 'mid', 'low']);
    assert.equal(q.length, 0);
  });

  test('a binding still backing off stays for a later flush', () => {
    const { q, at } = setup({ a: 0, b: 10 });
    at(0);
    q.push('a');
    at(0);
    q.push('b');
    q.push('b'); // a key already waiting keeps its place
    at(1000);
    assert.deepEqual(q.flush(), ['b', 'a']);
    q.push('b'); // third failure: 4 s
    at(4999);
    assert.deepEqual(q.flush(), []);
    at(5000);
    assert.deepEqual(q.flush(), ['b']);
  });

  test('success forgets the failures', () => {
    const { q, at } = setup({});
    at(0);
    q.push('a');
    q.forget('a');
    q.push('a');
    at(1000);
    assert.deepEqual(q.flush(), ['a'], 'back to the initial backoff');
  });
});
