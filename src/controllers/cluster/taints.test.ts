import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster, Taint } from '../../apis/karmada/cluster.js';
import { desiredTaints } from './taints.js';

const now = '2026-01-01T00:00:00Z';
const userTaint: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
const notReady: Taint = { key: 'cluster.karmada.io/not-ready', effect: 'NoSchedule', timeAdded: '2025-01-01T00:00:00Z' };
const unreachable: Taint = { key: 'cluster.karmada.io/unreachable', effect: 'NoSchedule', timeAdded: '2025-01-01T00:00:00Z' };

function cluster(ready: 'True' | 'False' | 'Unknown' | undefined, taints: Taint[]): Cluster {
  return {
    metadata: { name: 'm1' },
    spec: { syncMode: 'Push', taints },
    status: ready ? { conditions: [{ type: 'Ready', status: ready }] } : {},
  };
}

describe('desiredTaints', () => {
  const cases: { name: string; ready: 'True' | 'False' | 'Unknown' | undefined; taints: Taint[]; want: Taint[] | undefined }[] = [
    { name: 'Ready=False adds not-ready after the user taints', ready: 'False', taints: [userTaint], want: [userTaint, { key: notReady.key, effect: 'NoSchedule', timeAdded: now }] },
    { name: 'no Ready condition yet counts as not ready', ready: undefined, taints: [], want: [{ key: notReady.key, effect: 'NoSchedule', timeAdded: now }] },
    { name: 'Ready=Unknown swaps not-ready for unreachable', ready: 'Unknown', taints: [notReady, userTaint], want: [userTaint, { key: unreachable.key, effect: 'NoSchedule', timeAdded: now }] },
    { name: 'Ready=True removes both and keeps the user taint', ready: 'True', taints: [notReady, userTaint, unreachable], want: [userTaint] },
    { name: 'already right: nothing to write', ready: 'False', taints: [userTaint, notReady], want: undefined },
    { name: 'Ready=True without controller taints: nothing to write', ready: 'True', taints: [userTaint], want: undefined },
    { name: 'a NoExecute taint of the same key is not ours', ready: 'True', taints: [{ key: notReady.key, effect: 'NoExecute' }], want: undefined },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(desiredTaints(cluster(c.ready, c.taints), now), c.want));
  }
});
