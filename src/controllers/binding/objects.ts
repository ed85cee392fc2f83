// Small shared pieces of the propagation controllers.
import type { KubeObject } from '../../apimachinery/types.js';
import { createDefaultInterpreter, type ResourceInterpreter } from '../../interpreter/index.js';
import type { ControllerContext } from '../context.js';
import { jsonEqual } from '../execution/status.js';

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** the object without the fields the server owns, for "did anything change" comparisons */
/** metadata the server moves on writes that change nothing else */
const serverBookkeeping: ReadonlySet<string> = new Set(['resourceVersion', 'managedFields', 'generation']);

/** specOf(a) and specOf(b) are equal: compared in place, nothing copied (update predicates run on every event) */
export function sameSpec(a: KubeObject, b: KubeObject): boolean {
  return sameMembers(a, b, (k) => k === 'status' || k === 'metadata') && sameMembers(a.metadata ?? {}, b.metadata ?? {}, (k) => serverBookkeeping.has(k));
}

/** every member of a and b but the skipped ones is jsonEqual (an undefined member counts as absent) */
function sameMembers(a: object, b: object, skip: (key: string) => boolean): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (!skip(k) && !jsonEqual(x[k], y[k])) return false;
  for (const k in y) if (!skip(k) && !(k in x) && y[k] !== undefined) return false;
  return true;
}

export function specOf(obj: KubeObject): unknown {
  const { metadata, status: _status, ...rest } = obj;
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = metadata;
  return { ...rest, metadata: meta };
}

/** the interpreter to use: the one given, else the context's (the controller manager shares one), else the default chain */
export function interpreterFor(ctx: ControllerContext, given?: ResourceInterpreter): ResourceInterpreter {
  return given ?? (ctx as ControllerContext & { interpreter?: ResourceInterpreter }).interpreter ?? createDefaultInterpreter();
}
