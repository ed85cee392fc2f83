// Pull mode end to end: karmada-agent beside a simulated member, with its own certificate identity
// (system:karmada:agent:<cluster>) and the RBAC `karmadactl register` gives it. It registers the
// Cluster in Pull mode, keeps it Ready through its Lease, applies the Works of its execution space
// and reports their status; the controller manager's Push-mode controllers leave it alone; its
// identity gets 403 outside what it owns; a stopped agent turns the cluster Ready=Unknown.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensurePki, createSignedCert } from '../../src/apiserver/auth/certs.js';
import { buildKubeconfig } from '../../src/apiserver/auth/kubeconfig.js';
import { startAgent, type AgentHandle } from '../../src/agent/index.js';
import { ensureAgentRbac } from '../../src/agent/rbac-apply.js';
import { AgentGroup, agentUserName } from '../../src/agent/rbac.js';
import { startControllerManager, type ControllerManagerHandle } from '../../src/controllermanager/index.js';
import { register as registerClusterController } from '../../src/controllers/cluster/index.js';
import { startSimulatedMember, startTestbed, type TestMember, type Testbed } from '../support/karmada.js';
import { eventually, Kubectl } from '../support/kubectl.js';

let bed: Testbed;
let member: TestMember;
let cm: ControllerManagerHandle;
let agent: AgentHandle | undefined;
let agentKubeconfig: string;
let asAgent: Kubectl;

const startPullAgent = () => startAgent({ karmadaKubeconfig: agentKubeconfig, memberKubeconfig: member.kubeconfig, clusterName: 'pull1', region: 'edge', leaseDurationSeconds: 2, clusterStatus: { statusUpdateIntervalMs: 1000 }, logLevel: 'silent' });

before(async () => {
  bed = await startTestbed({ members: [] });
  await bed.kubectl.ok(['create', 'namespace', 'karmada-cluster']);
  member = await startSimulatedMember('pull1');
  cm = await startControllerManager({
    kubeconfig: bed.controlPlane.server.adminKubeconfig(),
    controllers: ['cluster', 'clusterStatus', 'execution', 'workStatus'],
    extraControllers: { cluster: (ctx) => registerClusterController(ctx, { monitorPeriodMs: 500, monitorGracePeriodMs: 4000, startupGracePeriodMs: 4000 }) },
    logLevel: 'silent',
  });
  const pki = await ensurePki(bed.controlPlane.dataDir);
  const cert = await createSignedCert(pki.ca, { commonName: agentUserName('pull1'), organizations: [AgentGroup], usage: 'client' });
  agentKubeconfig = buildKubeconfig([{ name: 'karmada-agent', server: bed.controlPlane.server.url, caPem: pki.ca.certPem, user: { clientCertPem: cert.certPem, clientKeyPem: cert.keyPem } }]);
  asAgent = new Kubectl(agentKubeconfig);
  await ensureAgentRbac(bed.client, 'pull1');
  agent = await startPullAgent();
});

after(async () => {
  await agent?.stop();
  await cm?.stop();
  asAgent?.cleanup();
  await member?.stop();
  await bed?.stop();
});

const readyOf = async () => (await bed.kubectl.ok(['get', 'cluster', 'pull1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).trim();

test('the agent registers its cluster in Pull mode and it becomes Ready', async () => {
  await eventually(async () => (await readyOf()) === 'True' || undefined, 'pull1 Ready', 20_000);
  const out = await bed.kubectl.ok(['get', 'clusters']);
  assert.match(out, /^pull1\s+\S+\s+Pull\s+True/m);
  assert.equal((await bed.kubectl.ok(['get', 'cluster', 'pull1', '-o', 'jsonpath={.spec.region} {.spec.apiEndpoint}'])).trim(), `edge ${member.client.server}`);
  // the status comes from the member: its nodes
  assert.equal((await bed.kubectl.ok(['get', 'cluster', 'pull1', '-o', 'jsonpath={.status.nodeSummary.totalNum}'])).trim(), '2');
});

test('Works of karmada-es-pull1 reach the member through the agent, and their status comes back', async () => {
  const work = {
    apiVersion: 'work.karmada.io/v1alpha1',
    kind: 'Work',
    metadata: { name: 'web', namespace: 'karmada-es-pull1' },
    spec: {
      workload: {
        manifests: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
            spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
          },
        ],
      },
    },
  };
  await bed.kubectl.ok(['apply', '-f', '-'], { stdin: JSON.stringify(work) });
  await eventually(async () => (await member.kubectl.run(['get', 'deploy', 'web'])).code === 0 || undefined, 'deployment on the member', 20_000);
  await eventually(async () => (await bed.kubectl.ok(['get', 'work', 'web', '-n', 'karmada-es-pull1', '-o', 'jsonpath={.status.conditions[?(@.type=="Applied")].status}'])).trim() === 'True' || undefined, 'Work Applied', 20_000);
  await eventually(async () => (await bed.kubectl.ok(['get', 'work', 'web', '-n', 'karmada-es-pull1', '-o', 'jsonpath={.status.manifestStatuses[0].status.readyReplicas}'])).trim() === '2' || undefined, 'Work status from the member', 20_000);
});

test('the agent identity is refused outside its own cluster, lease, secrets and execution space', async () => {
  const denied = async (args: string[], what: RegExp, stdin?: string) => {
    const r = await asAgent.run(args, { stdin });
    assert.notEqual(r.code, 0, `${args.join(' ')} should be refused`);
    assert.match(r.stderr, /Forbidden/);
    assert.match(r.stderr, what);
  };
  await denied(['get', 'works', '-n', 'karmada-es-member1'], /User "system:karmada:agent:pull1" cannot list resource "works" in API group "work.karmada.io" in the namespace "karmada-es-member1"/);
  await denied(['get', 'secrets', '-n', 'kube-system'], /cannot list resource "secrets" in API group "" in the namespace "kube-system"/);
  const policy = { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name: 'p', namespace: 'default' }, spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }] } };
  await denied(['create', '-f', '-'], /cannot create resource "propagationpolicies" in API group "policy.karmada.io" in the namespace "default"/, JSON.stringify(policy));
  await denied(['delete', 'cluster', 'other'], /cannot delete resource "clusters"/);
  assert.match(await asAgent.ok(['get', 'works', '-n', 'karmada-es-pull1']), /^web\s/m);
  const canI = async (...args: string[]) => (await asAgent.run(['auth', 'can-i', ...args])).stdout.trim();
  assert.equal(await canI('update', 'clusters.cluster.karmada.io/pull1', '--subresource=status'), 'yes');
  assert.equal(await canI('update', 'clusters.cluster.karmada.io/member1', '--subresource=status'), 'no');
  assert.equal(await canI('create', 'works.work.karmada.io', '-n', 'karmada-es-member1'), 'no');
});

test('a stopped agent leaves the cluster Ready=Unknown within the lease grace period; a restarted one recovers', async () => {
  await agent!.stop();
  agent = undefined;
  await eventually(async () => (await readyOf()) === 'Unknown' || undefined, 'pull1 Ready=Unknown', 20_000);
  agent = await startPullAgent();
  await eventually(async () => (await readyOf()) === 'True' || undefined, 'pull1 Ready again', 20_000);
});
