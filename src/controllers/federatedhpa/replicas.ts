// The HPA replica calculator as pure functions: Kubernetes' podautoscaler/replica_calculator.go as
// Karmada's FederatedHPA lifts it (pkg/controllers/federatedhpa/replica_calculator.go), over the
// pods of every member, with Karmada's calibration (members' replicas / the template's replicas) so
// that Duplicated placements, where each member runs the template's count, are not counted twice.

const defaultTolerance = 0.1;

/** a pod as the calculator needs it; `key` is unique across members (cluster/name) */
export interface CalcPod {
  key: string;
  phase: string;
  ready: boolean;
  deleting?: boolean;
  /** ms since the pod started, and since its Ready condition last changed (for the cpu initialisation rules) */
  startedAgoMs?: number;
  readyChangedAgoMs?: number;
  /** the window of the pod's metric sample (PodMetrics.window) */
  metricWindowMs?: number;
  /** sum of the containers' requests of the resource (milli units); undefined when a container has none */
  request?: number;
}

export interface CalcOptions {
  tolerance: number;
  cpuInitializationPeriodMs: number;
  delayOfInitialReadinessStatusMs: number;
}

export const defaultCalcOptions: CalcOptions = { tolerance: defaultTolerance, cpuInitializationPeriodMs: 5 * 60_000, delayOfInitialReadinessStatusMs: 30_000 };

interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** groupPods: ignored (deleting, failed), unready (pending; for cpu, not yet ready or just started), missing (no metric) */
function groupPods(pods: CalcPod[], metrics: Map<string, number>, resource: string, opts: CalcOptions): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const p of pods) {
    if (p.deleting || p.phase === 'Failed') {
      g.ignored.add(p.key);
      continue;
    }
    if (p.phase === 'Pending') {
      g.unready.add(p.key);
      continue;
    }
    if (!metrics.has(p.key)) {
      g.missing.add(p.key);
      continue;
    }
    if (resource === 'cpu') {
      const started = p.startedAgoMs;
      const changed = p.readyChangedAgoMs;
      let unready: boolean;
      if (started === undefined || changed === undefined) unready = true;
      // still initialising: not ready, or no full metric window since it turned ready
      else if (started < opts.cpuInitializationPeriodMs) unready = !p.ready || changed < (p.metricWindowMs ?? 0);
      // past it: only a pod that has never been ready is left out
      else unready = !p.ready && changed + opts.delayOfInitialReadinessStatusMs > started;
      if (unready) {
        g.unready.add(p.key);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/** utilisation (integer percent of requests), the ratio to the target, and the average raw value */
function utilizationRatio(metrics: Map<string, number>, requests: Map<string, number>, target: number): { ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let n = 0;
  for (const [key, v] of metrics) {
    const r = requests.get(key);
    if (r === undefined) continue;
    metricsTotal += v;
    requestsTotal += r;
    n++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(metricsTotal / n) };
}

export interface Proposal {
  replicas: number;
  /** percent of requests, for Utilization targets */
  utilization?: number;
  /** the average per pod (milli units) */
  average: number;
}

const ceil = (x: number) => Math.ceil(x - 1e-9);

/** the second pass both calculators share: missing and unready pods filled in, direction kept */
function adjust(currentReplicas: number, ratio: number, g: PodGroups, metrics: Map<string, number>, missingValue: (key: string) => number, ratioOf: (m: Map<string, number>) => number, calibration: number, tolerance: number): number {
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return currentReplicas;
    return ceil((ratio * g.readyPodCount) / calibration);
  }
  const m = new Map(metrics);
  if (g.missing.size > 0) {
    if (ratio < 1) for (const k of g.missing) m.set(k, missingValue(k));
    else if (ratio > 1) for (const k of g.missing) m.set(k, 0);
  }
  if (scaleUpWithUnready) for (const k of g.unready) m.set(k, 0);
  const newRatio = ratioOf(m);
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return currentReplicas;
  const proposed = ceil((newRatio * m.size) / calibration);
  if ((newRatio < 1 && proposed > currentReplicas) || (newRatio > 1 && proposed < currentReplicas)) return currentReplicas;
  return proposed;
}

function readyMetrics(pods: CalcPod[], metrics: Map<string, number>, resource: string, opts: CalcOptions): { g: PodGroups; m: Map<string, number> } {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, metrics, resource, opts);
  const m = new Map([...metrics].filter(([k]) => !g.ignored.has(k) && !g.unready.has(k) && pods.some((p) => p.key === k)));
  if (m.size === 0) throw new Error('did not receive metrics for any ready pods');
  return { g, m };
}

/** GetResourceReplicas: a Utilization target (percent of requests) */
export function resourceReplicas(currentReplicas: number, targetUtilization: number, resource: string, pods: CalcPod[], metrics: Map<string, number>, calibration = 1, opts: CalcOptions = defaultCalcOptions): Proposal {
  const { g, m } = readyMetrics(pods, metrics, resource, opts);
  const requests = new Map<string, number>();
  for (const p of pods) {
    if (p.request === undefined) throw new Error(`missing request for ${resource} in pod ${p.key}`);
    requests.set(p.key, p.request);
  }
  const first = utilizationRatio(m, requests, targetUtilization);
  const fallback = Math.max(100, targetUtilization);
  const replicas = adjust(currentReplicas, first.ratio, g, m, (k) => Math.trunc((requests.get(k)! * fallback) / 100), (x) => utilizationRatio(x, requests, targetUtilization).ratio, calibration, opts.tolerance);
  return { replicas, utilization: first.utilization, average: first.rawAverage };
}

/** calcPlainMetricReplicas: an AverageValue target (resource or pods metric), milli units */
export function averageValueReplicas(currentReplicas: number, targetAverage: number, resource: string, pods: CalcPod[], metrics: Map<string, number>, calibration = 1, opts: CalcOptions = defaultCalcOptions): Proposal {
  const { g, m } = readyMetrics(pods, metrics, resource, opts);
  const usage = (x: Map<string, number>) => [...x.values()].reduce((a, b) => a + b, 0) / x.size;
  const average = usage(m);
  const replicas = adjust(currentReplicas, average / targetAverage, g, m, () => targetAverage, (x) => usage(x) / targetAverage, calibration, opts.tolerance);
  return { replicas, average: Math.trunc(average) };
}
