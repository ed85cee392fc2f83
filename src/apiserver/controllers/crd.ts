// CustomResourceDefinitions: accept names, mark Established, serve the new resources, and on
// deletion remove every custom resource before letting the CRD go. Every API server runs this
// over the shared store, so each serves the same CRDs.
import { isDeepStrictEqual } from 'node:util';
import type { ResourceDef } from '../../apis/resource.js';
import { isStatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Watcher } from '../../storage/store.js';
import { runWorkers, WorkQueue } from '../../runtime/workqueue.js';
import { crdStatus, crdToResourceDefs, type CustomResourceDefinition } from '../crd/index.js';
import type { ResourceRegistry } from '../registry/resources.js';
import { internalContext } from '../rest/context.js';
import type { ObjectStore } from '../rest/object-store.js';

export const crdCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';
const ctx = internalContext('apiextensions-controller');

export class CRDController {
  private queue = new WorkQueue<string>({ baseDelayMs: 20, maxDelayMs: 5000 });
  private watcher?: Watcher;
  private stopped = false;

  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly crds: ResourceDef,
  ) {}

  async start(): Promise<void> {
    const list = await this.objects.list(this.crds, undefined);
    for (const crd of list.items) this.serve(crd as CustomResourceDefinition);
    this.watcher = await this.objects.watch(this.crds, undefined, { resourceVersion: list.metadata.resourceVersion }, {
      onEvent: (type, crd) => {
        if (type === 'DELETED') this.registry.removeSource(crd.metadata.name!);
        else {
          this.serve(crd as CustomResourceDefinition);
          this.queue.add(crd.metadata.name!);
        }
      },
      onError: () => {
        if (this.stopped) return;
        this.watcher?.stop();
        setTimeout(() => void this.start().catch(() => {}), 200).unref();
      },
    });
    for (const crd of list.items) this.queue.add(crd.metadata.name!);
    void runWorkers(this.queue, 1, (name) => this.reconcile(name));
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
    this.queue.shutdown();
  }

  /** serve what an Established CRD declares, right away (before status is even written back) */
  private serve(crd: CustomResourceDefinition): void {
    const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    if (!established) return;
    this.registry.setSource(crd.metadata.name!, crdToResourceDefs(crd));
  }

  private async reconcile(name: string): Promise<number | void> {
    const crd = (await this.objects.tryGet(this.crds, undefined, name)) as CustomResourceDefinition | undefined;
    if (!crd) {
      this.registry.removeSource(name);
      return;
    }
    if (crd.metadata.deletionTimestamp) return this.cleanup(crd);
    if (!(crd.metadata.finalizers ?? []).includes(crdCleanupFinalizer)) {
      await this.objects.guaranteedUpdate(this.crds, undefined, name, ctx, (cur) => {
        cur.metadata.finalizers = [...(cur.metadata.finalizers ?? []), crdCleanupFinalizer];
        delete cur.metadata.resourceVersion;
        return cur;
      });
      return;
    }
    const others = (await this.objects.list(this.crds, undefined)).items.filter((c) => c.metadata.name !== name) as CustomResourceDefinition[];
    const status = crdStatus(crd, others);
    if (!isDeepStrictEqual(withoutTimes(status), withoutTimes(crd.status))) {
      await this.objects.guaranteedUpdate(
        this.crds,
        undefined,
        name,
        ctx,
        (cur) => {
          cur.status = crdStatus(cur as CustomResourceDefinition, others);
          delete cur.metadata.resourceVersion;
          return cur;
        },
        { subresource: 'status' },
      );
    }
  }

  private async cleanup(crd: CustomResourceDefinition): Promise<number | void> {
    const defs = this.registry.all().filter((d) => `${d.resource}.${d.group}` === crd.metadata.name);
    const def = defs.find((d) => d.version === d.storage.version) ?? defs[0];
    if (def) {
      const list = await this.objects.list(def, undefined);
      for (const item of list.items) {
        if (item.metadata.deletionTimestamp) continue;
        await this.objects.delete(def, item.metadata.namespace, item.metadata.name!, {}, ctx).catch((err) => {
          if (!isStatusError(err, 'NotFound')) throw err;
        });
      }
      if (list.items.length) return 200;
    }
    await this.objects
      .guaranteedUpdate(this.crds, undefined, crd.metadata.name!, ctx, (cur: KubeObject) => {
        cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== crdCleanupFinalizer);
        delete cur.metadata.resourceVersion;
        return cur;
      })
      .catch((err) => {
        if (!isStatusError(err, 'NotFound')) throw err;
      });
  }
}

function withoutTimes(status: unknown): unknown {
  return JSON.parse(JSON.stringify(status ?? {}, (k, v) => (k === 'lastTransitionTime' ? undefined : v)));
}
