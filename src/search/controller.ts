// karmada-search's proxy controller (pkg/search/proxy/controller.go): informers on Clusters and
// ResourceRegistries in the control plane; on any change, what every member should cache is worked
// out again and the MultiClusterCache brought to it. Members are read with the clients the
// controllers use (Push: spec.secretRef), or through clusters/NAME/proxy when the control plane has
// no credentials of its own for them (Pull members, reached through their agent's tunnel).
import type { KubeObject } from '../apimachinery/types.js';
import type { ApiServer } from '../apiserver/server.js';
import { ObjectStoreSource } from '../apiserver/controllers/sources.js';
import type { Cluster } from '../apis/karmada/cluster.js';
import type { ResourceRegistry } from '../apis/karmada/search.js';
import { clusterGVR, resourceRegistryGVR } from '../apis/karmada/gvr.js';
import { KubeClient } from '../runtime/client.js';
import { Informer } from '../runtime/informer.js';
import { MemberClients } from '../runtime/member-clients.js';
import { userAgent } from '../runtime/user-agent.js';
import type { MultiClusterCache } from './multi-cluster-cache.js';
import { wantedCaches } from './wanted.js';

/** the name it has as a client, in its kubeconfig user and User-Agent */
const Component = 'karmada-search';
const retryMs = 2000;

export class SearchController {
  private clusters?: Informer;
  private registries?: Informer;
  private running = false;
  private again = false;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;
  private members?: MemberClients;
  private readonly proxyClients = new Map<string, KubeClient>();
  /** registries whose selectors name no resource, for logs and tests */
  unresolved = new Map<string, string[]>();

  constructor(
    private readonly server: ApiServer,
    private readonly cache: MultiClusterCache,
  ) {}

  /** starts once both resources are served (the CRDs are installed after the server starts) */
  maybeStart(): boolean {
    if (this.clusters || this.stopped) return !!this.clusters;
    const reg = this.server.registry;
    const clusterDef = reg.get(clusterGVR.group, clusterGVR.version, clusterGVR.resource);
    const rrDef = reg.get(resourceRegistryGVR.group, resourceRegistryGVR.version, resourceRegistryGVR.resource);
    if (!clusterDef || !rrDef) return false;
    this.clusters = new Informer(new ObjectStoreSource(this.server.objects, clusterDef));
    this.registries = new Informer(new ObjectStoreSource(this.server.objects, rrDef));
    const changed = { onAdd: () => this.kick(), onUpdate: () => this.kick(), onDelete: () => this.kick() };
    this.clusters.addHandlers(changed);
    this.registries.addHandlers(changed);
    void this.clusters.start();
    void this.registries.start();
    return true;
  }

  stop(): void {
    this.stopped = true;
    this.clusters?.stop();
    this.registries?.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.cache.stop();
    for (const c of this.proxyClients.values()) c.close();
  }

  /** a reconcile now, or right after the running one */
  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    setImmediate(() => {
      void this.reconcile().finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
    });
  }

  private memberClients(): MemberClients {
    this.members ??= new MemberClients(KubeClient.fromKubeconfig(this.server.adminKubeconfig(Component), { userAgent: userAgent(Component) }));
    return this.members;
  }

  /** a client whose server is this control plane's clusters/NAME/proxy, as the admin (the member sees system:admin's groups) */
  private proxyClient(name: string): KubeClient {
    let c = this.proxyClients.get(name);
    if (!c) {
      const kc = KubeClient.fromKubeconfig(this.server.adminKubeconfig(Component)).kubeConfig;
      const cluster = kc.getCurrentCluster()!;
      const server = `${cluster.server}/apis/cluster.karmada.io/v1alpha1/clusters/${encodeURIComponent(name)}/proxy`;
      kc.clusters = kc.clusters.map((x) => (x.name === cluster.name ? { ...x, server } : x));
      this.proxyClients.set(name, (c = new KubeClient(kc, { userAgent: userAgent(Component) })));
    }
    return c;
  }

  private async clientFor(cluster: Cluster & KubeObject): Promise<KubeClient> {
    if (cluster.spec?.secretRef?.name) return this.memberClients().forCluster(cluster);
    return this.proxyClient(cluster.metadata.name!);
  }

  private async reconcile(): Promise<void> {
    if (!this.clusters?.hasSynced || !this.registries?.hasSynced || this.stopped) return;
    const clusters = this.clusters.list() as (Cluster & KubeObject)[];
    const registries = this.registries.list() as ResourceRegistry[];
    const reg = this.server.registry;
    const { wanted, registered, unresolved } = wantedCaches(registries, clusters, (group, version, kind) => reg.resourcesIn(group, version).find((d) => d.kind === kind));
    this.unresolved = unresolved;
    const clients = new Map<string, KubeClient>();
    let failed = false;
    for (const name of wanted.keys()) {
      const cluster = clusters.find((c) => c.metadata.name === name)!;
      try {
        clients.set(name, await this.clientFor(cluster));
      } catch {
        failed = true;
      }
    }
    if (this.stopped) return;
    this.cache.update(wanted, registered, clients);
    for (const name of [...this.proxyClients.keys()]) {
      if (clients.get(name) === this.proxyClients.get(name)) continue;
      this.proxyClients.get(name)!.close();
      this.proxyClients.delete(name);
    }
    // a member whose secret is not readable yet: try again
    if (failed) this.retryTimer = setTimeout(() => this.kick(), retryMs);
  }
}
