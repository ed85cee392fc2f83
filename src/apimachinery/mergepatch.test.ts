import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, createMergePatch } from './mergepatch.js';

// The RFC 7386 appendix A examples, plus the Kubernetes uses (labels, scale).
describe('applyMergePatch', () => {
  const cases: { name: string; target: unknown; patch: unknown; want: unknown }[] = [
    { name: 'replaces a value', target: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
    { name: 'adds a key', target: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
    { name: 'null deletes', target: { a: 'b' }, patch: { a: null }, want: {} },
    { name: 'null deletes only that key', target: { a: 'b', b: 'c' }, patch: { a: null }, want: { b: 'c' } },
    { name: 'arrays replace', target: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
    { name: 'value becomes array', target: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
    { name: 'nested objects merge', target: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, want: { a: { b: 'd' } } },
    { name: 'arrays of objects replace wholesale', target: { a: [{ b: 'c' }] }, patch: { a: [1] }, want: { a: [1] } },
    { name: 'non-object patch replaces the document', target: ['a', 'b'], patch: ['c', 'd'], want: ['c', 'd'] },
    { name: 'object patch on a non-object target', target: ['a'], patch: { a: 'b' }, want: { a: 'b' } },
    { name: 'nulls inside new objects are dropped', target: {}, patch: { a: { bb: { ccc: null } } }, want: { a: { bb: {} } } },
    { name: 'nulls inside arrays are kept', target: {}, patch: { a: [null] }, want: { a: [null] } },
    { name: 'kubectl label removal', target: { metadata: { labels: { a: '1', b: '2' } } }, patch: { metadata: { labels: { a: null } } }, want: { metadata: { labels: { b: '2' } } } },
    { name: 'kubectl scale', target: { spec: { replicas: 1, template: {} } }, patch: { spec: { replicas: 3 } }, want: { spec: { replicas: 3, template: {} } } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(applyMergePatch(c.target, c.patch), c.want));

  test('does not modify its inputs', () => {
    const target = { a: { b: 1 } };
    const patch = { a: { c: [1] } };
    const out = applyMergePatch(target, patch) as { a: { c: number[] } };
    out.a.c.push(2);
    assert.deepEqual(target, { a: { b: 1 } });
    assert.deepEqual(patch, { a: { c: [1] } });
  });
});

describe('createMergePatch', () => {
  const cases = [
    { name: 'removal becomes null', from: { a: 1, b: 2 }, to: { a: 1 }, want: { b: null } },
    { name: 'nested change only', from: { m: { x: 1, y: 2 } }, to: { m: { x: 1, y: 3 } }, want: { m: { y: 3 } } },
    { name: 'no change is empty', from: { a: [1] }, to: { a: [1] }, want: {} },
    { name: 'array change replaces', from: { a: [1] }, to: { a: [1, 2] }, want: { a: [1, 2] } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const p = createMergePatch(c.from, c.to);
      assert.deepEqual(p, c.want);
      assert.deepEqual(applyMergePatch(c.from, p), c.to);
    });
  }
});
