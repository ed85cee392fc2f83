// networking.karmada.io/v1alpha1: MultiClusterIngress and MultiClusterService.
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { arr, conditions, crd, int, karmadaCategory, kindSchema, obj, preserved, str } from './schema.js';

export const networkingGroup = 'networking.karmada.io';

function multiClusterIngress(): CustomResourceDefinition {
  const status = obj(
    {
      loadBalancer: preserved('networking/v1 IngressLoadBalancerStatus.'),
      trafficBlockClusters: arr(str(), 'Clusters traffic is kept away from.'),
      serviceLocations: arr(obj({ name: str(), clusters: arr(str()) }, { required: ['name'] }), 'Where each backend Service runs.'),
    },
    { description: 'Ingress status plus cluster details.' },
  );
  return crd({
    group: networkingGroup,
    kind: 'MultiClusterIngress',
    plural: 'multiclusteringresses',
    scope: 'Namespaced',
    shortNames: ['mci'],
    categories: [karmadaCategory],
    versions: [{ name: 'v1alpha1', schema: kindSchema('An Ingress routing to Services across clusters.', preserved('networking/v1 IngressSpec.'), status), status: true }],
  });
}

function multiClusterService(): CustomResourceDefinition {
  const clusterList = (what: string) => arr(obj({ name: str('Cluster name.') }, { required: ['name'] }), what);
  const spec = obj(
    {
      types: arr(str({ enum: ['CrossCluster', 'LoadBalancer'] }), 'How the Service is exposed: CrossCluster or LoadBalancer.'),
      ports: arr(obj({ name: str(), port: int() }, { required: ['port'] }), 'Ports to expose.'),
      range: obj({ clusterNames: arr(str()) }, { description: 'Deprecated: use consumerClusters.' }),
      serviceProvisionClusters: arr(str(), 'Deprecated: use providerClusters.'),
      serviceConsumptionClusters: arr(str(), 'Deprecated: use consumerClusters.'),
      providerClusters: clusterList('Clusters that run the Service backends; all when empty.'),
      consumerClusters: clusterList('Clusters that consume the Service; all when empty.'),
    },
    { required: ['types'], description: 'How a Service is shared between clusters.' },
  );
  const status = obj({ loadBalancer: preserved('corev1 LoadBalancerStatus.'), conditions: conditions('ServiceApplied and EndpointSliceDispatched.') });
  return crd({
    group: networkingGroup,
    kind: 'MultiClusterService',
    plural: 'multiclusterservices',
    scope: 'Namespaced',
    shortNames: ['mcs'],
    categories: [karmadaCategory],
    versions: [{ name: 'v1alpha1', schema: kindSchema('Exposes a Service across member clusters.', spec, status), status: true }],
  });
}

export function networkingCRDs(): CustomResourceDefinition[] {
  return [multiClusterIngress(), multiClusterService()];
}
