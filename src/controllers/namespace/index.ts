// Namespace sync (Karmada's pkg/controllers/namespace): what the controller manager registers. The
// controller is controller.ts; the Work of a namespace, pure, is work.ts.
import type { ControllerContext } from '../context.js';
import { registerNamespaceSyncController } from './controller.js';

export { ControllerName } from './controller.js';

export function register(ctx: ControllerContext): void {
  registerNamespaceSyncController(ctx);
}
