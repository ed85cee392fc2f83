// The dependencies distributor (Karmada's pkg/dependenciesdistributor): what the controller
// manager registers. The controller is controller.ts; attached bindings, pure, are attached.ts.
import type { ControllerContext } from '../context.js';
import { registerDependenciesDistributor, type DependenciesOptions } from './controller.js';

export { ControllerName, type DependenciesOptions } from './controller.js';

export function register(ctx: ControllerContext, opts: DependenciesOptions = {}): void {
  registerDependenciesDistributor(ctx, opts);
}
