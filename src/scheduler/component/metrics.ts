// karmada-scheduler's metrics (pkg/scheduler/metrics): attempts and end-to-end latency per result
// (`scheduled` or `error`) and schedule type (why the binding was scheduled).
import { Counter, Histogram, type Registry } from 'prom-client';

export interface SchedulerMetrics {
  attempts: Counter<'result' | 'schedule_type'>;
  e2eDuration: Histogram<'result' | 'schedule_type'>;
}

const attemptsName = 'karmada_scheduler_schedule_attempts_total';
const durationName = 'karmada_scheduler_e2e_scheduling_duration_seconds';

/** the metrics on `registry`, registered once however often this is called */
export function schedulerMetrics(registry: Registry): SchedulerMetrics {
  const attempts =
    (registry.getSingleMetric(attemptsName) as Counter<'result' | 'schedule_type'> | undefined) ??
    new Counter({ name: attemptsName, help: 'Number of attempts to schedule resourceBinding', labelNames: ['result', 'schedule_type'], registers: [registry] });
  const e2eDuration =
    (registry.getSingleMetric(durationName) as Histogram<'result' | 'schedule_type'> | undefined) ??
    new Histogram({
      name: durationName,
      help: 'E2e scheduling latency in seconds',
      labelNames: ['result', 'schedule_type'],
      buckets: Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i),
      registers: [registry],
    });
  return { attempts, e2eDuration };
}

/** metrics.BindingSchedule */
export function recordSchedule(m: SchedulerMetrics, scheduleType: string, seconds: number, failed: boolean): void {
  const labels = { result: failed ? 'error' : 'scheduled', schedule_type: scheduleType };
  m.attempts.inc(labels);
  m.e2eDuration.observe(labels, seconds);
}
