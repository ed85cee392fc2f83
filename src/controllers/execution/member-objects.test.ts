import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Manager } from '../../runtime/controller.js';
import { MemberObjects } from './member-objects.js';

const obj = (name: string, rv?: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default', ...(rv ? { resourceVersion: rv } : {}) } });

test('isOwnCreate: an object is our own create only while that create is under way, on that cluster', async () => {
  const objects = new MemberObjects({} as Manager);
  let during: boolean[] = [];
  const created = await objects.whileCreating('m1', obj('a'), async () => {
    during = [objects.isOwnCreate('m1', obj('a', '5')), objects.isOwnCreate('m2', obj('a', '5')), objects.isOwnCreate('m1', obj('b', '6'))];
    return obj('a', '5');
  });
  assert.deepEqual(during, [true, false, false]);
  assert.equal(objects.isOwnCreate('m1', created), false, 'settled');
  await assert.rejects(objects.whileCreating('m1', obj('c'), async () => Promise.reject(new Error('already exists'))));
  assert.equal(objects.isOwnCreate('m1', obj('c')), false, 'a failed create is not ours either');
});

test('wroteAfter: a cached copy older than our own last write of it, on that cluster', () => {
  const objects = new MemberObjects({} as Manager);
  objects.recordWrite('m1', obj('a', '10'));
  const cases: [string, KubeObject, boolean][] = [
    ['older than our write', obj('a', '9'), true],
    ['our write itself', obj('a', '10'), false],
    ['newer (a member-side edit since)', obj('a', '11'), false],
    ['another cluster', obj('a', '9'), false],
    ['an object we never wrote', obj('b', '3'), false],
  ];
  for (const [what, o, want] of cases) assert.equal(objects.wroteAfter(what === 'another cluster' ? 'm2' : 'm1', o), want, what);
});
