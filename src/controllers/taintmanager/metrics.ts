// karmada_eviction_* metrics of the eviction queue (Karmada's pkg/metrics eviction metrics).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

interface EvictionMetrics {
  queueDepth: Gauge<'name'>;
  kind: Gauge<'member_cluster' | 'resource_kind'>;
  latency: Histogram<'name'>;
  processed: Counter<'name' | 'result'>;
}

const perRegistry = new WeakMap<Registry, EvictionMetrics>();

export function evictionMetrics(registry: Registry): EvictionMetrics {
  const existing = perRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const m: EvictionMetrics = {
    queueDepth: new Gauge({ name: 'karmada_eviction_queue_depth', help: 'Current depth of the eviction queue.', labelNames: ['name'], registers }),
    kind: new Gauge({ name: 'karmada_eviction_kind_total', help: 'Number of resources in the eviction queue by kind and source cluster.', labelNames: ['member_cluster', 'resource_kind'], registers }),
    latency: new Histogram({ name: 'karmada_eviction_processing_latency_seconds', help: 'Latency for processing an eviction task, from when it is due until the binding is written.', labelNames: ['name'], buckets: Array.from({ length: 16 }, (_, i) => 0.001 * 2 ** i), registers }),
    processed: new Counter({ name: 'karmada_eviction_processing_total', help: 'Total evictions processed, by result (success or error).', labelNames: ['name', 'result'], registers }),
  };
  perRegistry.set(registry, m);
  return m;
}
