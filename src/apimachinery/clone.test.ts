import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepCopyJson } from './clone.js';

test('deepCopyJson copies as structuredClone does, sharing nothing', () => {
  const when = new Date('2024-01-02T03:04:05Z');
  const cases: [string, unknown][] = [
    ['scalar', 3],
    ['null', null],
    ['string', 'x'],
    ['nested', { metadata: { name: 'a', labels: { x: 'y' } }, spec: { list: [1, { a: [true, null] }], empty: {} } }],
    ['undefined kept as a key', { a: undefined, b: 1 }],
    ['array of arrays', [[1], [2, [3]]]],
    ['a Date inside', { at: when }],
    ['null prototype', Object.assign(Object.create(null), { k: { v: 1 } })],
    ['a "__proto__" key from JSON stays a key', JSON.parse('{"__proto__": {"x": 1}, "a": 2}')],
  ];
  for (const [name, input] of cases) {
    const copy = deepCopyJson(input);
    assert.deepStrictEqual(copy, structuredClone(input), name);
    if (typeof input === 'object' && input !== null) assert.notEqual(copy, input, `${name}: a new object`);
  }
  const src = { spec: { items: [{ a: 1 }] } };
  const copy = deepCopyJson(src);
  copy.spec.items[0]!.a = 2;
  assert.equal(src.spec.items[0]!.a, 1, 'nested objects are not shared');
  assert.ok(deepCopyJson({ at: when }).at instanceof Date);
});
