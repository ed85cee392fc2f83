// When the agent's certificate is due (table), and a rotation against a real API server: an agent
// whose certificate has 10 of its 70 minutes left gets a new one through a CSR the agentcsrapproving
// controller approves, uses it, and stores it in its kubeconfig file and the member's Secret.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSignedCert } from '../apiserver/auth/certs.js';
import { buildKubeconfig } from '../apiserver/auth/kubeconfig.js';
import { startControllerManager, type ControllerManagerHandle } from '../controllermanager/index.js';
import { KubeClient } from '../runtime/client.js';
import { loadClient } from '../runtime/load-client.js';
import { startTestServer, type TestServer } from '../../test/support/apiserver.js';
import { installKarmadaAPIs } from '../controlplane/install-crds.js';
import { pullModeBootstrapObjects } from './bootstrap.js';
import { AgentKubeconfigSecretKey, AgentKubeconfigSecretName } from '../apis/karmada/wellknown.js';
import { certificateFacts, rotateIfDue, rotationDue } from './cert-rotation.js';
import { ensureAgentRbac } from './rbac-apply.js';
import { AgentGroup, agentUserName } from './rbac.js';

test('rotationDue: at or below the remaining share of the lifetime', () => {
  const hour = 3600_000;
  const cases: { name: string; notBefore: number; notAfter: number; now: number; threshold: number; want: boolean }[] = [
    { name: 'fresh', notBefore: 0, notAfter: 10 * hour, now: hour, threshold: 0.2, want: false },
    { name: 'just above the threshold', notBefore: 0, notAfter: 10 * hour, now: 7.9 * hour, threshold: 0.2, want: false },
    { name: 'exactly at it (Karmada rotates at <=)', notBefore: 0, notAfter: 10 * hour, now: 8 * hour, threshold: 0.2, want: true },
    { name: 'nearly expired', notBefore: 0, notAfter: 10 * hour, now: 9.9 * hour, threshold: 0.2, want: true },
    { name: 'already expired', notBefore: 0, notAfter: 10 * hour, now: 11 * hour, threshold: 0.2, want: true },
    { name: 'a higher threshold renews sooner', notBefore: 0, notAfter: 10 * hour, now: 5 * hour, threshold: 0.6, want: true },
    { name: 'no lifetime at all', notBefore: 5, notAfter: 5, now: 0, threshold: 0.2, want: true },
  ];
  for (const c of cases) assert.equal(rotationDue({ notBefore: c.notBefore, notAfter: c.notAfter }, c.now, c.threshold), c.want, c.name);
});

let cp: TestServer;
let member: TestServer;
let cm: ControllerManagerHandle;
let dir: string;

before(async () => {
  cp = await startTestServer();
  await installKarmadaAPIs(cp.server); // the controller manager watches Karmada's interpreter customizations
  member = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'cert-rotation-'));
  const admin = KubeClient.fromKubeconfig(cp.server.adminKubeconfig());
  for (const o of pullModeBootstrapObjects()) await admin.create(o).catch(() => {});
  await ensureAgentRbac(admin, 'm1');
  cm = await startControllerManager({ kubeconfig: cp.server.adminKubeconfig(), controllers: ['agentcsrapproving'] });
});

after(async () => {
  await cm?.stop();
  await cp?.stop();
  await member?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a short-lived agent certificate is renewed through an auto-approved CSR, used, and stored', { timeout: 60_000 }, async () => {
  const ca = { certPem: readFileSync(join(cp.dataDir, 'pki', 'ca.crt'), 'utf8'), keyPem: readFileSync(join(cp.dataDir, 'pki', 'ca.key'), 'utf8') };
  // valid from an hour ago (the issuer's skew allowance) to 10 minutes from now: 1/7 of its life left
  const old = await createSignedCert(ca, { commonName: agentUserName('m1'), organizations: [AgentGroup], usage: 'client', validityDays: 10 / 1440 });
  const oldKubeconfig = buildKubeconfig([{ name: 'karmada-apiserver', server: cp.server.url, caPem: ca.certPem, user: { clientCertPem: old.certPem, clientKeyPem: old.keyPem } }]);
  const file = join(dir, 'karmada.config');
  writeFileSync(file, oldKubeconfig);
  const memberClient = KubeClient.fromKubeconfig(member.server.adminKubeconfig());
  await memberClient.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'karmada-system' } });
  await memberClient.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: AgentKubeconfigSecretName, namespace: 'karmada-system' }, stringData: { [AgentKubeconfigSecretKey]: oldKubeconfig } });

  const agent = loadClient(file);
  const log = { info: () => {}, warn: (_o: object, m: string) => assert.fail(m) };
  const opts = { cluster: 'm1', member: memberClient, kubeconfigPath: file, log, issueTimeoutMs: 20_000 };
  const oldFacts = certificateFacts(old.certPem);
  const notAfter = await rotateIfDue(agent, opts);
  assert.ok(notAfter, 'rotated');
  assert.ok(notAfter.getTime() > oldFacts.notAfter + 50 * 60_000, `the new certificate lives as long as the old one did (until ${notAfter.toISOString()})`);

  // the CSR the agent made was approved by the controller as an agent renewing itself
  const admin = KubeClient.fromKubeconfig(cp.server.adminKubeconfig());
  const csrs = (await admin.list({ group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' })).items;
  const mine = csrs.filter((c) => (c.spec as { username?: string }).username === agentUserName('m1'));
  assert.equal(mine.length, 1);
  assert.match(mine[0]!.metadata.name!, /^m1-[0-9a-f]{5}$/);
  assert.deepEqual(((mine[0]!.status as { conditions: { type: string; reason: string }[] }).conditions ?? []).map((c) => [c.type, c.reason]), [['Approved', 'AutoApproved']]);

  // the client now presents the new certificate, issued by the control plane's CA for the same identity
  const newPem = Buffer.from(agent.kubeConfig.getCurrentUser()!.certData!, 'base64').toString('utf8');
  assert.notEqual(newPem, old.certPem);
  assert.ok(new X509Certificate(newPem).verify(new X509Certificate(ca.certPem).publicKey), 'signed by the CA');
  assert.deepEqual([certificateFacts(newPem).commonName, certificateFacts(newPem).organizations], [agentUserName('m1'), [AgentGroup]]);
  const review = await agent.create({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} });
  assert.equal((review.status as { userInfo: { username: string } }).userInfo.username, agentUserName('m1'), 'the API server accepts the new certificate');

  // stored where the old one was: the file and the member's Secret
  for (const [where, text] of [
    ['the kubeconfig file', readFileSync(file, 'utf8')],
    ['the member Secret', Buffer.from(((await memberClient.get({ group: '', version: 'v1', resource: 'secrets' }, AgentKubeconfigSecretName, { namespace: 'karmada-system' })).data as Record<string, string>)[AgentKubeconfigSecretKey]!, 'base64').toString('utf8')],
  ] as const) {
    const stored = KubeClient.fromKubeconfig(text).kubeConfig.getCurrentUser()!;
    assert.equal(Buffer.from(stored.certData!, 'base64').toString('utf8'), newPem, where);
  }

  // a fresh certificate is not due: the next checkpoint does nothing
  assert.equal(await rotateIfDue(agent, opts), undefined);
});
