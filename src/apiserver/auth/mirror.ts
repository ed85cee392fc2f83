// A read view of one resource inside the API server (kube-apiserver's listers), so authentication,
// authorization and the auth controllers read memory, not the store, per request: the runtime's
// shared informer over the server's own store, narrowed by a filter, with a namespace index.
import type { ResourceDef } from '../../apis/resource.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Manager } from '../../runtime/controller.js';
import type { Informer } from '../../runtime/informer.js';
import { storeInformer } from '../controllers/sources.js';
import type { ObjectStore } from '../rest/object-store.js';

const byNamespace = 'namespace';

export class Mirror<T = KubeObject> {
  /** the shared informer behind the view (what the auth controllers are built on) */
  readonly informer: Informer;
  private readonly pass: (obj: KubeObject) => boolean;

  constructor(manager: Manager, objects: ObjectStore, def: ResourceDef, filter?: (obj: KubeObject) => boolean) {
    this.informer = storeInformer(manager, objects, def);
    this.informer.addIndex(byNamespace, (o) => [o.metadata.namespace ?? '']);
    this.pass = filter ?? (() => true);
  }

  /** resolves once the informer has listed (the manager starts it) */
  synced(): Promise<void> {
    return this.informer.waitForSync();
  }

  get(namespace: string | undefined, name: string): T | undefined {
    const obj = this.informer.get(namespace ? `${namespace}/${name}` : name);
    return obj && this.pass(obj) ? (obj as T) : undefined;
  }

  inNamespace(namespace: string | undefined): T[] {
    return this.informer.byIndex(byNamespace, namespace ?? '').filter(this.pass) as T[];
  }

  all(): T[] {
    return this.informer.list(this.pass) as T[];
  }
}
