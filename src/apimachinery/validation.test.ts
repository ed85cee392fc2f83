import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from './errors.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  nameIsPathSegment,
  validateAnnotations,
  validateLabels,
  validateObjectMetaName,
} from './validation.js';

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('name rules', () => {
  const cases: { name: string; fn: (v: string) => string[]; value: string; want: string[] }[] = [
    { name: 'subdomain accepts dotted lowercase', fn: isDNS1123Subdomain, value: 'my.app-1', want: [] },
    { name: 'subdomain rejects uppercase with the exact apimachinery message', fn: isDNS1123Subdomain, value: 'MyApp', want: [subdomainMsg] },
    { name: 'subdomain rejects over 253 chars', fn: isDNS1123Subdomain, value: 'a'.repeat(254), want: ['must be no more than 253 characters'] },
    { name: 'subdomain rejects trailing dash', fn: isDNS1123Subdomain, value: 'abc-', want: [subdomainMsg] },
    { name: 'label accepts plain label', fn: isDNS1123Label, value: 'default', want: [] },
    { name: 'label says "must not contain dots" for a valid subdomain', fn: isDNS1123Label, value: 'a.b', want: ['must not contain dots'] },
    { name: 'label rejects underscore with the regex message', fn: isDNS1123Label, value: 'a_b', want: [labelMsg] },
    { name: 'label rejects over 63 chars', fn: isDNS1123Label, value: 'a'.repeat(64), want: ['must be no more than 63 characters'] },
    { name: 'path segment rejects ..', fn: isValidPathSegmentName, value: '..', want: ["may not be '..'"] },
    { name: 'path segment rejects slash and percent', fn: isValidPathSegmentName, value: 'a/b%c', want: ["may not contain '/'", "may not contain '%'"] },
    { name: 'path segment accepts upper case', fn: isValidPathSegmentName, value: 'Foo:Bar', want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(c.fn(c.value), c.want));

  // the doubled space in the label message is real: RegexError joins "'x', " with " or "
  test('label regex message keeps apimachinery spacing', () => assert.match(labelMsg, /'my-name',  or/));
});

describe('qualified names and label values', () => {
  const cases: { name: string; fn: (v: string) => string[]; value: string; want: RegExp[] }[] = [
    { name: 'qualified name with prefix', fn: isQualifiedName, value: 'app.kubernetes.io/name', want: [] },
    { name: 'qualified name allows upper case and underscores', fn: isQualifiedName, value: 'My_Key', want: [] },
    { name: 'empty prefix', fn: isQualifiedName, value: '/name', want: [/^prefix part must be non-empty$/] },
    { name: 'bad prefix is a subdomain error', fn: isQualifiedName, value: 'Ex.com/name', want: [/^prefix part a lowercase RFC 1123 subdomain/] },
    { name: 'two slashes', fn: isQualifiedName, value: 'a/b/c', want: [/^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e.g. 'example.com\/MyName'\)$/] },
    { name: 'empty name part', fn: isQualifiedName, value: 'a.com/', want: [/^name part must be non-empty$/, /^name part must consist of/] },
    { name: 'name part too long', fn: isQualifiedName, value: 'x'.repeat(64), want: [/^name part must be no more than 63 characters$/] },
    { name: 'label value may be empty', fn: isValidLabelValue, value: '', want: [] },
    { name: 'label value over 63 chars', fn: isValidLabelValue, value: 'v'.repeat(64), want: [/^must be no more than 63 characters$/] },
    { name: 'label value with space', fn: isValidLabelValue, value: 'a b', want: [/^a valid label must be an empty string or consist of alphanumeric characters/] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = c.fn(c.value);
      assert.equal(got.length, c.want.length, JSON.stringify(got));
      c.want.forEach((re, i) => assert.match(got[i], re));
    });
  }
});

describe('field errors', () => {
  test('validateLabels reports key and value at the map path', () => {
    const errs = validateLabels({ 'bad key': 'ok', good: 'bad value' }, 'metadata.labels');
    assert.equal(errs.length, 2);
    assert.deepEqual(errs.map((e) => [e.field, e.value]), [['metadata.labels', 'bad key'], ['metadata.labels', 'bad value']]);
    assert.match(formatFieldError(errs[1]), /^metadata\.labels: Invalid value: "bad value": a valid label must be/);
  });
  test('validateLabels accepts valid labels and undefined', () => {
    assert.deepEqual(validateLabels({ app: 'web', 'example.com/tier': '' }, 'metadata.labels'), []);
    assert.deepEqual(validateLabels(undefined, 'metadata.labels'), []);
  });
  test('validateAnnotations enforces the total size', () => {
    const errs = validateAnnotations({ big: 'x'.repeat(256 * 1024) }, 'metadata.annotations');
    assert.deepEqual(errs, [{ type: 'FieldValueTooLong', field: 'metadata.annotations', detail: 'must have at most 262144 bytes' }]);
  });

  const metaCases = [
    { name: 'name or generateName required', meta: {}, rule: nameIsDNSSubdomain, want: ['metadata.name: Required value: name or generateName is required'] },
    { name: 'generateName prefix may end in a dash', meta: { generateName: 'web-' }, rule: nameIsDNSSubdomain, want: [] },
    { name: 'bad name uses the rule message', meta: { name: 'Web' }, rule: nameIsDNSLabel, want: [`metadata.name: Invalid value: "Web": ${labelMsg}`] },
    { name: 'path segment names allow capitals', meta: { name: 'System:Admin' }, rule: nameIsPathSegment, want: [] },
  ];
  for (const c of metaCases) test(c.name, () => assert.deepEqual(validateObjectMetaName(c.meta, c.rule).map(formatFieldError), c.want));
});
