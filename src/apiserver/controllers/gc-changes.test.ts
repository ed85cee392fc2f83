import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta, OwnerReference } from '../../apimachinery/types.js';
import { changesGraph } from './gc.js';

const ref = (uid: string, extra: Partial<OwnerReference> = {}): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: `cm-${uid}`, uid, ...extra });
const node = { owners: [ref('a', { blockOwnerDeletion: true })], deleting: false, finalizers: ['keep'] };
const same: ObjectMeta = { name: 'x', uid: 'u', ownerReferences: [ref('a', { blockOwnerDeletion: true })], finalizers: ['keep'] };

const cases: Array<[string, typeof node, ObjectMeta, boolean]> = [
  ['nothing the graph holds changed (a status or label write)', node, { ...same, labels: { l: 'v' }, resourceVersion: '9', generation: 3 }, false],
  ['no owners, no finalizers, absent as before', { owners: [], deleting: false, finalizers: [] }, { name: 'x', uid: 'u' }, false],
  ['empty lists count as absent', { owners: [], deleting: false, finalizers: [] }, { name: 'x', uid: 'u', ownerReferences: [], finalizers: [] }, false],
  ['an owner added', node, { ...same, ownerReferences: [...same.ownerReferences!, ref('b')] }, true],
  ['an owner removed', node, { ...same, ownerReferences: undefined }, true],
  ['an owner replaced (other uid)', node, { ...same, ownerReferences: [ref('b', { blockOwnerDeletion: true })] }, true],
  ['blockOwnerDeletion changed', node, { ...same, ownerReferences: [ref('a')] }, true],
  ['controller set', node, { ...same, ownerReferences: [ref('a', { blockOwnerDeletion: true, controller: true })] }, true],
  ['a finalizer added', node, { ...same, finalizers: ['keep', 'foregroundDeletion'] }, true],
  ['finalizers removed', node, { ...same, finalizers: undefined }, true],
  ['finalizers reordered', { ...node, finalizers: ['a', 'b'] }, { ...same, finalizers: ['b', 'a'] }, true],
  ['the same owner, members in another order', node, { ...same, ownerReferences: [{ blockOwnerDeletion: true, uid: 'a', name: 'cm-a', kind: 'ConfigMap', apiVersion: 'v1' }] }, false],
  ['an owner renamed (same uid)', node, { ...same, ownerReferences: [ref('a', { blockOwnerDeletion: true, name: 'other' })] }, true],
  ['an owner of another kind (same uid)', node, { ...same, ownerReferences: [ref('a', { blockOwnerDeletion: true, kind: 'Secret' })] }, true],
  ['deletion started', node, { ...same, deletionTimestamp: '2026-01-01T00:00:00Z' }, true],
  ['still being deleted', { ...node, deleting: true }, { ...same, deletionTimestamp: '2026-01-01T00:00:00Z' }, false],
];

for (const [name, n, metadata, want] of cases) {
  test(`changesGraph: ${name}`, () => assert.equal(changesGraph(n, metadata), want));
}
