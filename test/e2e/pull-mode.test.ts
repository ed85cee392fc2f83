// Pull mode end to end: karmada-agent beside a simulated member, with its own certificate identity
// (system:karmada:agent:<cluster>) and the RBAC `karmadactl register` gives it. It registers the
// Cluster in Pull mode, keeps it Ready through its Lease, applies the Works of its execution space
// and reports their status; the controller manager's Push-mode controllers leave it alone; its
// identity gets 403 outside what it owns; a stopped agent turns the cluster Ready=Unknown; the
// cluster proxy reaches the member through the tunnel the agent dials out.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensurePki, createSignedCert } from '../../src/apiserver/auth/certs.js';
import { buildKubeconfig } from '../../src/apiserver/auth/kubeconfig.js';
import { startAgent, type AgentHandle } from '../../src/agent/index.js';
import { agentDir, stopAgent } from '../../src/agent/process.js';
import { ensureAgentRbac } from '../../src/agent/rbac-apply.js';
import { AgentGroup, agentUserName } from '../../src/agent/rbac.js';
import { startControllerManager, type ControllerManagerHandle } from '../../src/controllermanager/index.js';
import { register as registerClusterController } from '../../src/controllers/cluster/index.js';
import { installPullModeBootstrap } from '../../src/controlplane/pull-mode.js';
import { startScheduler, type SchedulerHandle } from '../../src/scheduler/component/index.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namespaceGVR } from '../../src/apis/builtin/gvr.js';
import { workGVR } from '../../src/apis/karmada/gvr.js';
import { ExecutionControllerFinalizer } from '../../src/apis/karmada/wellknown.js';
import { runCli } from '../support/cli.js';
import { startSimulatedMember, startTestbed, type TestMember, type Testbed } from '../support/karmada.js';
import { eventually, Kubectl } from '../support/kubectl.js';

let bed: Testbed;
let member: TestMember;
let cm: ControllerManagerHandle;
let agent: AgentHandle | undefined;
let agentKubeconfig: string;
let asAgent: Kubectl;
let scheduler: SchedulerHandle;
let registered: TestMember | undefined;
let unregistered = false;
const agentDirs = mkdtempSync(join(tmpdir(), 'agents-'));

const startPullAgent = () => startAgent({ karmadaKubeconfig: agentKubeconfig, memberKubeconfig: member.kubeconfig, clusterName: 'pull1', region: 'edge', leaseDurationSeconds: 2, clusterStatus: { statusUpdateIntervalMs: 1000 }, logLevel: 'silent' });

before(async () => {
  bed = await startTestbed({ members: [] });
  await bed.kubectl.ok(['create', 'namespace', 'karmada-cluster']);
  member = await startSimulatedMember('pull1');
  cm = await startControllerManager({
    kubeconfig: bed.controlPlane.server.adminKubeconfig(),
    controllers: ['*'],
    extraControllers: { cluster: (ctx) => registerClusterController(ctx, { monitorPeriodMs: 500, monitorGracePeriodMs: 4000, startupGracePeriodMs: 4000 }) },
    logLevel: 'silent',
  });
  scheduler = await startScheduler({ client: cm.client });
  await installPullModeBootstrap(bed.controlPlane.server);
  const pki = await ensurePki(bed.controlPlane.dataDir);
  const cert = await createSignedCert(pki.ca, { commonName: agentUserName('pull1'), organizations: [AgentGroup], usage: 'client' });
  agentKubeconfig = buildKubeconfig([{ name: 'karmada-agent', server: bed.controlPlane.server.url, caPem: pki.ca.certPem, user: { clientCertPem: cert.certPem, clientKeyPem: cert.keyPem } }]);
  asAgent = new Kubectl(agentKubeconfig);
  await ensureAgentRbac(bed.client, 'pull1');
  agent = await startPullAgent();
});

after(async () => {
  await agent?.stop();
  if (registered && !unregistered) await runCli('karmadactl', ['unregister', 'pull2', '--cluster-kubeconfig', registered.kubectl.kubeconfig, '--karmada-config', bed.kubectl.kubeconfig], { env: { KARMADA_TS_AGENT_DIR: agentDirs } });
  // whatever unregister managed, the detached agent register started must not outlive the test
  await stopAgent(agentDir('pull2', agentDirs), 5000);
  await registered?.stop();
  rmSync(agentDirs, { recursive: true, force: true });
  await scheduler?.stop();
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
  await denied(['get', '--raw', '/apis/cluster.karmada.io/v1alpha1/clusters/member1/tunnel'], /cannot get resource "clusters\/tunnel" in API group "cluster.karmada.io"/);
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

const karmadactl = (args: string[]) => runCli('karmadactl', args, { env: { KARMADA_TS_AGENT_DIR: agentDirs }, timeoutMs: 240_000 });

test('karmadactl token create --print-register-command, then register: Ready in Pull mode, receives a propagated Deployment; unregister removes it', async () => {
  registered = await startSimulatedMember('pull2');
  const created = await karmadactl(['token', 'create', '--print-register-command', '--kubeconfig', bed.kubectl.kubeconfig]);
  assert.equal(created.code, 0, created.stderr);
  const line = created.stdout.trim();
  assert.match(line, /^karmadactl register 127\.0\.0\.1:\d+ --token [a-z0-9]{6}\.[a-z0-9]{16} --discovery-token-ca-cert-hash sha256:[0-9a-f]{64}$/);
  const [, , endpoint, , token, , hash] = line.split(' ');
  const listed = await karmadactl(['token', 'list', '--kubeconfig', bed.kubectl.kubeconfig]);
  assert.match(listed.stdout, new RegExp(`^${token!.replace('.', '\\.')}\\s+23h59m\\d+s\\s+\\S+\\s+authentication,signing\\s+<none>\\s+system:bootstrappers:karmada:default-cluster-token$`, 'm'));

  // a wrong CA pin is refused before anything is created
  const wrongPin = await karmadactl(['register', endpoint!, '--token', token!, '--discovery-token-ca-cert-hash', `sha256:${'0'.repeat(64)}`, '--cluster-name', 'pull2', '--kubeconfig', registered.kubectl.kubeconfig, '--discovery-timeout', '5s']);
  assert.notEqual(wrongPin.code, 0);
  assert.match(wrongPin.stderr, /is not signed by any of the provided CA cert hashes/);

  const reg = await karmadactl(['register', endpoint!, '--token', token!, '--discovery-token-ca-cert-hash', hash!, '--cluster-name', 'pull2', '--kubeconfig', registered.kubectl.kubeconfig]);
  assert.equal(reg.code, 0, reg.stdout + reg.stderr);
  assert.match(reg.stdout, /cluster\(pull2\) is joined successfully/);
  // register's requests are karmadactl's (User-Agent), as the agent's RBAC it wrote shows
  assert.equal((await bed.kubectl.ok(['get', 'clusterrole', 'system:karmada:pull2:agent', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}'])).trim(), 'karmadactl');
  await eventually(async () => (await bed.kubectl.ok(['get', 'cluster', 'pull2', '-o', 'jsonpath={.spec.syncMode} {.status.conditions[?(@.type=="Ready")].status}'])).trim() === 'Pull True' || undefined, 'pull2 Ready in Pull mode', 30_000);
  // the certificate the agent got through its CSR is its own identity
  const csrs = await bed.kubectl.ok(['get', 'csr', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.username} {.status.conditions[0].reason} {.status.certificate}{"\\n"}{end}']);
  assert.match(csrs, /^pull2-[a-z0-9]{5} system:bootstrap:[a-z0-9]{6} AutoApproved \S+$/m);

  await bed.kubectl.ok(['create', 'deployment', 'nginx', '--image=nginx', '--replicas=2']);
  await bed.kubectl.ok(['apply', '-f', '-'], {
    stdin: JSON.stringify({ apiVersion: 'policy.karmada.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name: 'nginx', namespace: 'default' }, spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }], placement: { clusterAffinity: { clusterNames: ['pull2'] } } } }),
  });
  await eventually(async () => (await registered!.kubectl.run(['get', 'deploy', 'nginx'])).code === 0 || undefined, 'nginx on pull2', 30_000);
  await eventually(async () => (await bed.kubectl.ok(['get', 'deploy', 'nginx', '-o', 'jsonpath={.status.readyReplicas}'])).trim() === '2' || undefined, 'status aggregated from pull2', 30_000);

  // Whoever lets go of the Work (the agent with the Role it holds in karmada-es-pull2, or the
  // controller manager for an unready Pull cluster), the execution space may start terminating only
  // after that: revisions (one global order) say which came first.
  let terminatingAt: number | undefined;
  let releasedAt: number | undefined;
  const watches = await Promise.all([
    bed.client.watch(namespaceGVR, { fieldSelector: 'metadata.name=karmada-es-pull2' }, (_type, ns) => {
      if (ns.metadata.deletionTimestamp && terminatingAt === undefined) terminatingAt = Number(ns.metadata.resourceVersion);
    }, () => {}),
    // the last finalizer's removal deletes the Work: its DELETED event may still show it
    bed.client.watch(workGVR, { namespace: 'karmada-es-pull2' }, (type, w) => {
      if (type === 'DELETED' || !(w.metadata.finalizers ?? []).includes(ExecutionControllerFinalizer)) releasedAt ??= Number(w.metadata.resourceVersion);
    }, () => {}),
  ]);
  const unreg = await karmadactl(['unregister', 'pull2', '--cluster-kubeconfig', registered.kubectl.kubeconfig, '--karmada-config', bed.kubectl.kubeconfig, '--wait', '3m']);
  if (unreg.code !== 0) {
    // what held the cluster: its finalizers and taints, the execution space, its Works, bindings still naming it
    const state = await Promise.all([
      bed.kubectl.run(['get', 'cluster', 'pull2', '-o', 'jsonpath={.metadata.finalizers} {.spec.taints} {.status.conditions}']),
      bed.kubectl.run(['get', 'namespace', 'karmada-es-pull2', '-o', 'jsonpath={.status}']),
      bed.kubectl.run(['get', 'works', '-n', 'karmada-es-pull2', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.finalizers} {.metadata.deletionTimestamp}{"\\n"}{end}']),
      bed.kubectl.run(['get', 'rb', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.clusters} {.status.conditions}{"\\n"}{end}']),
    ]);
    const agentLog = readFileSync(join(agentDir('pull2', agentDirs), 'agent.log'), 'utf8').split('\n').slice(-40).join('\n');
    assert.fail(`${unreg.stdout}${unreg.stderr}\n${state.map((r) => r.stdout + r.stderr).join('\n')}\nagent log:\n${agentLog}`);
  }
  unregistered = true;
  watches.forEach((w) => w.stop());
  assert.ok(releasedAt !== undefined && terminatingAt !== undefined && releasedAt < terminatingAt, `the Work was released (revision ${releasedAt}) before karmada-es-pull2 started terminating (revision ${terminatingAt})`);
  assert.equal((await bed.kubectl.run(['get', 'cluster', 'pull2'])).code, 1);
  assert.equal((await registered.kubectl.run(['get', 'secret', 'karmada-kubeconfig', '-n', 'karmada-system'])).code, 1);
});

test('expired and deleted bootstrap tokens are refused', async () => {
  const expired = await karmadactl(['token', 'create', '--ttl', '1s', '--kubeconfig', bed.kubectl.kubeconfig]);
  const deleted = await karmadactl(['token', 'create', '--kubeconfig', bed.kubectl.kubeconfig]);
  const del = await karmadactl(['token', 'delete', deleted.stdout.trim(), '--kubeconfig', bed.kubectl.kubeconfig]);
  assert.equal(del.stdout.trim(), `bootstrap token "${deleted.stdout.trim().slice(0, 6)}" deleted`);
  await eventually(async () => {
    const r = await bed.kubectl.run(['--token', expired.stdout.trim(), '--user', '', 'get', '--raw', '/api/v1/namespaces/kube-public/configmaps/cluster-info']);
    return r.code !== 0 || undefined;
  }, 'the 1s token expires', 10_000);
  for (const t of [expired.stdout.trim(), deleted.stdout.trim()]) {
    const r = await karmadactl(['register', new URL(bed.controlPlane.server.url).host, '--token', t, '--discovery-token-unsafe-skip-ca-verification', '--cluster-name', 'pull3', '--kubeconfig', member.kubectl.kubeconfig, '--discovery-timeout', '3s']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /the bootstrap token is not valid \(expired, deleted or unknown\)/);
  }
});

test('a view user in team-a: allowed there, 403 in team-b and, through the cluster proxy as itself, on the member; kubectl auth can-i agrees', async () => {
  const pki = await ensurePki(bed.controlPlane.dataDir);
  const cert = await createSignedCert(pki.ca, { commonName: 'alice', organizations: ['dev'], usage: 'client' });
  const alice = new Kubectl(buildKubeconfig([{ name: 'alice', server: bed.controlPlane.server.url, caPem: pki.ca.certPem, user: { clientCertPem: cert.certPem, clientKeyPem: cert.keyPem } }]));
  try {
    for (const ns of ['team-a', 'team-b']) await bed.kubectl.ok(['create', 'namespace', ns]);
    await bed.kubectl.ok(['create', 'rolebinding', 'alice-view', '--clusterrole=view', '--user=alice', '-n', 'team-a']);
    // the proxy itself is granted (as Karmada's cluster-proxy-admin role): what alice may do in the member is the member's call
    await bed.kubectl.ok(['create', 'clusterrole', 'cluster-proxy', '--verb=get,list,watch', '--resource=clusters.cluster.karmada.io/proxy']);
    await bed.kubectl.ok(['create', 'clusterrolebinding', 'alice-proxy', '--clusterrole=cluster-proxy', '--user=alice']);
    await eventually(async () => (await alice.run(['get', 'deploy', '-n', 'team-a'])).code === 0 || undefined, 'alice can list team-a', 10_000);
    const teamB = await alice.run(['get', 'deploy', '-n', 'team-b']);
    assert.match(teamB.stderr, /Error from server \(Forbidden\): deployments\.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" in the namespace "team-b"/);
    assert.equal((await alice.run(['auth', 'can-i', 'list', 'deployments', '-n', 'team-a'])).stdout.trim(), 'yes');
    assert.equal((await alice.run(['auth', 'can-i', 'list', 'deployments', '-n', 'team-b'])).stdout.trim(), 'no');

    const proxied = `/apis/cluster.karmada.io/v1alpha1/clusters/pull1/proxy/api/v1/namespaces/kube-system/pods`;
    const denied = await alice.run(['get', '--raw', proxied]);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "kube-system"/);
    // the admin, impersonated as itself, reaches the Pull member through the proxy
    assert.match(await bed.kubectl.ok(['get', '--raw', proxied]), /"kind":"PodList"/);
  } finally {
    alice.cleanup();
  }
});

test('kubectl logs and exec through the cluster proxy reach a Pull member\'s pod', async () => {
  const pod = (await eventually(async () => (await member.kubectl.ok(['get', 'pods', '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[0].metadata.name}'])).trim() || undefined, 'a running web pod on pull1', 20_000)) as string;
  const viaProxy = ['--server', `${bed.controlPlane.server.url}/apis/cluster.karmada.io/v1alpha1/clusters/pull1/proxy`];
  assert.equal((await bed.kubectl.ok([...viaProxy, 'exec', pod, '--', 'hostname'])).trim(), pod);
  assert.notEqual((await bed.kubectl.ok([...viaProxy, 'logs', pod, '--tail', '1'])).trim(), '');
});

test('the proxy reaches a Pull member through the agent\'s tunnel, not its apiEndpoint', async () => {
  const pod = (await member.kubectl.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
  // an address nothing listens on: only the tunnel the agent dialled out can carry the request
  await bed.kubectl.ok(['patch', 'cluster', 'pull1', '--type=merge', '-p', JSON.stringify({ spec: { apiEndpoint: 'https://127.0.0.1:1' } })]);
  const viaProxy = ['--server', `${bed.controlPlane.server.url}/apis/cluster.karmada.io/v1alpha1/clusters/pull1/proxy`];
  assert.notEqual((await bed.kubectl.ok([...viaProxy, 'logs', pod, '--tail', '1'])).trim(), '');
  assert.equal((await bed.kubectl.ok([...viaProxy, 'exec', pod, '--', 'hostname'])).trim(), pod);
});

test('karmada-ts agent --metrics-bind-address: Karmada\'s forms only, and the address is bound before the agent starts', async () => {
  const flags = ['agent', '--karmada-kubeconfig', bed.kubectl.kubeconfig, '--kubeconfig', member.kubectl.kubeconfig, '--cluster-name', 'pull-metrics'];
  const bad = await runCli('karmada-ts', [...flags, '--metrics-bind-address', '8080']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--metrics-bind-address must be HOST:PORT, :PORT or 0 \(got "8080"\)/);
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  try {
    const busy = await runCli('karmada-ts', [...flags, '--metrics-bind-address', `:${(taken.address() as AddressInfo).port}`]);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /EADDRINUSE.*127\.0\.0\.1/);
    assert.equal((await bed.kubectl.run(['get', 'cluster', 'pull-metrics'])).code, 1, 'nothing registered');
  } finally {
    taken.close();
  }
});
