// Installs Karmada's CRDs into a running API server and waits until every resource is served.
import { isDeepStrictEqual } from 'node:util';
import { isAlreadyExists } from '../apimachinery/errors.js';
import type { CustomResourceDefinition } from '../apis/apiextensions/types.js';
import { internalContext } from '../apiserver/rest/context.js';
import type { ApiServer } from '../apiserver/server.js';
import { karmadaCRDs } from '../apis/karmada/crds/index.js';

const manager = 'karmada-ts';

/** The parts of a CRD this installer owns; anything else (status, conversion defaults) is left alone. */
function ownedPart(crd: CustomResourceDefinition) {
  const { group, names, scope, versions } = crd.spec;
  return { group, names, scope, versions, labels: crd.metadata.labels };
}

function isServed(server: ApiServer, crd: CustomResourceDefinition): boolean {
  return crd.spec.versions.filter((v) => v.served).every((v) => server.registry.get(crd.spec.group, v.name, crd.spec.names.plural) !== undefined);
}

interface InstallOptions {
  /** how long to wait for every CRD to be Established and served */
  timeoutMs?: number;
  crds?: CustomResourceDefinition[];
}

/** Creates or updates every Karmada CRD through the object store, then waits until all are served. */
export async function installKarmadaAPIs(server: ApiServer, opts: InstallOptions = {}): Promise<void> {
  const def = server.registry.versionsOf('apiextensions.k8s.io', 'customresourcedefinitions')[0];
  if (!def) throw new Error('the API server does not serve customresourcedefinitions');
  const ctx = internalContext(manager);
  const crds = opts.crds ?? karmadaCRDs();
  for (const crd of crds) {
    const name = crd.metadata.name!;
    const existing = await server.objects.tryGet(def, undefined, name);
    if (!existing) {
      try {
        await server.objects.create(def, undefined, structuredClone(crd), ctx);
        continue;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    if (existing && isDeepStrictEqual(ownedPart(existing as CustomResourceDefinition), ownedPart(crd))) continue;
    await server.objects.guaranteedUpdate(def, undefined, name, ctx, (current) => {
      const next = current as CustomResourceDefinition;
      next.metadata.labels = { ...next.metadata.labels, ...crd.metadata.labels };
      next.spec = { ...next.spec, group: crd.spec.group, names: structuredClone(crd.spec.names), scope: crd.spec.scope, versions: structuredClone(crd.spec.versions) };
      return next;
    });
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const pending = crds.filter((c) => !isServed(server, c)).map((c) => c.metadata.name);
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`Karmada CRDs not served in time: ${pending.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
