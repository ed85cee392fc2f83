// CertificateSigningRequests end to end: the requester is recorded, approval needs RBAC's approve
// on the signer, the control plane's CA signs approved client requests, and the certificate it
// issues authenticates with kubectl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { buildKubeconfig } from '../../src/apiserver/auth/kubeconfig.js';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import type { RawClient } from '../support/http.js';
import { eventually, Kubectl } from '../support/kubectl.js';

let ts: TestServer;
let http: RawClient;
const csrs = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

before(async () => {
  ts = await startTestServer({ tokens: ['alice-token,alice,1001'] });
  http = ts.http;
});

after(() => ts?.stop());

async function request(subject: string): Promise<{ pem: string; keyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys, signingAlgorithm: alg });
  const keyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { pem: csr.toString('pem'), keyPem };
}

const csr = (name: string, pem: string, usages = ['client auth', 'digital signature'], signerName = 'kubernetes.io/kube-apiserver-client') => ({
  apiVersion: 'certificates.k8s.io/v1',
  kind: 'CertificateSigningRequest',
  metadata: { name },
  spec: { request: Buffer.from(pem).toString('base64'), signerName, usages, expirationSeconds: 3600, username: 'forged' },
});

const approve = async (name: string, auth?: { token: string }) => {
  const cur = (await http.call(`${csrs}/${name}`)).json();
  cur.status = { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'approved by the test' }] };
  return http.call(`${csrs}/${name}/approval`, { method: 'PUT', body: JSON.stringify(cur), ...(auth ? { auth } : {}) });
};

test('an approved client CSR is signed by the CA and its certificate authenticates', async () => {
  const { pem, keyPem } = await request('CN=dave, O=dev');
  const created = await http.call(csrs, { method: 'POST', body: JSON.stringify(csr('dave', pem)) });
  assert.equal(created.status, 201, created.body);
  assert.equal(created.json().spec.username, 'kubernetes-admin');
  assert.deepEqual(created.json().spec.groups, ['system:masters', 'system:authenticated']);
  assert.match(await ts.kubectl.ok(['get', 'csr']), /^dave\s/m);

  const refused = await approve('dave', { token: 'alice-token' });
  assert.equal(refused.status, 403);
  assert.match(refused.json().message, /User "alice" cannot update resource "certificatesigningrequests\/approval" in API group "certificates.k8s.io" at the cluster scope/);

  const approved = await approve('dave');
  assert.equal(approved.status, 200, approved.body);
  const signed = await eventually(async () => (await http.call(`${csrs}/dave`)).json().status.certificate as string | undefined, 'certificate issued');
  const certPem = Buffer.from(signed!, 'base64').toString('utf8');
  const cert = new x509.X509Certificate(certPem);
  assert.equal(cert.subject, 'CN=dave, O=dev');
  assert.ok(cert.notAfter.getTime() - Date.now() <= 3600_000 + 60_000);

  const dave = new Kubectl(buildKubeconfig([{ name: 'dave', server: ts.server.url, caPem: ts.server.caPem, user: { clientCertPem: certPem, clientKeyPem: keyPem } }]));
  try {
    const r = await dave.run(['get', 'pods']);
    assert.match(r.stderr, /pods is forbidden: User "dave" cannot list resource "pods" in API group "" in the namespace "default"/);
  } finally {
    dave.cleanup();
  }
});

test('a client signer refuses server usages with a Failed condition; a denied CSR cannot also be approved', async () => {
  const { pem } = await request('CN=web');
  assert.equal((await http.call(csrs, { method: 'POST', body: JSON.stringify(csr('serving', pem, ['server auth', 'digital signature'])) })).status, 201);
  assert.equal((await approve('serving')).status, 200);
  const failed = await eventually(async () => ((await http.call(`${csrs}/serving`)).json().status.conditions ?? []).find((c: any) => c.type === 'Failed'), 'Failed condition');
  assert.equal(failed.message, 'invalid usage for client certificate: server auth');

  assert.equal((await http.call(csrs, { method: 'POST', body: JSON.stringify(csr('denied', pem)) })).status, 201);
  const cur = (await http.call(`${csrs}/denied`)).json();
  cur.status = { conditions: [{ type: 'Denied', status: 'True', reason: 'Test' }] };
  assert.equal((await http.call(`${csrs}/denied/approval`, { method: 'PUT', body: JSON.stringify(cur) })).status, 200);
  cur.status.conditions.push({ type: 'Approved', status: 'True' });
  const both = await http.call(`${csrs}/denied/approval`, { method: 'PUT', body: JSON.stringify({ ...cur, metadata: { name: 'denied' } }) });
  assert.equal(both.status, 422);
  assert.match(both.json().message, /Approved and Denied conditions are mutually exclusive/);
});

test('bad requests are refused with the field at fault', async () => {
  const noSigner = await http.call(csrs, { method: 'POST', body: JSON.stringify({ ...csr('x', 'junk'), spec: { request: Buffer.from('junk').toString('base64'), usages: ['client auth'] } }) });
  assert.equal(noSigner.status, 422);
  assert.match(noSigner.json().message, /spec.request: Invalid value: .*PEM block type must be CERTIFICATE REQUEST/);
  assert.match(noSigner.json().message, /spec.signerName: Required value/);
});

test('kubectl certificate approve', async () => {
  const { pem } = await request('CN=erin');
  assert.equal((await http.call(csrs, { method: 'POST', body: JSON.stringify(csr('erin', pem)) })).status, 201);
  const r = await ts.kubectl.run(['certificate', 'approve', 'erin']);
  assert.equal(r.code, 0, r.stderr);
  await eventually(async () => !!(await http.call(`${csrs}/erin`)).json().status.certificate, 'erin signed');
});
