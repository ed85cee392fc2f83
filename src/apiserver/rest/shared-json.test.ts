import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPlainJson } from './shared-json.js';

describe('isPlainJson: what survives a JSON round trip unchanged', () => {
  // a part known to pass is not walked: one that would fail shows whether it was
  const odd = { n: undefined };
  const cases: [string, unknown, unknown, boolean][] = [
    ['plain values', { a: [1, 'x', true, null, { b: 2 }] }, undefined, true],
    ['undefined in an object', { a: undefined }, undefined, false],
    ['NaN', [Number.NaN], undefined, false],
    ['-0', { a: -0 }, undefined, false],
    ['a Date', { a: new Date(0) }, undefined, false],
    ['a function', { a: () => 1 }, undefined, false],
    ['a part shared with the known value is not walked', { spec: odd, status: { a: 1 } }, { spec: odd }, true],
    ['a part shared at another place is walked', { status: odd }, { spec: odd }, false],
    ['an equal but separate part is walked', { spec: { n: undefined } }, { spec: odd }, false],
    ['new parts beside shared ones are walked', { spec: odd, status: { a: undefined } }, { spec: odd, status: {} }, false],
    ['list items shared at their index are not walked', { items: [odd, 1] }, { items: [odd] }, true],
    ['the known value itself', odd, odd, true],
  ];
  for (const [name, value, known, want] of cases) test(name, () => assert.equal(isPlainJson(value, known), want));
});
