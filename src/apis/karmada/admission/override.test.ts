import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { errors, formatFieldError, type FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import { defaultOverridePolicy, validateOverridePolicy } from './override.js';

const policy = (spec: unknown): KubeObject => ({ apiVersion: 'policy.karmada.io/v1alpha1', kind: 'OverridePolicy', metadata: { name: 'p', namespace: 'web' }, spec });
const rule = (overriders: unknown, extra: Record<string, unknown> = {}) => ({ overrideRules: [{ overriders, ...extra }] });
const show = (errs: FieldError[]) => errs.map(formatFieldError);

describe('validateOverridePolicy accepts', () => {
  const ok: { name: string; spec: unknown }[] = [
    { name: 'an empty spec (matches everything, does nothing)', spec: {} },
    {
      name: 'every overrider, well formed',
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'web' } } }],
        overrideRules: [
          {
            targetCluster: { clusterNames: ['m1'], fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['eu'] }] } },
            overriders: {
              plaintext: [{ path: '/spec/replicas', operator: 'replace', value: 2 }, { path: '/spec/paused', operator: 'remove' }],
              imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'mirror.io' }, { component: 'Tag', operator: 'remove' }, { predicate: { path: '/spec/template/spec/containers/0/image' }, component: 'Tag', operator: 'replace', value: 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c' }],
              commandOverrider: [{ containerName: 'web', operator: 'add', value: ['--x'] }],
              argsOverrider: [{ containerName: 'web', operator: 'remove', value: ['--y'] }],
              labelsOverrider: [{ operator: 'add', value: { 'app.kubernetes.io/name': 'web' } }],
              annotationsOverrider: [{ operator: 'remove', value: { note: '' } }],
              fieldOverrider: [{ fieldPath: '/data/config.yaml', yaml: [{ subPath: '/a', operator: 'replace', value: { b: 1 } }, { subPath: '/c', operator: 'remove' }] }],
            },
          },
        ],
      },
    },
    { name: 'the deprecated form alone', spec: { targetCluster: { clusterNames: ['m1'] }, overriders: { plaintext: [{ path: '/spec/replicas', operator: 'add', value: 1 }] } } },
    { name: 'plaintext remove with a value (Karmada ignores it)', spec: rule({ plaintext: [{ path: '/a', operator: 'remove', value: 1 }] }) },
    { name: 'image remove without a value', spec: rule({ imageOverrider: [{ component: 'Registry', operator: 'remove' }] }) },
  ];
  for (const c of ok) test(c.name, () => assert.deepEqual(show(validateOverridePolicy(policy(c.spec))), []));
});

describe('validateOverridePolicy refuses', () => {
  const bad: { name: string; spec: unknown; want: string[] }[] = [
    { name: 'missing spec', spec: undefined, want: ['spec: Required value'] },
    {
      name: 'overrideRules together with the deprecated fields',
      spec: { overrideRules: [], targetCluster: { clusterNames: ['a'] }, overriders: { plaintext: [{ path: '/a', operator: 'remove' }] } },
      want: ['spec.targetCluster: Invalid value: {"clusterNames":["a"]}: overrideRules and targetCluster can\'t co-exist', 'spec.overriders: Invalid value: {"plaintext":[{"path":"/a","operator":"remove"}]}: overrideRules and overriders can\'t co-exist'],
    },
    { name: 'unknown plaintext operator', spec: rule({ plaintext: [{ path: '/a', operator: 'set', value: 1 }] }), want: ['spec.overrideRules[0].overriders.plaintext[0].operator: Unsupported value: "set": supported values: "add", "remove", "replace"'] },
    { name: 'plaintext path that is not a JSON pointer', spec: rule({ plaintext: [{ path: 'spec.replicas', operator: 'replace', value: 1 }] }), want: ['spec.overrideRules[0].overriders.plaintext[0].path: Invalid value: "spec.replicas": JSON pointer must be empty or start with a "/"'] },
    { name: 'plaintext path with a bad escape', spec: rule({ plaintext: [{ path: '/a~2', operator: 'remove' }] }), want: ['spec.overrideRules[0].overriders.plaintext[0].path: Invalid value: "/a~2": JSON pointer has "~" not followed by "0" or "1"'] },
    { name: 'plaintext path missing', spec: rule({ plaintext: [{ operator: 'remove' }] }), want: ['spec.overrideRules[0].overriders.plaintext[0].path: Required value: must be a JSON pointer such as /spec/replicas'] },
    { name: 'plaintext add without value', spec: rule({ plaintext: [{ path: '/a', operator: 'add' }] }), want: ['spec.overrideRules[0].overriders.plaintext[0].value: Required value: value is required for add or replace operation'] },
    { name: 'plaintext list of the wrong type', spec: rule({ plaintext: { path: '/a' } }), want: ['spec.overrideRules[0].overriders.plaintext: Invalid value: {"path":"/a"}: must be a list'] },
    { name: 'unknown image component', spec: rule({ imageOverrider: [{ component: 'Digest', operator: 'remove' }] }), want: ['spec.overrideRules[0].overriders.imageOverrider[0].component: Unsupported value: "Digest": supported values: "Registry", "Repository", "Tag"'] },
    { name: 'image replace with empty value', spec: rule({ imageOverrider: [{ component: 'Registry', operator: 'replace', value: '' }] }), want: ['spec.overrideRules[0].overriders.imageOverrider[0].value: Required value: must not be empty when operator is replace'] },
    { name: 'image value of the wrong type', spec: rule({ imageOverrider: [{ component: 'Tag', operator: 'replace', value: 1.2 }] }), want: ['spec.overrideRules[0].overriders.imageOverrider[0].value: Invalid value: 1.2: must be a string'] },
    { name: 'image Tag replace with something that is no tag', spec: rule({ imageOverrider: [{ component: 'Tag', operator: 'replace', value: 'v1:beta' }] }), want: ['spec.overrideRules[0].overriders.imageOverrider[0].value: Invalid value: "v1:beta": must be a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or digest (algorithm:hex)'] },
    { name: 'image predicate path not a pointer', spec: rule({ imageOverrider: [{ component: 'Tag', operator: 'remove', predicate: { path: 'spec/image' } }] }), want: ['spec.overrideRules[0].overriders.imageOverrider[0].predicate.path: Invalid value: "spec/image": JSON pointer must be empty or start with a "/"'] },
    { name: 'command replace is not an operator for command', spec: rule({ commandOverrider: [{ containerName: 'c', operator: 'replace', value: ['x'] }] }), want: ['spec.overrideRules[0].overriders.commandOverrider[0].operator: Unsupported value: "replace": supported values: "add", "remove"'] },
    { name: 'args without container name and with a non-string value', spec: rule({ argsOverrider: [{ operator: 'add', value: ['a', 2] }] }), want: ['spec.overrideRules[0].overriders.argsOverrider[0].containerName: Required value', 'spec.overrideRules[0].overriders.argsOverrider[0].value[1]: Invalid value: 2: must be a string'] },
    { name: 'label value that is not a valid label value', spec: rule({ labelsOverrider: [{ operator: 'add', value: { app: 'has space' } }] }), want: ['spec.overrideRules[0].overriders.labelsOverrider[0].value: Invalid value: "has space": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')'] },
    { name: 'label value that is not a string', spec: rule({ labelsOverrider: [{ operator: 'add', value: { replicas: 3 } }] }), want: ['spec.overrideRules[0].overriders.labelsOverrider[0].value.replicas: Invalid value: 3: must be a string'] },
    { name: 'annotations without value', spec: rule({ annotationsOverrider: [{ operator: 'add' }] }), want: ['spec.overrideRules[0].overriders.annotationsOverrider[0].value: Required value: a map of annotations to set'] },
    { name: 'fieldOverrider with neither json nor yaml', spec: rule({ fieldOverrider: [{ fieldPath: '/data/x' }] }), want: ['spec.overrideRules[0].overriders.fieldOverrider[0]: Required value: one of json or yaml must hold at least one operation'] },
    {
      name: 'fieldOverrider with both json and yaml',
      spec: rule({ fieldOverrider: [{ fieldPath: '/data/x', json: [{ subPath: '/a', operator: 'remove' }], yaml: [{ subPath: '/a', operator: 'remove' }] }] }),
      want: ['spec.overrideRules[0].overriders.fieldOverrider[0]: Invalid value: {"fieldPath":"/data/x","json":[{"subPath":"/a","operator":"remove"}],"yaml":[{"subPath":"/a","operator":"remove"}]}: FieldOverrider has both YAML and JSON set. Only one is allowed'],
    },
    {
      name: 'fieldOverrider ops: bad subPath, value missing for replace, value present for remove',
      spec: rule({ fieldOverrider: [{ fieldPath: 'data', yaml: [{ subPath: 'a', operator: 'replace' }, { subPath: '/b', operator: 'remove', value: 1 }] }] }),
      want: [
        'spec.overrideRules[0].overriders.fieldOverrider[0].fieldPath: Invalid value: "data": JSON pointer must be empty or start with a "/"',
        'spec.overrideRules[0].overriders.fieldOverrider[0].yaml[0].subPath: Invalid value: "a": JSON pointer must be empty or start with a "/"',
        'spec.overrideRules[0].overriders.fieldOverrider[0].yaml[0].value: Required value: value is required for add or replace operation',
        'spec.overrideRules[0].overriders.fieldOverrider[0].yaml[1].value: Invalid value: 1: value is not allowed for remove operation',
      ],
    },
    { name: 'rule without overriders', spec: { overrideRules: [{ targetCluster: {} }] }, want: ['spec.overrideRules[0].overriders: Required value'] },
    {
      name: 'targetCluster field selector with an unknown key',
      spec: rule({}, { targetCluster: { fieldSelector: { matchExpressions: [{ key: 'country', operator: 'In', values: ['x'] }] } } }),
      want: ['spec.overrideRules[0].targetCluster.fieldSelector: Invalid value: {"matchExpressions":[{"key":"country","operator":"In","values":["x"]}]}: unsupported key "country", must be provider, region, or zone'],
    },
    { name: 'targetCluster label selector with an unknown operator', spec: rule({}, { targetCluster: { labelSelector: { matchExpressions: [{ key: 'a', operator: 'Has' }] } } }), want: ['spec.overrideRules[0].targetCluster.labelSelector: Invalid value: {"matchExpressions":[{"key":"a","operator":"Has"}]}: "Has" is not a valid label selector operator'] },
    { name: 'resource selector without apiVersion and kind', spec: { resourceSelectors: [{ name: 'x' }] }, want: ['spec.resourceSelectors[0].apiVersion: Required value', 'spec.resourceSelectors[0].kind: Required value'] },
    { name: 'deprecated overriders are validated too', spec: { overriders: { plaintext: [{ path: '/a', operator: 'bogus' }] } }, want: ['spec.overriders.plaintext[0].operator: Unsupported value: "bogus": supported values: "add", "remove", "replace"'] },
  ];
  for (const c of bad) test(c.name, () => assert.deepEqual(show(validateOverridePolicy(policy(c.spec))), c.want));

  test('the API server turns the errors into a 422 naming the field and the reason', () => {
    const policyObj = policy(rule({ plaintext: [{ path: 'nope', operator: 'add', value: 1 }] }));
    const err = errors.invalid('OverridePolicy', 'policy.karmada.io', 'p', validateOverridePolicy(policyObj));
    assert.equal(err.code, 422);
    assert.equal(err.status.message, 'OverridePolicy.policy.karmada.io "p" is invalid: spec.overrideRules[0].overriders.plaintext[0].path: Invalid value: "nope": JSON pointer must be empty or start with a "/"');
  });
});

describe('defaultOverridePolicy', () => {
  test('fills the policy namespace into selectors without one', () => {
    const p = policy({ resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'v1', kind: 'Secret', namespace: 'web' }] });
    assert.deepEqual((defaultOverridePolicy(p).spec as any).resourceSelectors.map((r: any) => r.namespace), ['web', 'web']);
    assert.equal((p.spec as any).resourceSelectors[0].namespace, undefined, 'input untouched');
  });
  test('leaves ClusterOverridePolicies alone', () => {
    const c: KubeObject = { kind: 'ClusterOverridePolicy', metadata: { name: 'c' }, spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }] } };
    assert.equal(defaultOverridePolicy(c), c);
  });
});
