// Execution: Works in karmada-es-<cluster> applied to their Push-mode members (see controller.ts).
import { createNativeInterpreter } from '../../interpreter/native/index.js';
import type { ResourceInterpreter } from '../../interpreter/types.js';
import type { ControllerContext } from '../context.js';
import { registerExecutionController } from './controller.js';

export { registerExecutionController, ExecutionControllerName, isClusterReady, worksGVR } from './controller.js';
export { memberObjects, MemberObjects } from './member-objects.js';
export * from './manifest.js';

export interface InterpreterOption {
  /** the resource interpreter (default: ctx.interpreter when the context has one, else the native one) */
  interpreter?: ResourceInterpreter;
}

export function interpreterOf(ctx: ControllerContext, opts: InterpreterOption): ResourceInterpreter {
  return opts.interpreter ?? (ctx as ControllerContext & { interpreter?: ResourceInterpreter }).interpreter ?? createNativeInterpreter();
}

export function register(ctx: ControllerContext, opts: InterpreterOption = {}): void {
  registerExecutionController(ctx, interpreterOf(ctx, opts));
}
