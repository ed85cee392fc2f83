// Cluster selection under spread constraints (Karmada's core/spreadconstraint): clusters are
// grouped by region, scored and sized; a combination of groups meeting [minGroups, maxGroups] is chosen.
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ResourceBindingSpec } from '../../apis/karmada/binding.js';
import { spreadConstraintsIgnored, type Placement, type SpreadConstraint, type SpreadFieldValue } from '../../apis/karmada/placement.js';

export interface ClusterDetail {
  name: string;
  score: number;
  /** estimated available replicas plus the replicas already assigned to it */
  available: number;
  cluster: Cluster;
  /** overflow tier (0 unless the term has overflowAffinities); lower tiers come first */
  overflowOrder?: number;
}

/** Clusters by overflow tier, then score (highest first), then available replicas, then name. */
function compareDetails(a: ClusterDetail, b: ClusterDetail): number {
  const oa = a.overflowOrder ?? 0;
  const ob = b.overflowOrder ?? 0;
  if (oa !== ob) return oa - ob;
  if (a.score !== b.score) return b.score - a.score;
  if (a.available !== b.available) return b.available - a.available;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function buildDetails(
  scored: { cluster: Cluster; score: number }[],
  available: number[],
  spec: ResourceBindingSpec,
  overflowOrders?: number[],
): ClusterDetail[] {
  const assigned = new Map<string, number>();
  for (const c of spec.clusters ?? []) assigned.set(c.name, (assigned.get(c.name) ?? 0) + (c.replicas ?? 0));
  const details = scored.map((s, i) => ({
    name: s.cluster.metadata.name,
    score: s.score,
    available: available[i] + (assigned.get(s.cluster.metadata.name) ?? 0),
    cluster: s.cluster,
    ...(overflowOrders ? { overflowOrder: overflowOrders[i] } : {}),
  }));
  return details.sort(compareDetails);
}

/** Static-weight division ignores spread constraints (also Weighted without weightPreference, the webhook's default for Divided). */
export const shouldIgnoreSpreadConstraint = spreadConstraintsIgnored;

/** Duplicated placements do not weigh capacity when selecting. */
function shouldIgnoreAvailableResource(placement: Placement | undefined): boolean {
  const s = placement?.replicaScheduling;
  return !s || s.replicaSchedulingType === 'Duplicated';
}

const InvalidReplicas = -1;

class SpreadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpreadError';
  }
}

export function selectBestClusters(placement: Placement | undefined, details: ClusterDetail[], needReplicas: number): Cluster[] {
  const constraints = placement?.spreadConstraints ?? [];
  if (constraints.length === 0 || shouldIgnoreSpreadConstraint(placement)) return details.map((d) => d.cluster);
  const need = shouldIgnoreAvailableResource(placement) ? InvalidReplicas : needReplicas;
  if (constraints.some((c) => c.spreadByLabel)) return selectByLabels(constraints, details, need);
  const byField = new Map<SpreadFieldValue, SpreadConstraint>();
  for (const c of constraints) if (c.spreadByField) byField.set(c.spreadByField, c);
  if (byField.has('region')) return selectByRegion(byField, details);
  const clusterConstraint = byField.get('cluster');
  if (clusterConstraint) return selectByCluster(clusterConstraint, details, need).map((d) => d.cluster);
  throw new SpreadError('just support cluster and region spread constraint');
}

function minOf(c: SpreadConstraint | undefined): number {
  return c?.minGroups ?? 0;
}
function maxOf(c: SpreadConstraint | undefined): number {
  return c?.maxGroups ?? 0;
}

function selectByCluster(constraint: SpreadConstraint, details: ClusterDetail[], needReplicas: number): ClusterDetail[] {
  if (details.length < minOf(constraint)) throw new SpreadError('the number of feasible clusters is less than spreadConstraint.MinGroups');
  const needCnt = Math.min(maxOf(constraint), details.length);
  if (needReplicas === InvalidReplicas) return details.slice(0, needCnt);
  const chosen = selectByAvailableResource(details, needCnt, needReplicas);
  if (chosen.length === 0) throw new SpreadError(`no enough resource when selecting ${needCnt} clusters`);
  return chosen;
}

function enough(clusters: ClusterDetail[], needReplicas: number): boolean {
  let total = 0;
  for (const c of clusters) total += c.available;
  return total >= needReplicas;
}

/**
 * Take the top-scored `count` clusters; while they cannot hold the replicas, swap the lowest-scored
 * of them (from the end) for the roomiest remaining cluster that has more room.
 */
function selectByAvailableResource(candidates: ClusterDetail[], count: number, needReplicas: number): ClusterDetail[] {
  const chosen = candidates.slice(0, count);
  const rest = candidates.slice(count);
  for (let i = chosen.length - 1; !enough(chosen, needReplicas) && i >= 0; i--) {
    let best = -1;
    let bestAvailable = chosen[i].available;
    for (let j = 0; j < rest.length; j++) {
      if (rest[j].available > bestAvailable) {
        best = j;
        bestAvailable = rest[j].available;
      }
    }
    if (best === -1) continue;
    [chosen[i], rest[best]] = [rest[best], chosen[i]];
  }
  return enough(chosen, needReplicas) ? chosen : [];
}

function selectByLabels(constraints: SpreadConstraint[], details: ClusterDetail[], needReplicas: number): Cluster[] {
  let infos = details;
  constraints.forEach((c, i) => {
    if (!c.spreadByLabel) return;
    const key = c.spreadByLabel;
    let selected = infos.filter((d) => Object.prototype.hasOwnProperty.call(d.cluster.metadata.labels ?? {}, key));
    if (selected.length < minOf(c)) throw new SpreadError(`the number of feasible clusters is less than spreadConstraint[${i}].MinGroups`);
    const needCnt = Math.min(maxOf(c), selected.length);
    selected = needReplicas === InvalidReplicas ? selected.slice(0, needCnt) : selectByAvailableResource(selected, needCnt, needReplicas);
    if (selected.length === 0) throw new SpreadError(`no enough resource when selecting ${needCnt} clusters`);
    infos = selected;
  });
  return infos.map((d) => d.cluster);
}

interface RegionInfo {
  name: string;
  score: number;
  clusters: ClusterDetail[];
}

function groupByRegion(details: ClusterDetail[]): Map<string, RegionInfo> {
  const regions = new Map<string, RegionInfo>();
  for (const d of details) {
    const region = d.cluster.spec.region;
    if (!region) continue;
    let info = regions.get(region);
    if (!info) {
      // details arrive sorted, so the first cluster of a region carries the region's score
      info = { name: region, score: d.score, clusters: [] };
      regions.set(region, info);
    }
    info.clusters.push(d);
  }
  return regions;
}

function selectByRegion(byField: Map<SpreadFieldValue, SpreadConstraint>, details: ClusterDetail[]): Cluster[] {
  const regionConstraint = byField.get('region');
  const clusterConstraint = byField.get('cluster');
  const regions = groupByRegion(details);
  if (regions.size < minOf(regionConstraint)) throw new SpreadError('the number of feasible region is less than spreadConstraint.MinGroups');
  const groups: Group[] = [...regions.values()].map((r) => ({ name: r.name, value: r.clusters.length, weight: r.score }));
  const chosenGroups = selectGroups(groups, minOf(regionConstraint), maxOf(regionConstraint), minOf(clusterConstraint));
  if (chosenGroups.length === 0) throw new SpreadError('the number of clusters is less than the cluster spreadConstraint.MinGroups');
  const clusters: Cluster[] = [];
  const candidates: ClusterDetail[] = [];
  for (const g of chosenGroups) {
    const r = regions.get(g.name)!;
    clusters.push(r.clusters[0].cluster);
    candidates.push(...r.clusters.slice(1));
  }
  const needCnt = Math.min(candidates.length + clusters.length, maxOf(clusterConstraint));
  const restCnt = needCnt - clusters.length;
  if (restCnt > 0) {
    candidates.sort(compareDetails);
    for (let i = 0; i < restCnt; i++) clusters.push(candidates[i].cluster);
  }
  return clusters;
}

export interface Group {
  name: string;
  /** how many clusters the group holds */
  value: number;
  /** the group's score */
  weight: number;
}

interface Path {
  id: number;
  groups: Group[];
  weight: number;
  value: number;
}

/**
 * selectGroups: every combination of [min, max] groups whose clusters reach `target`, found by DFS
 * over groups ordered by size; the best is the heaviest (then largest, then first found), except
 * that a best path's prefix which is itself feasible wins, since fewer groups suffice.
 */
export function selectGroups(groups: Group[], min: number, max: number, target: number): Group[] {
  if (groups.length === 0) return [];
  const ordered = [...groups].sort((a, b) => a.value - b.value || b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const paths: Path[] = [];
  const current: Group[] = [];
  let nextId = 0;
  const dfs = (sum: number, begin: number): void => {
    if (sum >= target && current.length >= min && current.length <= max) {
      const gs = [...current].sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      let weight = 0;
      let value = 0;
      for (const g of gs) {
        weight += g.weight;
        value += g.value;
      }
      paths.push({ id: ++nextId, groups: gs, weight, value });
      return;
    }
    if (current.length >= max) return;
    for (let i = begin; i < ordered.length; i++) {
      current.push(ordered[i]);
      dfs(sum + ordered[i].value, i + 1);
      current.pop();
    }
  };
  dfs(0, 0);
  if (paths.length === 0) return [];
  if (paths.length === 1) return paths[0].groups;
  paths.sort((a, b) => b.weight - a.weight || b.value - a.value || a.id - b.id);
  let best = paths[0];
  for (let i = 1; i < paths.length; i++) {
    if (isStrictPrefix(paths[i], best)) best = paths[i];
  }
  return best.groups;
}

function isStrictPrefix(sub: Path, path: Path): boolean {
  if (sub.groups.length >= path.groups.length) return false;
  return sub.groups.every((g, i) => path.groups[i].name === g.name);
}
