import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import { compareResourceVersions, decodeContinue, encodeContinue, generateName, generateNameSuffix, jsonPathFind, jsonPathGet, microTime, newUid, rfc3339Now } from './meta.js';

describe('names, uids, times', () => {
  test('generateNameSuffix: 5 characters from the apimachinery alphabet', () => {
    for (let i = 0; i < 50; i++) assert.match(generateNameSuffix(), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
  test('generateName cuts long bases to 58 characters', () => {
    assert.match(generateName('web-'), /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(generateName('x'.repeat(70)).length, 63);
  });
  test('newUid is a v4 UUID and unique', () => {
    const a = newUid();
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a, newUid());
  });
  test('rfc3339Now drops fractional seconds', () => assert.equal(rfc3339Now(new Date('2024-05-06T07:08:09.123Z')), '2024-05-06T07:08:09Z'));
  test('rfc3339Now formats each second it is given, in any order, and refuses an invalid date', () => {
    const cases: [string, string][] = [
      ['2024-05-06T07:08:09.123Z', '2024-05-06T07:08:09Z'],
      ['2024-05-06T07:08:09.999Z', '2024-05-06T07:08:09Z'],
      ['2024-05-06T07:08:10.000Z', '2024-05-06T07:08:10Z'],
      ['2024-05-06T07:08:09.500Z', '2024-05-06T07:08:09Z'],
      ['1969-12-31T23:59:59.500Z', '1969-12-31T23:59:59Z'],
    ];
    for (const [at, want] of cases) assert.equal(rfc3339Now(new Date(at)), want, at);
    assert.throws(() => rfc3339Now(new Date('not a date')), RangeError);
    const format = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
    const before = Date.now();
    const now = rfc3339Now();
    assert.ok([format(before), format(Date.now())].includes(now), now);
  });
  test('microTime has six fractional digits', () => assert.equal(microTime(new Date('2024-05-06T07:08:09.123Z')), '2024-05-06T07:08:09.123000Z'));
});

describe('continue tokens', () => {
  test('encodes the real apiserver format', () => {
    const token = encodeContinue({ rv: 42, start: 'default/web\u0000' });
    assert.equal(Buffer.from(token, 'base64url').toString(), '{"v":"meta.k8s.io/v1","rv":42,"start":"default/web\\u0000"}');
    assert.doesNotMatch(token, /[=+/]/);
  });
  test('round-trips', () => assert.deepEqual(decodeContinue(encodeContinue({ rv: 7, start: 'ns/a\u0000' })), { rv: 7, start: 'ns/a\u0000' }));
  test('decodes a token made by Go', () => {
    // base64.RawURLEncoding of {"v":"meta.k8s.io/v1","rv":123,"start":"foo\u0000"}
    const go = 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzLCJzdGFydCI6ImZvb1x1MDAwMCJ9';
    assert.deepEqual(decodeContinue(go), { rv: 123, start: 'foo\u0000' });
  });
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const bad = [
    { name: 'not base64', token: '!!!', msg: /illegal base64/ },
    { name: 'not JSON', token: Buffer.from('nope').toString('base64url'), msg: /continue key is not valid/ },
    { name: 'unknown version', token: enc({ v: 'x', rv: 1, start: 'a' }), msg: /server does not recognize this encoded version "x"/ },
    { name: 'zero rv', token: enc({ v: 'meta.k8s.io/v1', rv: 0, start: 'a' }), msg: /incorrect encoded start resourceVersion/ },
    { name: 'empty start', token: enc({ v: 'meta.k8s.io/v1', rv: 1, start: '' }), msg: /encoded start key empty/ },
    { name: 'path traversal', token: enc({ v: 'meta.k8s.io/v1', rv: 1, start: '../secrets/x' }), msg: /continue key is not valid: \.\.\/secrets\/x/ },
  ];
  for (const c of bad) {
    test(`rejects ${c.name} with 400`, () =>
      assert.throws(() => decodeContinue(c.token), (e: unknown) => isStatusError(e, 'BadRequest') && c.msg.test(e.message) && e.message.startsWith('invalid continue token: ')));
  }
});

describe('JSONPath', () => {
  const obj = {
    metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: { replicas: 3, containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis' }] },
    status: { replicas: 2, conditions: [{ type: 'Available', status: 'True' }, { type: 'Ready', status: 'False' }] },
  };
  const cases: { expr: string; want: unknown[] }[] = [
    { expr: '.status.replicas', want: [2] },
    { expr: '{.metadata.name}', want: ['web'] },
    { expr: '$.spec.replicas', want: [3] },
    { expr: '.status.conditions[?(@.type=="Ready")].status', want: ['False'] },
    { expr: ".status.conditions[?(@.type!='Ready')].type", want: ['Available'] },
    { expr: '.spec.containers[0].image', want: ['nginx'] },
    { expr: '.spec.containers[-1].name', want: ['b'] },
    { expr: '.spec.containers[*].name', want: ['a', 'b'] },
    { expr: '.spec.containers[0:1].name', want: ['a'] },
    { expr: '.spec.containers[?(@.image)].name', want: ['a', 'b'] },
    { expr: '..image', want: ['nginx', 'redis'] },
    { expr: ".metadata.labels['app.kubernetes.io/name']", want: ['web'] },
    { expr: '.metadata.labels.app\\.kubernetes\\.io/name', want: ['web'] },
    { expr: '.status.missing', want: [] },
    { expr: '.spec.containers[5]', want: [] },
    { expr: '.spec.replicas.deeper', want: [] },
  ];
  for (const c of cases) test(c.expr, () => assert.deepEqual(jsonPathFind(obj, c.expr), c.want));

  test('jsonPathGet returns the first match or undefined', () => {
    assert.equal(jsonPathGet(obj, '.spec.containers[*].name'), 'a');
    assert.equal(jsonPathGet(obj, '.nope'), undefined);
  });
  test('numeric filters compare numbers', () => assert.deepEqual(jsonPathFind({ items: [{ n: 1 }, { n: 5 }] }, '.items[?(@.n>2)].n'), [5]));
});

test('compareResourceVersions: decimal revisions by value; anything else is not comparable', () => {
  const rows: [string | undefined, string | undefined, number | undefined][] = [
    ['9', '10', -1],
    ['10', '9', 1],
    ['42', '42', 0],
    ['100', '099', 1],
    ['', '1', undefined],
    [undefined, '1', undefined],
    ['1', undefined, undefined],
    ['abc', '1', undefined],
    ['1', '1a', undefined],
  ];
  for (const [a, b, want] of rows) {
    const got = compareResourceVersions(a, b);
    assert.equal(got === undefined ? undefined : Math.sign(got), want, `${a} vs ${b}`);
  }
});
