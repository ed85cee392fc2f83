import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { containerUsage, cpuUtilizationAnnotation, memoryUtilizationAnnotation, nodeMetrics, podMetrics, usageHints } from './metrics.js';

describe('simulated usage', () => {
  const cases: { name: string; c: { requests?: Record<string, string> }; hints: ReturnType<typeof usageHints>; want: { cpu: number; memory: number } }[] = [
    { name: 'defaults: 10% of the cpu request, 50% of the memory request', c: { requests: { cpu: '1', memory: '1Gi' } }, hints: usageHints([]), want: { cpu: 100_000_000, memory: 2 ** 29 } },
    { name: 'an 80% cpu hint', c: { requests: { cpu: '500m' } }, hints: usageHints([{ [cpuUtilizationAnnotation]: '80' }]), want: { cpu: 400_000_000, memory: 32 * 2 ** 20 } },
    { name: 'no requests: measured against 50m and 64Mi', c: {}, hints: usageHints([{ [cpuUtilizationAnnotation]: '100%', [memoryUtilizationAnnotation]: '100' }]), want: { cpu: 50_000_000, memory: 64 * 2 ** 20 } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(containerUsage({ name: 'c', resources: c.c }, c.hints), c.want));

  test('the pod annotation wins over its owner, each resource on its own', () => {
    assert.deepEqual(usageHints([{ [cpuUtilizationAnnotation]: '30' }, { [cpuUtilizationAnnotation]: '90', [memoryUtilizationAnnotation]: '70' }]), { cpuPercent: 30, memoryPercent: 70 });
    assert.deepEqual(usageHints([{ [cpuUtilizationAnnotation]: 'lots' }]), { cpuPercent: 10, memoryPercent: 50 });
  });

  test('PodMetrics and NodeMetrics in metrics-server shape', () => {
    const pod = { metadata: { name: 'p', namespace: 'ns', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '200m', memory: '100Mi' } } }] } };
    const pm = podMetrics(pod, usageHints([]), '2026-01-01T00:00:00Z');
    assert.deepEqual(pm.containers, [{ name: 'c', usage: { cpu: '20000000n', memory: '51200Ki' } }]);
    assert.equal(pm.kind, 'PodMetrics');
    const nm = nodeMetrics({ metadata: { name: 'n' } }, [{ cpu: 20_000_000, memory: 50 * 2 ** 20 }], '2026-01-01T00:00:00Z');
    assert.deepEqual(nm.usage, { cpu: '120000000n', memory: `${512 * 1024 + 50 * 1024}Ki` });
  });
});
