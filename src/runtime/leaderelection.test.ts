import { test } from 'node:test';
import assert from 'node:assert/strict';
import { microTime, nextSpec, validateTimings } from './leaderelection.js';
import { watchTimeoutSeconds } from './sources.js';

test('microTime has exactly six fractional digits, UTC', () => {
  assert.equal(microTime(Date.UTC(2006, 0, 2, 15, 4, 5, 7) + 0.123), '2006-01-02T15:04:05.007123Z');
  assert.equal(microTime(Date.UTC(2025, 0, 1)), '2025-01-01T00:00:00.000000Z');
});

const timingCases = [
  { name: 'client-go defaults are valid', t: { leaseDurationMs: 15000, renewDeadlineMs: 10000, retryPeriodMs: 2000 }, ok: true },
  { name: 'renewDeadline must be below leaseDuration (else two leaders)', t: { leaseDurationMs: 10000, renewDeadlineMs: 10000, retryPeriodMs: 2000 }, ok: false },
  { name: 'renewDeadline must exceed 1.2 retryPeriods', t: { leaseDurationMs: 15000, renewDeadlineMs: 2400, retryPeriodMs: 2000 }, ok: false },
  { name: 'zero timings are refused', t: { leaseDurationMs: 15000, renewDeadlineMs: 10000, retryPeriodMs: 0 }, ok: false },
];
for (const c of timingCases) {
  test(`validateTimings: ${c.name}`, () => (c.ok ? assert.doesNotThrow(() => validateTimings(c.t)) : assert.throws(() => validateTimings(c.t))));
}

const old = { holderIdentity: 'x', leaseDurationSeconds: 15, acquireTime: 'T0', renewTime: 'T1', leaseTransitions: 4 };
const specCases = [
  { name: 'a new Lease starts at 0 transitions', old: undefined, wasLeader: false, want: { holderIdentity: 'me', leaseDurationSeconds: 3, acquireTime: 'NOW', renewTime: 'NOW', leaseTransitions: 0 } },
  { name: 'a renewal keeps acquireTime and transitions', old: { ...old, holderIdentity: 'me' }, wasLeader: true, want: { holderIdentity: 'me', leaseDurationSeconds: 3, acquireTime: 'T0', renewTime: 'NOW', leaseTransitions: 4 } },
  { name: 'a takeover counts a transition and resets acquireTime', old, wasLeader: false, want: { holderIdentity: 'me', leaseDurationSeconds: 3, acquireTime: 'NOW', renewTime: 'NOW', leaseTransitions: 5 } },
];
for (const c of specCases) test(`nextSpec: ${c.name}`, () => assert.deepEqual(nextSpec(c.old, 'me', 3, c.wasLeader, 'NOW'), c.want));

test('watch timeouts are spread over [min, 2*min) as client-go does', () => {
  assert.equal(watchTimeoutSeconds(300, () => 0), 300);
  assert.equal(watchTimeoutSeconds(300, () => 0.999), 599);
});
