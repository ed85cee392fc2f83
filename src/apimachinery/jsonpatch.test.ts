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
});

describe('applyJsonPatch: looser than RFC 6902, as evanphx/json-patch v4 in kube-apiserver', () => {
  const policy = { spec: { resourceSelectors: [{ kind: 'Deployment' }], placement: {} }, status: null };
  const cases: { name: string; patch: unknown; want: unknown }[] = [
    // Karmada's e2e replaces absent fields this way
    { name: 'replace of a missing object key sets it', patch: [{ op: 'replace', path: '/spec/propagateDeps', value: true }], want: { ...policy, spec: { ...policy.spec, propagateDeps: true } } },
    { name: 'replace of a key holding null sets it', patch: [{ op: 'replace', path: '/status', value: { a: 1 } }], want: { ...policy, status: { a: 1 } } },
    { name: 'test of a missing key against null passes', patch: [{ op: 'test', path: '/spec/preserveResourcesOnDeletion', value: null }], want: policy },
    { name: 'test of a key holding null with no value passes', patch: [{ op: 'test', path: '/status' }], want: policy },
    { name: 'a missing value is null', patch: [{ op: 'add', path: '/spec/x' }], want: { ...policy, spec: { ...policy.spec, x: null } } },
    { name: 'negative index counts from the end (replace)', patch: [{ op: 'replace', path: '/spec/resourceSelectors/-1', value: { kind: 'Service' } }], want: { ...policy, spec: { ...policy.spec, resourceSelectors: [{ kind: 'Service' }] } } },
    { name: 'negative index counts from the end (remove)', patch: [{ op: 'remove', path: '/spec/resourceSelectors/-1' }], want: { ...policy, spec: { ...policy.spec, resourceSelectors: [] } } },
    { name: 'add at index len appends', patch: [{ op: 'add', path: '/spec/resourceSelectors/1', value: { kind: 'X' } }], want: { ...policy, spec: { ...policy.spec, resourceSelectors: [{ kind: 'Deployment' }, { kind: 'X' }] } } },
    { name: 'copy of a missing key copies null', patch: [{ op: 'copy', from: '/spec/nope', path: '/spec/y' }], want: { ...policy, spec: { ...policy.spec, y: null } } },
    { name: 'replace of the root swaps the document', patch: [{ op: 'replace', path: '', value: { a: 1 } }], want: { a: 1 } },
    { name: 'test of the root', patch: [{ op: 'test', path: '', value: policy }], want: policy },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(applyJsonPatch(policy, c.patch), c.want));

  test('the input document is untouched, even when a later op fails', () => {
    const d = structuredClone(doc);
    assert.throws(() => applyJsonPatch(d, [{ op: 'remove', path: '/metadata/labels/a' }, { op: 'test', path: '/metadata/name', value: 'nope' }]));
    assert.deepEqual(d, doc);
  });
});

describe('applyJsonPatch: failures become Status errors', () => {
  const cases: { name: string; patch: unknown; code: number; cause?: string; message?: string }[] = [
    { name: 'failed test → 422', patch: [{ op: 'test', path: '/metadata/name', value: 'y' }], code: 422, cause: 'testing value /metadata/name failed: test failed' },
    { name: 'remove missing key → 422', patch: [{ op: 'remove', path: '/metadata/annotations' }], code: 422, cause: "error in remove for path: '/metadata/annotations': Unable to remove nonexistent key: annotations: missing value" },
    { name: 'remove under a missing parent → 422', patch: [{ op: 'remove', path: '/metadata/annotations/a' }], code: 422, cause: 'remove operation does not apply: doc is missing path: "/metadata/annotations/a": missing value' },
    { name: 'replace under a missing parent → 422', patch: [{ op: 'replace', path: '/nope/x', value: 1 }], code: 422, cause: 'replace operation does not apply: doc is missing path: /nope/x: missing value' },
    { name: 'replace a missing array index → 422', patch: [{ op: 'replace', path: '/spec/list/3', value: 1 }], code: 422, cause: 'replace operation does not apply: doc is missing key: /spec/list/3: missing value' },
    { name: 'add past the end of an array → 422', patch: [{ op: 'add', path: '/spec/list/4', value: 1 }], code: 422, cause: "error in add for path: '/spec/list/4': Unable to access invalid index: 4: invalid index referenced" },
    { name: 'add at a non-numeric array index → 422', patch: [{ op: 'add', path: '/spec/list/x', value: 1 }], code: 422, cause: `error in add for path: '/spec/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax` },
    { name: 'test of a missing key against a value → 422', patch: [{ op: 'test', path: '/metadata/uid', value: 'u' }], code: 422, cause: 'testing value /metadata/uid failed: test failed' },
    { name: 'move from a missing key → 422', patch: [{ op: 'move', from: '/metadata/nope', path: '/metadata/x' }], code: 422, cause: "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value" },
    { name: 'add to the root path → 422', patch: [{ op: 'add', path: '', value: {} }], code: 422, cause: 'add operation does not apply: doc is missing path: "": missing value' },
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
