// Serving custom.metrics.k8s.io/v1beta2 pod metrics from a source that computes them on request (a
// custom metrics adapter's REST storage): GET .../namespaces/NS/pods/NAME|*/METRIC with an optional
// labelSelector, answering a MetricValueList, or 404 when no pod has the metric.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../apimachinery/errors.js';
import { sendJson } from '../http/respond.js';

export interface MetricValue {
  describedObject: { kind: 'Pod'; namespace: string; name: string; apiVersion: '/v1' };
  metric: { name: string };
  timestamp: string;
  windowSeconds?: number;
  value: string;
}

export interface CustomMetricsSource {
  /** the metric of the pods of `namespace` that match the label selector (all when '') */
  pods(namespace: string, metric: string, labelSelector: string): Promise<MetricValue[]>;
}

export interface CustomMetricsRequest {
  namespace: string;
  /** a pod name, or '*' for every pod the selector picks */
  name: string;
  metric: string;
}

const customPath = /^\/apis\/custom\.metrics\.k8s\.io\/v1beta2\/namespaces\/([^/]+)\/pods\/([^/]+)\/([^/]+)\/?$/;

export function parseCustomMetricsPath(pathname: string): CustomMetricsRequest | undefined {
  const m = customPath.exec(pathname);
  return m ? { namespace: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]), metric: decodeURIComponent(m[3]) } : undefined;
}

function metricValueList(items: MetricValue[]): Record<string, unknown> {
  return { kind: 'MetricValueList', apiVersion: 'custom.metrics.k8s.io/v1beta2', metadata: {}, items };
}

/** the values the request asks for; NotFound when none, as custom metrics adapters answer */
export function selectCustomMetrics(r: CustomMetricsRequest, values: MetricValue[]): MetricValue[] {
  const picked = r.name === '*' ? values : values.filter((v) => v.describedObject.name === r.name);
  if (picked.length === 0) throw errors.notFound({ group: 'custom.metrics.k8s.io', resource: 'pods' }, `${r.name}/${r.metric}`);
  return picked.sort((a, b) => a.describedObject.name.localeCompare(b.describedObject.name));
}

export async function serveCustomMetrics(req: IncomingMessage, res: ServerResponse, url: URL, source: () => CustomMetricsSource | undefined): Promise<boolean> {
  const r = parseCustomMetricsPath(url.pathname);
  if (!r) return false;
  if (req.method !== 'GET') throw errors.methodNotSupported({ group: 'custom.metrics.k8s.io', resource: 'pods' }, (req.method ?? '').toLowerCase());
  const s = source();
  if (!s) throw errors.serviceUnavailable('the metrics are not available yet');
  const values = await s.pods(r.namespace, r.metric, url.searchParams.get('labelSelector') ?? '');
  sendJson(res, 200, metricValueList(selectCustomMetrics(r, values)));
  return true;
}
