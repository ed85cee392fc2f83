// nodeSummary and resourceSummary of a member, from its Nodes and Pods, as Karmada's cluster status
// controller computes them: allocatable is the sum of the nodes' allocatable; allocating the
// requests of pods not yet bound to a node; allocated the requests of bound pods that have not
// terminated. allocating and allocated always name cpu, memory, ephemeral-storage and pods.
import { addQuantities, formatQuantity, milliValue, quantityFrom, quantityValue, tryParseQuantity, type Quantity, type QuantityFormat } from '../../apimachinery/quantity.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { AllocatableModeling, NodeSummary, ResourceList, ResourceModel, ResourceSummary } from '../../apis/karmada/cluster.js';

interface NodeShape {
  status?: { allocatable?: ResourceList; conditions?: { type: string; status: string }[] };
}

interface ContainerShape {
  resources?: { requests?: ResourceList };
}

interface PodShape {
  spec?: { nodeName?: string; containers?: ContainerShape[]; initContainers?: ContainerShape[]; overhead?: ResourceList };
  status?: { phase?: string };
}

export function nodeIsReady(node: KubeObject): boolean {
  return ((node as NodeShape).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function nodeSummary(nodes: KubeObject[]): NodeSummary {
  return { totalNum: nodes.length, readyNum: nodes.filter(nodeIsReady).length };
}

/** Amounts in Karmada's util.Resource units: milli-cores for cpu, whole units for everything else. */
type Amounts = Map<string, bigint>;

function amountOf(name: string, q: Quantity): bigint {
  return BigInt(name === 'cpu' ? milliValue(q) : quantityValue(q));
}

function parse(v: string | number): Quantity | undefined {
  return typeof v === 'number' ? quantityFrom(v) : tryParseQuantity(v);
}

function addList(into: Amounts, list: ResourceList | undefined): void {
  for (const [name, v] of Object.entries(list ?? {})) {
    const q = parse(v);
    if (q) into.set(name, (into.get(name) ?? 0n) + amountOf(name, q));
  }
}

// Informer objects are immutable and replaced on every change, so caching by object is caching by
// uid + resourceVersion: each version of a pod or node is parsed once, not once per status round.
const requestsCache = new WeakMap<object, Amounts>();

/** Resource.AddPodRequest: containers summed, each init container as a floor, plus overhead */
export function podRequests(pod: KubeObject): Amounts {
  const cached = requestsCache.get(pod);
  if (cached) return cached;
  const spec = (pod as PodShape).spec ?? {};
  const sum: Amounts = new Map();
  for (const c of spec.containers ?? []) addList(sum, c.resources?.requests);
  for (const c of spec.initContainers ?? []) {
    const init: Amounts = new Map();
    addList(init, c.resources?.requests);
    for (const [name, v] of init) if (v > (sum.get(name) ?? 0n)) sum.set(name, v);
  }
  addList(sum, spec.overhead);
  requestsCache.set(pod, sum);
  return sum;
}

const binaryResources = new Set(['memory', 'ephemeral-storage']);

function formatAmount(name: string, amount: bigint): string {
  const format: QuantityFormat = binaryResources.has(name) || name.startsWith('hugepages-') ? 'BinarySI' : 'DecimalSI';
  const nanos = name === 'cpu' ? amount * 1_000_000n : amount * 1_000_000_000n;
  return formatQuantity({ nanos, format });
}

/** Resource.ResourceList(): the four base resources always, then any other resource requested */
function podResourceList(amounts: Amounts, pods: number): ResourceList {
  const out: ResourceList = {
    cpu: formatAmount('cpu', amounts.get('cpu') ?? 0n),
    memory: formatAmount('memory', amounts.get('memory') ?? 0n),
    'ephemeral-storage': formatAmount('ephemeral-storage', amounts.get('ephemeral-storage') ?? 0n),
    pods: String(pods),
  };
  for (const [name, v] of [...amounts].sort(([a], [b]) => a.localeCompare(b))) if (!(name in out)) out[name] = formatAmount(name, v);
  return out;
}

function isTerminal(pod: KubeObject): boolean {
  const phase = (pod as PodShape).status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

interface ParsedAllocatable {
  /** the parsable quantities, in the node's order */
  quantities: [string, Quantity][];
  amounts: Amounts;
}

const allocatableCache = new WeakMap<object, ParsedAllocatable>();

/** a node's status.allocatable parsed (once per node version) */
function nodeAllocatable(node: KubeObject): ParsedAllocatable {
  const cached = allocatableCache.get(node);
  if (cached) return cached;
  const parsed: ParsedAllocatable = { quantities: [], amounts: new Map() };
  for (const [name, v] of Object.entries((node as NodeShape).status?.allocatable ?? {})) {
    const q = parse(v);
    if (!q) continue;
    parsed.quantities.push([name, q]);
    parsed.amounts.set(name, (parsed.amounts.get(name) ?? 0n) + amountOf(name, q));
  }
  allocatableCache.set(node, parsed);
  return parsed;
}

/** the sum of the nodes' allocatable, kept in the quantities' own format (Quantity.Add) */
function clusterAllocatable(nodes: KubeObject[]): ResourceList {
  const sums = new Map<string, Quantity>();
  for (const node of nodes) {
    for (const [name, q] of nodeAllocatable(node).quantities) {
      const prev = sums.get(name);
      sums.set(name, prev ? addQuantities(prev, q) : q);
    }
  }
  const out: ResourceList = {};
  for (const name of [...sums.keys()].sort()) out[name] = formatQuantity(sums.get(name)!);
  return out;
}

export function resourceSummary(nodes: KubeObject[], pods: KubeObject[]): ResourceSummary {
  const allocating: Amounts = new Map();
  const allocated: Amounts = new Map();
  let pending = 0;
  let bound = 0;
  for (const pod of pods) {
    const nodeName = (pod as PodShape).spec?.nodeName;
    if (!nodeName) {
      pending++;
      for (const [k, v] of podRequests(pod)) allocating.set(k, (allocating.get(k) ?? 0n) + v);
    } else if (!isTerminal(pod)) {
      bound++;
      for (const [k, v] of podRequests(pod)) allocated.set(k, (allocated.get(k) ?? 0n) + v);
    }
  }
  return { allocatable: clusterAllocatable(nodes), allocating: podResourceList(allocating, pending), allocated: podResourceList(allocated, bound) };
}

/** the last index whose value is <= target, or -1 (mins ascend by grade) */
function lastAtMost(mins: bigint[], target: bigint): number {
  let found = -1;
  for (let i = 0; i < mins.length; i++) if (mins[i] <= target) found = i;
  return found;
}

/**
 * allocatableModelings (gate CustomizedClusterResourceModeling): how many nodes fall in each grade
 * of the cluster's resource models, judged by what each node has left after its bound pods. A node's
 * grade is the lowest, over the modelled resources, of the last grade whose lower bound it reaches.
 * Nodes with no pod slots left are not counted.
 */
export function allocatableModelings(models: ResourceModel[], nodes: KubeObject[], pods: KubeObject[]): AllocatableModeling[] | undefined {
  if (models.length === 0) return undefined;
  const names = [...new Set(models.flatMap((m) => m.ranges.map((r) => r.name)))];
  const mins = names.map((name) =>
    models.map((m) => {
      const min = m.ranges.find((r) => r.name === name)?.min;
      const q = min === undefined ? undefined : parse(min);
      return q ? amountOf(name, q) : 0n;
    }),
  );
  const used = new Map<string, { amounts: Amounts; pods: number }>();
  for (const pod of pods) {
    const nodeName = (pod as PodShape).spec?.nodeName;
    if (!nodeName || isTerminal(pod)) continue;
    const u = used.get(nodeName) ?? { amounts: new Map(), pods: 0 };
    for (const [k, v] of podRequests(pod)) u.amounts.set(k, (u.amounts.get(k) ?? 0n) + v);
    u.pods++;
    used.set(nodeName, u);
  }
  const counts = new Array<number>(models.length).fill(0);
  for (const node of nodes) {
    const available: Amounts = new Map(nodeAllocatable(node).amounts);
    const u = used.get(node.metadata.name ?? '');
    if (u) {
      if ((available.get('pods') ?? 0n) - BigInt(u.pods) <= 0n) continue;
      for (const [k, v] of u.amounts) if (available.has(k)) available.set(k, available.get(k)! - v);
    }
    let grade = Number.MAX_SAFE_INTEGER;
    names.forEach((name, i) => (grade = Math.min(grade, lastAtMost(mins[i], available.get(name) ?? 0n))));
    if (grade >= 0 && grade < counts.length) counts[grade]++;
  }
  return models.map((m, i) => ({ grade: m.grade, count: counts[i] }));
}
