// hpaScaleTargetMarker (pkg/controllers/hpascaletargetmarker): a HorizontalPodAutoscaler propagated
// to members marks its scale target resourcetemplate.karmada.io/retain-replicas=true, so the members'
// HPAs own the replicas (the interpreter's retain rule keeps them); the mark goes when the HPA does or
// when it points elsewhere.
import type { KubeObject } from '../../apimachinery/types.js';
import { isNotFound } from '../../apimachinery/errors.js';
import { RetainReplicasLabel } from '../../apis/karmada/wellknown.js';
import { PropagationPolicyPermanentIDLabel } from '../../apis/karmada/policy.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { horizontalPodAutoscalerGVR } from '../../apis/builtin/gvr.js';

export const ControllerName = 'hpa-scale-target-marker';

interface TargetRef {
  apiVersion?: string;
  kind: string;
  name: string;
}

const refKey = (r: TargetRef) => `${r.apiVersion ?? ''}/${r.kind}/${r.name}`;

/** only HPAs a PropagationPolicy has claimed (hasBeenPropagated) mark their target */
export const hasBeenPropagated = (hpa: KubeObject) => hpa.metadata.labels?.[PropagationPolicyPermanentIDLabel] !== undefined;

class HpaScaleTargetMarker {
  /** the target each HPA marked last, to unmark it when the HPA goes or moves */
  private readonly marked = new Map<string, { namespace: string; ref: TargetRef }>();

  constructor(private readonly ctx: ControllerContext) {}

  private async label(namespace: string, ref: TargetRef, value: 'true' | null): Promise<void> {
    const target = { apiVersion: ref.apiVersion ?? 'apps/v1', kind: ref.kind };
    try {
      const obj = await this.ctx.client.get(target, ref.name, { namespace });
      const has = obj.metadata.labels?.[RetainReplicasLabel] === 'true';
      if ((value === 'true') === has) return;
      await this.ctx.client.patch(target, ref.name, { metadata: { labels: { [RetainReplicasLabel]: value } } }, { namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const hpa = await this.ctx.client.get(horizontalPodAutoscalerGVR, name, { namespace }).catch((err) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    const before = this.marked.get(key);
    const ref = hpa && !hpa.metadata.deletionTimestamp ? ((hpa.spec as { scaleTargetRef?: TargetRef })?.scaleTargetRef ?? undefined) : undefined;
    if (before && (!ref || refKey(before.ref) !== refKey(ref) || !hasBeenPropagated(hpa!))) {
      await this.label(before.namespace, before.ref, null);
      this.marked.delete(key);
    }
    if (hpa && ref && hasBeenPropagated(hpa)) {
      await this.label(namespace, ref, 'true');
      this.marked.set(key, { namespace, ref });
    }
  }
}

export function registerHpaScaleTargetMarkerController(ctx: ControllerContext): void {
  const marker = new HpaScaleTargetMarker(ctx);
  newControllerManagedBy(ctx.manager, ControllerName, ctx.client)
    .for(horizontalPodAutoscalerGVR, { update: (o, old) => JSON.stringify(o.spec) !== JSON.stringify(old.spec) || JSON.stringify(o.metadata.labels) !== JSON.stringify(old.metadata.labels) })
    .complete((key) => marker.reconcile(key));
}
