// Whether a Cluster matches a ClusterAffinity (Karmada's util.ClusterMatches and matchZones): used by
// the scheduler, static weights, override rules and namespace sync alike.
import { labelSelectorMatches, nodeRequirementMatches } from '../../apimachinery/labels.js';
import { clusterZones, type Cluster } from './cluster.js';
import type { ClusterAffinity, FieldSelectorRequirement } from './placement.js';

/**
 * A multi-zone cluster against a `zone` requirement: In wants any listed zone, NotIn none of them,
 * Exists some zone, DoesNotExist no zone; any other operator matches nothing.
 */
export function matchZones(r: FieldSelectorRequirement, zones: readonly string[]): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return zones.some((z) => values.includes(z));
    case 'NotIn':
      return !zones.some((z) => values.includes(z));
    case 'Exists':
      return zones.length > 0;
    case 'DoesNotExist':
      return zones.length === 0;
    default:
      return false;
  }
}

// provider and region are matched as node fields: an unset field is an absent key.
function clusterFields(cluster: Cluster): Record<string, string> {
  const fields: Record<string, string> = {};
  if (cluster.spec.provider) fields.provider = cluster.spec.provider;
  if (cluster.spec.region) fields.region = cluster.spec.region;
  return fields;
}

/** util.ClusterMatches: exclude wins; then labelSelector, fieldSelector and clusterNames must all hold. */
export function clusterMatches(cluster: Cluster, affinity: ClusterAffinity): boolean {
  const name = cluster.metadata.name;
  if (affinity.exclude?.includes(name)) return false;
  if (affinity.labelSelector && !labelSelectorMatches(affinity.labelSelector, cluster.metadata.labels)) return false;
  const exprs = affinity.fieldSelector?.matchExpressions;
  if (exprs && exprs.length > 0) {
    let fields: Record<string, string> | undefined;
    for (const r of exprs) {
      if (r.key === 'zone') {
        if (!matchZones(r, clusterZones(cluster))) return false;
      } else if (!nodeRequirementMatches(r, (fields ??= clusterFields(cluster)))) {
        return false;
      }
    }
  }
  const names = affinity.clusterNames ?? [];
  return names.length === 0 || names.includes(name);
}
