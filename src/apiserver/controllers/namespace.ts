// Namespace lifecycle: a namespace being deleted is emptied (every namespaced resource, honouring
// finalizers), then its "kubernetes" finalizer is removed and it disappears.
import type { ResourceDef } from '../../apis/resource.js';
import { isNotFound } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { Controller, ReconcileResult } from '../../runtime/controller.js';
import type { ResourceRegistry } from '../registry/resources.js';
import { internalContext } from '../rest/context.js';
import type { ObjectStore } from '../rest/object-store.js';
import { servedDef, type InProcessContext } from './context.js';
import { storeInformer } from './sources.js';

const NamespaceControllerName = 'namespace-controller';
const ctx = internalContext(NamespaceControllerName);

/** Empties namespaces being deleted, then lets them go. */
export function registerNamespaceController({ manager, objects, registry }: InProcessContext): Controller {
  const namespaces = servedDef(registry, '', 'namespaces');
  const informer = storeInformer(manager, objects, namespaces);
  const c = new NamespaceReconciler(objects, registry, namespaces);
  return newControllerManagedBy(manager, NamespaceControllerName)
    .for(informer, { filter: (ns) => !!ns.metadata.deletionTimestamp })
    .workers(2)
    .backoff(50, 5000)
    .complete((name) => c.reconcile(name));
}

class NamespaceReconciler {
  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly namespaces: ResourceDef,
  ) {}

  async reconcile(name: string): Promise<ReconcileResult> {
    const ns = await this.objects.tryGet(this.namespaces, undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const def of this.registry.namespacedStorages()) {
      const list = await this.objects.list(def, name);
      for (const item of list.items) {
        remaining++;
        if (item.metadata.deletionTimestamp) continue;
        try {
          await this.objects.delete(def, name, item.metadata.name!, { propagationPolicy: 'Background' }, ctx);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    if (remaining > 0) {
      await this.setContentCondition(name, remaining);
      return { requeueAfter: 100 }; // look again shortly: finalizers of the content may still be running
    }
    await this.objects.guaranteedUpdate(this.namespaces, undefined, name, ctx, (cur: KubeObject) => {
      const spec = (cur.spec ?? {}) as { finalizers?: string[] };
      const finalizers = (spec.finalizers ?? []).filter((f) => f !== 'kubernetes');
      cur.spec = { ...spec, finalizers };
      if (!finalizers.length) delete (cur.spec as { finalizers?: string[] }).finalizers;
      delete cur.metadata.resourceVersion;
      return cur;
    }).catch((err) => {
      if (!isNotFound(err)) throw err;
    });
  }

  private async setContentCondition(name: string, remaining: number): Promise<void> {
    await this.objects
      .guaranteedUpdate(
        this.namespaces,
        undefined,
        name,
        ctx,
        (cur) => {
          const status = (cur.status ?? {}) as { conditions?: Record<string, unknown>[] };
          const others = (status.conditions ?? []).filter((c) => c.type !== 'NamespaceContentRemaining');
          const message = `Some resources are remaining: ${remaining} object(s) left`;
          const existing = (status.conditions ?? []).find((c) => c.type === 'NamespaceContentRemaining');
          if (existing?.message === message) return cur;
          cur.status = {
            ...status,
            conditions: [...others, { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
          };
          delete cur.metadata.resourceVersion;
          return cur;
        },
        { subresource: 'status' },
      )
      .catch(() => {});
  }
}
