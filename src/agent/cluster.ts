// The Cluster object karmada-agent registers for its member (Karmada's agent
// generateClusterInControllerPlane): syncMode Pull, the member's API endpoint, its kube-system uid as
// spec.id, and provider/region/zones when given; and the impersonator Secret the cluster proxy
// reaches the member with. Pure, apart from ensureCluster's and reportImpersonatorSecret's calls.
import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { isAlreadyExists, isNotFound } from '../apimachinery/errors.js';
import { secretGVR } from '../apis/builtin/gvr.js';
import { ClusterLeaseNamespace } from './lease.js';
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
function registeredSpec(r: ClusterRegistration): Record<string, unknown> {
  const spec: Record<string, unknown> = { syncMode: 'Pull', apiEndpoint: r.apiEndpoint };
  if (r.id) spec.id = r.id;
  if (r.provider) spec.provider = r.provider;
  if (r.region) spec.region = r.region;
  if (r.zones?.length) spec.zones = r.zones;
  return spec;
}

/** why an existing Cluster cannot be taken over by this agent, if it cannot */
function takeoverRefusal(existing: Cluster | undefined, r: ClusterRegistration): string | undefined {
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

/** Karmada's agent --report-secrets KubeImpersonator: the Secret the cluster proxy reaches the member with */
const impersonatorSecretName = (cluster: string) => `${cluster}-impersonator`;

/** the impersonator Secret from the member's kubeconfig credentials (the fields credentialsFromSecret reads); pure */
function impersonatorSecret(cluster: string, member: KubeConfig): KubeObject {
  const c = member.getCurrentCluster();
  const u = member.getCurrentUser();
  const text = (inline?: string, file?: string) => (inline ? Buffer.from(inline, 'base64').toString('utf8') : file ? readFileSync(file, 'utf8') : undefined);
  const fields: Record<string, string | undefined> = { caBundle: text(c?.caData, c?.caFile), token: u?.token, 'tls.crt': text(u?.certData, u?.certFile), 'tls.key': text(u?.keyData, u?.keyFile) };
  const data = Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => !!e[1]).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: impersonatorSecretName(cluster), namespace: ClusterLeaseNamespace }, type: 'Opaque', data };
}

/** writes the impersonator Secret and points the Cluster's spec.impersonatorSecretRef at it */
export async function reportImpersonatorSecret(client: KubeClient, cluster: string, member: KubeConfig, signal?: AbortSignal): Promise<void> {
  const secret = impersonatorSecret(cluster, member);
  try {
    await client.create(secret, { signal });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    await client.patch(secretGVR, secret.metadata.name!, { data: secret.data }, { namespace: ClusterLeaseNamespace, type: 'merge', signal });
  }
  await client.patch(clusterGVR, cluster, { spec: { impersonatorSecretRef: { namespace: ClusterLeaseNamespace, name: secret.metadata.name } } }, { type: 'merge', signal });
}
