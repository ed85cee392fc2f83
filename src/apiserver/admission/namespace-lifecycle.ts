// kube-apiserver's NamespaceLifecycle admission: nothing is created in a namespace that does not
// exist or is being deleted, and the system namespaces cannot be deleted. Namespaces are read from
// an informer's cache (one store read per create would double the cost of writes on etcd; the
// runtime's informer retries and relists after watch errors); a miss falls back to the store, so a
// namespace created a moment ago is never refused.
import { errors } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { Informer } from '../../runtime/informer.js';
import { ObjectStoreSource } from '../controllers/sources.js';
import type { AdmissionPlugin } from '../rest/admission.js';
import type { ObjectStore } from '../rest/object-store.js';
import type { ResourceRegistry } from '../registry/resources.js';

const immortal = new Set(['default', 'kube-system', 'kube-public']);

export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';
  private informer?: Informer;

  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
  ) {}

  private get namespaces() {
    return this.registry.versionsOf('', 'namespaces')[0];
  }

  /** resolves once the namespaces are listed and watched */
  async start(): Promise<void> {
    this.informer ??= new Informer(new ObjectStoreSource(this.objects, this.namespaces), { retryDelayMs: 200 });
    await this.informer.start();
  }

  stop(): void {
    this.informer?.stop();
  }

  private async terminating(name: string): Promise<boolean | undefined> {
    const cached = this.informer?.get(name);
    if (cached && !cached.metadata.deletionTimestamp) return false;
    const ns: KubeObject | undefined = await this.objects.tryGet(this.namespaces, undefined, name);
    return ns ? !!ns.metadata.deletionTimestamp : undefined;
  }

  async mutate(req: Parameters<NonNullable<AdmissionPlugin['mutate']>>[0]): Promise<void> {
    const { def, obj, operation } = req;
    if (def.group === '' && def.resource === 'namespaces') {
      if (operation === 'DELETE' && immortal.has(obj.metadata.name!)) {
        throw errors.forbidden({ group: '', resource: 'namespaces' }, obj.metadata.name!, 'this namespace may not be deleted');
      }
      return;
    }
    if (operation !== 'CREATE' || !def.namespaced) return;
    const name = obj.metadata.namespace!;
    const terminating = await this.terminating(name);
    if (terminating === undefined) throw errors.notFound({ group: '', resource: 'namespaces' }, name);
    if (terminating) {
      throw errors.forbiddenMessage(`${def.group ? `${def.resource}.${def.group}` : def.resource} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${name} because it is being terminated`, {
        name: obj.metadata.name,
        kind: def.resource,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${name} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }
}
