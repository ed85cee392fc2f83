import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { replicasChanged, statusCollected } from './index.js';
import { hasBeenPropagated } from '../hpascaletargetmarker/index.js';

const retain = { 'resourcetemplate.karmada.io/retain-replicas': 'true' };
const deploy = (spec: number, status: number, labels: Record<string, string> = retain): KubeObject => ({ metadata: { name: 'd', labels }, spec: { replicas: spec }, status: { replicas: status } });
const binding = (replicas: number, clusters: number[], opts: { generation?: number; observed?: number } = {}): KubeObject => ({
  metadata: { name: 'd-deployment', generation: opts.generation ?? 2 },
  spec: { replicas, clusters: clusters.map((_, i) => ({ name: `m${i}` })) },
  status: { schedulerObservedGeneration: opts.observed ?? 2, aggregatedStatus: clusters.map((r, i) => ({ clusterName: `m${i}`, status: r < 0 ? undefined : { replicas: r } })) },
});

describe('deploymentReplicasSyncer', () => {
  const changes: [string, KubeObject, KubeObject, boolean][] = [
    ['not retained: ignored', deploy(2, 3, {}), deploy(2, 2, {}), false],
    ['just labelled: reconcile', deploy(2, 2), deploy(2, 2, {}), true],
    ['status replicas changed', deploy(2, 5), deploy(2, 2), true],
    ['nothing about replicas changed', deploy(2, 2), deploy(2, 2), false],
  ];
  for (const [name, d, old, want] of changes) test(`predicate: ${name}`, () => assert.equal(replicasChanged(d, old), want));

  const collected: [string, KubeObject, KubeObject, boolean][] = [
    ['every member reported, sums to the template status', deploy(4, 7), binding(4, [3, 4]), true],
    ['the spec has not reached the binding', deploy(4, 7), binding(3, [3, 4]), false],
    ['not scheduled for the current generation', deploy(4, 7), binding(4, [3, 4], { observed: 1 }), false],
    ['a member without status', deploy(4, 7), binding(4, [3, -1]), false],
    ['the template status lags the members', deploy(4, 6), binding(4, [3, 4]), false],
  ];
  for (const [name, d, b, want] of collected) test(`status collected: ${name}`, () => assert.equal(statusCollected(d, b), want));
});

describe('hpaScaleTargetMarker', () => {
  test('only propagated HPAs mark their target', () => {
    assert.equal(hasBeenPropagated({ metadata: { labels: { 'propagationpolicy.karmada.io/permanent-id': 'x' } } }), true);
    assert.equal(hasBeenPropagated({ metadata: {} }), false);
  });
});
