import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDocument, jsonDeeperThan, maxNestingDepth, pathDeeperThan } from './body.js';
import { isStatusError } from '../../apimachinery/errors.js';

const nest = (n: number, open = '[', close = ']') => `${open.repeat(n)}1${close.repeat(n)}`;

test('jsonDeeperThan counts nesting on the bytes as pathDeeperThan does on the tree', () => {
  const cases: Array<[string, string, number]> = [
    ['a scalar', '1', 0],
    ['an empty object', '{}', 1],
    ['three arrays', nest(3), 3],
    ['objects', '{"a":{"b":{"c":1}}}', 3],
    ['siblings do not add up', '[[1],[2],[[3]]]', 3],
    ['brackets in strings do not count', '{"a":"[[[[{{{{"}', 1],
    ['an escaped quote does not end the string', '{"a":"\\"[[[["}', 1],
    ['an escaped backslash does', '{"a":"\\\\","b":[[1]]}', 3],
    ['an escaped backslash then an escaped quote', '{"a":"\\\\\\\"[[","b":[1]}', 2],
    ['multi-byte text', '{"ä€😀":["[ü]"]}', 2],
    ['more brackets in strings than levels', `{"a":"${'['.repeat(50)}","b":[{"c":"{{"}]}`, 3],
  ];
  for (const [what, json, depth] of cases) {
    const bytes = Buffer.from(json, 'utf8');
    assert.equal(jsonDeeperThan(bytes, depth), false, `${what}: not deeper than ${depth}`);
    assert.equal(jsonDeeperThan(bytes, depth - 1), depth > 0, `${what}: deeper than ${depth - 1}`);
    assert.equal(pathDeeperThan(JSON.parse(json), depth) !== undefined, false, `${what}: the tree walk agrees at ${depth}`);
    if (depth > 0) assert.equal(pathDeeperThan(JSON.parse(json), depth - 1) !== undefined, true, `${what}: the tree walk agrees at ${depth - 1}`);
  }
});

test('decodeDocument: a JSON body nested past the limit is a 400 naming where, one at the limit decodes', () => {
  for (const [open, close] of [['[', ']'], ['{"a":', '}']] as const) {
    assert.deepEqual(typeof decodeDocument(Buffer.from(`{"x":${nest(maxNestingDepth - 1, open, close)}}`), 'application/json'), 'object');
    assert.throws(
      () => decodeDocument(Buffer.from(`{"x":${nest(maxNestingDepth, open, close)}}`), 'application/json'),
      (err: unknown) => isStatusError(err, 'BadRequest') && /nests deeper than 1000 levels \(at \.x[.\[]/.test((err as Error).message),
    );
    assert.throws(() => decodeDocument(Buffer.from(nest(20_000, open, close)), 'application/json'), (err: unknown) => isStatusError(err, 'BadRequest'));
  }
});
