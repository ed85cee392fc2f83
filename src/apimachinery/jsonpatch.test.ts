import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import { applyJsonPatch } from './jsonpatch.js';

const doc = { metadata: { name: 'x', labels: { a: '1' } }, spec: { list: [1, 2, 3] } };

describe('applyJsonPatch: operations', () => {
  const cases: { name: string; patch: unknown; want: unknown }[] = [
    { name: 'add a key', patch: [{ op: 'add', path: '/metadata/labels/b', value: '2' }], want: { ...doc, metadata: { name: 'x', labels: { a: '1', b: '2' } } } },
    { name: 'replace a key', patch: [{ op: 'replace', path: '/metadata/labels/a', value: '9' }], want: { ...doc, metadata: { name: 'x', labels: { a: '9' } } } },
    { name: 'remove a key', patch: [{ op: 'remove', path: '/metadata/labels/a' }], want: { ...doc, metadata: { name: 'x', labels: {} } } },
    { name: 'append with -', patch: [{ op: 'add', path: '/spec/list/-', value: 4 }], want: { ...doc, spec: { list: [1, 2, 3, 4] } } },
    { name: 'insert at index', patch: [{ op: 'add', path: '/spec/list/0', value: 0 }], want: { ...doc, spec: { list: [0, 1, 2, 3] } } },
    { name: 'escaped slash in key', patch: [{ op: 'add', path: '/metadata/labels/app.io~1name', value: 'w' }], want: { ...doc, metadata: { name: 'x', labels: { a: '1', 'app.io/name': 'w' } } } },
    { name: 'passing test then replace', patch: [{ op: 'test', path: '/metadata/name', value: 'x' }, { op: 'replace', path: '/metadata/name', value: 'y' }], want: { ...doc, metadata: { name: 'y', labels: { a: '1' } } } },
    { name: 'move', patch: [{ op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/z' }], want: { ...doc, metadata: { name: 'x', labels: { z: '1' } } } },
    { name: 'copy', patch: [{ op: 'copy', from: '/metadata/name', path: '/metadata/labels/n' }], want: { ...doc, metadata: { name: 'x', labels: { a: '1', n: 'x' } } } },
    { name: 'string patch body', patch: '[{"op":"remove","path":"/spec"}]', want: { metadata: doc.metadata } },
    { name: 'empty patch', patch: [], want: doc },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(applyJsonPatch(doc, c.patch), c.want));

  test('the input document is untouched, even when a later op fails', () => {
    const d = structuredClone(doc);
    assert.throws(() => applyJsonPatch(d, [{ op: 'remove', path: '/metadata/labels/a' }, { op: 'test', path: '/metadata/name', value: 'nope' }]));
    assert.deepEqual(d, doc);
  });
});

describe('applyJsonPatch: failures become Status errors', () => {
  const cases: { name: string; patch: unknown; code: number; cause?: string; message?: string }[] = [
    { name: 'failed test → 422', patch: [{ op: 'test', path: '/metadata/name', value: 'y' }], code: 422, cause: 'testing value /metadata/name failed: test failed' },
    { name: 'remove missing path → 422', patch: [{ op: 'remove', path: '/metadata/annotations' }], code: 422, cause: 'remove operation does not apply: doc is missing path: "/metadata/annotations": missing value' },
    { name: 'replace missing path → 422', patch: [{ op: 'replace', path: '/nope', value: 1 }], code: 422, cause: 'replace operation does not apply: doc is missing path: "/nope": missing value' },
    { name: 'add under a missing parent → 422', patch: [{ op: 'add', path: '/a/b/c', value: 1 }], code: 422, cause: 'add operation does not apply: doc is missing path: "/a/b/c": missing value' },
    { name: 'unknown op → 422', patch: [{ op: 'frob', path: '/a' }], code: 422, cause: 'Unexpected kind: frob' },
    { name: 'object instead of list → 400', patch: { op: 'add' }, code: 400, message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
    { name: 'malformed JSON → 400', patch: '[{', code: 400 },
    { name: 'operation not an object → 400', patch: ['x'], code: 400 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => applyJsonPatch(doc, c.patch),
        (e: unknown) => {
          assert.ok(isStatusError(e), String(e));
          assert.equal(e.code, c.code);
          if (c.code === 422) {
            assert.equal(e.status.reason, 'Invalid');
            assert.equal(e.message, 'the server rejected our request due to an error in our request');
          }
          if (c.cause) assert.equal(e.status.details?.causes?.[0]?.message, c.cause);
          if (c.message) assert.equal(e.message, c.message);
          return true;
        },
      );
    });
  }
});
