import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentCsrPermission, type CsrFacts } from './recognize.js';

test('agentCsrPermission', async (t) => {
  const base: CsrFacts = { signerName: 'kubernetes.io/kube-apiserver-client', usages: ['digital signature', 'client auth'], username: 'system:bootstrap:abcdef', commonName: 'system:karmada:agent:m1', organizations: ['system:karmada:agents'] };
  const cases: [string, Partial<CsrFacts>, string | undefined][] = [
    ['a bootstrap token asking for an agent certificate', {}, 'agentclient'],
    ['an agent renewing its own certificate', { username: 'system:karmada:agent:m1' }, 'selfagentclient'],
    ['another signer', { signerName: 'kubernetes.io/kube-apiserver-client-kubelet' }, undefined],
    ['another organization', { organizations: ['system:masters'] }, undefined],
    ['two organizations', { organizations: ['system:karmada:agents', 'system:masters'] }, undefined],
    ['a name outside the agent prefix', { commonName: 'admin' }, undefined],
    ['server auth usage', { usages: ['client auth', 'server auth'] }, undefined],
    ['no client auth', { usages: ['digital signature'] }, undefined],
  ];
  for (const [name, change, want] of cases) await t.test(name, () => assert.equal(agentCsrPermission({ ...base, ...change }), want));
});
