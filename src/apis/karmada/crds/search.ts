// search.karmada.io/v1alpha1 ResourceRegistry: which resources of which clusters karmada-search caches
// (Karmada serves it from karmada-search's own storage; here it is a cluster-scoped CRD).
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import { clusterAffinity } from './common.js';
import { arr, conditions, crd, kindSchema, obj, str } from './schema.js';

export const searchGroup = 'search.karmada.io';

function resourceRegistry(): CustomResourceDefinition {
  const spec = obj(
    {
      targetCluster: clusterAffinity('The clusters whose resources are cached.'),
      resourceSelectors: arr(
        obj(
          {
            apiVersion: str({ description: 'API version of the resources to cache.', minLength: 1 }),
            kind: str({ description: 'Kind of the resources to cache.', minLength: 1 }),
            namespace: str('Namespace of the resources; all namespaces when empty.'),
          },
          { required: ['apiVersion', 'kind'] },
        ),
        'The resource types to cache.',
      ),
      backendStore: obj({ openSearch: obj({ addresses: arr(str()), secretRef: obj({ name: str() }) }, { required: ['addresses', 'secretRef'] }) }, { description: 'Where cached items are stored; only the in-memory cache is served here.' }),
    },
    { required: ['targetCluster', 'resourceSelectors'] },
  );
  return crd({
    group: searchGroup,
    kind: 'ResourceRegistry',
    plural: 'resourceregistries',
    scope: 'Cluster',
    categories: ['karmada-io'],
    versions: [{ name: 'v1alpha1', status: true, schema: kindSchema('Which resources in which clusters karmada-search caches.', spec, obj({ conditions: conditions() })) }],
  });
}

export function searchCRDs(): CustomResourceDefinition[] {
  return [resourceRegistry()];
}
