// JSON patch (RFC 6902 add/remove/replace) as Karmada applies it with evanphx/json-patch: every
// operation must apply (a missing path or parent is an error), and the input is never changed.
import jsonpatch from 'fast-json-patch';
import { OverrideError } from './errors.js';
import type { OverriderOperator } from '../apis/karmada/override.js';

export interface PatchOp {
  op: OverriderOperator;
  path: string;
  value?: unknown;
}

const reasons: Record<string, string> = {
  OPERATION_PATH_UNRESOLVABLE: 'path does not exist',
  OPERATION_PATH_CANNOT_ADD: 'parent of path does not exist',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'array index out of bounds',
  OPERATION_PATH_INVALID: 'path must start with "/"',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'not a valid array index',
  OPERATION_VALUE_REQUIRED: 'value is required',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: 'value contains undefined',
};

/** Applies `ops` in order to a copy of `doc`; a failing op throws OverrideError naming it. */
export function applyPatch<T>(doc: T, ops: readonly PatchOp[]): T {
  let cur: unknown = structuredClone(doc);
  for (const op of ops) {
    // Go marshals an absent apiextensions JSON value as null, so add/replace without a value writes null.
    const operation = op.op === 'remove' ? { op: op.op, path: op.path } : { op: op.op, path: op.path, value: op.value === undefined ? null : op.value };
    try {
      cur = jsonpatch.applyOperation(cur, operation as jsonpatch.Operation, true, true, true).newDocument;
    } catch (e) {
      const name = e instanceof Error ? e.name : '';
      const why = reasons[name] ?? (e instanceof Error ? e.message.split('\n')[0] : String(e));
      throw new OverrideError(`${op.op} operation does not apply at ${JSON.stringify(op.path)}: ${why}`);
    }
  }
  return cur as T;
}
