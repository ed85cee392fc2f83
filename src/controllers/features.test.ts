import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultFeatureGates, parseFeatureGates } from './features.js';

test('parseFeatureGates: defaults, overrides and component-base errors', () => {
  const cases: [string, string | undefined, Partial<Record<string, boolean>> | RegExp][] = [
    ['no flag keeps the defaults', undefined, { ...defaultFeatureGates }],
    ['one gate on', 'WorkloadAffinity=true', { ...defaultFeatureGates, WorkloadAffinity: true, ResourceQuotaEstimate: false }],
    ['Failover and GracefulEviction are on by default, and can be turned off', 'Failover=false,GracefulEviction=false', { ...defaultFeatureGates, Failover: false, GracefulEviction: false }],
    ['several, with spaces and any case of the value', ' WorkloadAffinity=TRUE , ResourceQuotaEstimate=true ', { ...defaultFeatureGates, WorkloadAffinity: true, ResourceQuotaEstimate: true }],
    ['multiple pod templates scheduling is off by default, and can be turned on', 'MultiplePodTemplatesScheduling=true', { ...defaultFeatureGates, MultiplePodTemplatesScheduling: true }],
    ['an unknown gate', 'Foo=true', /unrecognized feature gate: Foo/],
    ['no value', 'WorkloadAffinity', /missing bool value for WorkloadAffinity/],
    ['not a bool', 'WorkloadAffinity=yes', /invalid value of WorkloadAffinity=yes/],
  ];
  for (const [name, text, want] of cases) {
    if (want instanceof RegExp) assert.throws(() => parseFeatureGates(text), want, name);
    else assert.deepEqual(parseFeatureGates(text), want, name);
  }
});
