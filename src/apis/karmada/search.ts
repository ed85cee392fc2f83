// search.karmada.io/v1alpha1 ResourceRegistry (pkg/apis/search/v1alpha1/searchregistry_types.go).
import type { Condition, KubeObject } from '../../apimachinery/types.js';
import type { ClusterAffinity } from './placement.js';

interface SearchResourceSelector {
  apiVersion: string;
  kind: string;
  /** empty: every namespace */
  namespace?: string;
}

export interface ResourceRegistry extends KubeObject {
  spec: {
    targetCluster: ClusterAffinity;
    resourceSelectors: SearchResourceSelector[];
    backendStore?: { openSearch?: { addresses: string[]; secretRef: { name: string } } };
  };
  status?: { conditions?: Condition[] };
}

/** the paths karmada-search serves under search.karmada.io/v1alpha1 */
export const SearchCachePrefix = '/apis/search.karmada.io/v1alpha1/search/cache';
export const SearchProxyPrefix = '/apis/search.karmada.io/v1alpha1/proxying/karmada/proxy';
