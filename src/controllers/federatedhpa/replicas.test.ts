import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { averageValueReplicas, resourceReplicas, type CalcOptions, type CalcPod } from './replicas.js';

// cases from Kubernetes' podautoscaler/replica_calculator_test.go (cpu init period 2m, readiness delay 10s as its tests)
const opts: CalcOptions = { tolerance: 0.1, cpuInitializationPeriodMs: 120_000, delayOfInitialReadinessStatusMs: 10_000 };
const pods = (requests: number[], ready: boolean[] = [], phase: string[] = []): CalcPod[] =>
  requests.map((r, i) => ({ key: `p${i}`, phase: phase[i] ?? 'Running', ready: ready[i] ?? true, startedAgoMs: 600_000, readyChangedAgoMs: 590_000, request: r }));
const levels = (v: number[]) => new Map(v.map((x, i) => [`p${i}`, x]));

describe('resourceReplicas (Utilization)', () => {
  const cases: { name: string; current: number; target: number; pods: CalcPod[]; metrics: Map<string, number>; calibration?: number; want: { replicas: number; utilization: number } }[] = [
    { name: 'ScaleUp', current: 3, target: 30, pods: pods([1000, 1000, 1000]), metrics: levels([300, 500, 700]), want: { replicas: 5, utilization: 50 } },
    { name: 'ScaleUpUnreadyLessScale', current: 3, target: 30, pods: pods([1000, 1000, 1000], [false, true, true]).map((p, i) => (i === 0 ? { ...p, readyChangedAgoMs: 595_000 } : p)), metrics: levels([300, 500, 700]), want: { replicas: 4, utilization: 60 } },
    { name: 'ScaleUpIgnoresFailedPods', current: 2, target: 30, pods: pods([1000, 1000, 1000, 1000], [], ['Running', 'Running', 'Failed', 'Failed']), metrics: levels([500, 700, 100, 100]), want: { replicas: 4, utilization: 60 } },
    { name: 'ScaleDown', current: 5, target: 50, pods: pods([1000, 1000, 1000, 1000, 1000]), metrics: levels([100, 300, 500, 250, 250]), want: { replicas: 3, utilization: 28 } },
    { name: 'Tolerance', current: 3, target: 100, pods: pods([900, 1000, 1100]), metrics: levels([1010, 1030, 1020]), want: { replicas: 3, utilization: 102 } },
    { name: 'MissingMetricsNoChangeEq', current: 2, target: 100, pods: pods([1000, 1000]), metrics: levels([1000]), want: { replicas: 2, utilization: 100 } },
    { name: 'MissingMetricsScaleUp: the missing pod counts as 0', current: 3, target: 100, pods: pods([1000, 1000, 1000]), metrics: levels([1900, 1900]), want: { replicas: 4, utilization: 190 } },
    { name: 'MissingMetrics: a direction change keeps the count', current: 2, target: 100, pods: pods([1000, 1000]), metrics: levels([1900]), want: { replicas: 2, utilization: 190 } },
    { name: 'Duplicated over 2 members: calibration 2 halves the proposal', current: 2, target: 50, pods: pods([100, 100, 100, 100]), metrics: levels([200, 200, 10, 10]), calibration: 2, want: { replicas: 5, utilization: 105 } },
  ];
  for (const c of cases)
    test(c.name, () => {
      const got = resourceReplicas(c.current, c.target, 'cpu', c.pods, c.metrics, c.calibration ?? 1, opts);
      assert.deepEqual({ replicas: got.replicas, utilization: got.utilization }, c.want);
    });

  test('errors say what is missing', () => {
    assert.throws(() => resourceReplicas(1, 50, 'cpu', [], new Map(), 1, opts), /no pods returned by selector/);
    assert.throws(() => resourceReplicas(1, 50, 'cpu', pods([1000]), new Map(), 1, opts), /did not receive metrics for any ready pods/);
    assert.throws(() => resourceReplicas(1, 50, 'cpu', [{ ...pods([1])[0], request: undefined }], levels([1]), 1, opts), /missing request for cpu in pod p0/);
  });
});

describe('averageValueReplicas (AverageValue)', () => {
  test('ScaleUpCM: average 20 against 15', () => assert.equal(averageValueReplicas(3, 15000, '', pods([0, 0, 0]), levels([20000, 10000, 30000]), 1, opts).replicas, 4));
  test('ScaleDownCM: average 12 against 20', () => assert.equal(averageValueReplicas(5, 20000, '', pods([0, 0, 0, 0, 0]), levels([12000, 12000, 12000, 12000, 12000]), 1, opts).replicas, 3));
  test('ToleranceCM', () => assert.equal(averageValueReplicas(3, 20000, '', pods([0, 0, 0]), levels([20000, 21000, 21000]), 1, opts).replicas, 3));
});
