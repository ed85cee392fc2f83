import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMetricsPath, selectMetrics } from './serve.js';
import { parseCustomMetricsPath, selectCustomMetrics, type MetricValue } from './custom.js';

describe('metrics.k8s.io requests', () => {
  const paths: [string, ReturnType<typeof parseMetricsPath>][] = [
    ['/apis/metrics.k8s.io/v1beta1/pods', { resource: 'pods', namespace: undefined, name: undefined }],
    ['/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods/web-1', { resource: 'pods', namespace: 'ns', name: 'web-1' }],
    ['/apis/metrics.k8s.io/v1beta1/nodes/n1', { resource: 'nodes', namespace: undefined, name: 'n1' }],
    ['/apis/metrics.k8s.io/v1beta1/namespaces/ns/nodes', undefined],
    ['/apis/metrics.k8s.io/v1beta1', undefined],
    ['/api/v1/pods', undefined],
  ];
  for (const [path, want] of paths) test(path, () => assert.deepEqual(parseMetricsPath(path), want));

  const items = [
    { metadata: { name: 'b', namespace: 'ns', labels: { app: 'web' } } },
    { metadata: { name: 'a', namespace: 'ns', labels: { app: 'db' } } },
    { metadata: { name: 'a', namespace: 'other', labels: { app: 'web' } } },
  ];
  test('a list is filtered by labels and fields, and sorted', () => {
    const list = selectMetrics({ resource: 'pods' }, items, new URLSearchParams('labelSelector=app%3Dweb'));
    assert.equal(list.kind, 'PodMetricsList');
    assert.deepEqual((list.items as typeof items).map((o) => `${o.metadata.namespace}/${o.metadata.name}`), ['ns/b', 'other/a']);
    const byName = selectMetrics({ resource: 'pods' }, items, new URLSearchParams('fieldSelector=metadata.name%3Da'));
    assert.equal((byName.items as unknown[]).length, 2);
  });
  test('get: the object, or a NotFound Status', () => {
    assert.equal(selectMetrics({ resource: 'pods', namespace: 'other', name: 'a' }, items, new URLSearchParams()).metadata.labels?.app, 'web');
    assert.throws(() => selectMetrics({ resource: 'pods', namespace: 'ns', name: 'zz' }, items, new URLSearchParams()), /pods.metrics.k8s.io "zz" not found/);
    assert.throws(() => selectMetrics({ resource: 'pods' }, items, new URLSearchParams('fieldSelector=spec.x%3D1')), /field label not supported: spec.x/);
  });
});

describe('custom.metrics.k8s.io requests', () => {
  test('paths', () => {
    assert.deepEqual(parseCustomMetricsPath('/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*/http_requests'), { namespace: 'ns', name: '*', metric: 'http_requests' });
    assert.equal(parseCustomMetricsPath('/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/services/*/x'), undefined);
  });
  const v = (name: string): MetricValue => ({ describedObject: { kind: 'Pod', namespace: 'ns', name, apiVersion: '/v1' }, metric: { name: 'm' }, timestamp: 't', value: '1' });
  test('one pod, every pod, or NotFound', () => {
    assert.deepEqual(selectCustomMetrics({ namespace: 'ns', name: '*', metric: 'm' }, [v('b'), v('a')]).map((x) => x.describedObject.name), ['a', 'b']);
    assert.equal(selectCustomMetrics({ namespace: 'ns', name: 'b', metric: 'm' }, [v('b'), v('a')]).length, 1);
    assert.throws(() => selectCustomMetrics({ namespace: 'ns', name: '*', metric: 'm' }, []), /pods.custom.metrics.k8s.io "\*\/m" not found/);
  });
});
