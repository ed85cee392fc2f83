import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { pdbStatus } from './disruption.js';

const pod = (ready: boolean, deleting = false): KubeObject => ({
  metadata: { name: 'p', namespace: 'default', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pdb = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'b', namespace: 'default', generation: 2 }, spec: { selector: { matchLabels: { app: 'x' } }, ...spec } });

// Expected numbers follow Kubernetes' disruption controller (getExpectedPodCount, updatePdbStatus).
describe('pdbStatus', () => {
  const cases: { name: string; spec: Record<string, unknown>; pods: KubeObject[]; scale: number; want: [number, number, number, number] }[] = [
    { name: 'minAvailable 2 of 3 ready pods: one disruption allowed', spec: { minAvailable: 2 }, pods: [pod(true), pod(true), pod(true)], scale: 3, want: [3, 3, 2, 1] },
    { name: 'minAvailable counts the pods, not the scale', spec: { minAvailable: 2 }, pods: [pod(true), pod(false)], scale: 5, want: [2, 1, 2, 0] },
    { name: 'minAvailable 50% of a scale of 3 rounds up to 2', spec: { minAvailable: '50%' }, pods: [pod(true), pod(true), pod(true)], scale: 3, want: [3, 3, 2, 1] },
    { name: 'maxUnavailable 1 of a scale of 4', spec: { maxUnavailable: 1 }, pods: [pod(true), pod(true), pod(true), pod(true)], scale: 4, want: [4, 4, 3, 1] },
    { name: 'maxUnavailable 30% of 4 rounds up to 2', spec: { maxUnavailable: '30%' }, pods: [pod(true), pod(true), pod(false), pod(true)], scale: 4, want: [4, 3, 2, 1] },
    { name: 'pods being deleted do not count', spec: { minAvailable: 1 }, pods: [pod(true, true), pod(true)], scale: 2, want: [1, 1, 1, 0] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const s = pdbStatus(pdb(c.spec), c.pods, c.scale, undefined, 'now');
      assert.deepEqual([s.expectedPods, s.currentHealthy, s.desiredHealthy, s.disruptionsAllowed], c.want);
      assert.equal(s.observedGeneration, 2);
      assert.deepEqual(s.conditions[0], {
        type: 'DisruptionAllowed',
        status: c.want[3] > 0 ? 'True' : 'False',
        reason: c.want[3] > 0 ? 'SufficientPods' : 'InsufficientPods',
        message: '',
        observedGeneration: 2,
        lastTransitionTime: 'now',
      });
    });
  }
  test('the transition time stays while the status does', () => {
    const s = pdbStatus(pdb({ minAvailable: 1 }), [pod(true), pod(true)], 2, { type: 'DisruptionAllowed', status: 'True', lastTransitionTime: 'earlier' }, 'now');
    assert.equal(s.conditions[0].lastTransitionTime, 'earlier');
  });
});
