import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './types.js';
import { copyWithoutStatus } from './strip-copy.js';

const drop = new Set(['uid', 'managedFields']);
const cases: { name: string; in: Record<string, unknown>; want: Record<string, unknown> }[] = [
  {
    name: 'status and the named metadata go, the rest stays in its order',
    in: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', uid: 'u', managedFields: [{}], labels: { x: 'y' } }, data: { k: 'v' }, status: { s: 1 } },
    want: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: 'y' } }, data: { k: 'v' } },
  },
  { name: 'no metadata stays no metadata', in: { kind: 'X', spec: { a: [1, { b: null }] } }, want: { kind: 'X', spec: { a: [1, { b: null }] } } },
  { name: 'a metadata that is not an object is copied as it is', in: { kind: 'X', metadata: null }, want: { kind: 'X', metadata: null } },
];
for (const c of cases) {
  test(`copyWithoutStatus: ${c.name}`, () => {
    const got = copyWithoutStatus(c.in as unknown as KubeObject, drop);
    assert.deepEqual(got, c.want);
    assert.deepEqual(Object.keys(got), Object.keys(c.want));
  });
}

test('copyWithoutStatus shares nothing with its input', () => {
  const input = { kind: 'X', metadata: { name: 'a', labels: { x: 'y' } }, spec: { list: [{ a: 1 }] } } as unknown as KubeObject;
  const got = copyWithoutStatus(input, drop) as unknown as { metadata: { labels: Record<string, string> }; spec: { list: { a: number }[] } };
  got.metadata.labels.x = 'changed';
  got.spec.list[0]!.a = 2;
  assert.deepEqual(input, { kind: 'X', metadata: { name: 'a', labels: { x: 'y' } }, spec: { list: [{ a: 1 }] } });
});
