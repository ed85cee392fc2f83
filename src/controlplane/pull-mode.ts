// Installs the objects Pull-mode registration needs (src/agent/bootstrap.ts) into a running API
// server at start-up, as Karmada's `karmadactl init` does: created when absent, left alone after.
import { isAlreadyExists } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { internalContext } from '../apiserver/rest/context.js';
import type { ApiServer } from '../apiserver/server.js';
import { clusterInfoConfigMap, pullModeBootstrapObjects } from '../agent/bootstrap.js';

const resourceOf: Record<string, [string, string]> = {
  ConfigMap: ['', 'configmaps'],
  Namespace: ['', 'namespaces'],
  Role: ['rbac.authorization.k8s.io', 'roles'],
  RoleBinding: ['rbac.authorization.k8s.io', 'rolebindings'],
  ClusterRole: ['rbac.authorization.k8s.io', 'clusterroles'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io', 'clusterrolebindings'],
};

export async function installPullModeBootstrap(server: ApiServer): Promise<void> {
  const objects: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-public' } }, clusterInfoConfigMap(server.url, server.caPem), ...pullModeBootstrapObjects()];
  const ctx = internalContext('karmada-ts');
  for (const obj of objects) {
    const [group, resource] = resourceOf[obj.kind!]!;
    const def = server.registry.versionsOf(group, resource)[0]!;
    try {
      await server.objects.create(def, obj.metadata.namespace, structuredClone(obj), ctx);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
