import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyHistory, normalizeReplicas, storeScaleEvent, type Behavior, type ScaleHistory } from './behavior.js';

const now = 1_000_000;
const limitOf = (r: ReturnType<typeof normalizeReplicas>) => r.conditions.find((c) => c.type === 'ScalingLimited')!;

describe('normalizeReplicas without behavior (convertDesiredReplicasWithRules)', () => {
  const cases: { name: string; current: number; desired: number; min: number; max: number; want: number; reason: string; limited: 'True' | 'False' }[] = [
    { name: 'within range', current: 5, desired: 7, min: 3, max: 8, want: 7, reason: 'DesiredWithinRange', limited: 'False' },
    { name: 'below min', current: 3, desired: 1, min: 2, max: 8, want: 2, reason: 'TooFewReplicas', limited: 'True' },
    { name: 'faster than the scale-up limit max(2x, 4)', current: 3, desired: 10, min: 2, max: 8, want: 6, reason: 'ScaleUpLimit', limited: 'True' },
    { name: 'above max', current: 5, desired: 15, min: 2, max: 8, want: 8, reason: 'TooManyReplicas', limited: 'True' },
  ];
  for (const c of cases)
    test(c.name, () => {
      const r = normalizeReplicas({ now, currentReplicas: c.current, desiredReplicas: c.desired, minReplicas: c.min, maxReplicas: c.max, downscaleStabilizationSeconds: 300 }, emptyHistory());
      assert.deepEqual([r.replicas, limitOf(r).reason, limitOf(r).status], [c.want, c.reason, c.limited]);
    });

  test('a higher recommendation within the downscale window holds a scale-down', () => {
    const h: ScaleHistory = { ...emptyHistory(), recommendations: [{ at: now - 60_000, replicas: 8 }] };
    const r = normalizeReplicas({ now, currentReplicas: 8, desiredReplicas: 4, minReplicas: 1, maxReplicas: 10, downscaleStabilizationSeconds: 300 }, h);
    assert.equal(r.replicas, 8);
    assert.equal(r.conditions[0].reason, 'ScaleDownStabilized');
    const later = normalizeReplicas({ now: now + 300_000, currentReplicas: 8, desiredReplicas: 4, minReplicas: 1, maxReplicas: 10, downscaleStabilizationSeconds: 300 }, r.history);
    assert.equal(later.replicas, 4);
  });
});

describe('normalizeReplicas with behavior', () => {
  const base = { now, minReplicas: 1, maxReplicas: 100, downscaleStabilizationSeconds: 300 };
  test('scale-up by a Pods policy: 4 per minute', () => {
    const behavior: Behavior = { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] } };
    const r = normalizeReplicas({ ...base, behavior, currentReplicas: 10, desiredReplicas: 20 }, emptyHistory());
    assert.deepEqual([r.replicas, limitOf(r).reason], [14, 'ScaleUpLimit']);
  });
  test('scale-up counts what the period already added', () => {
    const behavior: Behavior = { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] } };
    const h: ScaleHistory = { ...emptyHistory(), scaleUpEvents: [{ at: now - 10_000, change: 2 }] };
    assert.equal(normalizeReplicas({ ...base, behavior, currentReplicas: 10, desiredReplicas: 20 }, h).replicas, 12);
  });
  test('default scale-up: max(4 pods, 100%) per 15 s', () => {
    assert.equal(normalizeReplicas({ ...base, behavior: {}, currentReplicas: 3, desiredReplicas: 50 }, emptyHistory()).replicas, 7);
    assert.equal(normalizeReplicas({ ...base, behavior: {}, currentReplicas: 10, desiredReplicas: 50 }, emptyHistory()).replicas, 20);
  });
  test('scale-down by a Percent policy, with no window', () => {
    const behavior: Behavior = { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } };
    const r = normalizeReplicas({ ...base, behavior, currentReplicas: 10, desiredReplicas: 2 }, emptyHistory());
    assert.deepEqual([r.replicas, limitOf(r).reason], [5, 'ScaleDownLimit']);
  });
  test('a scale-down window keeps the highest recent recommendation; selectPolicy Disabled stops scale-down', () => {
    const h: ScaleHistory = { ...emptyHistory(), recommendations: [{ at: now - 10_000, replicas: 8 }] };
    const r = normalizeReplicas({ ...base, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } }, currentReplicas: 6, desiredReplicas: 4 }, h);
    assert.deepEqual([r.replicas, r.conditions[0].reason], [6, 'ScaleDownStabilized']);
    assert.equal(normalizeReplicas({ ...base, behavior: { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' } }, currentReplicas: 6, desiredReplicas: 2 }, emptyHistory()).replicas, 6);
  });
  test('scale events are kept only with a behavior', () => {
    assert.deepEqual(storeScaleEvent(emptyHistory(), undefined, 2, 5, now, 300), emptyHistory());
    assert.deepEqual(storeScaleEvent(emptyHistory(), {}, 2, 5, now, 300).scaleUpEvents, [{ at: now, change: 3 }]);
  });
});
