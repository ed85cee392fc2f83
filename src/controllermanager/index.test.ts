import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseClusterStatusFlags, parseEvictionRate, parseFailoverFlags, selectControllers } from './index.js';

describe('selectControllers (--controllers)', () => {
  const all = ['cluster', 'clusterStatus', 'detector', 'binding', 'execution'];
  const cases = [
    { name: "'*' enables every controller", flags: ['*'], want: all },
    { name: "'-foo' disables one", flags: ['*', '-execution'], want: ['cluster', 'clusterStatus', 'detector', 'binding'] },
    { name: 'comma-separated flags are split', flags: ['*,-cluster,-clusterStatus'], want: ['detector', 'binding', 'execution'] },
    { name: 'names alone enable only those, in registry order', flags: ['binding', 'detector'], want: ['detector', 'binding'] },
    { name: 'names are case-insensitive', flags: ['ClusterStatus'], want: ['clusterStatus'] },
    { name: 'nothing selected runs nothing', flags: [], want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(selectControllers(c.flags, all), c.want));
  test("'*' leaves out Karmada's disabled-by-default controllers; naming one enables it", () => {
    assert.deepEqual(selectControllers(['*'], ['detector', 'hpaScaleTargetMarker', 'deploymentReplicasSyncer']), ['detector']);
    assert.deepEqual(selectControllers(['*', 'hpaScaleTargetMarker'], ['detector', 'hpaScaleTargetMarker', 'deploymentReplicasSyncer']), ['detector', 'hpaScaleTargetMarker']);
  });
  test('an unknown name is an error', () => assert.throws(() => selectControllers(['nope'], all), /unknown controller "nope"/));
});

describe('parseFailoverFlags', () => {
  const ok = { evictionRate: '10', noExecuteTaintEvictionPurgeMode: 'Gracefully', gracefulEvictionTimeout: '10m' };
  test('defaults', () => assert.deepEqual(parseFailoverFlags(ok), { evictionRate: 10, noExecuteTaintEvictionPurgeMode: 'Gracefully', gracefulEvictionTimeoutMs: 600_000 }));
  const bad: [string, Partial<typeof ok>, RegExp][] = [
    ['a negative rate', { evictionRate: '-1' }, /--eviction-rate must be a number of bindings per second, 0 or more \(got "-1"\)/],
    ['an unknown purge mode', { noExecuteTaintEvictionPurgeMode: 'Never' }, /must be Gracefully or Directly \(got "Never"\)/],
    ['a timeout without unit', { gracefulEvictionTimeout: '600' }, /invalid argument "600" for "--graceful-eviction-timeout" flag: time: invalid duration "600"/],
  ];
  for (const [name, flags, want] of bad) test(name, () => assert.throws(() => parseFailoverFlags({ ...ok, ...flags }), want));
});

describe('parseEvictionRate (--eviction-rate, also on `karmada-ts up`)', () => {
  const cases: [string, string, number | RegExp][] = [
    ["Karmada's default", '10', 10],
    ['no limit', '0', 0],
    ['a fraction', '0.5', 0.5],
    ['negative', '-1', /--eviction-rate must be a number of bindings per second, 0 or more \(got "-1"\)/],
    ['not a number', 'fast', /\(got "fast"\)/],
    ['empty', '', /\(got ""\)/],
    ['infinite', 'Infinity', /\(got "Infinity"\)/],
  ];
  for (const [name, value, want] of cases) {
    test(name, () => {
      if (want instanceof RegExp) assert.throws(() => parseEvictionRate(value), want);
      else assert.equal(parseEvictionRate(value), want);
    });
  }
});

describe('parseClusterStatusFlags', () => {
  const defaults = { clusterStatusUpdateFrequency: '10s', clusterSuccessThreshold: '30s', clusterFailureThreshold: '30s' };
  const cases: [string, Partial<typeof defaults>, object | RegExp][] = [
    ["Karmada's defaults", {}, { statusUpdateIntervalMs: 10_000, successThresholdMs: 30_000, failureThresholdMs: 30_000 }],
    ['short thresholds for a test', { clusterStatusUpdateFrequency: '500ms', clusterSuccessThreshold: '2s', clusterFailureThreshold: '1.5s' }, { statusUpdateIntervalMs: 500, successThresholdMs: 2000, failureThresholdMs: 1500 }],
    ['a threshold without unit', { clusterSuccessThreshold: '30' }, /invalid argument "30" for "--cluster-success-threshold" flag: time: invalid duration "30"/],
    ['a negative frequency', { clusterStatusUpdateFrequency: '-1s' }, /invalid argument "-1s" for "--cluster-status-update-frequency" flag/],
  ];
  for (const [name, flags, want] of cases) {
    test(name, () => {
      if (want instanceof RegExp) assert.throws(() => parseClusterStatusFlags({ ...defaults, ...flags }), want);
      else assert.deepEqual(parseClusterStatusFlags({ ...defaults, ...flags }), want);
    });
  }
});
