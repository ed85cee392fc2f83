import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import type { FieldOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { applyFieldOverrider } from './field.js';

const configMap = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data });
const dataOf = (o: KubeObject, key: string) => (o.data as Record<string, string>)[key];

const dbYaml = 'db:\n  host: db.local\n  port: 5432\n  replicas:\n    - a\n    - b\n';
const dbJson = '{"db":{"host":"db.local","port":5432},"flags":["x"]}';

describe('fieldOverrider on YAML', () => {
  const cases: { name: string; o: FieldOverrider; want: unknown }[] = [
    { name: 'replace a nested scalar', o: { fieldPath: '/data/db.yaml', yaml: [{ subPath: '/db/host', operator: 'replace', value: 'db.eu' }] }, want: { db: { host: 'db.eu', port: 5432, replicas: ['a', 'b'] } } },
    { name: 'add a key and append to a list', o: { fieldPath: '/data/db.yaml', yaml: [{ subPath: '/db/tls', operator: 'add', value: true }, { subPath: '/db/replicas/-', operator: 'add', value: 'c' }] }, want: { db: { host: 'db.local', port: 5432, replicas: ['a', 'b', 'c'], tls: true } } },
    { name: 'remove a key', o: { fieldPath: '/data/db.yaml', yaml: [{ subPath: '/db/port', operator: 'remove' }] }, want: { db: { host: 'db.local', replicas: ['a', 'b'] } } },
    { name: 'replace with an object value', o: { fieldPath: '/data/db.yaml', yaml: [{ subPath: '/db', operator: 'replace', value: { host: 'h' } }] }, want: { db: { host: 'h' } } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const input = configMap({ 'db.yaml': dbYaml, other: 'x' });
      const got = applyFieldOverrider(input, c.o);
      assert.deepEqual(YAML.parse(dataOf(got, 'db.yaml')), c.want);
      assert.equal(dataOf(got, 'other'), 'x');
      assert.equal(dataOf(input, 'db.yaml'), dbYaml, 'input untouched');
    });
  }
  test('written back in go-yaml style: sorted keys, list items not indented', () => {
    const got = applyFieldOverrider(configMap({ 'db.yaml': 'z: 1\na:\n  - x\n' }), { fieldPath: '/data/db.yaml', yaml: [{ subPath: '/m', operator: 'add', value: 2 }] });
    assert.equal(dataOf(got, 'db.yaml'), 'a:\n- x\nm: 2\nz: 1\n');
  });
});

describe('fieldOverrider on JSON', () => {
  const cases: { name: string; o: FieldOverrider; want: string }[] = [
    { name: 'replace keeps key order and writes compact JSON', o: { fieldPath: '/data/app.json', json: [{ subPath: '/db/host', operator: 'replace', value: 'db.eu' }] }, want: '{"db":{"host":"db.eu","port":5432},"flags":["x"]}' },
    { name: 'add to a list', o: { fieldPath: '/data/app.json', json: [{ subPath: '/flags/0', operator: 'add', value: 'first' }] }, want: '{"db":{"host":"db.local","port":5432},"flags":["first","x"]}' },
    { name: 'remove', o: { fieldPath: '/data/app.json', json: [{ subPath: '/flags', operator: 'remove' }] }, want: '{"db":{"host":"db.local","port":5432}}' },
    { name: 'fieldPath tokens are unescaped', o: { fieldPath: '/data/a~1b.json', json: [{ subPath: '/k', operator: 'add', value: 1 }] }, want: '{"k":1}' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = applyFieldOverrider(configMap({ 'app.json': dbJson, 'a/b.json': '{}' }), c.o);
      const key = c.o.fieldPath === '/data/a~1b.json' ? 'a/b.json' : 'app.json';
      assert.equal(dataOf(got, key), c.want);
    });
  }
});

describe('fieldOverrider failures', () => {
  const failures: { name: string; data: Record<string, string>; o: FieldOverrider; message: RegExp }[] = [
    { name: 'field does not exist', data: {}, o: { fieldPath: '/data/nope', json: [{ subPath: '/a', operator: 'add', value: 1 }] }, message: /does not exist/ },
    { name: 'field is not a string', data: {}, o: { fieldPath: '/data', json: [{ subPath: '/a', operator: 'add', value: 1 }] }, message: /not a string/ },
    { name: 'field is not valid JSON', data: { f: '{nope' }, o: { fieldPath: '/data/f', json: [{ subPath: '/a', operator: 'add', value: 1 }] }, message: /not valid JSON/ },
    { name: 'field is not valid YAML', data: { f: 'a: [1, 2' }, o: { fieldPath: '/data/f', yaml: [{ subPath: '/a', operator: 'add', value: 1 }] }, message: /not valid YAML/ },
    { name: 'sub path missing for replace', data: { f: '{}' }, o: { fieldPath: '/data/f', json: [{ subPath: '/a', operator: 'replace', value: 1 }] }, message: /in JSON at \/data\/f: replace operation does not apply at "\/a": path does not exist/ },
    { name: 'sub path is not a pointer', data: { f: '{}' }, o: { fieldPath: '/data/f', json: [{ subPath: 'a', operator: 'add', value: 1 }] }, message: /subPath "a"/ },
  ];
  for (const f of failures) test(f.name, () => assert.throws(() => applyFieldOverrider(configMap(f.data), f.o), f.message));

  test('neither json nor yaml changes nothing (admission refuses it)', () => {
    const cm = configMap({ f: 'a: 1' });
    assert.deepEqual(applyFieldOverrider(cm, { fieldPath: '/data/f' }), cm);
  });
});
