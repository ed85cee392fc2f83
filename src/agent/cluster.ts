// The Cluster object karmada-agent registers for its member (Karmada's agent
// generateClusterInControllerPlane): syncMode Pull, the member's API endpoint, its kube-system uid as
// spec.id, and provider/region/zones when given. Pure, apart from ensureCluster's API calls.
import { isNotFound } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import type { Cluster } from '../apis/karmada/cluster.js';
import { clusterGVR } from '../apis/karmada/gvr.js';
import type { KubeClient } from '../runtime/client.js';

export interface ClusterRegistration {
  name: string;
  apiEndpoint: string;
  id?: string;
  provider?: string;
  region?: string;
  zones?: string[];
}

/** the spec fields the agent owns (others, e.g. taints set by `karmadactl cordon`, stay as they are) */
export function registeredSpec(r: ClusterRegistration): Record<string, unknown> {
  const spec: Record<string, unknown> = { syncMode: 'Pull', apiEndpoint: r.apiEndpoint };
  if (r.id) spec.id = r.id;
  if (r.provider) spec.provider = r.provider;
  if (r.region) spec.region = r.region;
  if (r.zones?.length) spec.zones = r.zones;
  return spec;
}

/** why an existing Cluster cannot be taken over by this agent, if it cannot */
export function takeoverRefusal(existing: Cluster | undefined, r: ClusterRegistration): string | undefined {
  if (!existing) return undefined;
  if (existing.spec?.syncMode !== 'Pull') return `cluster ${r.name} already exists in ${existing.spec?.syncMode ?? 'Push'} mode; unjoin it before registering it in Pull mode`;
  if (existing.spec.id && r.id && existing.spec.id !== r.id) return `cluster ${r.name} is already registered for another cluster (id ${existing.spec.id}, this one is ${r.id})`;
  return undefined;
}

/** creates the Cluster or brings its agent-owned fields up to date; the Cluster as it is then */
export async function ensureCluster(client: KubeClient, r: ClusterRegistration, signal?: AbortSignal): Promise<Cluster & KubeObject> {
  let existing: (Cluster & KubeObject) | undefined;
  try {
    existing = await client.get<Cluster & KubeObject>(clusterGVR, r.name, { signal });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const refusal = takeoverRefusal(existing, r);
  if (refusal) throw new Error(refusal);
  const spec = registeredSpec(r);
  if (!existing) return client.create<Cluster & KubeObject>({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: r.name }, spec } as unknown as Cluster & KubeObject, { signal });
  const current = existing.spec as unknown as Record<string, unknown>;
  if (Object.entries(spec).every(([k, v]) => JSON.stringify(current[k]) === JSON.stringify(v))) return existing;
  return client.patch<Cluster & KubeObject>(clusterGVR, r.name, { spec }, { type: 'merge', signal });
}
