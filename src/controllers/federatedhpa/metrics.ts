// Karmada's FederatedHPA and CronFederatedHPA metrics (pkg/metrics/resource.go), under Karmada's names,
// help texts, buckets and labels. One set per prom-client registry.
import { Histogram, type Registry } from 'prom-client';

interface AutoscalingMetrics {
  process: Histogram<'result'>;
  pull: Histogram<'result' | 'metricType'>;
  cronProcess: Histogram<'result'>;
  cronRule: Histogram<'result'>;
}

const buckets = (start: number) => Array.from({ length: 12 }, (_, i) => start * 2 ** i);
const perRegistry = new WeakMap<Registry, AutoscalingMetrics>();

export function federatedHPAMetrics(registry: Registry | undefined): AutoscalingMetrics {
  const key = registry ?? fallback;
  const existing = perRegistry.get(key);
  if (existing) return existing;
  const registers = registry ? [registry] : [];
  const m: AutoscalingMetrics = {
    process: new Histogram({ name: 'federatedhpa_process_duration_seconds', help: "Duration in seconds to process a FederatedHPA. By the result, 'error' means a FederatedHPA failed to be processed. Otherwise 'success'.", labelNames: ['result'], buckets: buckets(0.01), registers }),
    pull: new Histogram({ name: 'federatedhpa_pull_metrics_duration_seconds', help: "Duration in seconds taken by the FederatedHPA to pull metrics. By the result, 'error' means the FederatedHPA failed to pull the metrics. Otherwise 'success'.", labelNames: ['result', 'metricType'], buckets: buckets(0.01), registers }),
    cronProcess: new Histogram({ name: 'cronfederatedhpa_process_duration_seconds', help: "Duration in seconds to process a CronFederatedHPA. By the result, 'error' means a CronFederatedHPA failed to be processed. Otherwise 'success'.", labelNames: ['result'], buckets: buckets(0.001), registers }),
    cronRule: new Histogram({ name: 'cronfederatedhpa_rule_process_duration_seconds', help: "Duration in seconds to process a CronFederatedHPA rule. By the result, 'error' means a CronFederatedHPA rule failed to be processed. Otherwise 'success'.", labelNames: ['result'], buckets: buckets(0.001), registers }),
  };
  perRegistry.set(key, m);
  return m;
}

/** stands for "no registry" (metrics kept but not exported) */
const fallback = {} as Registry;
