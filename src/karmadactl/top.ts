// `karmadactl top node|pod` (pkg/karmadactl/top): metrics.k8s.io usage of every member's nodes or pods,
// read through the cluster proxy, printed as Karmada's metrics printer does (NAME, CLUSTER, CPU(cores),
// CPU%, MEMORY(bytes), MEMORY%; CPU in millicores, memory in Mi, percentages of allocatable).
import type { KubeObject } from '../apimachinery/types.js';
import { milliValue, parseQuantity, quantityValue } from '../apimachinery/quantity.js';
import { tabulate } from './print.js';

export interface NodeUsage {
  cluster: string;
  name: string;
  usage?: { cpu?: string; memory?: string };
  allocatable?: { cpu?: string; memory?: string };
}

interface PodUsage {
  cluster: string;
  namespace: string;
  name: string;
  containers: { name: string; usage: { cpu?: string; memory?: string } }[];
}

const cpuMilli = (q: string | undefined) => (q ? milliValue(parseQuantity(q)) : 0);
const memBytes = (q: string | undefined) => (q ? quantityValue(parseQuantity(q)) : 0);
const cpuText = (m: number) => `${m}m`;
const memText = (b: number) => `${Math.floor(b / (1024 * 1024))}Mi`;
const percent = (used: number, avail: number) => `${Math.floor((used * 100) / avail)}%`;

type SortBy = 'cpu' | 'memory' | undefined;

export function checkSortBy(v: string | undefined): SortBy {
  if (v === undefined || v === '' ) return undefined;
  if (v !== 'cpu' && v !== 'memory') throw new Error(`--sort-by accepts only cpu or memory`);
  return v;
}

export function formatTopNodes(nodes: NodeUsage[], opts: { noHeaders?: boolean; sortBy?: SortBy } = {}): string {
  if (nodes.length === 0) return '';
  const withUsage = nodes.filter((n) => n.usage);
  const sorted = [...withUsage].sort((a, b) =>
    opts.sortBy === 'cpu' ? cpuMilli(b.usage!.cpu) - cpuMilli(a.usage!.cpu) : opts.sortBy === 'memory' ? memBytes(b.usage!.memory) - memBytes(a.usage!.memory) : a.name.localeCompare(b.name),
  );
  const rows: string[][] = opts.noHeaders ? [] : [['NAME', 'CLUSTER', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%']];
  for (const n of sorted) {
    const cpu = cpuMilli(n.usage!.cpu);
    const mem = memBytes(n.usage!.memory);
    const acpu = cpuMilli(n.allocatable?.cpu);
    const amem = memBytes(n.allocatable?.memory);
    rows.push([n.name, n.cluster, cpuText(cpu), acpu ? percent(cpu, acpu) : '<unknown>', memText(mem), amem ? percent(mem, amem) : '<unknown>']);
  }
  for (const n of nodes.filter((x) => !x.usage)) rows.push([n.name, n.cluster, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
  return tabulate(rows);
}

export function formatTopPods(pods: PodUsage[], opts: { noHeaders?: boolean; sortBy?: SortBy; allNamespaces?: boolean; containers?: boolean; sum?: boolean } = {}): string {
  if (pods.length === 0) return '';
  const total = (p: PodUsage, f: (q: string | undefined) => number, k: 'cpu' | 'memory') => p.containers.reduce((s, c) => s + f(c.usage[k]), 0);
  const sorted = [...pods].sort((a, b) =>
    opts.sortBy === 'cpu'
      ? total(b, cpuMilli, 'cpu') - total(a, cpuMilli, 'cpu')
      : opts.sortBy === 'memory'
        ? total(b, memBytes, 'memory') - total(a, memBytes, 'memory')
        : (opts.allNamespaces ? a.namespace.localeCompare(b.namespace) : 0) || a.name.localeCompare(b.name),
  );
  const header = [...(opts.allNamespaces ? ['NAMESPACE'] : []), ...(opts.containers ? ['POD'] : []), 'NAME', 'CLUSTER', 'CPU(cores)', 'MEMORY(bytes)'];
  const rows: string[][] = opts.noHeaders ? [] : [header];
  for (const p of sorted) {
    const ns = opts.allNamespaces ? [p.namespace] : [];
    if (opts.containers) for (const c of p.containers) rows.push([...ns, p.name, c.name, p.cluster, cpuText(cpuMilli(c.usage.cpu)), memText(memBytes(c.usage.memory))]);
    else rows.push([...ns, p.name, p.cluster, cpuText(total(p, cpuMilli, 'cpu')), memText(total(p, memBytes, 'memory'))]);
  }
  if (opts.sum) {
    const pad = header.length - 2;
    rows.push([...Array(pad).fill(''), '________', '________']);
    rows.push([...Array(pad).fill(''), cpuText(pods.reduce((s, p) => s + total(p, cpuMilli, 'cpu'), 0)), memText(pods.reduce((s, p) => s + total(p, memBytes, 'memory'), 0))]);
  }
  return tabulate(rows);
}

/** NodeMetrics objects and Nodes of one member, joined by name */
export function nodeUsages(cluster: string, metrics: KubeObject[], nodes: KubeObject[]): NodeUsage[] {
  const byName = new Map(metrics.map((m) => [m.metadata.name!, (m as { usage?: NodeUsage['usage'] }).usage]));
  return nodes.map((n) => ({
    cluster,
    name: n.metadata.name!,
    usage: byName.get(n.metadata.name!),
    allocatable: (n as { status?: { allocatable?: NodeUsage['allocatable'] } }).status?.allocatable,
  }));
}

export function podUsages(cluster: string, metrics: KubeObject[]): PodUsage[] {
  return metrics.map((m) => ({
    cluster,
    namespace: m.metadata.namespace ?? '',
    name: m.metadata.name!,
    containers: ((m as { containers?: PodUsage['containers'] }).containers ?? []).map((c) => ({ name: c.name, usage: c.usage ?? {} })),
  }));
}
