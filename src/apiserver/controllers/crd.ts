// CustomResourceDefinitions: accept names, mark Established, serve the new resources, and on
// deletion remove every custom resource before letting the CRD go. Every API server runs this
// over the shared store, so each serves the same CRDs.
import { isDeepStrictEqual } from 'node:util';
import type { ResourceDef } from '../../apis/resource.js';
import { isNotFound } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { Controller, ReconcileResult } from '../../runtime/controller.js';
import { crdStatus, crdToResourceDefs, type CustomResourceDefinition } from '../crd/index.js';
import type { ResourceRegistry } from '../registry/resources.js';
import { internalContext } from '../rest/context.js';
import type { ObjectStore } from '../rest/object-store.js';
import { servedDef, type InProcessContext } from './context.js';
import { storeInformer } from './sources.js';

const crdCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';
const CRDControllerName = 'apiextensions-controller';
const ctx = internalContext(CRDControllerName);

/** Serves every Established CRD as soon as the informer sees it, and reconciles CRDs by name. */
export function registerCRDController({ manager, objects, registry }: InProcessContext): Controller {
  const crds = servedDef(registry, 'apiextensions.k8s.io', 'customresourcedefinitions');
  const informer = storeInformer(manager, objects, crds);
  const c = new CRDReconciler(objects, registry, crds);
  informer.addHandlers({
    onAdd: (crd) => c.serve(crd as CustomResourceDefinition),
    onUpdate: (crd) => c.serve(crd as CustomResourceDefinition),
    onDelete: (crd) => registry.removeSource(crd.metadata.name!),
  });
  return newControllerManagedBy(manager, CRDControllerName)
    .for(informer)
    .backoff(20, 5000)
    .complete((name) => c.reconcile(name));
}

class CRDReconciler {
  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly crds: ResourceDef,
  ) {}

  /** serve what an Established CRD declares, right away (before status is even written back) */
  serve(crd: CustomResourceDefinition): void {
    const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    if (!established) return;
    this.registry.setSource(crd.metadata.name!, crdToResourceDefs(crd));
  }

  async reconcile(name: string): Promise<ReconcileResult> {
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

  private async cleanup(crd: CustomResourceDefinition): Promise<ReconcileResult> {
    const defs = this.registry.all().filter((d) => `${d.resource}.${d.group}` === crd.metadata.name);
    const def = defs.find((d) => d.version === d.storage.version) ?? defs[0];
    if (def) {
      const list = await this.objects.list(def, undefined);
      for (const item of list.items) {
        if (item.metadata.deletionTimestamp) continue;
        await this.objects.delete(def, item.metadata.namespace, item.metadata.name!, {}, ctx).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
      }
      if (list.items.length) return { requeueAfter: 200 };
    }
    await this.objects
      .guaranteedUpdate(this.crds, undefined, crd.metadata.name!, ctx, (cur: KubeObject) => {
        cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== crdCleanupFinalizer);
        delete cur.metadata.resourceVersion;
        return cur;
      })
      .catch((err) => {
        if (!isNotFound(err)) throw err;
      });
  }
}

function withoutTimes(status: unknown): unknown {
  return JSON.parse(JSON.stringify(status ?? {}, (k, v) => (k === 'lastTransitionTime' ? undefined : v)));
}
