// The accurate estimator, live (what karmada-scheduler-estimator serves per member): informers on
// each Ready Push member's Nodes and Pods, through the member's own client and the manager's shared
// informers, feeding a MemberSnapshot per member. Started when a cluster becomes Ready, dropped when
// it leaves, stops being Ready or changes its endpoint or secret. A member whose caches have not
// synced gets no answer (undefined), so the general estimator alone bounds it, as Karmada does when
// a member's estimator cannot be reached.
import type { KubeObject } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ComponentRequirements, ReplicaRequirements } from '../../apis/karmada/binding.js';
import type { MemberClients } from '../../runtime/member-clients.js';
import type { KubeClient } from '../../runtime/client.js';
import type { Logger, Manager } from '../../runtime/controller.js';
import type { Informer, InformerHandlers } from '../../runtime/informer.js';
import type { Node, Pod, ReplicaEstimator } from '../estimator/index.js';
import { MemberSnapshot } from '../estimator/snapshot.js';
import { replicasAllowedByQuotas } from '../estimator/quota.js';
import type { ResourceQuota } from '../../apis/builtin/quota.js';
import { nodeGVR, podGVR, resourceQuotaGVR } from '../../apis/builtin/gvr.js';

export function clusterReady(cluster: Cluster): boolean {
  return (cluster.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Clusters whose members the estimator watches: Push mode (a client reaches them), Ready, not leaving. */
export function watchable(cluster: Cluster): boolean {
  return cluster.spec.syncMode === 'Push' && !cluster.metadata.deletionTimestamp && !!cluster.spec.apiEndpoint && clusterReady(cluster);
}

/** what the member's client is built from: a change means new informers */
function connectionOf(cluster: Cluster): string {
  const s = cluster.spec;
  return JSON.stringify([s.apiEndpoint, s.secretRef?.namespace, s.secretRef?.name, s.insecureSkipTLSVerification ?? false, s.proxyURL ?? '']);
}

interface Tracked {
  connection: string;
  snapshot: MemberSnapshot;
  nodes?: Informer;
  pods?: Informer;
  /** the member's ResourceQuotas (the estimator's ResourceQuota plugin) */
  quotas?: Informer;
}

function snapshotHandlers(set: (obj: KubeObject) => void, remove: (obj: KubeObject) => void): InformerHandlers {
  return { onAdd: set, onUpdate: (obj) => set(obj), onDelete: remove };
}

type MemberEstimatorState = 'synced' | 'syncing' | 'not-watched';

export class LiveNodeEstimator implements ReplicaEstimator {
  readonly name = 'scheduler-estimator';
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly manager: Manager,
    private readonly members: MemberClients,
    private readonly log?: Logger,
  ) {
    // a member client replaced or dropped: its informers go with it
    members.onReplaced((_name, old) => manager.removeClient(old));
  }

  /** follow a Cluster as it is added or updated */
  observe(cluster: Cluster): void {
    const name = cluster.metadata.name;
    if (!watchable(cluster)) return this.forget(name);
    const connection = connectionOf(cluster);
    const current = this.tracked.get(name);
    if (current?.connection === connection) return;
    if (current) this.forget(name);
    const entry: Tracked = { connection, snapshot: new MemberSnapshot() };
    this.tracked.set(name, entry);
    this.members.forCluster(cluster as Cluster & KubeObject).then(
      (client) => {
        if (this.tracked.get(name) === entry) this.watch(entry, client);
      },
      (err: unknown) => {
        // tried again on the cluster's next update (its status is posted periodically)
        if (this.tracked.get(name) === entry) this.tracked.delete(name);
        this.log?.error({ cluster: name, err }, 'accurate estimator: no client for member');
      },
    );
  }

  private watch(entry: Tracked, client: KubeClient): void {
    const s = entry.snapshot;
    entry.nodes = this.manager.informer(client, nodeGVR);
    entry.nodes.addHandlers(snapshotHandlers((o) => s.setNode(o as unknown as Node), (o) => s.deleteNode(o.metadata.name!)));
    entry.pods = this.manager.informer(client, podGVR);
    entry.pods.addHandlers(snapshotHandlers((o) => s.setPod(o as unknown as Pod), (o) => s.deletePod(o as unknown as Pod)));
    entry.quotas = this.manager.informer(client, resourceQuotaGVR);
  }

  /** stop watching a member (it left, is not Ready, or its connection changed) */
  forget(name: string): void {
    if (!this.tracked.delete(name)) return;
    // drop() tells onReplaced, which stops the member's informers
    this.members.drop(name);
  }

  state(name: string): MemberEstimatorState {
    const t = this.tracked.get(name);
    if (!t) return 'not-watched';
    return t.nodes?.hasSynced && t.pods?.hasSynced ? 'synced' : 'syncing';
  }

  /** the members currently watched */
  get watched(): string[] {
    return [...this.tracked.keys()];
  }

  estimate(cluster: Cluster, requirements: ReplicaRequirements | undefined): number | undefined {
    const t = this.tracked.get(cluster.metadata.name);
    if (!t?.nodes?.hasSynced || !t.pods?.hasSynced) return undefined;
    const byNodes = t.snapshot.estimate(requirements);
    // replicaRequirements.namespace is set only under ResourceQuotaEstimate, which gates the plugin
    const ns = requirements?.namespace;
    if (!ns || !t.quotas?.hasSynced) return byNodes;
    const byQuotas = replicasAllowedByQuotas(t.quotas.list((q) => q.metadata.namespace === ns) as ResourceQuota[], requirements);
    return byQuotas === undefined ? byNodes : Math.min(byNodes, byQuotas);
  }

  /** MaxAvailableComponentSets of the member's nodes (karmada-scheduler-estimator's EstimateComponents) */
  estimateComponentSets(cluster: Cluster, components: readonly ComponentRequirements[]): number | undefined {
    const t = this.tracked.get(cluster.metadata.name);
    if (!t?.nodes?.hasSynced || !t.pods?.hasSynced) return undefined;
    return t.snapshot.estimateComponentSets(components);
  }
}
