// FederatedResourceQuota (Karmada's pkg/controllers/federatedresourcequota): what the controller
// manager registers, by Karmada's --controllers names. The sync controller is sync.ts (Works, pure
// in work.ts), the status controller statuscontroller.ts (pure in status.ts), the enforcement
// controller enforcement.ts (gate FederatedQuotaEnforcement; its arithmetic in apis/karmada/quota.ts).
import type { ControllerContext } from '../context.js';
import { registerEnforcementController } from './enforcement.js';
import { registerStatusController } from './statuscontroller.js';
import { registerSyncController } from './sync.js';

export { SyncControllerName } from './sync.js';
export { StatusControllerName } from './statuscontroller.js';
export { EnforcementControllerName } from './enforcement.js';

export function registerSync(ctx: ControllerContext): void {
  registerSyncController(ctx);
}

export function registerStatus(ctx: ControllerContext): void {
  registerStatusController(ctx);
}

/** started only with FederatedQuotaEnforcement, as Karmada's */
export function registerEnforcement(ctx: ControllerContext): void {
  if (!ctx.features?.FederatedQuotaEnforcement) return;
  registerEnforcementController(ctx, { syncPeriodMs: ctx.quota?.syncPeriodMs });
}
