// JSON patch (`application/json-patch+json`) as kube-apiserver applies it: evanphx/json-patch v4,
// which is looser than RFC 6902 (`replace` of a missing object key sets it, `test` of a missing key
// against null passes, negative array indices count from the end, a missing `value` is null). Failures
// become the Status errors the API server returns: a patch document that is not a list of operations
// → 400; an operation that does not apply → 422, worded as apiserver's NewGenericServerResponse with
// the library's own message as the cause.
import type { Operation } from 'fast-json-patch';
import { errors, type StatusError } from './errors.js';
import { deepCopyJson } from './clone.js';

/** apiserver's limit on operations per JSON patch (maxJSONPatchOperations). */
const maxJsonPatchOperations = 10000;

const genericInvalid = 'the server rejected our request due to an error in our request';

function invalid(detail: string): StatusError {
  return errors.invalidMessage(genericInvalid, [{ reason: 'UnexpectedServerResponse', message: detail }]);
}


/** Checks the shape of a parsed patch document and returns its operations. */
function decodeJsonPatch(patch: unknown): Operation[] {
  let doc = patch;
  if (typeof patch === 'string' || patch instanceof Uint8Array) {
    try {
      doc = JSON.parse(typeof patch === 'string' ? patch : Buffer.from(patch).toString('utf8'));
    } catch (e) {
      throw errors.badRequest(`invalid JSON patch: ${(e as Error).message}`);
    }
  }
  if (!Array.isArray(doc)) {
    const got = doc === null ? 'null' : typeof doc === 'object' ? 'object' : typeof doc;
    throw errors.badRequest(`json: cannot unmarshal ${got} into Go value of type jsonpatch.Patch`);
  }
  if (doc.length > maxJsonPatchOperations) {
    throw errors.requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${doc.length}`);
  }
  for (const op of doc) {
    if (typeof op !== 'object' || op === null || Array.isArray(op)) {
      throw errors.badRequest('json: cannot unmarshal non-object into Go value of type jsonpatch.Operation');
    }
  }
  return doc as Operation[];
}

type Json = unknown;
type Container = Record<string, Json> | Json[];
type Op = Record<string, unknown>;

const missing = 'missing value';
const invalidIndex = 'invalid index referenced';

class PatchFailure extends Error {}
const failure = (message: string) => new PatchFailure(message);

function isContainer(v: Json): v is Container {
  return typeof v === 'object' && v !== null;
}

/** RFC 6901 token decoding: ~1 is "/", then ~0 is "~" */
function decodeKey(k: string): string {
  return k.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Go's strconv.Atoi, with its error text */
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw failure(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number(key);
}

function get(con: Container, key: string): Json {
  if (!Array.isArray(con)) return Object.prototype.hasOwnProperty.call(con, key) ? con[key] : undefined;
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -con.length) throw failure(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
    idx += con.length;
  }
  if (idx >= con.length) throw failure(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
  return con[idx];
}

function add(con: Container, key: string, val: Json): void {
  if (!Array.isArray(con)) {
    con[key] = val;
    return;
  }
  if (key === '-') {
    con.push(val);
    return;
  }
  if (!/^[+-]?\d+$/.test(key)) throw failure(`value was not a proper array index: '${key}': strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  let idx = Number(key);
  const size = con.length + 1;
  if (idx >= size) throw failure(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
  if (idx < 0) {
    if (idx < -size) throw failure(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
    idx += size;
  }
  con.splice(idx, 0, val);
}

function set(con: Container, key: string, val: Json): void {
  if (!Array.isArray(con)) {
    con[key] = val;
    return;
  }
  let idx = atoi(key);
  if (idx < 0) idx += con.length;
  con[idx] = val;
}

function remove(con: Container, key: string): void {
  if (!Array.isArray(con)) {
    if (!Object.prototype.hasOwnProperty.call(con, key)) throw failure(`Unable to remove nonexistent key: ${key}: ${missing}`);
    delete con[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= con.length) throw failure(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
  if (idx < 0) {
    if (idx < -con.length) throw failure(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
    idx += con.length;
  }
  con.splice(idx, 1);
}

/** The container holding a path's last token, and that token; undefined when a parent is missing (or null). */
function findObject(doc: Container, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur: Container = doc;
  for (const part of split.slice(1, -1)) {
    let next: Json;
    try {
      next = get(cur, decodeKey(part));
    } catch {
      return undefined;
    }
    if (!isContainer(next)) return undefined;
    cur = next;
  }
  return { con: cur, key: decodeKey(split[split.length - 1]) };
}

/** Wraps a container failure as the library words it, e.g. "error in add for path: '/a': ...". */
function wrapped<T>(prefix: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw failure(`${prefix}: ${(e as Error).message}`);
  }
}

function stringField(op: Op, name: 'path' | 'from'): string | undefined {
  const v = op[name];
  return typeof v === 'string' ? v : undefined;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (!isContainer(a) || !isContainer(b)) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as Json[]).length && a.every((x, i) => deepEqual(x, (b as Json[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b as Record<string, Json>);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]));
}

/** One operation on `root` (mutated); returns the new root (a root `replace` swaps it). */
function applyOne(root: Container, op: Op): Container {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const value = 'value' in op ? deepCopyJson(op.value ?? null) : null;
  const path = stringField(op, 'path');
  switch (kind) {
    case 'add': {
      if (path === undefined) throw failure(`add operation failed to decode path: ${missing}`);
      const at = findObject(root, path);
      if (!at) throw failure(`add operation does not apply: doc is missing path: "${path}": ${missing}`);
      wrapped(`error in add for path: '${path}'`, () => add(at.con, at.key, value));
      return root;
    }
    case 'remove': {
      if (path === undefined) throw failure(`remove operation failed to decode path: ${missing}`);
      const at = findObject(root, path);
      if (!at) throw failure(`remove operation does not apply: doc is missing path: "${path}": ${missing}`);
      wrapped(`error in remove for path: '${path}'`, () => remove(at.con, at.key));
      return root;
    }
    case 'replace': {
      if (path === undefined) throw failure(`replace operation failed to decode path: operation missing path field: ${missing}`);
      if (path === '') {
        if (!isContainer(value)) throw failure('replace operation value must be object or array');
        return value;
      }
      const at = findObject(root, path);
      if (!at) throw failure(`replace operation does not apply: doc is missing path: ${path}: ${missing}`);
      try {
        get(at.con, at.key);
      } catch {
        throw failure(`replace operation does not apply: doc is missing key: ${path}: ${missing}`);
      }
      set(at.con, at.key, value);
      return root;
    }
    case 'move': {
      const from = stringField(op, 'from');
      if (from === undefined) throw failure(`move operation failed to decode from: operation missing from field: ${missing}`);
      const src = findObject(root, from);
      if (!src) throw failure(`move operation does not apply: doc is missing from path: ${from}: ${missing}`);
      const val = wrapped(`error in move for path: '${src.key}'`, () => get(src.con, src.key));
      wrapped(`error in move for path: '${src.key}'`, () => remove(src.con, src.key));
      if (path === undefined) throw failure(`move operation failed to decode path: operation missing path field: ${missing}`);
      const dst = findObject(root, path);
      if (!dst) throw failure(`move operation does not apply: doc is missing destination path: ${path}: ${missing}`);
      wrapped(`error in move for path: '${path}'`, () => add(dst.con, dst.key, val ?? null));
      return root;
    }
    case 'test': {
      if (path === undefined) throw failure(`test operation failed to decode path: operation missing path field: ${missing}`);
      if (path === '') {
        if (deepEqual(root, 'value' in op ? op.value : undefined)) return root;
        throw failure(`testing value ${path} failed: test failed`);
      }
      const at = findObject(root, path);
      if (!at) throw failure(`test operation does not apply: is missing path: ${path}: ${missing}`);
      const val = wrapped(`error in test for path: '${path}'`, () => get(at.con, at.key));
      const want = 'value' in op ? op.value : null;
      if ((val ?? null) === null) {
        if ((want ?? null) === null) return root;
        throw failure(`testing value ${path} failed: test failed`);
      }
      if (deepEqual(val, want)) return root;
      throw failure(`testing value ${path} failed: test failed`);
    }
    case 'copy': {
      const from = stringField(op, 'from');
      if (from === undefined) throw failure(`copy operation failed to decode from: operation missing from field: ${missing}`);
      const src = findObject(root, from);
      if (!src) throw failure(`copy operation does not apply: doc is missing from path: ${from}: ${missing}`);
      const val = wrapped(`error in copy for from: '${from}'`, () => get(src.con, src.key));
      if (path === undefined) throw failure(`copy operation failed to decode path: ${missing}`);
      const dst = findObject(root, path);
      if (!dst) throw failure(`copy operation does not apply: doc is missing destination path: ${path}: ${missing}`);
      wrapped('error while adding value during copy', () => add(dst.con, dst.key, deepCopyJson(val ?? null)));
      return root;
    }
    default:
      throw failure(`Unexpected kind: ${kind}`);
  }
}

/**
 * Applies `patch` (parsed JSON, a JSON string or bytes) to `document` and returns the result;
 * `document` is not modified. Never throws anything but a StatusError.
 */
export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  const ops = decodeJsonPatch(patch) as unknown as Op[];
  if (!isContainer(document)) throw invalid('the document to patch is not an object or an array');
  let doc: Container = deepCopyJson(document);
  for (const op of ops) {
    try {
      doc = applyOne(doc, op);
    } catch (e) {
      if (e instanceof PatchFailure) throw invalid(e.message);
      throw invalid(e instanceof Error ? e.message : String(e));
    }
  }
  return doc;
}
