// Controller and work queue metrics under the names Karmada exposes (controller-runtime's and
// client-go's workqueue provider): dashboards built for Karmada read them unchanged.
// One set per prom-client registry, shared by every controller registered on it.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface QueueProbe {
  name: string;
  depth(): number;
}

export interface ControllerMetrics {
  reconcileTotal: Counter<'controller' | 'result'>;
  reconcileErrors: Counter<'controller'>;
  reconcileTime: Histogram<'controller'>;
  activeWorkers: Gauge<'controller'>;
  maxConcurrentReconciles: Gauge<'controller'>;
  queueAdds: Counter<'name' | 'controller'>;
  queueRetries: Counter<'name' | 'controller'>;
  queueDuration: Histogram<'name' | 'controller'>;
  workDuration: Histogram<'name' | 'controller'>;
  /** queues whose depth the workqueue_depth gauge reports */
  queues: Set<QueueProbe>;
}

const perRegistry = new WeakMap<Registry, ControllerMetrics>();

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function controllerMetrics(registry: Registry): ControllerMetrics {
  const existing = perRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const queues = new Set<QueueProbe>();
  const metrics: ControllerMetrics = {
    queues,
    reconcileTotal: new Counter({ name: 'controller_runtime_reconcile_total', help: 'Total number of reconciliations per controller', labelNames: ['controller', 'result'], registers }),
    reconcileErrors: new Counter({ name: 'controller_runtime_reconcile_errors_total', help: 'Total number of reconciliation errors per controller', labelNames: ['controller'], registers }),
    reconcileTime: new Histogram({ name: 'controller_runtime_reconcile_time_seconds', help: 'Length of time per reconciliation per controller', labelNames: ['controller'], buckets: durationBuckets, registers }),
    activeWorkers: new Gauge({ name: 'controller_runtime_active_workers', help: 'Number of currently used workers per controller', labelNames: ['controller'], registers }),
    maxConcurrentReconciles: new Gauge({ name: 'controller_runtime_max_concurrent_reconciles', help: 'Maximum number of concurrent reconciles per controller', labelNames: ['controller'], registers }),
    queueAdds: new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['name', 'controller'], registers }),
    queueRetries: new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['name', 'controller'], registers }),
    queueDuration: new Histogram({ name: 'workqueue_queue_duration_seconds', help: 'How long in seconds an item stays in workqueue before being requested', labelNames: ['name', 'controller'], buckets: durationBuckets, registers }),
    workDuration: new Histogram({ name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes', labelNames: ['name', 'controller'], buckets: durationBuckets, registers }),
  };
  new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of workqueue',
    labelNames: ['name', 'controller'],
    registers,
    collect() {
      this.reset();
      // queues of one name (several agents in one process) add up
      for (const q of queues) this.inc({ name: q.name, controller: q.name }, q.depth());
    },
  });
  perRegistry.set(registry, metrics);
  return metrics;
}
