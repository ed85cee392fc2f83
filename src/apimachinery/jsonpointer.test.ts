import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { getAt, joinPointer, pointerProblem, pointerTokens } from './jsonpointer.js';

describe('JSON pointers (RFC 6901)', () => {
  const problems: { name: string; pointer: string; bad: boolean }[] = [
    { name: 'empty is the whole document', pointer: '', bad: false },
    { name: 'ordinary path', pointer: '/spec/replicas', bad: false },
    { name: 'escapes ~0 and ~1', pointer: '/a~0b/c~1d', bad: false },
    { name: 'no leading slash', pointer: 'spec/replicas', bad: true },
    { name: 'dangling ~', pointer: '/a~', bad: true },
    { name: '~ followed by another digit', pointer: '/a~2', bad: true },
  ];
  for (const c of problems) test(c.name, () => assert.equal(pointerProblem(c.pointer) !== undefined, c.bad));

  test('tokens are unescaped, ~1 before ~0 so "~01" is "~1"', () => assert.deepEqual(pointerTokens('/a~1b/~01/'), ['a/b', '~1', '']));
  test('join escapes', () => assert.equal(joinPointer(['a/b', '~']), '/a~1b/~0'));

  const doc = { a: { 'b/c': [10, { d: 'x' }] } };
  const gets: { name: string; pointer: string; want: ReturnType<typeof getAt> }[] = [
    { name: 'object and array steps', pointer: '/a/b~1c/1/d', want: { found: true, value: 'x' } },
    { name: 'array index out of range', pointer: '/a/b~1c/2', want: { found: false, missing: '/a/b~1c/2' } },
    { name: 'leading zero is not an index', pointer: '/a/b~1c/01', want: { found: false, missing: '/a/b~1c/01' } },
    { name: 'missing key reports the first missing step', pointer: '/a/x/y', want: { found: false, missing: '/a/x' } },
    { name: 'stepping into a scalar', pointer: '/a/b~1c/0/z', want: { found: false, missing: '/a/b~1c/0/z' } },
  ];
  for (const c of gets) test(`getAt: ${c.name}`, () => assert.deepEqual(getAt(doc, c.pointer), c.want));
});
