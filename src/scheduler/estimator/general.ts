// The general estimator: how many more replicas fit in a cluster according to its
// status.resourceSummary, or its resource models (grades of node sizes) when they are collected.
import type { Cluster, ResourceList, ResourceSummary } from '../../apis/karmada/cluster.js';
import type { ComponentRequirements, ReplicaRequirements } from '../../apis/karmada/binding.js';
import { resourceAmount } from '../../apimachinery/quantity.js';
import { firstFitSets, type ComponentDemand } from './sets.js';

const MaxInt64 = Number.MAX_SAFE_INTEGER;

interface ParsedSummary {
  /** allocatable - allocated - allocating, per resource, in the resource's comparison unit */
  available: Map<string, number>;
  allowedPods: number;
}

const parsedSummaries = new WeakMap<ResourceSummary, ParsedSummary>();

function amount(list: ResourceList | undefined, name: string): number | undefined {
  const q = list?.[name];
  return q === undefined ? undefined : resourceAmount(name, q);
}

function parseSummary(rs: ResourceSummary): ParsedSummary {
  let parsed = parsedSummaries.get(rs);
  if (parsed) return parsed;
  const available = new Map<string, number>();
  for (const name of Object.keys(rs.allocatable ?? {})) {
    const v = (amount(rs.allocatable, name) ?? 0) - (amount(rs.allocated, name) ?? 0) - (amount(rs.allocating, name) ?? 0);
    available.set(name, v);
  }
  const pods = (amount(rs.allocatable, 'pods') ?? 0) - (amount(rs.allocated, 'pods') ?? 0) - (amount(rs.allocating, 'pods') ?? 0);
  parsed = { available, allowedPods: pods > 0 ? pods : 0 };
  parsedSummaries.set(rs, parsed);
  return parsed;
}

// One binding's requirements are estimated against every cluster: parse its quantities once.
const parsedRequests = new WeakMap<ReplicaRequirements, [string, number][]>();

/** Positive requests of a replica, in each resource's comparison unit (do not mutate the result). */
export function positiveRequests(requirements: ReplicaRequirements | undefined): [string, number][] {
  if (!requirements) return [];
  let out = parsedRequests.get(requirements);
  if (out) return out;
  out = [];
  for (const [name, q] of Object.entries(requirements.resourceRequest ?? {})) {
    const v = resourceAmount(name, q);
    if (v > 0) out.push([name, v]);
  }
  parsedRequests.set(requirements, out);
  return out;
}

function byClusterSummary(parsed: ParsedSummary, requests: [string, number][]): number {
  let max = MaxInt64;
  for (const [name, requested] of requests) {
    const available = parsed.available.get(name);
    if (available === undefined || available <= 0) return 0;
    max = Math.min(max, Math.floor(available / requested));
  }
  return max;
}

/** Replicas by resource models, or undefined when the models do not cover a requested resource. */
function byResourceModels(cluster: Cluster, requests: [string, number][]): number | undefined {
  const models = cluster.spec.resourceModels ?? [];
  const modelings = cluster.status?.resourceSummary?.allocatableModelings ?? [];
  if (models.length === 0 || requests.length === 0) return undefined;
  const minsByResource = new Map<string, number[]>();
  for (const model of models) {
    for (const range of model.ranges) {
      const list = minsByResource.get(range.name) ?? [];
      list.push(resourceAmount(range.name, range.min));
      minsByResource.set(range.name, list);
    }
  }
  let minIndex = 0;
  for (const [name, requested] of requests) {
    const mins = minsByResource.get(name);
    if (!mins) return undefined;
    // The first grade whose lower bound covers the request: a node of a lower grade may be too small.
    const idx = mins.findIndex((min) => min >= requested);
    if (idx === -1) return 0;
    minIndex = Math.max(minIndex, idx);
  }
  let total = 0;
  for (let i = minIndex; i < models.length; i++) {
    const count = modelings[i]?.count ?? 0;
    if (count === 0) continue;
    let perNode = MaxInt64;
    for (const [name, requested] of requests) {
      const min = minsByResource.get(name)?.[i] ?? 0;
      perNode = Math.min(perNode, Math.floor(min / requested));
    }
    // A node of a compliant grade holds at least one replica.
    total += count * (perNode === 0 ? 1 : perNode);
  }
  return total;
}

/** GeneralEstimator.maxAvailableReplicas for one cluster. */
export function generalEstimate(cluster: Cluster, requirements: ReplicaRequirements | undefined): number {
  const rs = cluster.status?.resourceSummary;
  if (!rs) return 0;
  const parsed = parseSummary(rs);
  let max = parsed.allowedPods;
  if (max <= 0) return 0;
  if (!requirements) return max;
  const requests = positiveRequests(requirements);
  if ((rs.allocatableModelings ?? []).length > 0) {
    const byModels = byResourceModels(cluster, requests);
    if (byModels !== undefined) return Math.min(max, byModels);
  }
  max = Math.min(max, byClusterSummary(parsed, requests));
  return max;
}

/**
 * GeneralEstimator.maxAvailableComponentSets: how many whole sets of the components fit — bounded by
 * the pods a set needs and by each resource a set requests in total, then by the resource models
 * when the cluster reports them (CustomizedClusterResourceModeling, on by default).
 */
export function generalComponentSets(cluster: Cluster, components: readonly ComponentRequirements[]): number {
  const rs = cluster.status?.resourceSummary;
  if (!rs) return 0;
  const parsed = parseSummary(rs);
  if (parsed.allowedPods <= 0) return 0;
  let podsPerSet = 0;
  const perSet = new Map<string, number>();
  for (const c of components) {
    podsPerSet += c.replicas;
    for (const [name, amount] of positiveRequests(c.replicaRequirements)) perSet.set(name, (perSet.get(name) ?? 0) + amount * c.replicas);
  }
  if (podsPerSet <= 0) return parsed.allowedPods;
  let max = Math.floor(parsed.allowedPods / podsPerSet);
  for (const [name, requested] of perSet) {
    const available = parsed.available.get(name);
    if (available === undefined || available <= 0) return 0;
    max = Math.min(max, Math.floor(available / requested));
  }
  const byModels = (rs.allocatableModelings ?? []).length > 0 ? setsOnModelNodes(cluster, components, max) : undefined;
  return byModels !== undefined && byModels < max ? byModels : max;
}

/** a pod capacity for each model node, as kubelet's default: the models say nothing of pods */
const MaxPodsPerModelNode = 110;

/**
 * buildModelNodes: per grade (ascending), allocatableModelings' count of nodes sized at the grade's
 * lower bounds; undefined when the cluster has no resource models or a count is negative.
 */
function modelNodes(cluster: Cluster): Map<string, number>[] | undefined {
  const models = cluster.spec.resourceModels ?? [];
  if (models.length === 0) return undefined;
  const counts = new Map<number, number>();
  for (const m of cluster.status?.resourceSummary?.allocatableModelings ?? []) {
    if (m.count < 0) return undefined;
    counts.set(m.grade, (counts.get(m.grade) ?? 0) + m.count);
  }
  const nodes: Map<string, number>[] = [];
  for (const model of [...models].sort((a, b) => a.grade - b.grade)) {
    for (let i = 0; i < (counts.get(model.grade) ?? 0); i++) {
      const node = new Map<string, number>(model.ranges.map((r) => [r.name, resourceAmount(r.name, r.min)]));
      node.set('pods', MaxPodsPerModelNode);
      nodes.push(node);
    }
  }
  return nodes;
}

/**
 * getMaximumSetsBasedOnResourceModels: whole sets placed first-fit, component by component, on the
 * model nodes (SchedulingSimulator), at most `upperBound` of them; undefined when there are no models.
 */
function setsOnModelNodes(cluster: Cluster, components: readonly ComponentRequirements[], upperBound: number): number | undefined {
  const nodes = modelNodes(cluster);
  if (!nodes) return undefined;
  return firstFitSets(nodes, componentDemands(components), upperBound);
}

/** each component's replicas and what one takes, a pod included */
export function componentDemands(components: readonly ComponentRequirements[]): ComponentDemand[] {
  return components.map((c) => ({ replicas: c.replicas, requests: [...positiveRequests(c.replicaRequirements), ['pods', 1]] }));
}
