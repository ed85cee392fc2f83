// Binding status: Works -> (Cluster)ResourceBinding status -> template .status (see controller.ts).
import type { ControllerContext } from '../context.js';
import { interpreterOf, type InterpreterOption } from '../execution/index.js';
import { registerBindingStatusControllers } from './controller.js';

export { registerBindingStatusControllers, RBStatusControllerName, CRBStatusControllerName, worksOfBinding } from './controller.js';
export { assembleAggregatedStatus, fullyAppliedCondition, bindingClusters } from './aggregate.js';

export function register(ctx: ControllerContext, opts: InterpreterOption = {}): void {
  registerBindingStatusControllers(ctx, interpreterOf(ctx, opts));
}
