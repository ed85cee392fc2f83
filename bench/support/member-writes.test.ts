import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { changedFields, resourceOfKey, writeKind } from './member-writes.js';

describe('resourceOfKey', () => {
  for (const [key, want] of [
    ['/registry/pods/default/web-1', 'pods'],
    ['/registry/apps/deployments/default/web', 'deployments'],
    ['/registry/discovery.k8s.io/endpointslices/default/s', 'endpointslices'],
    ['/registry/nodes/node-1', 'nodes'],
  ] as const) {
    test(`${key} -> ${want}`, () => assert.equal(resourceOfKey(key), want));
  }
});

describe('writeKind', () => {
  const kv = (key: string, value: unknown) => ({ key, value: JSON.stringify(value), createRevision: 1, modRevision: 2 });
  const cases: { name: string; ev: Parameters<typeof writeKind>[0]; want: string }[] = [
    { name: 'a create', ev: { type: 'put', kv: kv('/registry/pods/ns/p', { metadata: {} }) }, want: 'pods create' },
    { name: 'a delete', ev: { type: 'delete', kv: kv('/registry/pods/ns/p', { metadata: {} }) }, want: 'pods delete' },
    {
      name: 'status fields, one level down; managedFields left out',
      ev: { type: 'put', prevKv: kv('/registry/apps/deployments/ns/d', { metadata: { managedFields: [1] }, status: { replicas: 1 } }), kv: kv('/registry/apps/deployments/ns/d', { metadata: { managedFields: [2] }, status: { replicas: 1, readyReplicas: 1 } }) },
      want: 'deployments update status.readyReplicas',
    },
    {
      name: 'a status set for the first time, and spec as a whole',
      ev: { type: 'put', prevKv: kv('/registry/pods/ns/p', { metadata: {}, spec: { a: 1 } }), kv: kv('/registry/pods/ns/p', { metadata: { annotations: { x: 'y' } }, spec: { a: 2 }, status: { phase: 'Running' } }) },
      want: 'pods update metadata.annotations,spec,status',
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(writeKind(c.ev), c.want));
});

test('changedFields of equal objects is empty', () => assert.deepEqual(changedFields({ a: { b: 1 } }, { a: { b: 1 } }), []));
