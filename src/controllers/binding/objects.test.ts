import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../apimachinery/types.js';
import { sameSpec, specOf } from './objects.js';

const base = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n', resourceVersion: '5', generation: 1, labels: { a: 'b' } }, spec: { replicas: 1, template: { x: [1, 2] } }, status: { replicas: 0 } };
const cases: { name: string; other: Record<string, unknown>; want: boolean }[] = [
  { name: 'status, resourceVersion, generation and managedFields only', other: { ...base, metadata: { ...base.metadata, resourceVersion: '9', generation: 2, managedFields: [{}] }, status: { replicas: 1 } }, want: true },
  { name: 'key order does not count', other: { status: base.status, spec: { template: { x: [1, 2] }, replicas: 1 }, metadata: base.metadata, kind: base.kind, apiVersion: base.apiVersion }, want: true },
  { name: 'the spec changed', other: { ...base, spec: { replicas: 2, template: { x: [1, 2] } } }, want: false },
  { name: 'array order counts', other: { ...base, spec: { replicas: 1, template: { x: [2, 1] } } }, want: false },
  { name: 'a label changed', other: { ...base, metadata: { ...base.metadata, labels: { a: 'c' } } }, want: false },
  { name: 'an annotation appeared', other: { ...base, metadata: { ...base.metadata, annotations: { k: 'v' } } }, want: false },
  { name: 'the spec went away', other: { apiVersion: base.apiVersion, kind: base.kind, metadata: base.metadata }, want: false },
  { name: 'another top-level field appeared', other: { ...base, data: {} }, want: false },
];
for (const c of cases) {
  test(`sameSpec: ${c.name}`, () => {
    const other = c.other as unknown as KubeObject;
    const b = base as unknown as KubeObject;
    assert.equal(sameSpec(other, b), c.want);
    assert.equal(sameSpec(b, other), c.want, 'symmetric');
    assert.equal(isDeepStrictEqual(specOf(other), specOf(b)), c.want, 'as the copies compare');
  });
}
