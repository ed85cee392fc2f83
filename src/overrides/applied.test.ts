import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { appliedOverridesAnnotations, marshalAppliedOverrides, parseAppliedOverrides, type AppliedOverrideRecord } from './applied.js';

describe('marshalAppliedOverrides (Karmada AppliedOverrides.MarshalJSON)', () => {
  const cases: { name: string; items: AppliedOverrideRecord; want: string | undefined }[] = [
    { name: 'nothing applied: no annotation', items: [], want: undefined },
    {
      name: 'sorted by policy name, Go field order, plaintext remove writes value null',
      items: [
        { policyName: 'zeta', overriders: { plaintext: [{ operator: 'remove', path: '/spec/x' }] } },
        { policyName: 'alpha', overriders: { imageOverrider: [{ operator: 'replace', component: 'Registry', value: 'mirror.io', predicate: { path: '/spec/image' } }] } },
      ],
      want: '[{"policyName":"alpha","overriders":{"imageOverrider":[{"predicate":{"path":"/spec/image"},"component":"Registry","operator":"replace","value":"mirror.io"}]}},{"policyName":"zeta","overriders":{"plaintext":[{"path":"/spec/x","operator":"remove","value":null}]}}]',
    },
    {
      name: 'overriders in struct order regardless of input order; empty lists and values omitted',
      items: [{ policyName: 'p', overriders: { fieldOverrider: [{ fieldPath: '/data/a', yaml: [{ subPath: '/k', operator: 'add', value: 1 }], json: [] }], labelsOverrider: [{ operator: 'add', value: { z: '1', a: '2' } }], argsOverrider: [{ containerName: 'c', operator: 'add', value: [] }], plaintext: [], imageOverrider: [{ component: 'Tag', operator: 'remove' }] } }],
      want: '[{"policyName":"p","overriders":{"imageOverrider":[{"component":"Tag","operator":"remove"}],"argsOverrider":[{"containerName":"c","operator":"add"}],"labelsOverrider":[{"operator":"add","value":{"a":"2","z":"1"}}],"fieldOverrider":[{"fieldPath":"/data/a","yaml":[{"subPath":"/k","operator":"add","value":1}]}]}}]',
    },
    { name: 'a rule with no overriders still records an empty object', items: [{ policyName: 'p', overriders: {} }], want: '[{"policyName":"p","overriders":{}}]' },
    { name: 'HTML characters are escaped as Go does', items: [{ policyName: 'p', overriders: { annotationsOverrider: [{ operator: 'add', value: { a: '<b>&' } }] } }], want: '[{"policyName":"p","overriders":{"annotationsOverrider":[{"operator":"add","value":{"a":"\\u003cb\\u003e\\u0026"}}]}}]' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(marshalAppliedOverrides(c.items), c.want));

  test('round trip through parse', () => {
    const items: AppliedOverrideRecord = [{ policyName: 'p', overriders: { commandOverrider: [{ containerName: 'c', operator: 'add', value: ['x'] }] } }];
    assert.deepEqual(parseAppliedOverrides(marshalAppliedOverrides(items)), items);
  });
});

describe('appliedOverridesAnnotations', () => {
  test('sets each key only when something was applied', () => {
    assert.deepEqual(appliedOverridesAnnotations({ appliedClusterOverrides: [], appliedOverrides: [] }), {});
    const got = appliedOverridesAnnotations({ appliedClusterOverrides: [{ policyName: 'c', overriders: {} }], appliedOverrides: [] });
    assert.deepEqual(Object.keys(got), ['policy.karmada.io/applied-cluster-overrides']);
  });
});
