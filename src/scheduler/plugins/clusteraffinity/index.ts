// ClusterAffinity: the cluster must match the placement's affinity term in force
// (clusterNames, exclude, labelSelector, fieldSelector on provider/region/zone). Its score is constant.
import { clusterZones, type Cluster } from '../../../apis/karmada/cluster.js';
import type { ClusterAffinity, FieldSelectorRequirement } from '../../../apis/karmada/placement.js';
import { MinClusterScore, success, unschedulable, type FilterPlugin, type ScorePlugin } from '../../framework/types.js';
import { labelSelectorMatches } from '../../util/selectors.js';

export const Name = 'ClusterAffinity';

function fieldOf(cluster: Cluster, key: string): string | undefined {
  if (key === 'provider') return cluster.spec.provider || undefined;
  if (key === 'region') return cluster.spec.region || undefined;
  return undefined;
}

// provider and region behave like labels: In needs the field set to a listed value, NotIn passes when unset.
function fieldRequirementMatches(cluster: Cluster, r: FieldSelectorRequirement): boolean {
  const values = r.values ?? [];
  if (r.key === 'zone') return zonesMatch(r, clusterZones(cluster));
  const v = fieldOf(cluster, r.key);
  switch (r.operator) {
    case 'In':
      return v !== undefined && values.includes(v);
    case 'NotIn':
      return v === undefined || !values.includes(v);
    default:
      return false;
  }
}

// A cluster spans zones: In wants every zone listed, NotIn wants none; a cluster without zones matches neither.
function zonesMatch(r: FieldSelectorRequirement, zones: string[]): boolean {
  if (zones.length === 0) return false;
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return zones.every((z) => values.includes(z));
    case 'NotIn':
      return zones.every((z) => !values.includes(z));
    default:
      return false;
  }
}

/** util.ClusterMatches: exclude wins; then labelSelector, fieldSelector and clusterNames must all hold. */
export function matchesClusterAffinity(cluster: Cluster, affinity: ClusterAffinity): boolean {
  const name = cluster.metadata.name;
  if (affinity.exclude?.includes(name)) return false;
  if (affinity.labelSelector && !labelSelectorMatches(affinity.labelSelector, cluster.metadata.labels)) return false;
  for (const r of affinity.fieldSelector?.matchExpressions ?? []) {
    if (!fieldRequirementMatches(cluster, r)) return false;
  }
  const names = affinity.clusterNames ?? [];
  return names.length === 0 || names.includes(name);
}

export const clusterAffinity: FilterPlugin & ScorePlugin = {
  name: Name,
  filter(state, cluster) {
    if (!state.affinity || matchesClusterAffinity(cluster, state.affinity)) return success();
    return unschedulable('cluster(s) did not match the placement cluster affinity constraint');
  },
  score() {
    return MinClusterScore;
  },
};
