// Small shared pieces of the propagation controllers.
import type { KubeObject } from '../../apimachinery/types.js';
import { createDefaultInterpreter, type ResourceInterpreter } from '../../interpreter/index.js';
import type { ControllerContext } from '../context.js';

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** the object without the fields the server owns, for "did anything change" comparisons */
export function specOf(obj: KubeObject): unknown {
  const { metadata, status: _status, ...rest } = obj;
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = metadata;
  return { ...rest, metadata: meta };
}

/** the interpreter to use: the one given, else the context's (the controller manager shares one), else the default chain */
export function interpreterFor(ctx: ControllerContext, given?: ResourceInterpreter): ResourceInterpreter {
  return given ?? (ctx as ControllerContext & { interpreter?: ResourceInterpreter }).interpreter ?? createDefaultInterpreter();
}
