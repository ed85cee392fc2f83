// karmada-metrics-adapter's resource metrics (pkg/metricsadapter/provider/resourcemetrics.go) and
// custom.metrics.k8s.io/v1beta2 pod metrics (provider/custommetrics.go):
// metrics.k8s.io/v1beta1 on the control plane, PodMetrics and NodeMetrics read from every ready
// member when asked, each marked with the member it came from (Karmada's
// resource.karmada.io/query-from-cluster annotation, and the same key as a label so `-l` can pick a
// member). A member that fails or is slow to answer is left out, as Karmada's adapter does.
import type { KubeObject } from '../apimachinery/types.js';
import type { ApiExtension, ApiServer } from '../apiserver/server.js';
import { metricsResources, serveMetrics, type MetricsSource } from '../apiserver/metricsapi/serve.js';
import { serveCustomMetrics, type CustomMetricsSource, type MetricValue } from '../apiserver/metricsapi/custom.js';
import { KubeClient } from '../runtime/client.js';
import { MemberClients } from '../runtime/member-clients.js';
import { userAgent } from '../runtime/user-agent.js';
import { QueryFromClusterAnnotation } from '../apis/karmada/wellknown.js';
import { ClusterConditionReady, type Cluster } from '../apis/karmada/cluster.js';
import { nodeMetricsGVR, podMetricsGVR } from '../apis/builtin/gvr.js';

/** the name it has as a client, in its kubeconfig user and User-Agent */
const Component = 'karmada-metrics-adapter';
const memberTimeoutMs = 5000;

/** marks a member's metrics object with its cluster */
export function fromCluster(obj: KubeObject, cluster: string): KubeObject {
  return {
    ...obj,
    metadata: { ...obj.metadata, labels: { ...(obj.metadata.labels ?? {}), [QueryFromClusterAnnotation]: cluster }, annotations: { ...(obj.metadata.annotations ?? {}), [QueryFromClusterAnnotation]: cluster } },
  };
}

const isReady = (c: Cluster & KubeObject) => c.status?.conditions?.find((x) => x.type === ClusterConditionReady)?.status !== 'False';

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)))]).finally(() => clearTimeout(timer));
}

class MembersMetrics implements MetricsSource {
  private clients?: MemberClients;

  constructor(private readonly server: ApiServer) {}

  private memberClients(): MemberClients {
    this.clients ??= new MemberClients(KubeClient.fromKubeconfig(this.server.adminKubeconfig(Component), { requestTimeoutMs: memberTimeoutMs, userAgent: userAgent(Component) }));
    return this.clients;
  }

  private async fromMembers<T>(read: (client: KubeClient) => Promise<T[]>, mark: (o: T, cluster: string) => T): Promise<T[]> {
    const def = this.server.registry.versionsOf('cluster.karmada.io', 'clusters')[0];
    if (!def) return [];
    const clusters = ((await this.server.objects.list(def, undefined)).items as (Cluster & KubeObject)[]).filter(isReady);
    const lists = await Promise.all(
      clusters.map(async (c) => {
        try {
          const client = await this.memberClients().forCluster(c);
          return (await withTimeout(read(client), memberTimeoutMs)).map((o) => mark(o, c.metadata.name!));
        } catch {
          return [];
        }
      }),
    );
    return lists.flat();
  }

  pods(namespace: string | undefined): Promise<KubeObject[]> {
    return this.fromMembers(async (client) => (await client.list(podMetricsGVR, { namespace })).items, fromCluster);
  }

  nodes(): Promise<KubeObject[]> {
    return this.fromMembers(async (client) => (await client.list(nodeMetricsGVR)).items, fromCluster);
  }

  /** custom.metrics.k8s.io pod metrics: every member's values for the pods the selector picks */
  readonly custom: CustomMetricsSource = {
    pods: async (namespace, metric, labelSelector) => {
      const path = `/apis/custom.metrics.k8s.io/v1beta2/namespaces/${encodeURIComponent(namespace)}/pods/*/${encodeURIComponent(metric)}${labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : ''}`;
      // a member where no pod has the metric answers 404: it adds nothing
      return this.fromMembers(async (client) => (await client.request<{ items?: MetricValue[] }>('GET', path)).items ?? [], (v) => v);
    },
  };
}

/** metrics.k8s.io on the control plane, from the members */
export function metricsAdapter(server: ApiServer): ApiExtension {
  server.registry.setSource('metrics.k8s.io', metricsResources);
  const source = new MembersMetrics(server);
  return {
    name: 'karmada-metrics-adapter',
    handle: async (req, res, url) => (await serveMetrics(req, res, url, () => source)) || serveCustomMetrics(req, res, url, () => source.custom),
  };
}
