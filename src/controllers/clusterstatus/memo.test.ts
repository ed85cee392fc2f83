import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LastComputed } from './memo.js';

describe('LastComputed', () => {
  const informer = {};
  const cases: { name: string; first: unknown[]; second: unknown[]; computes: number }[] = [
    { name: 'same inputs reuse the value', first: [informer, '12', '40', '[]'], second: [informer, '12', '40', '[]'], computes: 1 },
    { name: 'a moved resourceVersion recomputes', first: [informer, '12', '40', '[]'], second: [informer, '13', '40', '[]'], computes: 2 },
    { name: 'another informer (member client rebuilt) recomputes', first: [informer, '12', '40', '[]'], second: [{}, '12', '40', '[]'], computes: 2 },
    { name: 'changed resource models recompute', first: [informer, '12', '40', '[]'], second: [informer, '12', '40', '[{"grade":0}]'], computes: 2 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const memo = new LastComputed<number>();
      let computes = 0;
      const first = memo.get('m1', c.first, () => ++computes);
      const second = memo.get('m1', c.second, () => ++computes);
      assert.equal(computes, c.computes);
      assert.equal(second, c.computes === 1 ? first : 2);
    });
  }

  test('clusters are kept apart and forgotten', () => {
    const memo = new LastComputed<string>();
    assert.equal(memo.get('m1', ['1'], () => 'a'), 'a');
    assert.equal(memo.get('m2', ['1'], () => 'b'), 'b');
    assert.equal(memo.get('m1', ['1'], () => 'c'), 'a');
    memo.forget('m1');
    assert.equal(memo.get('m1', ['1'], () => 'd'), 'd');
  });
});
