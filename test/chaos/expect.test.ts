// The chaos run's verdict (bench/support/chaos/expect.ts): what counts as converged, case by case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convergenceProblems, templateBody, versionOf, type Observed, type PolicyAck, type TemplateAck } from '../../bench/support/chaos/expect.js';

const dep: TemplateAck = { kind: 'Deployment', name: 'd', group: 'g', present: true, version: 2 };
const gone: TemplateAck = { kind: 'ConfigMap', name: 'c', group: 'g', present: false, version: 0 };
const policy: PolicyAck = { group: 'g', present: true, clusters: ['m1'] };
const converged: Observed = {
  templates: [{ kind: 'Deployment', name: 'd', version: 2 }],
  bindings: [{ name: 'd-deployment', resource: { kind: 'Deployment', name: 'd' } }],
  works: [{ cluster: 'm1', name: 'w1', resource: { kind: 'Deployment', name: 'd' } }],
  members: { m1: [{ kind: 'Deployment', name: 'd', version: 2 }], m2: [] },
};

test('convergenceProblems: each way of differing from the acknowledged writes is named', () => {
  const cases: Array<[string, Partial<Observed>, RegExp | undefined]> = [
    ['converged', {}, undefined],
    ['a lost acknowledged write', { templates: [] }, /Deployment\/d: acknowledged at v2 but missing from the control plane/],
    ['an older spec in the control plane', { templates: [{ kind: 'Deployment', name: 'd', version: 1 }] }, /control plane holds v1, last acknowledged v2/],
    ['a deleted template back', { templates: [...converged.templates, { kind: 'ConfigMap', name: 'c', version: 0 }] }, /ConfigMap\/c: deletion acknowledged but still in the control plane/],
    ['a never acknowledged template', { templates: [...converged.templates, { kind: 'ConfigMap', name: 'x', version: 0 }] }, /ConfigMap\/x: in the control plane but never acknowledged/],
    ['two bindings', { bindings: [...converged.bindings, { name: 'dup', resource: { kind: 'Deployment', name: 'd' } }] }, /2 ResourceBindings/],
    ['a leftover binding', { bindings: [...converged.bindings, { name: 'c-configmap', resource: { kind: 'ConfigMap', name: 'c' } }] }, /ConfigMap\/c: deleted but its ResourceBinding remains/],
    ['a Work in a member the policy left', { works: [...converged.works, { cluster: 'm2', name: 'w2', resource: { kind: 'Deployment', name: 'd' } }] }, /orphaned Work in m2/],
    ['two Works in one member', { works: [...converged.works, { cluster: 'm1', name: 'w3', resource: { kind: 'Deployment', name: 'd' } }] }, /m1:Deployment\/d: 2 Works/],
    ['missing from a member', { members: { m1: [], m2: [] } }, /Deployment\/d: missing from m1/],
    ['an orphan in a member', { members: { ...converged.members, m2: [{ kind: 'Deployment', name: 'd', version: 2 }] } }, /Deployment\/d: orphaned in m2/],
    ['an old spec in a member', { members: { ...converged.members, m1: [{ kind: 'Deployment', name: 'd', version: 1 }] } }, /m1 holds v1, last acknowledged v2/],
  ];
  for (const [what, change, want] of cases) {
    const problems = convergenceProblems([dep, gone], [policy], { ...converged, ...change });
    if (!want) assert.deepEqual(problems, [], what);
    else assert.ok(problems.some((p) => want.test(p)), `${what}: ${JSON.stringify(problems)}`);
  }
});

test('versionOf reads back what templateBody wrote, and refuses a half-applied spec', () => {
  for (const v of [0, 1, 2, 7]) {
    assert.equal(versionOf(templateBody('Deployment', 'd', 'g', v) as Parameters<typeof versionOf>[0]), v);
    assert.equal(versionOf(templateBody('ConfigMap', 'c', 'g', v) as Parameters<typeof versionOf>[0]), v);
  }
  const half = templateBody('Deployment', 'd', 'g', 4) as { spec: { replicas: number } };
  half.spec.replicas = 1; // v4 has 2 replicas
  assert.equal(versionOf(half as Parameters<typeof versionOf>[0]), undefined);
});
