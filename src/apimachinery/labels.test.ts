import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import { formatLabelSelector, labelSelectorAsSelector, labelSelectorString, nodeSelectionMatches, parseSelector, selectorFromSet } from './labels.js';

describe('parseSelector: canonical string form', () => {
  const cases = [
    { name: 'equality', in: 'app=web', out: 'app=web' },
    { name: 'double equals kept', in: 'app==web', out: 'app==web' },
    { name: 'not equals', in: 'app!=web', out: 'app!=web' },
    { name: 'requirements sorted by key', in: 'z=1,a=2', out: 'a=2,z=1' },
    { name: 'set values sorted and deduplicated', in: 'env in (prod, dev,prod)', out: 'env in (dev,prod)' },
    { name: 'notin', in: 'env notin (a,b)', out: 'env notin (a,b)' },
    { name: 'exists', in: 'app', out: 'app' },
    { name: 'does not exist', in: '!app', out: '!app' },
    { name: 'whitespace around operators is free', in: '  app  =  web ,  tier ', out: 'app=web,tier' },
    { name: 'gt and lt', in: 'n>5,m<3', out: 'm<3,n>5' },
    { name: 'empty value after =', in: 'app=', out: 'app=' },
    { name: 'empty set is one empty value', in: 'x in ()', out: 'x in ()' },
    { name: 'empty values inside a set', in: 'x in (a,,b)', out: 'x in (,a,b)' },
    { name: 'in/notin are values inside parentheses', in: 'x in (in,notin)', out: 'x in (in,notin)' },
    { name: 'prefixed keys', in: 'app.kubernetes.io/name=web', out: 'app.kubernetes.io/name=web' },
    { name: 'empty selector', in: '', out: '' },
    { name: 'blank selector', in: '   ', out: '' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(parseSelector(c.in).toString(), c.out));
});

describe('parseSelector: errors as apimachinery words them', () => {
  const cases = [
    { name: 'missing value after comma', in: 'a=b,', msg: "found '', expected: identifier after ','" },
    { name: 'two values', in: 'a=b c', msg: "found 'c', expected: ',' or 'end of string'" },
    { name: 'starts with an operator', in: '=a', msg: "found '=', expected: !, identifier, or 'end of string'" },
    { name: 'bad operator', in: 'a (b)', msg: "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt" },
    { name: 'missing parenthesis', in: 'a in b', msg: "unable to parse requirement: found 'b' expected: '('" },
    { name: 'unclosed set', in: 'a in (b', msg: "unable to parse requirement: found '', expected: ',' or ')'" },
    { name: 'key invalid', in: 'a@b=c', msg: 'unable to parse requirement: <nil>: Invalid value: "a@b": name part must consist of alphanumeric characters' },
    { name: 'value invalid', in: 'a=b@c', msg: 'unable to parse requirement: values[0][a]: Invalid value: "b@c": a valid label must be an empty string' },
    { name: 'gt needs an integer', in: 'a>b', msg: `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer` },
    { name: 'bang without key', in: '!', msg: "unable to parse requirement: found '', expected: identifier" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => parseSelector(c.in),
        (e: unknown) => isStatusError(e, 'BadRequest') && e.code === 400 && e.message.startsWith(c.msg),
      );
    });
  }
});

describe('Selector.matches', () => {
  const labels = { app: 'web', tier: 'front', n: '10', neg: '-3' };
  const cases: { sel: string; want: boolean; labels?: Record<string, string> }[] = [
    { sel: 'app=web', want: true },
    { sel: 'app=db', want: false },
    { sel: 'app!=db', want: true },
    { sel: 'missing!=x', want: true },
    { sel: 'app in (db,web)', want: true },
    { sel: 'missing in (a)', want: false },
    { sel: 'app notin (web)', want: false },
    { sel: 'missing notin (web)', want: true },
    { sel: 'app', want: true },
    { sel: '!app', want: false },
    { sel: '!missing', want: true },
    { sel: 'n>5', want: true },
    { sel: 'n<5', want: false },
    { sel: 'neg<0', want: true },
    { sel: 'app>1', want: false },
    { sel: 'missing>1', want: false },
    { sel: 'app=web,tier=back', want: false },
    { sel: 'app=web,tier=front', want: true },
    { sel: '', want: true },
    { sel: 'app', want: false, labels: undefined },
    { sel: 'x=', want: true, labels: { x: '' } },
  ];
  for (const c of cases) {
    const l = 'labels' in c ? c.labels : labels;
    test(`${c.sel || '(everything)'} on ${JSON.stringify(l)} → ${c.want}`, () => assert.equal(parseSelector(c.sel).matches(l), c.want));
  }
});

describe('LabelSelector objects', () => {
  test('matchLabels and matchExpressions combine and sort by key', () => {
    const sel = labelSelectorAsSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'beta', operator: 'DoesNotExist' },
        { key: 'env', operator: 'Exists' },
        { key: 'zone', operator: 'NotIn', values: ['x'] },
      ],
    });
    assert.equal(sel.toString(), 'app=web,!beta,env,tier in (a,b),zone notin (x)');
    assert.equal(sel.matches({ app: 'web', env: 'p', tier: 'a' }), true);
    assert.equal(sel.matches({ app: 'web', env: 'p', tier: 'a', beta: '1' }), false);
  });
  test('nil selects nothing, empty selects everything', () => {
    assert.equal(labelSelectorAsSelector(undefined).matches({ a: 'b' }), false);
    assert.equal(labelSelectorAsSelector({}).matches({ a: 'b' }), true);
    assert.equal(labelSelectorAsSelector({}).empty(), true);
  });
  test('FormatLabelSelector prints <none> and <error>', () => {
    assert.equal(formatLabelSelector({}), '<none>');
    assert.equal(formatLabelSelector(null), '<none>');
    assert.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), '<error>');
  });
  test('scale selector string is empty for everything', () => {
    assert.equal(labelSelectorString({}), '');
    assert.equal(labelSelectorString({ matchLabels: { b: '2', a: '1' } }), 'a=1,b=2');
  });
  test('bad operator is a BadRequest', () => {
    assert.throws(
      () => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Foo' as 'In' }] }),
      (e: unknown) => isStatusError(e, 'BadRequest') && e.message === '"Foo" is not a valid label selector operator',
    );
  });
  test('selectorFromSet and requiresExactMatch', () => {
    const sel = selectorFromSet({ b: '2', a: '1' });
    assert.equal(sel.toString(), 'a=1,b=2');
    assert.equal(sel.requiresExactMatch('a'), '1');
    assert.equal(parseSelector('a in (x,y)').requiresExactMatch('a'), undefined);
    assert.equal(parseSelector('a in (x)').requiresExactMatch('a'), 'x');
  });
});

describe('nodeSelectionMatches', () => {
  const node = { name: 'n1', labels: { zone: 'a', gpu: 'true' } };
  const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, values }] });
  const cases: { name: string; selector?: Record<string, string>; terms?: { matchExpressions?: { key: string; operator: string; values?: string[] }[]; matchFields?: { key: string; operator: string; values?: string[] }[] }[]; want: boolean }[] = [
    { name: 'nothing asked: any node', selector: undefined, terms: undefined, want: true },
    { name: 'nodeSelector labels all hold', selector: { zone: 'a', gpu: 'true' }, terms: undefined, want: true },
    { name: 'a nodeSelector label differs', selector: { zone: 'b' }, terms: undefined, want: false },
    { name: 'one of the terms holds', selector: undefined, terms: [expr('zone', 'In', ['b']), expr('gpu', 'Exists')], want: true },
    { name: 'no term holds', selector: undefined, terms: [expr('zone', 'NotIn', ['a'])], want: false },
    { name: 'matchFields on metadata.name', selector: undefined, terms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }], want: true },
    { name: 'an empty term matches no node', selector: undefined, terms: [{}], want: false },
    { name: 'no terms at all (an empty list): nothing matches', selector: undefined, terms: [], want: false },
    { name: 'the selector and a term must both hold', selector: { zone: 'b' }, terms: [expr('gpu', 'Exists')], want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(nodeSelectionMatches(c.selector, c.terms, node), c.want));
});
