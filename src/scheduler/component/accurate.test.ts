import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { watchable } from './accurate.js';

describe('which members the accurate estimator watches', () => {
  const base = (): Cluster => ({ metadata: { name: 'm' }, spec: { syncMode: 'Push', apiEndpoint: 'https://127.0.0.1:1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  const cases: { name: string; change: (c: Cluster) => void; want: boolean }[] = [
    { name: 'a Ready Push member', change: () => {}, want: true },
    { name: 'not a Pull member (no client reaches it)', change: (c) => (c.spec.syncMode = 'Pull'), want: false },
    { name: 'not a member that is not Ready', change: (c) => (c.status!.conditions = [{ type: 'Ready', status: 'False' }]), want: false },
    { name: 'not a member without status yet', change: (c) => delete c.status, want: false },
    { name: 'not a member that is leaving', change: (c) => (c.metadata.deletionTimestamp = '2024-01-01T00:00:00Z'), want: false },
    { name: 'not a member without an endpoint', change: (c) => delete c.spec.apiEndpoint, want: false },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const cl = base();
      c.change(cl);
      assert.equal(watchable(cl), c.want);
    });
  }
});
