// RFC 6902 JSON patch (`application/json-patch+json`) on top of fast-json-patch, with failures
// turned into the Status errors the API server returns: a patch document that is not a list of
// operations → 400; an operation that does not apply (failed test, missing path, unknown op) → 422,
// worded as apiserver's NewGenericServerResponse with the library detail as the cause.
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { errors, type StatusError } from './errors.js';

/** apiserver's limit on operations per JSON patch (maxJSONPatchOperations). */
export const maxJsonPatchOperations = 10000;

const genericInvalid = 'the server rejected our request due to an error in our request';

function invalid(detail: string): StatusError {
  return errors.invalidMessage(genericInvalid, [{ reason: 'UnexpectedServerResponse', message: detail }]);
}

const knownOps = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Checks the shape of a parsed patch document and returns its operations. */
export function decodeJsonPatch(patch: unknown): Operation[] {
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

function describeFailure(op: Partial<Operation> & { from?: string; value?: unknown }, name: string, message: string): string {
  const kind = String(op.op ?? '');
  const path = String(op.path ?? '');
  switch (name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    case 'OPERATION_OP_INVALID':
      return `Unexpected kind: ${kind}`;
    case 'OPERATION_PATH_INVALID':
      return `${kind} operation does not apply: invalid path: ${JSON.stringify(op.path ?? null)}`;
    case 'OPERATION_PATH_UNRESOLVABLE':
      return `${kind} operation does not apply: doc is missing path: "${path}": missing value`;
    case 'OPERATION_PATH_CANNOT_ADD':
      return `${kind} operation does not apply: doc is missing path: "${path}": missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
    case 'OPERATION_FROM_REQUIRED':
      return `${kind} operation does not apply: doc is missing from path: "${String(op.from ?? '')}": missing value`;
    case 'OPERATION_VALUE_REQUIRED':
      return `${kind} operation does not apply: missing value`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `${kind} operation does not apply: doc is missing path: "${path}": index out of bounds`;
    default:
      return message;
  }
}

/**
 * Applies `patch` (parsed JSON, a JSON string or bytes) to `document` and returns the result;
 * `document` is not modified. Never throws anything but a StatusError.
 */
export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  const ops = decodeJsonPatch(patch);
  let doc = structuredClone(document);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (!knownOps.has(String(op.op))) throw invalid(`Unexpected kind: ${String(op.op)}`);
    try {
      doc = fastJsonPatch.applyOperation(doc, structuredClone(op), true, true, true, i).newDocument;
    } catch (e) {
      if (e instanceof fastJsonPatch.JsonPatchError) throw invalid(describeFailure(op, e.name, e.message));
      throw invalid(e instanceof Error ? e.message : String(e));
    }
  }
  return doc;
}
