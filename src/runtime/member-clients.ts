// Clients of member clusters (used by controllers, the scheduler's estimator and the cluster proxy), built from their Cluster objects as Karmada's controllers do:
// spec.apiEndpoint plus the secret spec.secretRef names (caBundle and token; or tls.crt and tls.key
// for members that authenticate with client certificates). One client per cluster, rebuilt when
// the endpoint or the secret changes.
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from './client.js';
import type { KubeObject } from '../apimachinery/types.js';
import type { Cluster } from '../apis/karmada/cluster.js';
import { clusterGVR } from '../apis/karmada/gvr.js';
import { secretGVR } from '../apis/builtin/gvr.js';
import type { Informer } from './informer.js';
import { ClusterSecretNamespace } from '../apis/karmada/wellknown.js';

/** the secret fields that carry a member's credentials */
export interface MemberCredentials {
  caBundle?: string;
  token?: string;
  clientCert?: string;
  clientKey?: string;
}

export function credentialsFromSecret(secret: KubeObject): MemberCredentials {
  const data = (secret.data ?? {}) as Record<string, string>;
  const text = (k: string) => (data[k] ? Buffer.from(data[k], 'base64').toString('utf8') : undefined);
  return { caBundle: text('caBundle'), token: text('token'), clientCert: text('tls.crt'), clientKey: text('tls.key') };
}

function clientFor(name: string, endpoint: string, creds: MemberCredentials, insecure = false, asked?: KubeClient): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server: endpoint, caData: creds.caBundle ? Buffer.from(creds.caBundle).toString('base64') : undefined, skipTLSVerify: insecure || !creds.caBundle }],
    users: [
      {
        name,
        token: creds.token,
        certData: creds.clientCert ? Buffer.from(creds.clientCert).toString('base64') : undefined,
        keyData: creds.clientKey ? Buffer.from(creds.clientKey).toString('base64') : undefined,
      },
    ],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return new KubeClient(kc, { requestTimeoutMs: 10_000, userAgent: asked?.userAgent, dropManagedFields: asked?.dropManagedFields });
}

export class MemberClients {
  private readonly cache = new Map<string, { fingerprint: string; client: KubeClient }>();
  private readonly listeners: ((cluster: string, client: KubeClient) => void)[] = [];
  /** secrets read in the last secretTtlMs: every Work sync asks for its cluster's client */
  private readonly secrets = new Map<string, { at: number; secret: Promise<KubeObject> }>();
  private secretInformer?: { namespace: string; informer: Informer };

  constructor(
    private readonly controlPlane: KubeClient,
    private readonly secretTtlMs = 2000,
    /** karmada-agent: the member it runs beside, reached with the member's own kubeconfig (no secret) */
    private readonly own?: { name: string; client: KubeClient },
  ) {}

  /** the clients of karmada-agent: only its own member, with the credentials it was started with */
  static own(controlPlane: KubeClient, name: string, client: KubeClient): MemberClients {
    return new MemberClients(controlPlane, 2000, { name, client });
  }

  /**
   * Karmada's controllers read cluster secrets from an informer: with one (for the namespace the
   * secrets live in), a synced cache answers and a rotated secret is seen as soon as it is written;
   * a secret it does not hold yet, or one elsewhere, is read from the API.
   */
  useSecretInformer(namespace: string, informer: Informer): void {
    this.secretInformer = { namespace, informer };
  }

  /** the secret, read at most once per secretTtlMs (a rotated secret is seen within that time) */
  private secret(namespace: string, name: string): Promise<KubeObject> {
    const key = `${namespace}/${name}`;
    const informed = this.secretInformer;
    if (informed?.namespace === namespace && informed.informer.hasSynced) {
      const cached = informed.informer.get(key);
      if (cached) return Promise.resolve(cached);
    }
    const now = Date.now();
    const hit = this.secrets.get(key);
    if (hit && now - hit.at < this.secretTtlMs) return hit.secret;
    const secret = this.controlPlane.get(secretGVR, name, { namespace });
    this.secrets.set(key, { at: now, secret });
    secret.catch(() => this.secrets.get(key)?.secret === secret && this.secrets.delete(key));
    return secret;
  }

  /** called with the old client when a cluster's client is replaced or dropped (to stop its informers) */
  onReplaced(listener: (cluster: string, client: KubeClient) => void): void {
    this.listeners.push(listener);
  }

  /** the client of a Push-mode member; throws when the cluster or its secret is missing */
  async get(clusterName: string): Promise<KubeClient> {
    if (this.own?.name === clusterName) return this.own.client;
    const cluster = await this.controlPlane.get<Cluster & KubeObject>(clusterGVR, clusterName);
    return this.forCluster(cluster);
  }

  async forCluster(cluster: Cluster & KubeObject): Promise<KubeClient> {
    const name = cluster.metadata.name!;
    if (this.own) {
      if (name !== this.own.name) throw new Error(`cluster ${name} is not the member this agent serves (${this.own.name})`);
      return this.own.client;
    }
    const endpoint = cluster.spec?.apiEndpoint;
    const ref = cluster.spec?.secretRef;
    if (!endpoint) throw new Error(`cluster ${name} has no spec.apiEndpoint`);
    if (!ref?.name) throw new Error(`cluster ${name} has no spec.secretRef`);
    const secret = await this.secret(ref.namespace ?? ClusterSecretNamespace, ref.name);
    const fingerprint = `${endpoint}|${secret.metadata.resourceVersion}|${cluster.spec?.insecureSkipTLSVerification ?? false}`;
    const cached = this.cache.get(name);
    if (cached?.fingerprint === fingerprint) return cached.client;
    // the component asking the member is the one asking the control plane, and reads answers as it does
    const client = clientFor(name, endpoint, credentialsFromSecret(secret), cluster.spec?.insecureSkipTLSVerification, this.controlPlane);
    if (cached) this.retire(name, cached.client);
    this.cache.set(name, { fingerprint, client });
    return client;
  }

  /** forget a cluster that left */
  drop(clusterName: string): void {
    if (this.own) return;
    const cached = this.cache.get(clusterName);
    if (!cached) return;
    this.cache.delete(clusterName);
    this.retire(clusterName, cached.client);
  }

  /** listeners stop what used the old client; its pooled connections close once in-flight calls had a moment */
  private retire(name: string, client: KubeClient): void {
    for (const l of this.listeners) l(name, client);
    setTimeout(() => client.close(), 30_000).unref();
  }
}
