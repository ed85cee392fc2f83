import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { LabelAnnotationOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { applyLabelsOverrider } from './labels.js';

const obj = (labels?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...(labels ? { labels } : {}) } });

describe('labelsOverrider', () => {
  const cases: { name: string; labels?: Record<string, string>; o: LabelAnnotationOverrider; want: Record<string, string> | undefined }[] = [
    { name: 'add sets new keys', labels: { app: 'a' }, o: { operator: 'add', value: { env: 'prod' } }, want: { app: 'a', env: 'prod' } },
    { name: 'add overwrites an existing key', labels: { app: 'a' }, o: { operator: 'add', value: { app: 'b' } }, want: { app: 'b' } },
    { name: 'add creates metadata.labels when absent', o: { operator: 'add', value: { env: 'prod' } }, want: { env: 'prod' } },
    { name: 'add handles keys with "/" (escaped in the pointer)', labels: {}, o: { operator: 'add', value: { 'app.kubernetes.io/name': 'web' } }, want: { 'app.kubernetes.io/name': 'web' } },
    { name: 'replace changes existing keys only', labels: { app: 'a' }, o: { operator: 'replace', value: { app: 'b', missing: 'x' } }, want: { app: 'b' } },
    { name: 'replace with no labels changes nothing', o: { operator: 'replace', value: { app: 'b' } }, want: undefined },
    { name: 'remove deletes existing keys whatever the value given', labels: { app: 'a', 'team.io/owner': 'x', keep: 'k' }, o: { operator: 'remove', value: { app: '', 'team.io/owner': 'ignored', nope: '' } }, want: { keep: 'k' } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const input = obj(c.labels);
      const before = structuredClone(input);
      assert.deepEqual(applyLabelsOverrider(input, c.o).metadata.labels, c.want);
      assert.deepEqual(input, before, 'input untouched');
    });
  }
});
