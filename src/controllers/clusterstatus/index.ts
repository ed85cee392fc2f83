// The cluster status controller (Karmada's cluster_status_controller.go): what the controller
// manager registers. The controller is controller.ts; conditions, summaries and the applied
// observation, pure, are conditions.ts, summary.ts and observation.ts; probing a member is probe.ts;
// memo.ts keeps the last summaries while their inputs stay the same.
import type { ControllerContext } from '../context.js';
import { registerClusterStatusController, type ClusterStatusOptions } from './controller.js';

export { ControllerName, type ClusterStatusOptions } from './controller.js';

export function register(ctx: ControllerContext, options: ClusterStatusOptions = {}): void {
  registerClusterStatusController(ctx, options);
}
