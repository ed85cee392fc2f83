// The API server's in-process controllers on one runtime Manager: CRD establishment, namespace
// lifecycle and garbage collection. Resolves once their informers have listed (so every Established
// CRD is served before the server takes requests).
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
  registerGarbageCollector(ctx);
  await manager.start();
  return manager;
}
