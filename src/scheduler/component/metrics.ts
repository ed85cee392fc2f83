// karmada-scheduler's metrics (pkg/scheduler/metrics and its queue metrics), with Karmada's names
// and labels: attempts and end-to-end latency per result (`scheduled` or `error`) and scheduleType
// (why the binding was scheduled), bindings queued per event, and the pending bindings per queue.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

interface SchedulerMetrics {
  attempts: Counter<'result' | 'scheduleType'>;
  e2eDuration: Histogram<'result' | 'scheduleType'>;
  /** BindingAdd, BindingUpdate, ScheduleAttemptFailure, ... */
  incomingBindings: Counter<'event'>;
  pendingBindings: Gauge<'queue'>;
  /** Filter, Score, Select, AssignReplicas */
  algorithmDuration: Histogram<'schedule_step'>;
}

const attemptsName = 'karmada_scheduler_schedule_attempts_total';
const durationName = 'karmada_scheduler_e2e_scheduling_duration_seconds';
const incomingName = 'karmada_scheduler_queue_incoming_bindings_total';
const algorithmName = 'karmada_scheduler_scheduling_algorithm_duration_seconds';
// component-base metric with subsystem "scheduler" and no namespace, as Karmada registers it
const pendingName = 'scheduler_pending_bindings';

/** what the pending_bindings gauge reads when scraped */
interface PendingProbe {
  active(): number;
  backoff(): number;
}

/** the metrics on `registry`, registered once however often this is called */
export function schedulerMetrics(registry: Registry, pending?: PendingProbe): SchedulerMetrics {
  const existing = (name: string) => registry.getSingleMetric(name);
  const attempts =
    (existing(attemptsName) as Counter<'result' | 'scheduleType'> | undefined) ??
    new Counter({ name: attemptsName, help: 'Number of attempts to schedule resourceBinding', labelNames: ['result', 'scheduleType'], registers: [registry] });
  const e2eDuration =
    (existing(durationName) as Histogram<'result' | 'scheduleType'> | undefined) ??
    new Histogram({
      name: durationName,
      help: 'E2e scheduling latency in seconds',
      labelNames: ['result', 'scheduleType'],
      buckets: Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i),
      registers: [registry],
    });
  const incomingBindings =
    (existing(incomingName) as Counter<'event'> | undefined) ??
    new Counter({ name: incomingName, help: 'Number of bindings added to scheduling queues by event type.', labelNames: ['event'], registers: [registry] });
  const pendingBindings =
    (existing(pendingName) as Gauge<'queue'> | undefined) ??
    new Gauge({
      name: pendingName,
      help: "Number of pending bindings, by the queue type. 'active' means number of bindings in activeQ; 'backoff' means number of bindings in backoffQ; 'unschedulable' means number of bindings in unschedulableBindings that the scheduler attempted to schedule and failed.",
      labelNames: ['queue'],
      registers: [registry],
      collect() {
        if (!pending) return;
        this.set({ queue: 'active' }, pending.active());
        this.set({ queue: 'backoff' }, pending.backoff());
        // bindings no cluster fits are not kept in a queue here: a cluster change re-queues them
        this.set({ queue: 'unschedulable' }, 0);
      },
    });
  const algorithmDuration =
    (existing(algorithmName) as Histogram<'schedule_step'> | undefined) ??
    new Histogram({
      name: algorithmName,
      help: 'Scheduling algorithm latency in seconds',
      labelNames: ['schedule_step'],
      buckets: Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i),
      registers: [registry],
    });
  return { attempts, e2eDuration, incomingBindings, pendingBindings, algorithmDuration };
}

/** metrics.BindingSchedule */
export function recordSchedule(m: SchedulerMetrics, scheduleType: string, seconds: number, failed: boolean): void {
  const labels = { result: failed ? 'error' : 'scheduled', scheduleType };
  m.attempts.inc(labels);
  m.e2eDuration.observe(labels, seconds);
}
