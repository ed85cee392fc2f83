import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { LabelAnnotationOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { applyAnnotationsOverrider } from './annotations.js';

const obj = (annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { l: 'v' }, ...(annotations ? { annotations } : {}) } });

describe('annotationsOverrider', () => {
  const cases: { name: string; annotations?: Record<string, string>; o: LabelAnnotationOverrider; want: Record<string, string> | undefined }[] = [
    { name: 'add creates metadata.annotations', o: { operator: 'add', value: { 'lb.example.com/type': 'nlb' } }, want: { 'lb.example.com/type': 'nlb' } },
    { name: 'add keeps other annotations', annotations: { a: '1' }, o: { operator: 'add', value: { b: '2' } }, want: { a: '1', b: '2' } },
    { name: 'replace only existing', annotations: { a: '1' }, o: { operator: 'replace', value: { a: '9', b: '2' } }, want: { a: '9' } },
    { name: 'remove existing, ignore missing', annotations: { a: '1', 'x~y/z': '2' }, o: { operator: 'remove', value: { 'x~y/z': '', q: '' } }, want: { a: '1' } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = applyAnnotationsOverrider(obj(c.annotations), c.o);
      assert.deepEqual(got.metadata.annotations, c.want);
      assert.deepEqual(got.metadata.labels, { l: 'v' }, 'labels untouched');
    });
  }
});
