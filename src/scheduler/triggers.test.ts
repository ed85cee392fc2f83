import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsReschedule } from './triggers.js';

test('an attached binding (no placement, only requiredBy) is not the scheduler\'s to place', () => {
  const attached = { apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', metadata: { name: 'cfg-configmap', namespace: 'default' }, spec: { resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg' }, requiredBy: [{ name: 'app-deployment', namespace: 'default', clusters: [{ name: 'member3' }] }] } };
  assert.equal(needsReschedule(attached as never), 'NoPlacement');
});
