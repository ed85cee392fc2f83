// metrics.k8s.io for simulated members: PodMetrics and NodeMetrics with simulated usage. A workload
// under a load setting (load.ts) shares it among its pods; otherwise a workload (or a pod) says how
// busy it is with annotations, as a percentage of its requests:
//   membersim.karmada-ts.io/cpu-utilization: "80"     (default 10)
//   membersim.karmada-ts.io/memory-utilization: "60"  (default 50)
// Containers without requests are measured against 50m cpu and 64Mi memory.
import type { KubeObject } from '../apimachinery/types.js';
import { resourceAmount } from '../apimachinery/quantity.js';
import { splitOverContainers } from './load.js';

export const cpuUtilizationAnnotation = 'membersim.karmada-ts.io/cpu-utilization';
export const memoryUtilizationAnnotation = 'membersim.karmada-ts.io/memory-utilization';

export interface UsageHints {
  cpuPercent: number;
  memoryPercent: number;
}

export interface Usage {
  /** nanocores */
  cpu: number;
  /** bytes */
  memory: number;
}

const defaults: UsageHints = { cpuPercent: 10, memoryPercent: 50 };
/** what a node's system daemons use besides the pods */
const systemUsage: Usage = { cpu: 100_000_000, memory: 512 * 2 ** 20 };

function percent(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.trim().replace(/%$/, ''));
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** the first object in the chain (pod, then its owners) that sets a hint wins, per resource */
export function usageHints(chain: (Record<string, string> | undefined)[]): UsageHints {
  const find = (key: string) => chain.map((a) => percent(a?.[key])).find((v) => v !== undefined);
  return { cpuPercent: find(cpuUtilizationAnnotation) ?? defaults.cpuPercent, memoryPercent: find(memoryUtilizationAnnotation) ?? defaults.memoryPercent };
}

interface ContainerShape {
  name: string;
  resources?: { requests?: Record<string, string | number> };
}

export function containerUsage(c: ContainerShape, hints: UsageHints): Usage {
  const req = c.resources?.requests ?? {};
  const cpuMilli = req.cpu !== undefined ? resourceAmount('cpu', req.cpu) : 50;
  const memory = req.memory !== undefined ? resourceAmount('memory', req.memory) : 64 * 2 ** 20;
  return { cpu: Math.round(cpuMilli * 1e6 * (hints.cpuPercent / 100)), memory: Math.round(memory * (hints.memoryPercent / 100)) };
}

const formatCpu = (nanocores: number) => `${Math.round(nanocores)}n`;
const formatMemory = (bytes: number) => `${Math.ceil(bytes / 1024)}Ki`;

const containersOf = (pod: KubeObject) => (pod.spec as { containers?: ContainerShape[] } | undefined)?.containers ?? [];

/**
 * each container's usage: the pod's share of its workload's load when it has one (split over the
 * containers by their requests), the hints' percentage of the requests otherwise
 */
function containerUsages(pod: KubeObject, hints: UsageHints, share?: { cpu: number; memory?: number }): Usage[] {
  const containers = containersOf(pod);
  const base = containers.map((c) => containerUsage(c, hints));
  if (!share) return base;
  const cpu = splitOverContainers(share.cpu, containers.map((c) => (c.resources?.requests?.cpu !== undefined ? resourceAmount('cpu', c.resources.requests.cpu) : 0)));
  const memory = share.memory === undefined ? base.map((u) => u.memory) : splitOverContainers(share.memory, containers.map((c) => (c.resources?.requests?.memory !== undefined ? resourceAmount('memory', c.resources.requests.memory) : 0)));
  return base.map((_, i) => ({ cpu: cpu[i], memory: memory[i] }));
}

/** metrics-server's PodMetrics for a running pod */
export function podMetrics(pod: KubeObject, hints: UsageHints, timestamp: string, share?: { cpu: number; memory?: number }): KubeObject {
  const usages = containerUsages(pod, hints, share);
  const containers = containersOf(pod).map((c, i) => ({ name: c.name, usage: { cpu: formatCpu(usages[i].cpu), memory: formatMemory(usages[i].memory) } }));
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, labels: { ...(pod.metadata.labels ?? {}) }, creationTimestamp: timestamp },
    timestamp,
    window: '15s',
    containers,
  };
}

export function podUsage(pod: KubeObject, hints: UsageHints, share?: { cpu: number; memory?: number }): Usage {
  return containerUsages(pod, hints, share).reduce((s, u) => ({ cpu: s.cpu + u.cpu, memory: s.memory + u.memory }), { cpu: 0, memory: 0 });
}

/** metrics-server's NodeMetrics: the node's pods plus its system daemons */
export function nodeMetrics(node: KubeObject, pods: Usage[], timestamp: string): KubeObject {
  const total = pods.reduce((s, u) => ({ cpu: s.cpu + u.cpu, memory: s.memory + u.memory }), { ...systemUsage });
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'NodeMetrics',
    metadata: { name: node.metadata.name, labels: { ...(node.metadata.labels ?? {}) }, creationTimestamp: timestamp },
    timestamp,
    window: '20s',
    usage: { cpu: formatCpu(total.cpu), memory: formatMemory(total.memory) },
  };
}

/** the read-only metrics.k8s.io/v1beta1 resources, computed on request (apiserver/metricsapi) */
export { metricsResources } from '../apiserver/metricsapi/serve.js';
