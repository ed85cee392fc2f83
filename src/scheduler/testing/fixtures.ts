// Builders for clusters and bindings used by the scheduler's tests and benchmark.
import type { Cluster, Taint } from '../../apis/karmada/cluster.js';
import type { ResourceBinding, TargetCluster } from '../../apis/karmada/binding.js';
import type { Placement } from '../../apis/karmada/placement.js';

interface ClusterOpts {
  labels?: Record<string, string>;
  provider?: string;
  region?: string;
  zone?: string;
  zones?: string[];
  taints?: Taint[];
  /** pods that still fit (allocatable pods); default 110 */
  pods?: number;
  cpu?: string;
  memory?: string;
  allocatedCpu?: string;
  apis?: { groupVersion: string; kinds: string[] }[];
  deleting?: boolean;
}

const defaultApis = [
  { groupVersion: 'apps/v1', kinds: ['Deployment', 'StatefulSet'] },
  { groupVersion: 'v1', kinds: ['ConfigMap', 'Service'] },
];

export function cluster(name: string, o: ClusterOpts = {}): Cluster {
  const c: Cluster = {
    apiVersion: 'cluster.karmada.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name, labels: o.labels ?? {} },
    spec: { syncMode: 'Push', provider: o.provider, region: o.region, zone: o.zone, zones: o.zones, taints: o.taints },
    status: {
      apiEnablements: (o.apis ?? defaultApis).map((a) => ({ groupVersion: a.groupVersion, resources: a.kinds.map((k) => ({ name: k.toLowerCase() + 's', kind: k })) })),
      conditions: [{ type: 'Ready', status: 'True' }],
      resourceSummary: {
        allocatable: { pods: String(o.pods ?? 110), cpu: o.cpu ?? '100', memory: o.memory ?? '400Gi' },
        allocated: o.allocatedCpu ? { cpu: o.allocatedCpu } : {},
      },
    },
  };
  if (o.deleting) c.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  return c;
}

export function binding(placement: Placement, replicas: number, previous?: TargetCluster[], extra: Partial<ResourceBinding['spec']> = {}): ResourceBinding {
  return {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'default', generation: 1 },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' },
      replicas,
      placement,
      ...(previous ? { clusters: previous } : {}),
      ...extra,
    },
  };
}

export const dynamicWeight: Placement['replicaScheduling'] = {
  replicaSchedulingType: 'Divided',
  replicaDivisionPreference: 'Weighted',
  weightPreference: { dynamicWeight: 'AvailableReplicas' },
};
