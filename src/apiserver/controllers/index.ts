// The API server's in-process controllers on one runtime Manager: CRD establishment, namespace
// lifecycle and garbage collection. Resolves once the CRD and namespace informers have listed (so every
// Established CRD is served before the server takes requests, and before the collector lists).
import { Manager } from '../../runtime/controller.js';
import type { ResourceRegistry } from '../registry/resources.js';
import type { ObjectStore } from '../rest/object-store.js';
import { registerCRDController } from './crd.js';
import { registerGarbageCollector } from './gc.js';
import { registerNamespaceController } from './namespace.js';

export async function startInProcessControllers(objects: ObjectStore, registry: ResourceRegistry): Promise<Manager> {
  const manager = new Manager({ retryDelayMs: 200 });
  const ctx = { manager, objects, registry };
  registerCRDController(ctx);
  registerNamespaceController(ctx);
  await manager.start();
  // The collector's graph decodes each stored key by the resource serving it: listed before the CRDs
  // are served, every custom resource (bindings, Works) would be left out of it until its next change,
  // and one whose owner went while the server was down would never be collected.
  registerGarbageCollector(ctx);
  return manager;
}
