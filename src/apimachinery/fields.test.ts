import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import { checkSupportedFields, escapeFieldValue, parseFieldSelector } from './fields.js';

describe('parseFieldSelector', () => {
  const cases = [
    { name: 'single equality', in: 'metadata.name=foo', reqs: [{ field: 'metadata.name', operator: '=', value: 'foo' }], str: 'metadata.name=foo' },
    { name: '== is equality', in: 'metadata.name==foo', reqs: [{ field: 'metadata.name', operator: '=', value: 'foo' }], str: 'metadata.name=foo' },
    { name: '!= is inequality', in: 'status.phase!=Running', reqs: [{ field: 'status.phase', operator: '!=', value: 'Running' }], str: 'status.phase!=Running' },
    { name: 'terms are sorted and ANDed', in: 'b=2,a=1', reqs: [{ field: 'a', operator: '=', value: '1' }, { field: 'b', operator: '=', value: '2' }], str: 'a=1,b=2' },
    { name: 'escaped comma and equals stay in the value', in: 'a=x\\,y\\=z\\\\', reqs: [{ field: 'a', operator: '=', value: 'x,y=z\\' }], str: 'a=x\\,y\\=z\\\\' },
    { name: 'empty value', in: 'a=', reqs: [{ field: 'a', operator: '=', value: '' }], str: 'a=' },
    { name: 'empty terms are skipped', in: 'a=1,,', reqs: [{ field: 'a', operator: '=', value: '1' }], str: 'a=1' },
    { name: 'empty selector', in: '', reqs: [], str: '' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const s = parseFieldSelector(c.in);
      assert.deepEqual(s.requirements, c.reqs);
      assert.equal(s.toString(), c.str);
    });
  }

  const bad = [
    { name: 'no operator', in: 'abc', msg: "invalid selector: 'abc'; can't understand 'abc'" },
    { name: 'unknown escape', in: 'a=\\x', msg: 'invalid field selector: invalid escape sequence: \\x' },
    { name: 'trailing backslash', in: 'a=b\\', msg: 'invalid field selector: invalid escape sequence: \\' },
    { name: 'unescaped equals in value', in: 'a=b=c', msg: 'invalid field selector: unescaped character in value: =' },
  ];
  for (const c of bad) {
    test(`rejects ${c.name}`, () =>
      assert.throws(() => parseFieldSelector(c.in), (e: unknown) => isStatusError(e, 'BadRequest') && e.message === c.msg));
  }
});

describe('FieldSelector.matches and helpers', () => {
  const obj: Record<string, string> = { 'metadata.name': 'web', 'metadata.namespace': 'default' };
  const get = (f: string) => obj[f];
  const cases = [
    { sel: 'metadata.name=web', want: true },
    { sel: 'metadata.name=db', want: false },
    { sel: 'metadata.name!=db,metadata.namespace=default', want: true },
    { sel: 'spec.nodeName=', want: true },
    { sel: 'spec.nodeName!=', want: false },
    { sel: '', want: true },
  ];
  for (const c of cases) test(`${c.sel || '(everything)'} → ${c.want}`, () => assert.equal(parseFieldSelector(c.sel).matches(get), c.want));

  test('fields lists each field once', () => assert.deepEqual(parseFieldSelector('a=1,a!=2,b=3').fields(), ['a', 'b']));
  test('requiresExactMatch', () => {
    assert.equal(parseFieldSelector('metadata.name=x').requiresExactMatch('metadata.name'), 'x');
    assert.equal(parseFieldSelector('metadata.name!=x').requiresExactMatch('metadata.name'), undefined);
  });
  test('escapeFieldValue', () => assert.equal(escapeFieldValue('a,b=c\\'), 'a\\,b\\=c\\\\'));
  test('unsupported field → field label not supported', () => {
    const s = parseFieldSelector('metadata.name=a,spec.foo=b');
    assert.throws(() => checkSupportedFields(s, ['metadata.name', 'metadata.namespace']), (e: unknown) => isStatusError(e, 'BadRequest') && e.message === 'field label not supported: spec.foo');
    assert.doesNotThrow(() => checkSupportedFields(s, ['metadata.name', 'spec.foo']));
  });
});
