// kube-apiserver's NamespaceLifecycle admission: nothing is created in a namespace that does not
// exist or is being deleted, and the system namespaces cannot be deleted.
import { errors } from '../../apimachinery/errors.js';
import type { AdmissionPlugin } from '../rest/admission.js';
import type { ObjectStore } from '../rest/object-store.js';
import type { ResourceRegistry } from '../registry/resources.js';

const immortal = new Set(['default', 'kube-system', 'kube-public']);

export function namespaceLifecycle(objects: ObjectStore, registry: ResourceRegistry): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async mutate(req) {
      const { def, obj, operation } = req;
      if (def.group === '' && def.resource === 'namespaces') {
        if (operation === 'DELETE' && immortal.has(obj.metadata.name!)) {
          throw errors.forbidden({ group: '', resource: 'namespaces' }, obj.metadata.name!, 'this namespace may not be deleted');
        }
        return;
      }
      if (operation !== 'CREATE' || !def.namespaced) return;
      const nsDef = registry.versionsOf('', 'namespaces')[0];
      const name = obj.metadata.namespace!;
      const ns = await objects.tryGet(nsDef, undefined, name);
      if (!ns) throw errors.notFound({ group: '', resource: 'namespaces' }, name);
      if (ns.metadata.deletionTimestamp) {
        throw errors.forbiddenMessage(`${def.group ? `${def.resource}.${def.group}` : def.resource} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${name} because it is being terminated`, {
          name: obj.metadata.name,
          kind: def.resource,
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${name} is being terminated`, field: 'metadata.namespace' }],
        });
      }
    },
  };
}
