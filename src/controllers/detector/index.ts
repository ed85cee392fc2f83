// The resource detector (Karmada's pkg/detector): what the controller manager registers. The
// controller is controller.ts; policy matching and binding building, pure, are match.ts.
import type { ControllerContext } from '../context.js';
import { startDetector, type DetectorOptions } from './controller.js';

export { ControllerName, type DetectorOptions } from './controller.js';

/** registers the detector with the controller manager (feature gates from the context) */
export async function register(ctx: ControllerContext, opts: DetectorOptions = {}): Promise<void> {
  await startDetector(ctx, {
    workloadAffinity: ctx.features?.WorkloadAffinity,
    resourceQuotaEstimate: ctx.features?.ResourceQuotaEstimate,
    multiplePodTemplatesScheduling: ctx.features?.MultiplePodTemplatesScheduling,
    ...opts,
  });
}
