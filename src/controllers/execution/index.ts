// Execution: Works in karmada-es-<cluster> applied to their Push-mode members (see controller.ts).
import { createDefaultInterpreter, type ResourceInterpreter } from '../../interpreter/index.js';
import type { ControllerContext } from '../context.js';
import { registerExecutionController } from './controller.js';

export { registerExecutionController, ExecutionControllerName, isClusterReady } from './controller.js';
export { memberObjects, MemberObjects } from './member-objects.js';
export * from './manifest.js';

export interface InterpreterOption {
  /** the resource interpreter (default: ctx.interpreter when the context has one, else the default chain with no customizations) */
  interpreter?: ResourceInterpreter;
}

export function interpreterOf(ctx: ControllerContext, opts: InterpreterOption): ResourceInterpreter {
  return opts.interpreter ?? (ctx as ControllerContext & { interpreter?: ResourceInterpreter }).interpreter ?? createDefaultInterpreter();
}

export function register(ctx: ControllerContext, opts: InterpreterOption = {}): void {
  registerExecutionController(ctx, interpreterOf(ctx, opts));
}
