// The ResourceBinding both scheduler benchmarks schedule: Divided with dynamic weights over
// `env=prod` clusters, spread over 2–3 regions and 2–10 clusters, requests varying with i.
import type { ResourceBinding } from '../../src/apis/karmada/binding.js';

export function benchBinding(i: number, namespace: string, opts: { schedulerName?: string; generation?: number } = {}): ResourceBinding {
  return {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: `app-${i}-deployment`, namespace, ...(opts.generation ? { generation: opts.generation } : {}) },
    spec: {
      ...(opts.schedulerName ? { schedulerName: opts.schedulerName } : {}),
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: `app-${i}` },
      replicas: 1 + (i % 50),
      replicaRequirements: { resourceRequest: { cpu: `${100 + (i % 10) * 100}m`, memory: `${128 * (1 + (i % 4))}Mi` } },
      placement: {
        clusterAffinity: { labelSelector: { matchLabels: { env: 'prod' } } },
        spreadConstraints: [
          { spreadByField: 'region', minGroups: 2, maxGroups: 3 },
          { spreadByField: 'cluster', minGroups: 2, maxGroups: 10 },
        ],
        replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } },
      },
    },
  } as ResourceBinding;
}
