// A FederatedResourceQuota's recomputed status written when it differs, with the event Karmada's
// FRQ controllers record either way (their reasons passed in); a conflict only retries soon.
import { isDeepStrictEqual } from 'node:util';
import { isStatusError } from '../../apimachinery/errors.js';
import type { FederatedResourceQuota } from '../../apis/karmada/policy.js';
import type { ReconcileResult } from '../../runtime/controller.js';
import type { ControllerContext } from '../context.js';

export async function writeQuotaStatus(ctx: ControllerContext, frq: FederatedResourceQuota, status: FederatedResourceQuota['status'], reasons: { succeeded: string; failed: string }): Promise<ReconcileResult> {
  if (!isDeepStrictEqual(frq.status ?? {}, status)) {
    try {
      await ctx.client.updateStatus({ ...frq, status });
    } catch (err) {
      if (isStatusError(err, 'Conflict')) return { requeueAfter: 100 };
      ctx.events.record(frq, 'Warning', reasons.failed, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }
  ctx.events.record(frq, 'Normal', reasons.succeeded, `Collect status of FederatedResourceQuota(${frq.metadata.namespace}/${frq.metadata.name}) succeed.`);
}
