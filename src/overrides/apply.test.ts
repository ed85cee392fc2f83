import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterOverridePolicy, OverridePolicy, OverrideSpec } from '../apis/karmada/override.js';
import type { ClusterAffinity } from '../apis/karmada/placement.js';
import type { Cluster } from '../apis/karmada/cluster.js';
import type { KubeObject } from '../apimachinery/types.js';
import { applyOverrides, describeFailure, policyAffectsResource, type ApplyOverridesResult } from './apply.js';
import { appliedOverridesAnnotations } from './applied.js';
import { clusterMatches } from '../apis/karmada/clusteraffinity.js';

// A simple stand-in for the scheduler's ClusterAffinity matcher: names, exclude and matchLabels.
function matchesCluster(cluster: Cluster, a: ClusterAffinity): boolean {
  const name = cluster.metadata.name;
  if (a.exclude?.includes(name)) return false;
  if (a.clusterNames?.length && !a.clusterNames.includes(name)) return false;
  for (const [k, v] of Object.entries(a.labelSelector?.matchLabels ?? {})) if (cluster.metadata.labels?.[k] !== v) return false;
  return true;
}

const member = (name: string, labels: Record<string, string> = {}): Cluster => ({ metadata: { name, labels }, spec: { syncMode: 'Push' } });
const m1 = member('member1', { region: 'eu' });
const m2 = member('member2', { region: 'us' });

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', namespace: 'web', labels: { app: 'nginx' } },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
});

const op = (name: string, spec: OverrideSpec, namespace = 'web'): OverridePolicy => ({ apiVersion: 'policy.karmada.io/v1alpha1', kind: 'OverridePolicy', metadata: { name, namespace }, spec });
const cop = (name: string, spec: OverrideSpec): ClusterOverridePolicy => ({ apiVersion: 'policy.karmada.io/v1alpha1', kind: 'ClusterOverridePolicy', metadata: { name }, spec });
const setLabel = (key: string, value: string): OverrideSpec => ({ overrideRules: [{ overriders: { labelsOverrider: [{ operator: 'add', value: { [key]: value } }] } }] });
const byName = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' };
const byLabel = { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'nginx' } } };
const byKind = { apiVersion: 'apps/v1', kind: 'Deployment' };

function render(opts: { manifest?: KubeObject; cluster?: Cluster; cops?: ClusterOverridePolicy[]; ops?: OverridePolicy[] }): ApplyOverridesResult {
  return applyOverrides({ manifest: opts.manifest ?? deployment(), cluster: opts.cluster ?? m1, clusterOverridePolicies: opts.cops ?? [], overridePolicies: opts.ops ?? [], matchesCluster });
}
const names = (r: ApplyOverridesResult['appliedOverrides']) => r.map((i) => i.policyName);

describe('applyOverrides: ordering', () => {
  const cases: { name: string; cops?: ClusterOverridePolicy[]; ops?: OverridePolicy[]; wantEnv: string }[] = [
    { name: 'ClusterOverridePolicies apply before OverridePolicies (the namespaced one wins)', cops: [cop('zzz', setLabel('env', 'cop'))], ops: [op('aaa', setLabel('env', 'op'))], wantEnv: 'op' },
    { name: 'a name selector applies after a kind-only selector', ops: [op('a', { ...setLabel('env', 'by-name'), resourceSelectors: [byName] }), op('z', { ...setLabel('env', 'by-kind'), resourceSelectors: [byKind] })], wantEnv: 'by-name' },
    { name: 'a label selector applies after a kind-only selector and before a name', ops: [op('a', { ...setLabel('env', 'by-label'), resourceSelectors: [byLabel] }), op('b', { ...setLabel('env', 'all') })], wantEnv: 'by-label' },
    { name: 'equal priority: ascending names, the last name wins', ops: [op('b', setLabel('env', 'b')), op('a', setLabel('env', 'a'))], wantEnv: 'b' },
    { name: 'cluster policies ordered the same way among themselves', cops: [cop('a', { ...setLabel('env', 'name'), resourceSelectors: [byName] }), cop('b', { ...setLabel('env', 'kind'), resourceSelectors: [byKind] })], wantEnv: 'name' },
    { name: 'rules of one policy apply in order', ops: [op('p', { overrideRules: [setLabel('env', 'first').overrideRules![0], setLabel('env', 'second').overrideRules![0]] })], wantEnv: 'second' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(render({ cops: c.cops, ops: c.ops }).manifest.metadata.labels?.env, c.wantEnv));

  test('within one rule: image, command, args, labels, annotations, field, plaintext', () => {
    const r = render({
      ops: [
        op('p', {
          overrideRules: [
            {
              overriders: {
                // listed in reverse of the application order on purpose
                plaintext: [
                  { path: '/spec/template/spec/containers/0/image', operator: 'replace', value: 'plain:1' },
                  { path: '/metadata/labels/env', operator: 'replace', value: 'plaintext' },
                  { path: '/spec/template/spec/containers/0/command', operator: 'add', value: ['from-plaintext'] },
                ],
                labelsOverrider: [{ operator: 'add', value: { env: 'labels' } }],
                commandOverrider: [{ containerName: 'nginx', operator: 'add', value: ['from-command'] }],
                imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'mirror.io' }],
              },
            },
          ],
        }),
      ],
    });
    const c = (r.manifest.spec as any).template.spec.containers[0];
    assert.equal(c.image, 'plain:1', 'plaintext after image');
    assert.deepEqual(c.command, ['from-plaintext'], 'plaintext after command');
    assert.equal(r.manifest.metadata.labels?.env, 'plaintext', 'plaintext after labels');
    assert.deepEqual(r.failures, []);
  });

  test('field overrider sees annotations set earlier in the same rule', () => {
    const r = render({
      ops: [op('p', { overrideRules: [{ overriders: { annotationsOverrider: [{ operator: 'add', value: { cfg: '{"a":1}' } }], fieldOverrider: [{ fieldPath: '/metadata/annotations/cfg', json: [{ subPath: '/a', operator: 'replace', value: 2 }] }] } }] })],
    });
    assert.equal(r.manifest.metadata.annotations?.cfg, '{"a":2}');
  });
});

describe('applyOverrides: selection', () => {
  test('targetCluster picks rules per cluster; a rule without targetCluster applies everywhere', () => {
    const p = op('p', {
      overrideRules: [
        { targetCluster: { clusterNames: ['member1'] }, overriders: { labelsOverrider: [{ operator: 'add', value: { only: 'm1' } }] } },
        { targetCluster: { labelSelector: { matchLabels: { region: 'us' } } }, overriders: { labelsOverrider: [{ operator: 'add', value: { only: 'us' } }] } },
        { overriders: { labelsOverrider: [{ operator: 'add', value: { all: 'yes' } }] } },
      ],
    });
    const r1 = render({ ops: [p], cluster: m1 });
    const r2 = render({ ops: [p], cluster: m2 });
    assert.deepEqual(r1.manifest.metadata.labels, { app: 'nginx', only: 'm1', all: 'yes' });
    assert.deepEqual(r2.manifest.metadata.labels, { app: 'nginx', only: 'us', all: 'yes' });
    assert.deepEqual(names(r1.appliedOverrides), ['p', 'p'], 'one record per applied rule');
  });

  test("works with the scheduler's full ClusterAffinity matcher (field selector, exclude)", () => {
    const eu: Cluster = { metadata: { name: 'eu1' }, spec: { syncMode: 'Push', region: 'eu-west' } };
    const us: Cluster = { metadata: { name: 'us1' }, spec: { syncMode: 'Push', region: 'us-east' } };
    const p = op('p', { overrideRules: [{ targetCluster: { fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['eu-west'] }] }, exclude: ['eu2'] }, overriders: { labelsOverrider: [{ operator: 'add', value: { gdpr: 'true' } }] } }] });
    const run = (cluster: Cluster) => applyOverrides({ manifest: deployment(), cluster, clusterOverridePolicies: [], overridePolicies: [p], matchesCluster: clusterMatches });
    assert.equal(run(eu).manifest.metadata.labels?.gdpr, 'true');
    assert.equal(run(us).manifest.metadata.labels?.gdpr, undefined);
  });

  test('deprecated top-level targetCluster and overriders', () => {
    const p = op('legacy', { targetCluster: { clusterNames: ['member2'] }, overriders: { plaintext: [{ path: '/spec/replicas', operator: 'replace', value: 1 }] } });
    assert.equal((render({ ops: [p], cluster: m1 }).manifest.spec as any).replicas, 3);
    const r = render({ ops: [p], cluster: m2 });
    assert.equal((r.manifest.spec as any).replicas, 1);
    assert.deepEqual(r.appliedOverrides, [{ policyName: 'legacy', overriders: p.spec.overriders }]);
  });

  test('OverridePolicies of other namespaces and non-matching selectors are ignored', () => {
    const r = render({ ops: [op('other-ns', setLabel('x', '1'), 'other'), op('svc', { ...setLabel('y', '1'), resourceSelectors: [{ apiVersion: 'v1', kind: 'Service' }] })] });
    assert.deepEqual(r.manifest.metadata.labels, { app: 'nginx' });
    assert.deepEqual(r.appliedOverrides, []);
  });

  test('a cluster-scoped resource gets ClusterOverridePolicies only', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } };
    const r = render({ manifest: ns, cops: [cop('c', setLabel('c', '1'))], ops: [op('o', setLabel('o', '1'))] });
    assert.deepEqual(r.manifest.metadata.labels, { c: '1' });
    assert.deepEqual(names(r.appliedClusterOverrides), ['c']);
    assert.deepEqual(r.appliedOverrides, []);
  });

  test('applied records are split by policy kind and become the Work annotations', () => {
    const r = render({ cops: [cop('c', setLabel('c', '1'))], ops: [op('o2', setLabel('o', '2')), op('o1', { ...setLabel('o', '1'), resourceSelectors: [byName] })] });
    assert.deepEqual(names(r.appliedClusterOverrides), ['c']);
    assert.deepEqual(names(r.appliedOverrides), ['o2', 'o1'], 'in application order');
    assert.deepEqual(appliedOverridesAnnotations(r), {
      'policy.karmada.io/applied-cluster-overrides': '[{"policyName":"c","overriders":{"labelsOverrider":[{"operator":"add","value":{"c":"1"}}]}}]',
      'policy.karmada.io/applied-overrides': '[{"policyName":"o1","overriders":{"labelsOverrider":[{"operator":"add","value":{"o":"1"}}]}},{"policyName":"o2","overriders":{"labelsOverrider":[{"operator":"add","value":{"o":"2"}}]}}]',
    });
  });

  test('the input manifest is never changed, and rendering without a deleted policy gives the template back', () => {
    const template = deployment();
    const withPolicy = render({ manifest: template, ops: [op('p', setLabel('env', 'x'))] });
    assert.equal(withPolicy.manifest.metadata.labels?.env, 'x');
    assert.deepEqual(template, deployment());
    assert.deepEqual(render({ manifest: template, ops: [] }).manifest, deployment());
  });
});

describe('applyOverrides: failures are reported, never thrown', () => {
  test('a failing rule is reported with its field and leaves the manifest as before that rule', () => {
    const r = render({
      ops: [
        op('a-good', setLabel('good', '1')),
        op('b-bad', {
          overrideRules: [
            { overriders: { labelsOverrider: [{ operator: 'add', value: { partial: 'should-not-stay' } }], plaintext: [{ path: '/spec/nope/x', operator: 'replace', value: 1 }] } },
            { overriders: { labelsOverrider: [{ operator: 'add', value: { second: 'rule' } }] } },
          ],
        }),
      ],
    });
    assert.deepEqual(r.manifest.metadata.labels, { app: 'nginx', good: '1', second: 'rule' });
    assert.deepEqual(names(r.appliedOverrides), ['a-good', 'b-bad']);
    assert.equal(r.failures.length, 1);
    const f = r.failures[0];
    assert.deepEqual({ kind: f.kind, policy: f.policy, namespace: f.namespace, rule: f.rule, field: f.field }, { kind: 'OverridePolicy', policy: 'b-bad', namespace: 'web', rule: 0, field: 'spec.overrideRules[0].overriders.plaintext' });
    assert.match(f.message, /replace operation does not apply at "\/spec\/nope\/x"/);
    assert.match(describeFailure(f, 'member1'), /^Apply override policy\(web\/b-bad\) for cluster\(member1\) failed at spec.overrideRules\[0\]\.overriders\.plaintext: /);
  });

  const broken: { name: string; cop: ClusterOverridePolicy; field: RegExp }[] = [
    { name: 'an image that cannot be parsed', cop: cop('c', { overrideRules: [{ overriders: { imageOverrider: [{ component: 'Tag', operator: 'replace', value: 'v1', predicate: { path: '/metadata/name' } }, { component: 'Tag', operator: 'replace', value: 'v1', predicate: { path: '/spec/replicas' } }] } }] }), field: /imageOverrider\[1\]/ },
    { name: 'a field overrider on a missing field (legacy form)', cop: cop('c', { overriders: { fieldOverrider: [{ fieldPath: '/data/x', json: [{ subPath: '/a', operator: 'add', value: 1 }] }] } }), field: /^spec\.overriders\.fieldOverrider\[0\]$/ },
    { name: 'a policy with no spec and garbage overriders', cop: { metadata: { name: 'c' }, spec: { overrideRules: [{ overriders: { plaintext: 'nope' as never, labelsOverrider: [{ operator: 'add', value: 7 as never }] } }] } }, field: /labelsOverrider/ },
  ];
  for (const b of broken) {
    test(`reports ${b.name}`, () => {
      const r = render({ cops: [b.cop] });
      assert.equal(r.failures.length, 1, JSON.stringify(r.failures));
      assert.match(r.failures[0].field, b.field);
      assert.equal(r.failures[0].kind, 'ClusterOverridePolicy');
      assert.deepEqual(r.appliedClusterOverrides, []);
    });
  }

  test('a matcher that throws is reported', () => {
    const r = applyOverrides({
      manifest: deployment(),
      cluster: m1,
      clusterOverridePolicies: [cop('c', { overrideRules: [{ targetCluster: { clusterNames: ['x'] }, overriders: {} }] })],
      overridePolicies: [],
      matchesCluster: () => {
        throw new Error('boom');
      },
    });
    assert.deepEqual(r.failures.map((f) => [f.field, f.message]), [['spec.overrideRules[0].targetCluster', 'cannot match the cluster: boom']]);
  });
});

describe('policyAffectsResource', () => {
  const cases: { name: string; policy: OverridePolicy | ClusterOverridePolicy; want: boolean }[] = [
    { name: 'OverridePolicy in the same namespace without selectors', policy: op('p', {}), want: true },
    { name: 'OverridePolicy in another namespace', policy: op('p', {}, 'other'), want: false },
    { name: 'ClusterOverridePolicy selecting the kind', policy: cop('c', { resourceSelectors: [byKind] }), want: true },
    { name: 'ClusterOverridePolicy selecting another name', policy: cop('c', { resourceSelectors: [{ ...byName, name: 'redis' }] }), want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(policyAffectsResource(c.policy, deployment()), c.want));
});
