// The member simulator's load model: a per-workload load setting (`karmada-ts member load`) from which
// pod usage is computed on request, spread evenly over the workload's running pods, as real load
// behind a Service is (scaling out lowers the usage of each pod). Stands in for what kubelet's cAdvisor
// reports to metrics-server in a real cluster.
import { resourceAmount } from '../apimachinery/quantity.js';
import { errors } from '../apimachinery/errors.js';

/** what `member load` asked for, per pod, when `pods` pods were running */
export interface LoadSetting {
  /** cpu per pod, millicores */
  cpuMilli: number;
  /** memory per pod, bytes (unset: the default of the pods) */
  memoryBytes?: number;
  /** custom metrics per pod, milli units (custom.metrics.k8s.io) */
  custom?: Record<string, number>;
  /** running pods when set: the total load is per-pod × pods, whatever the replicas become */
  pods: number;
}

/** a workload's load, keyed `namespace/deployment` */
export type LoadTable = Record<string, LoadSetting>;

export const loadKey = (namespace: string, deployment: string) => `${namespace}/${deployment}`;

/** parses the command's --cpu/--memory; bad quantities are a 400 saying which flag is wrong */
export function parseLoad(input: { cpu?: string; memory?: string; metrics?: string[] }, runningPods: number): LoadSetting {
  const cpuMilli = input.cpu === undefined ? NaN : resourceAmount('cpu', input.cpu);
  if (!Number.isFinite(cpuMilli) || cpuMilli < 0) throw errors.badRequest(`--cpu: ${JSON.stringify(input.cpu ?? '')} is not a cpu quantity (e.g. 800m)`);
  let memoryBytes: number | undefined;
  if (input.memory !== undefined) {
    memoryBytes = resourceAmount('memory', input.memory);
    if (!Number.isFinite(memoryBytes) || memoryBytes < 0) throw errors.badRequest(`--memory: ${JSON.stringify(input.memory)} is not a memory quantity (e.g. 200Mi)`);
  }
  let custom: Record<string, number> | undefined;
  for (const m of input.metrics ?? []) {
    const [name, value] = [m.slice(0, m.indexOf('=')), m.slice(m.indexOf('=') + 1)];
    const v = resourceAmount('cpu', value);
    if (!m.includes('=') || !/^[a-z0-9][a-z0-9_.-]*$/i.test(name) || !Number.isFinite(v) || v < 0) throw errors.badRequest(`--metric: ${JSON.stringify(m)} is not NAME=QUANTITY (e.g. http_requests=100)`);
    custom = { ...custom, [name]: v };
  }
  return { cpuMilli, memoryBytes, ...(custom ? { custom } : {}), pods: Math.max(1, runningPods) };
}

/** one pod's usage when `running` pods share the workload's load: cpu in nanocores, memory in bytes */
export function podShare(load: LoadSetting, running: number): { cpu: number; memory?: number } {
  const n = Math.max(1, running);
  const cpu = Math.round((load.cpuMilli * 1e6 * load.pods) / n);
  return load.memoryBytes === undefined ? { cpu } : { cpu, memory: Math.round((load.memoryBytes * load.pods) / n) };
}

/** splits a pod's usage over its containers in proportion to their requests (equally without any) */
export function splitOverContainers(total: number, weights: number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = sum > 0 ? weights.map((w) => w / sum) : weights.map(() => 1 / weights.length);
  return shares.map((s) => Math.round(total * s));
}

/** one pod's share of a custom metric (milli units), or undefined when the load sets none */
export function customShare(load: LoadSetting, metric: string, running: number): number | undefined {
  const v = load.custom?.[metric];
  return v === undefined ? undefined : Math.round((v * load.pods) / Math.max(1, running));
}
