import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { PlaintextOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { applyPlaintextOverriders } from './plaintext.js';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', annotations: { 'a/b': 'x' } },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'A', value: '1' }] }] } } },
});

describe('plaintext', () => {
  const cases: { name: string; ops: PlaintextOverrider[]; check: (o: any) => void }[] = [
    { name: 'replace a scalar', ops: [{ path: '/spec/replicas', operator: 'replace', value: 1 }], check: (o) => assert.equal(o.spec.replicas, 1) },
    { name: 'add a new object field', ops: [{ path: '/spec/paused', operator: 'add', value: true }], check: (o) => assert.equal(o.spec.paused, true) },
    { name: 'add appends to a list with "-"', ops: [{ path: '/spec/template/spec/containers/0/env/-', operator: 'add', value: { name: 'B', value: '2' } }], check: (o) => assert.deepEqual(o.spec.template.spec.containers[0].env.map((e: any) => e.name), ['A', 'B']) },
    { name: 'add inserts into a list at an index', ops: [{ path: '/spec/template/spec/containers/0/env/0', operator: 'add', value: { name: 'Z' } }], check: (o) => assert.deepEqual(o.spec.template.spec.containers[0].env.map((e: any) => e.name), ['Z', 'A']) },
    { name: 'remove a field', ops: [{ path: '/spec/replicas', operator: 'remove' }], check: (o) => assert.equal('replicas' in o.spec, false) },
    { name: 'path tokens are unescaped (~1 is "/")', ops: [{ path: '/metadata/annotations/a~1b', operator: 'replace', value: 'y' }], check: (o) => assert.equal(o.metadata.annotations['a/b'], 'y') },
    { name: 'replace an object with a whole value', ops: [{ path: '/spec/template/spec/containers/0', operator: 'replace', value: { name: 'n', image: 'redis' } }], check: (o) => assert.deepEqual(o.spec.template.spec.containers[0], { name: 'n', image: 'redis' }) },
    { name: 'operations apply in order', ops: [{ path: '/spec/x', operator: 'add', value: 1 }, { path: '/spec/x', operator: 'replace', value: 2 }], check: (o) => assert.equal(o.spec.x, 2) },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const input = deployment();
      c.check(applyPlaintextOverriders(input, c.ops));
      assert.deepEqual(input, deployment(), 'input untouched');
    });
  }

  const failures: { name: string; ops: PlaintextOverrider[]; message: RegExp }[] = [
    { name: 'replace at a missing path', ops: [{ path: '/spec/nope', operator: 'replace', value: 1 }], message: /replace operation does not apply at "\/spec\/nope": path does not exist/ },
    { name: 'remove at a missing path', ops: [{ path: '/spec/nope', operator: 'remove' }], message: /path does not exist/ },
    { name: 'add under a missing parent', ops: [{ path: '/spec/a/b', operator: 'add', value: 1 }], message: /parent of path does not exist/ },
    { name: 'add past the end of a list', ops: [{ path: '/spec/template/spec/containers/5', operator: 'add', value: {} }], message: /out of bounds/ },
    { name: 'a path that is not a JSON pointer', ops: [{ path: 'spec/replicas', operator: 'replace', value: 1 }], message: /must be empty or start with/ },
    { name: 'a later op failing fails the whole list', ops: [{ path: '/spec/replicas', operator: 'replace', value: 1 }, { path: '/nope/x', operator: 'remove' }], message: /"\/nope\/x"/ },
  ];
  for (const f of failures) test(`fails: ${f.name}`, () => assert.throws(() => applyPlaintextOverriders(deployment(), f.ops), f.message));
});
