import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { parseMetricsBindAddress, serveMetrics } from './metrics-endpoint.js';

const cases: { value: string; want: { host: string; port: number } | undefined | RegExp }[] = [
  { value: '0', want: undefined },
  { value: ':8080', want: { host: '127.0.0.1', port: 8080 } },
  { value: '127.0.0.1:9000', want: { host: '127.0.0.1', port: 9000 } },
  { value: 'localhost:0', want: { host: 'localhost', port: 0 } },
  { value: '[::1]:8080', want: { host: '::1', port: 8080 } },
  { value: '8080', want: /HOST:PORT, :PORT or 0 \(got "8080"\)/ },
  { value: ':70000', want: /HOST:PORT/ },
  { value: 'a:b', want: /HOST:PORT/ },
  { value: '', want: /HOST:PORT/ },
];

for (const c of cases) {
  test(`--metrics-bind-address ${JSON.stringify(c.value)}`, () => {
    if (c.want instanceof RegExp) assert.throws(() => parseMetricsBindAddress(c.value), c.want);
    else assert.deepEqual(parseMetricsBindAddress(c.value), c.want);
  });
}

test('serves the registry at /metrics on loopback, 404 elsewhere', async () => {
  const registry = new Registry();
  new Counter({ name: 'demo_total', help: 'demo', registers: [registry] }).inc(3);
  const endpoint = await serveMetrics(registry);
  try {
    assert.match(endpoint.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(endpoint.url);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^demo_total 3$/m);
    assert.equal((await fetch(endpoint.url.replace(/\/metrics$/, '/other'))).status, 404);
  } finally {
    await endpoint.close();
  }
});
