import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { csrState, prepareForCreate, signerRefusal, validateApproval, validateSpec } from './csr.js';

describe('validateSpec', () => {
  const ok = { request: 'cmVx', signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] };
  const cases: { name: string; spec: any; unreadable?: string; want: string[] }[] = [
    { name: 'complete', spec: ok, want: [] },
    { name: 'nothing', spec: {}, want: ['spec.request', 'spec.signerName', 'spec.usages'] },
    { name: 'unreadable request', spec: ok, unreadable: 'PEM block type must be CERTIFICATE REQUEST', want: ['spec.request'] },
    { name: 'legacy signer', spec: { ...ok, signerName: 'kubernetes.io/legacy-unknown' }, want: ['spec.signerName'] },
    { name: 'signer without a path', spec: { ...ok, signerName: 'example.com' }, want: ['spec.signerName'] },
    { name: 'five minutes', spec: { ...ok, expirationSeconds: 300 }, want: ['spec.expirationSeconds'] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(validateSpec(c.spec, c.unreadable).map((e) => e.field), c.want));
});

describe('validateApproval', () => {
  const approved = { type: 'Approved', status: 'True' };
  const denied = { type: 'Denied', status: 'True' };
  const cases: { name: string; next: any[]; old: any[]; want: RegExp | null }[] = [
    { name: 'approve', next: [approved], old: [], want: null },
    { name: 'approved and denied', next: [approved, denied], old: [], want: /mutually exclusive/ },
    { name: 'approved False', next: [{ type: 'Approved', status: 'False' }], old: [], want: /"supported":\["True"\]/ },
    { name: 'approval removed', next: [], old: [approved], want: /may not remove a condition of type ..Approved/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const errs = validateApproval(c.next, c.old);
      if (!c.want) assert.deepEqual(errs, []);
      else assert.match(JSON.stringify(errs), c.want);
    });
  }
});

describe('signerRefusal', () => {
  const subject = (cn: string, o: string[] = []) => ({ commonName: cn, organizations: o });
  const cases: { name: string; signer: string; usages: string[]; s: ReturnType<typeof subject>; want?: RegExp }[] = [
    { name: 'a client certificate', signer: 'kubernetes.io/kube-apiserver-client', usages: ['client auth', 'digital signature'], s: subject('dave') },
    { name: 'server auth from a client signer', signer: 'kubernetes.io/kube-apiserver-client', usages: ['server auth'], s: subject('x'), want: /invalid usage for client certificate: server auth/ },
    { name: 'without client auth', signer: 'kubernetes.io/kube-apiserver-client', usages: ['digital signature'], s: subject('x'), want: /missing required usage/ },
    { name: 'a kubelet client', signer: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['client auth'], s: subject('system:node:n1', ['system:nodes']) },
    { name: 'a kubelet client not named system:node:', signer: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['client auth'], s: subject('n1', ['system:nodes']), want: /system:node:/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = signerRefusal(c.signer, c.usages, c.s);
      if (c.want) assert.match(r ?? '', c.want);
      else assert.equal(r, undefined);
    });
  }
});

test('create records the requester over what the body claims; state follows the conditions', () => {
  const csr: any = { metadata: { name: 'x' }, spec: { username: 'forged', groups: ['system:masters'] }, status: { certificate: 'Zm9v' } };
  prepareForCreate(csr, { name: 'alice', groups: ['system:authenticated'] });
  assert.deepEqual(csr.spec, { username: 'alice', groups: ['system:authenticated'] });
  assert.deepEqual(csr.status, {});
  assert.equal(csrState(csr), 'pending');
  csr.status.conditions = [{ type: 'Approved', status: 'True' }];
  assert.equal(csrState(csr), 'approved');
  csr.status.certificate = 'Zm9v';
  assert.equal(csrState(csr), 'issued');
  csr.status.conditions.push({ type: 'Failed', status: 'True' });
  assert.equal(csrState(csr), 'failed');
});
