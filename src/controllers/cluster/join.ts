// Push-mode registration, as `karmadactl join` does it (pkg/karmadactl/join, pkg/util/cluster.go), shared by karmadactl and the playground: a Secret with the member's credentials in
// karmada-cluster, and a Cluster object pointing at the member's API endpoint. (Karmada also makes a
// ServiceAccount in the member and stores its token; we store the credentials of the kubeconfig
// given, which may be a token or a client certificate.)
import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../../apimachinery/types.js';
import { isAlreadyExists, isNotFound } from '../../apimachinery/errors.js';
import type { KubeClient } from '../../runtime/client.js';
import { clusterGVR, workGVR } from '../../apis/karmada/gvr.js';
import { namespaceGVR, secretGVR } from '../../apis/builtin/gvr.js';
import { executionSpaceName } from '../../apis/karmada/work.js';

const clusterNamespace = 'karmada-cluster';

interface JoinOptions {
  name: string;
  /** the member's kubeconfig, as text */
  memberKubeconfig: string;
  memberContext?: string;
  syncMode?: 'Push' | 'Pull';
  provider?: string;
  region?: string;
  zones?: string[];
  labels?: Record<string, string>;
}

function fileOrData(data: string | undefined, file: string | undefined): string | undefined {
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  if (file) return readFileSync(file, 'utf8');
  return undefined;
}

/** what the control plane needs to reach a member, read from its kubeconfig */
function memberAccess(kubeconfigText: string, context?: string): { server: string; data: Record<string, string>; insecure: boolean } {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigText);
  if (context) kc.setCurrentContext(context);
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster) throw new Error(`the member kubeconfig has no cluster for context ${JSON.stringify(context ?? kc.getCurrentContext())}`);
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const data: Record<string, string> = {};
  const ca = fileOrData(cluster.caData, cluster.caFile);
  if (ca) data.caBundle = b64(ca);
  if (user?.token) data.token = b64(user.token);
  const cert = fileOrData(user?.certData, user?.certFile);
  const key = fileOrData(user?.keyData, user?.keyFile);
  if (cert && key) {
    data['tls.crt'] = b64(cert);
    data['tls.key'] = b64(key);
  }
  if (!data.token && !data['tls.crt']) throw new Error('the member kubeconfig has neither a token nor a client certificate for its user');
  return { server: cluster.server, data, insecure: !!cluster.skipTLSVerify };
}

export async function joinCluster(controlPlane: KubeClient, opts: JoinOptions): Promise<KubeObject> {
  const access = memberAccess(opts.memberKubeconfig, opts.memberContext);
  try {
    await controlPlane.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: clusterNamespace } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const existing = await controlPlane.get(clusterGVR, opts.name).catch((err) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });
  if (existing) throw new Error(`cluster ${JSON.stringify(opts.name)} is already registered (apiEndpoint ${(existing.spec as { apiEndpoint?: string })?.apiEndpoint})`);
  const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: opts.name, namespace: clusterNamespace }, type: 'Opaque', data: access.data };
  try {
    await controlPlane.create(secret, { namespace: clusterNamespace });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    await controlPlane.patch(secretGVR, opts.name, { data: access.data }, { namespace: clusterNamespace, type: 'merge' });
  }
  const spec: Record<string, unknown> = {
    syncMode: opts.syncMode ?? 'Push',
    apiEndpoint: access.server,
    secretRef: { namespace: clusterNamespace, name: opts.name },
  };
  if (access.insecure) spec.insecureSkipTLSVerification = true;
  if (opts.provider) spec.provider = opts.provider;
  if (opts.region) spec.region = opts.region;
  if (opts.zones?.length) spec.zones = opts.zones;
  return controlPlane.create({
    apiVersion: 'cluster.karmada.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: opts.name, ...(opts.labels ? { labels: opts.labels } : {}) },
    spec,
  });
}

interface UnjoinOptions {
  /** how long to wait for the Cluster's finalizers (Karmada's --wait, default 60 s) */
  waitMs?: number;
  /** after the wait, remove the finalizers of the cluster's Works, execution namespace and Cluster */
  force?: boolean;
  dryRun?: boolean;
  clusterNamespace?: string;
}

const notFound = (err: unknown) => {
  if (isNotFound(err)) return undefined;
  throw err;
};

/** removes the Cluster (waiting until its finalizers ran, or forcing them off) and its credentials; messages as Karmada's */
export async function unjoinCluster(controlPlane: KubeClient, name: string, opts: UnjoinOptions = {}): Promise<void> {
  const target = await controlPlane.get(clusterGVR, name).catch(notFound);
  if (!target) throw new Error(`no cluster object ${name} found in karmada control Plane`);
  const syncMode = (target.spec as { syncMode?: string } | undefined)?.syncMode;
  if (syncMode === 'Pull') throw new Error(`cluster ${name} is a Pull mode member cluster, please use command \`unregister\` if you want to continue unregistering the cluster`);
  if (opts.dryRun) return;
  await controlPlane.delete(clusterGVR, name).catch((err) => {
    if (isNotFound(err)) throw new Error(`no cluster object ${name} found in karmada control Plane`);
    throw err;
  });
  const deadline = Date.now() + (opts.waitMs ?? 60_000);
  for (;;) {
    const still = await controlPlane.get(clusterGVR, name).catch(notFound);
    if (!still) break;
    if (Date.now() > deadline) {
      if (!opts.force) throw new Error(`cluster ${name} is still being deleted after the wait (finalizers: ${(still.metadata.finalizers ?? []).join(', ')}); use --force to remove them`);
      await forceFinalizers(controlPlane, name);
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await controlPlane.delete(secretGVR, name, { namespace: opts.clusterNamespace ?? clusterNamespace }).catch(notFound);
}

/** util.DeleteClusterObject's forced deletion: the Works', the execution namespace's and the Cluster's finalizers */
async function forceFinalizers(controlPlane: KubeClient, name: string): Promise<void> {
  const es = executionSpaceName(name);
  const works = await controlPlane.list(workGVR, { namespace: es }).catch(() => ({ items: [] as KubeObject[] }));
  for (const w of works.items) {
    await controlPlane.patch(workGVR, w.metadata.name!, { metadata: { finalizers: null } }, { namespace: es, type: 'merge' }).catch(notFound);
  }
  await controlPlane.patch(namespaceGVR, es, { metadata: { finalizers: null } }, { type: 'merge' }).catch(notFound);
  await controlPlane.patch(clusterGVR, name, { metadata: { finalizers: null } }, { type: 'merge' }).catch(notFound);
}
