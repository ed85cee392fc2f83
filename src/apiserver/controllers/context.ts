// What the API server's in-process controllers (kube-controller-manager's garbage collector and
// namespace controller, apiextensions-apiserver's CRD controller) share: one runtime Manager whose
// informers read the server's own store, without HTTP.
import type { ResourceDef } from '../../apis/resource.js';
import type { Manager } from '../../runtime/controller.js';
import type { ResourceRegistry } from '../registry/resources.js';
import type { ObjectStore } from '../rest/object-store.js';

export interface InProcessContext {
  manager: Manager;
  objects: ObjectStore;
  registry: ResourceRegistry;
}

/** a built-in resource the server always serves */
export function servedDef(registry: ResourceRegistry, group: string, resource: string): ResourceDef {
  const def = registry.versionsOf(group, resource)[0];
  if (!def) throw new Error(`built-in resource ${resource}.${group} is missing`);
  return def;
}
