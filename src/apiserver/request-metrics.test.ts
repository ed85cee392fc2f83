import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Histogram, Registry } from 'prom-client';
import { RequestMetrics, requestDurationBuckets, type RequestLabels } from './request-metrics.js';

const works: RequestLabels = { verb: 'PUT', dry_run: '', group: 'work.karmada.io', version: 'v1alpha1', resource: 'works', subresource: 'status', scope: 'resource', component: 'apiserver' };
const healthz: RequestLabels = { verb: 'GET', dry_run: '', group: '', version: '', resource: '', subresource: '', scope: '', component: 'apiserver' };
const requests: [RequestLabels, number, number][] = [
  [works, 200, 0.003],
  [works, 409, 0.02],
  [healthz, 200, 0.0001],
  [{ ...works, verb: 'POST', subresource: '', scope: 'namespace', dry_run: 'All' }, 201, 0.7],
  [works, 200, 75], // beyond the last bucket: only +Inf
  [works, 200, 0.005], // on a bound: that bucket
];

test('the request metrics print as prom-client printed the same requests', async () => {
  const before = new Registry();
  const total = new Counter({ name: 'apiserver_request_total', help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.', labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'], registers: [before] });
  const duration = new Histogram({ name: 'apiserver_request_duration_seconds', help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.', labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'], buckets: requestDurationBuckets, registers: [before] });
  const now = new Registry();
  const metrics = new RequestMetrics();
  now.registerMetric(metrics.total);
  now.registerMetric(metrics.duration);
  for (const [l, code, seconds] of requests) {
    // the labels object as the server built it before
    const labels = { group: l.group, version: l.version, resource: l.resource, subresource: l.subresource, scope: l.scope, component: l.component, dry_run: l.dry_run };
    total.inc({ ...labels, verb: l.verb, code: String(code) });
    duration.observe({ ...labels, verb: l.verb }, seconds);
    metrics.record(l, code, seconds);
  }
  assert.equal(await now.metrics(), await before.metrics());
  assert.match(await now.metrics(), /apiserver_request_total\{group="work.karmada.io",version="v1alpha1",resource="works",subresource="status",scope="resource",component="apiserver",dry_run="",verb="PUT",code="200"\} 3/);
  now.resetMetrics();
  assert.doesNotMatch(await now.metrics(), /verb=/);
});
