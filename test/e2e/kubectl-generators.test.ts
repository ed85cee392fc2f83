// Every `kubectl create <generator>` (they send protobuf bodies) and the everyday workload and node
// commands, with the real kubectl 1.27 and 1.33, on the control plane and on a simulated member:
// each command succeeds and what is stored is what was asked for.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509CertificateGenerator } from '@peculiar/x509';
import { installKarmadaAPIs } from '../../src/controlplane/install-crds.js';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { startSimulatedMember, type TestMember } from '../support/karmada.js';
import { eventually, Kubectl, kubectlBinary } from '../support/kubectl.js';

const versions = ['1.27', '1.33'].filter((v) => kubectlBinary(v));

let controlPlane: TestServer;
let member: TestMember;
let dir: string;
let tlsCert: string;
let tlsKey: string;

async function selfSignedPair(): Promise<{ cert: string; key: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await X509CertificateGenerator.createSelfSigned({ name: 'CN=web.example.com', keys, signingAlgorithm: alg, notBefore: new Date(), notAfter: new Date(Date.now() + 86400_000) });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return { cert: cert.toString('pem'), key: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n` };
}

before(async () => {
  [controlPlane, member] = await Promise.all([startTestServer(), startSimulatedMember('member1')]);
  dir = mkdtempSync(join(tmpdir(), 'generators-'));
  const pair = await selfSignedPair();
  tlsCert = join(dir, 'tls.crt');
  tlsKey = join(dir, 'tls.key');
  writeFileSync(tlsCert, pair.cert);
  writeFileSync(tlsKey, pair.key);
});

after(async () => {
  await Promise.all([controlPlane?.stop(), member?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function json(k: Kubectl, args: string[]): Promise<any> {
  return JSON.parse(await k.ok(['get', ...args, '-o', 'json']));
}

/** Runs every generator in namespace `ns`; cluster-scoped names carry `tag` so versions do not collide. */
async function generators(k: Kubectl, ns: string, tag: string): Promise<void> {
  const n = ['-n', ns];
  assert.match(await k.ok(['create', 'namespace', ns]), new RegExp(`namespace/${ns} created`));
  assert.equal((await json(k, ['namespace', ns])).metadata.name, ns);

  await k.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=0', '--port=80', ...n]);
  const deploy = await json(k, ['deployment', 'web', ...n]);
  assert.equal(deploy.spec.replicas, 0, 'a pointer zero survives protobuf');
  assert.deepEqual(deploy.spec.template.spec.containers.map((c: any) => [c.name, c.image, c.ports[0].containerPort]), [['nginx', 'nginx:1.27', 80]]);
  assert.deepEqual(deploy.spec.selector.matchLabels, { app: 'web' });

  await k.ok(['create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '--from-literal=pass=s3cr3t', ...n]);
  const generic = await json(k, ['secret', 'creds', ...n]);
  assert.deepEqual([generic.type, generic.data], ['Opaque', { user: b64('admin'), pass: b64('s3cr3t') }]);

  await k.ok(['create', 'secret', 'tls', 'tls', `--cert=${tlsCert}`, `--key=${tlsKey}`, ...n]);
  const tls = await json(k, ['secret', 'tls', ...n]);
  assert.deepEqual([tls.type, tls.data['tls.crt'], tls.data['tls.key']], ['kubernetes.io/tls', b64(readFileSync(tlsCert, 'utf8')), b64(readFileSync(tlsKey, 'utf8'))]);

  await k.ok(['create', 'secret', 'docker-registry', 'regcred', '--docker-server=registry.example.com', '--docker-username=u', '--docker-password=p', ...n]);
  const reg = await json(k, ['secret', 'regcred', ...n]);
  assert.equal(reg.type, 'kubernetes.io/dockerconfigjson');
  assert.equal(JSON.parse(Buffer.from(reg.data['.dockerconfigjson'], 'base64').toString()).auths['registry.example.com'].username, 'u');

  await k.ok(['create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=empty=', ...n]);
  assert.deepEqual((await json(k, ['configmap', 'settings', ...n])).data, { mode: 'fast', empty: '' });

  await k.ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080', ...n]);
  const svc = await json(k, ['service', 'web', ...n]);
  assert.deepEqual([svc.spec.type, svc.spec.ports[0].port, svc.spec.ports[0].targetPort], ['ClusterIP', 80, 8080]);

  await k.ok(['create', 'service', 'nodeport', 'web-np', '--tcp=80:http', '--node-port=30080', ...n]);
  const np = await json(k, ['service', 'web-np', ...n]);
  assert.deepEqual([np.spec.type, np.spec.ports[0].nodePort, np.spec.ports[0].targetPort], ['NodePort', 30080, 'http']);

  await k.ok(['create', 'job', 'once', '--image=busybox', ...n, '--', 'echo', 'hi']);
  const job = await json(k, ['job', 'once', ...n]);
  assert.deepEqual([job.spec.template.spec.containers[0].command, job.spec.template.spec.restartPolicy], [['echo', 'hi'], 'Never']);

  await k.ok(['create', 'cronjob', 'nightly', '--image=busybox', '--schedule=0 3 * * *', ...n]);
  assert.equal((await json(k, ['cronjob', 'nightly', ...n])).spec.schedule, '0 3 * * *');

  await k.ok(['create', 'role', 'reader', '--verb=get', '--verb=list', '--resource=pods,deployments.apps', ...n]);
  const role = await json(k, ['role', 'reader', ...n]);
  assert.deepEqual(
    role.rules.map((r: any) => [r.apiGroups, r.resources, r.verbs]),
    [
      [[''], ['pods'], ['get', 'list']],
      [['apps'], ['deployments'], ['get', 'list']],
    ],
  );

  await k.ok(['create', 'rolebinding', 'read-pods', '--role=reader', '--user=alice', '--serviceaccount=' + ns + ':robot', ...n]);
  const rb = await json(k, ['rolebinding', 'read-pods', ...n]);
  assert.deepEqual([rb.roleRef, rb.subjects.map((s: any) => [s.kind, s.name])], [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, [['User', 'alice'], ['ServiceAccount', 'robot']]]);

  await k.ok(['create', 'clusterrole', `viewer-${tag}`, '--verb=get', '--resource=nodes']);
  assert.deepEqual((await json(k, ['clusterrole', `viewer-${tag}`])).rules[0].resources, ['nodes']);
  await k.ok(['create', 'clusterrolebinding', `viewers-${tag}`, `--clusterrole=viewer-${tag}`, '--group=devs']);
  assert.deepEqual((await json(k, ['clusterrolebinding', `viewers-${tag}`])).subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' }]);

  await k.ok(['create', 'serviceaccount', 'robot', ...n]);
  assert.equal((await json(k, ['serviceaccount', 'robot', ...n])).metadata.name, 'robot');

  await k.ok(['create', 'quota', 'limits', '--hard=cpu=2,memory=1Gi,pods=10', ...n]);
  assert.deepEqual((await json(k, ['resourcequota', 'limits', ...n])).spec.hard, { cpu: '2', memory: '1Gi', pods: '10' });
  // a member enforces it as kube-apiserver does (pods must then declare cpu and memory): the workload commands below run bare pods
  await k.ok(['delete', 'resourcequota', 'limits', ...n]);

  await k.ok(['create', 'priorityclass', `high-${tag}`, '--value=1000', '--description=important']);
  const pc = await json(k, ['priorityclass', `high-${tag}`]);
  assert.deepEqual([pc.value, pc.description], [1000, 'important']);

  await k.ok(['create', 'poddisruptionbudget', 'web', '--selector=app=web', '--min-available=1', ...n]);
  await k.ok(['create', 'pdb', 'web-pct', '--selector=app=web', '--max-unavailable=50%', ...n]);
  assert.equal((await json(k, ['pdb', 'web', ...n])).spec.minAvailable, 1);
  assert.equal((await json(k, ['pdb', 'web-pct', ...n])).spec.maxUnavailable, '50%');

  await k.ok(['create', 'ingress', 'web', '--class=nginx', '--rule=web.example.com/api*=web:80,tls=tls', ...n]);
  const ing = await json(k, ['ingress', 'web', ...n]);
  assert.equal(ing.spec.ingressClassName, 'nginx');
  assert.deepEqual(ing.spec.rules[0].http.paths[0], { path: '/api', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } });
  assert.deepEqual(ing.spec.tls, [{ hosts: ['web.example.com'], secretName: 'tls' }]);
}

/** run, expose, scale, set image, autoscale, label, annotate and rollout restart: every target */
async function workloadCommands(k: Kubectl, ns: string): Promise<void> {
  const n = ['-n', ns];
  await k.ok(['run', 'solo', '--image=busybox', '--labels=app=solo', '--env=A=1', ...n, '--', 'sleep', '3600']);
  const pod = await json(k, ['pod', 'solo', ...n]);
  assert.deepEqual([pod.spec.containers[0].image, pod.spec.containers[0].args, pod.spec.containers[0].env], ['busybox', ['sleep', '3600'], [{ name: 'A', value: '1' }]]);

  await k.ok(['create', 'deployment', 'app', '--image=nginx:1', '--replicas=1', ...n]);
  await k.ok(['expose', 'deployment', 'app', '--port=80', '--target-port=8080', '--name=app-svc', ...n]);
  const svc = await json(k, ['service', 'app-svc', ...n]);
  assert.deepEqual([svc.spec.selector, svc.spec.ports[0].port, svc.spec.ports[0].targetPort], [{ app: 'app' }, 80, 8080]);

  await k.ok(['scale', 'deployment', 'app', '--replicas=3', ...n]);
  assert.equal((await json(k, ['deployment', 'app', ...n])).spec.replicas, 3);

  await k.ok(['set', 'image', 'deployment/app', 'nginx=nginx:2', ...n]);
  assert.equal((await json(k, ['deployment', 'app', ...n])).spec.template.spec.containers[0].image, 'nginx:2');

  await k.ok(['autoscale', 'deployment', 'app', '--min=2', '--max=5', '--cpu-percent=70', ...n]);
  const hpa = await json(k, ['hpa.v2.autoscaling', 'app', ...n]);
  assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.scaleTargetRef.name], [2, 5, 'app']);
  assert.equal(hpa.spec.metrics[0].resource.target.averageUtilization, 70);

  await k.ok(['label', 'deployment', 'app', 'tier=web', ...n]);
  await k.ok(['annotate', 'deployment', 'app', 'owner=team-a', ...n]);
  const labeled = await json(k, ['deployment', 'app', ...n]);
  assert.deepEqual([labeled.metadata.labels.tier, labeled.metadata.annotations.owner], ['web', 'team-a']);

  await k.ok(['rollout', 'restart', 'deployment/app', ...n]);
  assert.ok((await json(k, ['deployment', 'app', ...n])).spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
}

for (const v of versions) {
  describe(`kubectl ${v}`, () => {
    const tag = v.replace('.', '-');
    let cp: Kubectl;
    let m: Kubectl;
    before(() => {
      cp = new Kubectl(controlPlane.server.adminKubeconfig(), kubectlBinary(v));
      m = new Kubectl(member.kubeconfig, kubectlBinary(v));
    });
    after(() => {
      cp?.cleanup();
      m?.cleanup();
    });

    test('every create generator on the control plane', () => generators(cp, `gen-${tag}`, tag));
    test('every create generator on a member', () => generators(m, `gen-${tag}`, tag));
    test('workload commands on the control plane', () => workloadCommands(cp, `gen-${tag}`));
    test('workload commands on a member, with rollouts the member carries out', async () => {
      const ns = `gen-${tag}`;
      const n = ['-n', ns];
      await workloadCommands(m, ns);
      assert.match(await m.ok(['rollout', 'status', 'deployment/app', '--timeout=60s', ...n], { timeoutMs: 70_000 }), /successfully rolled out/);
      await m.ok(['set', 'image', 'deployment/app', 'nginx=nginx:3', ...n]);
      assert.match(await m.ok(['rollout', 'status', 'deployment/app', '--timeout=60s', ...n], { timeoutMs: 70_000 }), /successfully rolled out/);
      await m.ok(['rollout', 'undo', 'deployment/app', ...n]);
      assert.equal((await json(m, ['deployment', 'app', ...n])).spec.template.spec.containers[0].image, 'nginx:2');
      assert.match(await m.ok(['rollout', 'status', 'deployment/app', '--timeout=60s', ...n], { timeoutMs: 70_000 }), /successfully rolled out/);
    });
  });
}

describe('node commands on a member', () => {
  test('cordon, taint and drain with the newest and the oldest kubectl', async () => {
    const nodes = (await json(member.kubectl, ['nodes'])).items.map((node: any) => node.metadata.name).sort();
    assert.ok(nodes.length >= 2);
    const oldest = new Kubectl(member.kubeconfig, kubectlBinary(versions[0]));
    const newest = new Kubectl(member.kubeconfig, kubectlBinary(versions[versions.length - 1]));
    try {
      await oldest.ok(['cordon', nodes[0]]);
      await newest.ok(['taint', 'nodes', nodes[0], 'dedicated=gpu:NoSchedule']);
      const first = await json(member.kubectl, ['node', nodes[0]]);
      assert.equal(first.spec.unschedulable, true);
      assert.deepEqual(first.spec.taints.filter((t: any) => t.key === 'dedicated'), [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);

      await member.kubectl.ok(['create', 'deployment', 'drained', '--image=nginx', '--replicas=2']);
      await eventually(async () => (await json(member.kubectl, ['pods', '-l', 'app=drained', '--field-selector', `spec.nodeName=${nodes[1]}`])).items.length > 0, 'pods on the node to drain', 30_000);
      const out = await newest.ok(['drain', nodes[1], '--ignore-daemonsets', '--force', '--timeout=60s'], { timeoutMs: 70_000 });
      assert.match(out, new RegExp(`node/${nodes[1]} drained`));
      assert.equal((await json(member.kubectl, ['node', nodes[1]])).spec.unschedulable, true);
      const left = (await json(member.kubectl, ['pods', '-A', '--field-selector', `spec.nodeName=${nodes[1]}`])).items.filter((p: any) => !p.metadata.deletionTimestamp);
      assert.deepEqual(left.map((p: any) => p.metadata.name), []);
      await newest.ok(['uncordon', nodes[0]]);
      assert.equal((await json(member.kubectl, ['node', nodes[0]])).spec.unschedulable, undefined);
    } finally {
      oldest.cleanup();
      newest.cleanup();
    }
  });
});

describe('kubectl patch --type json as kube-apiserver applies it', () => {
  test('replace of absent fields sets them, on a PropagationPolicy (as Karmada\'s e2e does) and on a Deployment', async () => {
    await installKarmadaAPIs(controlPlane.server);
    const k = controlPlane.kubectl;
    const policy = `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: pp-json, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement: {clusterAffinity: {clusterNames: [member1]}}
`;
    await eventually(async () => (await k.run(['apply', '-f', '-'], { stdin: policy })).code === 0, 'the PropagationPolicy CRD to serve');
    await k.ok(['patch', 'propagationpolicy', 'pp-json', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/propagateDeps","value":true},{"op":"replace","path":"/spec/preserveResourcesOnDeletion","value":true}]']);
    const pp = await json(k, ['propagationpolicy', 'pp-json']);
    assert.deepEqual([pp.spec.propagateDeps, pp.spec.preserveResourcesOnDeletion], [true, true]);

    await k.ok(['create', 'deployment', 'json-patched', '--image=nginx']);
    await k.ok(['patch', 'deployment', 'json-patched', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/paused","value":true},{"op":"test","path":"/spec/minReadySeconds","value":null}]']);
    assert.equal((await json(k, ['deployment', 'json-patched'])).spec.paused, true);
    const bad = await k.run(['patch', 'deployment', 'json-patched', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/nope"}]']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Unable to remove nonexistent key: nope: missing value/);
  });
});
