// kube-apiserver's per-request metrics (apiserver_request_total, apiserver_request_duration_seconds),
// tallied per label set in plain maps and handed to the prom-client registry as finished series on
// scrape. prom-client's Counter.inc and Histogram.observe validate and hash the whole label object
// on every call (tens of microseconds for these nine labels): a measurable share of a request.
import type { Metric } from 'prom-client';

/** the labels of one request, in kube-apiserver's order */
export interface RequestLabels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

interface CountSeries {
  labels: Record<string, string>;
  count: number;
}

interface DurationSeries {
  labels: Record<string, string>;
  count: number;
  sum: number;
  /** observations per bucket (not cumulative), by the index of the bucket's upper bound */
  perBucket: number[];
}

/** one value of a metric as prom-client's registry formats it */
interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

export const requestDurationBuckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

const totalName = 'apiserver_request_total';
const durationName = 'apiserver_request_duration_seconds';

export class RequestMetrics {
  private readonly counts = new Map<string, CountSeries>();
  private readonly durations = new Map<string, DurationSeries>();

  /** apiserver_request_total and apiserver_request_duration_seconds, for a registry to hold */
  readonly total: Metric = this.metric(
    totalName,
    'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    'counter',
    () => this.countValues(),
    () => this.counts.clear(),
  );
  readonly duration: Metric = this.metric(
    durationName,
    'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    'histogram',
    () => this.durationValues(),
    () => this.durations.clear(),
  );

  /** one finished request */
  record(labels: RequestLabels, code: number, seconds: number): void {
    const key = `${labels.verb} ${labels.dry_run} ${labels.group} ${labels.version} ${labels.resource} ${labels.subresource} ${labels.scope} ${labels.component}`;
    let duration = this.durations.get(key);
    if (!duration) {
      duration = { labels: seriesLabels(labels), count: 0, sum: 0, perBucket: new Array<number>(requestDurationBuckets.length).fill(0) };
      this.durations.set(key, duration);
    }
    duration.count++;
    duration.sum += seconds;
    const bucket = bucketIndex(seconds);
    if (bucket >= 0) duration.perBucket[bucket]!++;
    const countKey = `${key} ${code}`;
    let count = this.counts.get(countKey);
    if (!count) {
      count = { labels: { ...seriesLabels(labels), code: String(code) }, count: 0 };
      this.counts.set(countKey, count);
    }
    count.count++;
  }

  private countValues(): MetricValue[] {
    return [...this.counts.values()].map((s) => ({ value: s.count, labels: s.labels }));
  }

  /** as prom-client's Histogram lists a series: cumulative buckets, +Inf, _sum, _count */
  private durationValues(): MetricValue[] {
    const out: MetricValue[] = [];
    for (const s of this.durations.values()) {
      let cumulative = 0;
      requestDurationBuckets.forEach((le, i) => {
        cumulative += s.perBucket[i]!;
        out.push({ value: cumulative, labels: { le, ...s.labels }, metricName: `${durationName}_bucket` });
      });
      out.push({ value: s.count, labels: { le: '+Inf', ...s.labels }, metricName: `${durationName}_bucket` });
      out.push({ value: s.sum, labels: { ...s.labels }, metricName: `${durationName}_sum` });
      out.push({ value: s.count, labels: { ...s.labels }, metricName: `${durationName}_count` });
    }
    return out;
  }

  private metric(name: string, help: string, type: 'counter' | 'histogram', values: () => MetricValue[], reset: () => void): Metric {
    const get = async () => ({ name, help, type, values: values(), aggregator: 'sum' as const });
    // the registry only calls get() and reset() (and reads the name) on what it holds
    return { name, help, type, aggregator: 'sum', get, reset } as unknown as Metric;
  }
}

/** the labels in the order prom-client printed them before (the order the record's object had) */
function seriesLabels(l: RequestLabels): Record<string, string> {
  return { group: l.group, version: l.version, resource: l.resource, subresource: l.subresource, scope: l.scope, component: l.component, dry_run: l.dry_run, verb: l.verb };
}

function bucketIndex(seconds: number): number {
  for (let i = 0; i < requestDurationBuckets.length; i++) if (seconds <= requestDurationBuckets[i]!) return i;
  return -1;
}
