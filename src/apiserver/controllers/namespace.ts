// Namespace lifecycle: a namespace being deleted is emptied (every namespaced resource, honouring
// finalizers), then its "kubernetes" finalizer is removed and it disappears.
import type { ResourceDef } from '../../apis/resource.js';
import { isStatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Watcher } from '../../storage/store.js';
import { runWorkers, WorkQueue } from '../../runtime/workqueue.js';
import type { ResourceRegistry } from '../registry/resources.js';
import { internalContext } from '../rest/context.js';
import type { ObjectStore } from '../rest/object-store.js';

const ctx = internalContext('namespace-controller');

export class NamespaceController {
  private queue = new WorkQueue<string>({ baseDelayMs: 50, maxDelayMs: 5000 });
  private watcher?: Watcher;

  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly namespaces: ResourceDef,
  ) {}

  async start(): Promise<void> {
    this.watcher = await this.objects.watch(this.namespaces, undefined, {}, {
      onEvent: (type, ns) => {
        if (type !== 'DELETED' && ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name!);
      },
      onError: () => void this.restart(),
    });
    void runWorkers(this.queue, 2, (name) => this.reconcile(name));
  }

  private async restart(): Promise<void> {
    this.watcher?.stop();
    if (this.stopped) return;
    await new Promise((r) => setTimeout(r, 200));
    await this.start().catch(() => this.restart());
  }

  private stopped = false;
  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
    this.queue.shutdown();
  }

  private async reconcile(name: string): Promise<number | void> {
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
          if (!isStatusError(err, 'NotFound')) throw err;
        }
      }
    }
    if (remaining > 0) {
      await this.setContentCondition(name, remaining);
      return 100; // look again shortly: finalizers of the content may still be running
    }
    await this.objects.guaranteedUpdate(this.namespaces, undefined, name, ctx, (cur: KubeObject) => {
      const spec = (cur.spec ?? {}) as { finalizers?: string[] };
      const finalizers = (spec.finalizers ?? []).filter((f) => f !== 'kubernetes');
      cur.spec = { ...spec, finalizers };
      if (!finalizers.length) delete (cur.spec as { finalizers?: string[] }).finalizers;
      delete cur.metadata.resourceVersion;
      return cur;
    }).catch((err) => {
      if (!isStatusError(err, 'NotFound')) throw err;
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
