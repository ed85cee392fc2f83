// The CustomResourceDefinitions a simulated member serves from the start: the Multi-Cluster
// Services API (ServiceExport, ServiceImport), which Karmada's members install so Services can be
// exported and imported (Karmada's hack/deploy-karmada installs them in every member).
import { isStatusError } from '../apimachinery/errors.js';
import type { CustomResourceDefinition } from '../apis/apiextensions/types.js';
import { multiclusterCRDs } from '../apis/karmada/crds/multicluster.js';
import { internalContext } from '../apiserver/rest/context.js';
import type { ApiServer } from '../apiserver/server.js';

export function memberCRDs(): CustomResourceDefinition[] {
  return multiclusterCRDs();
}

/** creates the member's CRDs that are missing and waits until they are served */
export async function installMemberCRDs(server: ApiServer, crds = memberCRDs(), timeoutMs = 10_000): Promise<void> {
  const def = server.registry.versionsOf('apiextensions.k8s.io', 'customresourcedefinitions')[0];
  if (!def) return;
  const ctx = internalContext('kube-apiserver');
  for (const crd of crds) {
    if (await server.objects.tryGet(def, undefined, crd.metadata.name!)) continue;
    await server.objects.create(def, undefined, structuredClone(crd), ctx).catch((err) => {
      if (!isStatusError(err, 'AlreadyExists')) throw err;
    });
  }
  const served = () => crds.every((c) => c.spec.versions.filter((v) => v.served).every((v) => server.registry.get(c.spec.group, v.name, c.spec.names.plural) !== undefined));
  for (const deadline = Date.now() + timeoutMs; !served(); ) {
    if (Date.now() > deadline) throw new Error(`member CRDs not served in time: ${crds.map((c) => c.metadata.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
