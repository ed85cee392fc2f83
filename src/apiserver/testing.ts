// For unit tests of the API server's insides: the object store, registry and in-process controllers
// over a memory store, without HTTP or certificates (the same wiring ApiServer does).
import { builtinResources } from '../apis/builtin/index.js';
import type { ResourceDef } from '../apis/resource.js';
import type { KubeObject } from '../apimachinery/types.js';
import { MemoryStore } from '../storage/memory/memory.js';
import { crdAdmission } from './admission/crd.js';
import { NamespaceLifecycle } from './admission/namespace-lifecycle.js';
import { builtinSchemas, resolver } from './openapi/schemas.js';
import { ResourceRegistry } from './registry/resources.js';
import { internalContext } from './rest/context.js';
import { ObjectStore } from './rest/object-store.js';
import { makeSchemaHooks, type SchemaHooks } from './rest/schema-hooks.js';

export interface InProcessApi {
  store: MemoryStore;
  objects: ObjectStore;
  schemas: SchemaHooks;
  registry: ResourceRegistry;
  def(group: string, resource: string): ResourceDef;
  create(group: string, resource: string, obj: KubeObject): Promise<KubeObject>;
  close(): Promise<void>;
}

export async function inProcessApi(): Promise<InProcessApi> {
  const store = new MemoryStore();
  const registry = new ResourceRegistry();
  registry.setSource('builtin', builtinResources);
  const schemas = builtinSchemas();
  const hooks = makeSchemaHooks(schemas, resolver(schemas));
  const objects = new ObjectStore(store, hooks);
  const lifecycle = new NamespaceLifecycle(objects, registry);
  objects.admission.push(lifecycle, crdAdmission());
  const def = (group: string, resource: string) => {
    const d = registry.versionsOf(group, resource)[0];
    if (!d) throw new Error(`no ${resource}.${group}`);
    return d;
  };
  const ctx = internalContext('test');
  for (const name of ['default', 'kube-system']) await objects.create(def('', 'namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, ctx);
  await lifecycle.start();
  return {
    store,
    objects,
    schemas: hooks,
    registry,
    def,
    create: (group, resource, obj) => objects.create(def(group, resource), obj.metadata.namespace, obj, ctx),
    async close() {
      lifecycle.stop();
      await store.close();
    },
  };
}
