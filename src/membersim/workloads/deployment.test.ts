// deploymentutil.DeploymentProgressing as the Deployment controller's status uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { madeProgress } from './deployment.js';

test('madeProgress: only more updated/ready/available replicas or fewer old ones count as progress', () => {
  const cases: [string, Parameters<typeof madeProgress>[0], Parameters<typeof madeProgress>[1], boolean][] = [
    ['absent counts are zeros, not changes', {}, { replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 }, false],
    ['nothing moved', { replicas: 1, updatedReplicas: 1 }, { replicas: 1, updatedReplicas: 1 }, false],
    ['a new pod of the new ReplicaSet', {}, { replicas: 1, updatedReplicas: 1 }, true],
    ['a pod turned ready', { replicas: 1, updatedReplicas: 1 }, { replicas: 1, updatedReplicas: 1, readyReplicas: 1 }, true],
    ['a pod turned available', { replicas: 1, updatedReplicas: 1, readyReplicas: 1 }, { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 }, true],
    ['an old pod went away', { replicas: 3, updatedReplicas: 1 }, { replicas: 2, updatedReplicas: 1 }, true],
    ['a ready pod turned not ready is no progress', { replicas: 2, updatedReplicas: 2, readyReplicas: 2 }, { replicas: 2, updatedReplicas: 2, readyReplicas: 1 }, false],
    ['a surge pod of the old ReplicaSet is no progress', { replicas: 2, updatedReplicas: 1 }, { replicas: 3, updatedReplicas: 1 }, false],
  ];
  for (const [name, prev, next, want] of cases) assert.equal(madeProgress(prev, next), want, name);
});
