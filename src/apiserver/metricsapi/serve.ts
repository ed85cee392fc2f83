// Serving metrics.k8s.io/v1beta1 from a source that computes PodMetrics and NodeMetrics on request
// (metrics-server's and Karmada's metrics adapter's REST storage): get and list, with label and
// metadata.name field selectors; no watch, as metrics-server. Used by the simulated members and the
// control plane's metrics adapter.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../apimachinery/errors.js';
import { parseSelector } from '../../apimachinery/labels.js';
import { checkSupportedFields, parseFieldSelector } from '../../apimachinery/fields.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { sendJson } from '../http/respond.js';
import type { ResourceDef } from '../../apis/resource.js';

export interface MetricsSource {
  /** PodMetrics of `namespace` (every namespace when undefined) */
  pods(namespace: string | undefined): Promise<KubeObject[]>;
  nodes(): Promise<KubeObject[]>;
}

export interface MetricsRequest {
  resource: 'pods' | 'nodes';
  namespace?: string;
  name?: string;
}

const metricsPath = /^\/apis\/metrics\.k8s\.io\/v1beta1(?:\/namespaces\/([^/]+))?\/(pods|nodes)(?:\/([^/]+))?\/?$/;

/** the metrics.k8s.io request a path names, or undefined for any other path */
export function parseMetricsPath(pathname: string): MetricsRequest | undefined {
  const m = metricsPath.exec(pathname);
  if (!m) return undefined;
  const [, namespace, resource, name] = m;
  if (resource === 'nodes' && namespace) return undefined;
  return { resource: resource as 'pods' | 'nodes', namespace: namespace && decodeURIComponent(namespace), name: name && decodeURIComponent(name) };
}

const kindOf = { pods: 'PodMetrics', nodes: 'NodeMetrics' } as const;

/** selects what the request asks for from everything the source holds; throws Status errors */
export function selectMetrics(req: MetricsRequest, items: KubeObject[], query: URLSearchParams): KubeObject {
  const gr = { group: 'metrics.k8s.io', resource: req.resource };
  if (req.name) {
    const found = items.find((o) => o.metadata.name === req.name && (req.resource === 'nodes' || o.metadata.namespace === req.namespace));
    if (!found) throw errors.notFound(gr, req.name);
    return found;
  }
  const labels = parseSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  checkSupportedFields(fields, ['metadata.name', 'metadata.namespace']);
  const selected = items
    .filter((o) => labels.matches(o.metadata.labels ?? {}) && fields.matches((f) => (f === 'metadata.name' ? o.metadata.name : o.metadata.namespace)))
    .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  return { apiVersion: 'metrics.k8s.io/v1beta1', kind: `${kindOf[req.resource]}List`, metadata: { resourceVersion: '' } as KubeObject['metadata'], items: selected } as KubeObject;
}

/** answers a metrics.k8s.io request from `source`; false when the path is not one */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, url: URL, source: () => MetricsSource | undefined): Promise<boolean> {
  const r = parseMetricsPath(url.pathname);
  if (!r) return false;
  const gr = { group: 'metrics.k8s.io', resource: r.resource };
  if (req.method !== 'GET') throw errors.methodNotSupported(gr, (req.method ?? '').toLowerCase());
  if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') throw errors.methodNotSupported(gr, 'watch');
  const s = source();
  if (!s) throw errors.serviceUnavailable('the metrics are not available yet');
  const items = r.resource === 'pods' ? await s.pods(r.namespace) : await s.nodes();
  sendJson(res, 200, selectMetrics(r, items, url.searchParams));
  return true;
}

function metricsDef(resource: 'pods' | 'nodes', namespaced: boolean): ResourceDef {
  const kind = kindOf[resource];
  return {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    resource,
    singular: '',
    kind,
    listKind: `${kind}List`,
    namespaced,
    verbs: ['get', 'list'],
    subresources: {},
    storage: { group: 'metrics.k8s.io', resource, version: 'v1beta1' },
    allowUnconditionalUpdate: true,
    strategicMergePatch: false,
  };
}

/** metrics.k8s.io/v1beta1 in discovery (the requests themselves are answered by serveMetrics) */
export const metricsResources: ResourceDef[] = [metricsDef('pods', true), metricsDef('nodes', false)];
