// Creates (or brings up to date) the agent's RBAC objects of rbac.ts in the control plane, with the
// namespaces they live in, as `karmadactl register` does before the agent starts; and removes them
// (`karmadactl unregister`).
import { isAlreadyExists, isNotFound } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import type { KubeClient } from '../runtime/client.js';
import { agentRbacObjects } from './rbac.js';
import { KarmadaSystemLabel } from '../apis/karmada/wellknown.js';

const gvrOf = (o: KubeObject) => ({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: `${o.kind!.toLowerCase()}s` });

export async function ensureAgentRbac(client: KubeClient, cluster: string): Promise<void> {
  const objects = agentRbacObjects(cluster);
  for (const ns of new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))) {
    try {
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { [KarmadaSystemLabel]: 'true' } } });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  for (const obj of objects) {
    try {
      await client.create(obj);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const cur = await client.get(gvrOf(obj), obj.metadata.name!, { namespace: obj.metadata.namespace });
      await client.replace({ ...obj, metadata: { ...obj.metadata, resourceVersion: cur.metadata.resourceVersion } });
    }
  }
}

export async function deleteAgentRbac(client: KubeClient, cluster: string): Promise<void> {
  for (const obj of agentRbacObjects(cluster).reverse()) {
    try {
      await client.delete(gvrOf(obj), obj.metadata.name!, { namespace: obj.metadata.namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

