// The clusters page (karmada-dashboard's cluster list, with more): per Cluster its mode, Ready
// condition and the transitions the dashboard saw, version, nodes, allocatable vs allocated
// (resourceSummary, allocating counted as allocated) and taints; plus the sums over all clusters.
import { quantityNumber } from '../../apimachinery/quantity.js';
import type { Condition } from '../../apimachinery/types.js';
import { ClusterConditionReady, type Cluster, type ResourceList } from '../../apis/karmada/cluster.js';

interface Amount {
  text: string;
  value: number;
}

export interface Capacity {
  cpu: Amount;
  memory: Amount;
  pods: Amount;
  gpu: Amount;
}

export interface ReadyTransition {
  time: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
}

export interface ClusterView {
  name: string;
  syncMode: string;
  ready: 'True' | 'False' | 'Unknown';
  readyReason: string;
  readyMessage: string;
  kubernetesVersion: string;
  nodes: { total: number; ready: number };
  allocatable: Capacity;
  allocated: Capacity;
  taints: { key: string; value: string; effect: string }[];
  readyTransitions: ReadyTransition[];
}

/** extended resources counted as GPUs */
export const gpuResources = ['nvidia.com/gpu', 'amd.com/gpu'];

function amount(value: number, unit: 'cores' | 'bytes' | 'count'): Amount {
  const v = Number.isFinite(value) ? value : 0;
  if (unit === 'bytes') {
    const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
    let x = v;
    let i = 0;
    while (x >= 1024 && i < units.length - 1) {
      x /= 1024;
      i++;
    }
    return { text: `${Math.round(x * 10) / 10}${units[i]}`, value: v };
  }
  if (unit === 'cores' && v > 0 && v < 1) return { text: `${Math.round(v * 1000)}m`, value: v };
  return { text: String(Math.round(v * 1000) / 1000), value: v };
}

function sumOf(lists: (ResourceList | undefined)[], names: string[]): number {
  let total = 0;
  for (const l of lists) for (const n of names) total += l?.[n] === undefined ? 0 : quantityNumber(l[n]) || 0;
  return total;
}

/** a Capacity from resource lists added together */
export function capacityOf(lists: (ResourceList | undefined)[]): Capacity {
  return {
    cpu: amount(sumOf(lists, ['cpu']), 'cores'),
    memory: amount(sumOf(lists, ['memory']), 'bytes'),
    pods: amount(sumOf(lists, ['pods']), 'count'),
    gpu: amount(sumOf(lists, gpuResources), 'count'),
  };
}

/** the Ready transitions so far, with the one this update shows (if the status changed) appended */
export function observeReady(seen: ReadyTransition[], now: Condition | undefined, before: Condition | undefined, at: Date): ReadyTransition[] {
  if (!now) return seen;
  if (seen.length === 0) return [{ time: now.lastTransitionTime ?? at.toISOString(), status: now.status, reason: now.reason ?? '' }];
  if (before && before.status === now.status) return seen;
  const last = seen[seen.length - 1]!;
  if (last.status === now.status) return seen;
  const next = [...seen, { time: now.lastTransitionTime ?? at.toISOString(), status: now.status, reason: now.reason ?? '' }];
  // a flapping cluster keeps its last 50 transitions
  return next.slice(-50);
}

export function clusterView(c: Cluster, transitions: ReadyTransition[] = []): ClusterView {
  const ready = (c.status?.conditions ?? []).find((x) => x.type === ClusterConditionReady);
  const summary = c.status?.resourceSummary;
  return {
    name: c.metadata.name,
    syncMode: c.spec?.syncMode ?? 'Push',
    ready: ready?.status ?? 'Unknown',
    readyReason: ready?.reason ?? '',
    readyMessage: ready?.message ?? '',
    kubernetesVersion: c.status?.kubernetesVersion ?? '',
    nodes: { total: c.status?.nodeSummary?.totalNum ?? 0, ready: c.status?.nodeSummary?.readyNum ?? 0 },
    allocatable: capacityOf([summary?.allocatable]),
    allocated: capacityOf([summary?.allocated, summary?.allocating]),
    taints: (c.spec?.taints ?? []).map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect })),
    readyTransitions: transitions.length > 0 ? transitions : ready ? observeReady([], ready, undefined, new Date(0)) : [],
  };
}

interface ClustersDoc {
  items: ClusterView[];
  /** allocatable and allocated summed over every cluster */
  totals: { allocatable: Capacity; allocated: Capacity };
}

export function clustersDoc(clusters: Cluster[], transitions: ReadonlyMap<string, ReadyTransition[]>): ClustersDoc {
  const sorted = [...clusters].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return {
    items: sorted.map((c) => clusterView(c, transitions.get(c.metadata.name))),
    totals: {
      allocatable: capacityOf(sorted.map((c) => c.status?.resourceSummary?.allocatable)),
      allocated: capacityOf(sorted.flatMap((c) => [c.status?.resourceSummary?.allocated, c.status?.resourceSummary?.allocating])),
    },
  };
}
