// karmadactl as a user runs it against a control plane: join and unjoin, then Karmada's other commands
// against simulated members (get/describe across clusters, cordon, taint, top, apply --all-clusters,
// promote, interpret, the kubectl-backed commands), checking what is stored and what is printed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlPlane } from '../../src/controlplane/index.js';
import { runCli } from '../support/cli.js';
import { eventually, Kubectl } from '../support/kubectl.js';
import { startBareMember, startSimulatedMember, type TestMember } from '../support/karmada.js';
import { joinCluster } from '../../src/controllers/cluster/join.js';
import { KubeClient } from '../../src/runtime/client.js';

let dir: string;
let cp: ControlPlane;
let member: TestMember;
let karmada: Kubectl;
let cpConfig: string;
let memberConfig: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'karmadactl-'));
  cp = await ControlPlane.start({ dataDir: join(dir, 'cp'), port: 0, storage: { backend: 'memory' } });
  member = await startBareMember('edge1');
  cpConfig = join(dir, 'karmada.config');
  memberConfig = join(dir, 'edge1.config');
  writeFileSync(cpConfig, cp.kubeconfig());
  writeFileSync(memberConfig, member.kubeconfig);
  karmada = new Kubectl(cp.kubeconfig());
});

after(async () => {
  await member?.stop();
  await cp?.stop();
  karmada?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('join registers a Push cluster that becomes Ready, with its credentials in karmada-cluster', async () => {
  const r = await runCli('karmadactl', ['join', 'edge1', '--kubeconfig', cpConfig, '--cluster-kubeconfig', memberConfig, '--cluster-region', 'eu-north-1', '--cluster-provider', 'onprem']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /cluster\(edge1\) is joined successfully/);
  const cluster = JSON.parse(await karmada.ok(['get', 'cluster', 'edge1', '-o', 'json']));
  assert.equal(cluster.spec.syncMode, 'Push');
  assert.equal(cluster.spec.region, 'eu-north-1');
  assert.equal(cluster.spec.provider, 'onprem');
  assert.deepEqual(cluster.spec.secretRef, { namespace: 'karmada-cluster', name: 'edge1' });
  assert.match(await karmada.ok(['get', 'secret', 'edge1', '-n', 'karmada-cluster', '-o', 'jsonpath={.data}']), /caBundle/);
  await eventually(async () => /^edge1\s+\S+\s+Push\s+True\s/m.test(await karmada.ok(['get', 'clusters'])), 'edge1 Ready', 30_000);
  await eventually(async () => (await karmada.run(['get', 'ns', 'karmada-es-edge1'])).code === 0, 'the execution namespace', 10_000);
});

test('joining the same name twice is refused with a clear message', async () => {
  const r = await runCli('karmadactl', ['join', 'edge1', '--kubeconfig', cpConfig, '--cluster-kubeconfig', memberConfig]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cluster "edge1" is already registered/);
});

test('join with a missing member kubeconfig says which file', async () => {
  const r = await runCli('karmadactl', ['join', 'edge2', '--kubeconfig', cpConfig, '--cluster-kubeconfig', join(dir, 'nope.config')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nope\.config/);
});

test('unjoin removes the cluster, its execution namespace and its credentials (global flag before the command, as cobra allows)', async () => {
  const r = await runCli('karmadactl', [`--kubeconfig=${cpConfig}`, 'unjoin', 'edge1', '--cluster-kubeconfig', memberConfig, '--wait', '30s']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /cluster\(edge1\) is unjoined successfully/);
  assert.notEqual((await karmada.run(['get', 'cluster', 'edge1'])).code, 0);
  assert.notEqual((await karmada.run(['get', 'secret', 'edge1', '-n', 'karmada-cluster'])).code, 0);
  await eventually(async () => (await karmada.run(['get', 'ns', 'karmada-es-edge1'])).code !== 0, 'the execution namespace gone', 20_000);
});

test('unjoin of an unknown cluster says so as Karmada does', async () => {
  const r = await runCli('karmadactl', ['unjoin', 'ghost', '--kubeconfig', cpConfig]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no cluster object ghost found in karmada control Plane/);
  const bad = await runCli('karmadactl', ['unjoin', 'ghost', '--kubeconfig', cpConfig, '--wait', '60']);
  assert.match(bad.stderr, /invalid argument "60" for "--wait" flag/);
});

test('unjoin waits for the finalizers, and --force removes them after --wait', async () => {
  const client = KubeClient.fromKubeconfig(cp.kubeconfig());
  const edge = await startBareMember('edge3');
  try {
    await joinCluster(client, { name: 'edge3', memberKubeconfig: edge.kubeconfig });
    // a finalizer nobody will remove keeps the Cluster in deletion
    await karmada.ok(['patch', 'cluster', 'edge3', '--type=json', '-p', '[{"op":"add","path":"/metadata/finalizers/-","value":"example.com/hold"}]']).catch(() =>
      karmada.ok(['patch', 'cluster', 'edge3', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']),
    );
    const stuck = await runCli('karmadactl', ['unjoin', 'edge3', '--kubeconfig', cpConfig, '--wait', '2s']);
    assert.equal(stuck.code, 1);
    assert.match(stuck.stderr, /cluster edge3 is still being deleted after the wait \(finalizers: .*example\.com\/hold.*\); use --force/);
    const forced = await runCli('karmadactl', ['unjoin', 'edge3', '--kubeconfig', cpConfig, '--wait', '2s', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    await eventually(async () => (await karmada.run(['get', 'cluster', 'edge3'])).code !== 0, 'edge3 gone', 10_000);
    assert.notEqual((await karmada.run(['get', 'secret', 'edge3', '-n', 'karmada-cluster'])).code, 0);
  } finally {
    await edge.stop();
  }
});

test('version and completion', async () => {
  const v = await runCli('karmadactl', ['version']);
  assert.match(v.stdout, /^karmadactl version: version\.Info\{GitVersion:"v[0-9.]+-karmada-ts"/);
  const c = await runCli('karmadactl', ['completion', 'bash']);
  assert.equal(c.code, 0);
  assert.match(c.stdout, /complete -F _karmadactl karmadactl/);
  assert.match(c.stdout, /promote\) opts="[^"]*--cluster/);
  const fish = await runCli('karmadactl', ['completion', 'fish']);
  assert.match(fish.stderr, /Unsupported shell type "fish"/);
});

test('register checks its flags as Karmada does; installation commands say what to do instead', async () => {
  const noToken = await runCli('karmadactl', ['register', '127.0.0.1:6443']);
  assert.equal(noToken.code, 1);
  assert.match(noToken.stderr, /token is required/);
  const noPin = await runCli('karmadactl', ['register', '127.0.0.1:6443', '--token', 'abcdef.0123456789abcdef']);
  assert.match(noPin.stderr, /need to verify CACertHashes, or set --discovery-token-unsafe-skip-ca-verification=true/);
  const [init, deinit, addons] = await Promise.all([['init'], ['deinit', '--purge-namespace'], ['addons', 'enable', 'karmada-search']].map((args) => runCli('karmadactl', args)));
  for (const r of [init, deinit, addons]) assert.equal(r.code, 1, r.stderr);
  assert.match(init.stderr, /^error: init: .*karmada-ts up/m);
  assert.match(deinit.stderr, /^error: deinit: .*remove its --data-dir/m);
  assert.match(addons.stderr, /^error: addons: .*karmada-search and karmada-metrics-adapter are served by the API server, and the descheduler runs as `karmada-ts descheduler`/m);
});

describe('against simulated members', () => {
  let m1: TestMember;
  let m2: TestMember;
  const ctl = (...args: string[]) => runCli('karmadactl', ['--kubeconfig', cpConfig, ...args], { env: { KUBECACHEDIR: join(dir, 'kubecache') } });
  const clusterTaints = async (name: string) => JSON.parse((await karmada.ok(['get', 'cluster', name, '-o', 'jsonpath={.spec.taints}'])) || '[]');

  before(async () => {
    m1 = await startSimulatedMember('m1');
    m2 = await startSimulatedMember('m2');
    const client = KubeClient.fromKubeconfig(cp.kubeconfig());
    for (const m of [m1, m2]) await joinCluster(client, { name: m.name, memberKubeconfig: m.kubeconfig });
    await eventually(async () => /^m1\s+\S+\s+Push\s+True\s[\s\S]*^m2\s+\S+\s+Push\s+True\s/m.test(await karmada.ok(['get', 'clusters'])), 'm1 and m2 Ready', 30_000);
  });

  after(async () => {
    await m1?.stop();
    await m2?.stop();
  });

  test('cordon and uncordon set and clear the unschedulable taint', async () => {
    const r = await ctl('cordon', 'm1');
    assert.equal(r.stdout, 'm1 cluster cordoned\n');
    assert.deepEqual(await clusterTaints('m1'), [{ key: 'cluster.karmada.io/unschedulable', effect: 'NoSchedule' }]);
    assert.equal((await ctl('cordon', 'm1')).stdout, 'm1 cluster already cordoned\n');
    assert.equal((await ctl('uncordon', 'm1')).stdout, 'm1 cluster uncordoned\n');
    assert.deepEqual(await clusterTaints('m1'), []);
  });

  test('completion of resource types, names and clusters (cobra\'s __complete) from the control plane', async () => {
    await karmada.ok(['create', 'configmap', 'complete-me', '-n', 'default', '--from-literal=a=b']);
    assert.equal((await ctl('__complete', 'unjoin', 'm')).stdout, 'm1\nm2\n:4\n');
    assert.equal((await ctl('__complete', 'taint', 'clusters', 'm2')).stdout, 'm2\n:4\n');
    assert.match((await ctl('__complete', 'get', 'propagationp')).stdout, /^propagationpolicies\n:4\n$/);
    assert.equal((await ctl('__complete', 'get', 'cm', '-n', 'default', 'complete-')).stdout, 'complete-me\n:4\n');
    assert.equal((await ctl('__complete', 'describe', 'configmaps/comp')).stdout, 'configmaps/complete-me\n:4\n');
    assert.equal((await ctl('__complete', 'get', 'cm', '-n', 'nowhere', '')).stdout, ':4\n');
  });

  test('taint adds, refuses a silent overwrite, overwrites and removes', async () => {
    assert.equal((await ctl('taint', 'clusters', 'm2', 'dedicated=a:NoSchedule')).stdout, 'cluster/m2 tainted\n');
    const again = await ctl('taint', 'clusters', 'm2', 'dedicated=b:NoSchedule');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /cluster m2 already has dedicated taint\(s\) with same effect\(s\) and --overwrite is false/);
    assert.equal((await ctl('taint', 'clusters', 'm2', 'dedicated=b:NoSchedule', '--overwrite')).stdout, 'cluster/m2 modified\n');
    assert.deepEqual(await clusterTaints('m2'), [{ key: 'dedicated', value: 'b', effect: 'NoSchedule' }]);
    assert.equal((await ctl('taint', 'clusters', 'm2', 'dedicated-')).stdout, 'cluster/m2 untainted\n');
    assert.deepEqual(await clusterTaints('m2'), []);
    assert.match((await ctl('taint', 'node', 'm2', 'a=b:NoSchedule')).stderr, /invalid resource type node, only \["cluster" "clusters"\] are supported/);
  });

  test('apply --all-clusters creates the PropagationPolicy; get -s all shows every cluster with CLUSTER and ADOPTION', async () => {
    const file = join(dir, 'web.yaml');
    writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {app: web}}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: nginx, image: nginx, resources: {requests: {cpu: 100m}}}]}\n',
    );
    const r = await ctl('apply', '-f', file, '--all-clusters');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^deployment\.apps\/web created$/m);
    const policyLine = r.stdout.match(/^propagationpolicy\.policy\.karmada\.io\/(web-[a-z0-9]+) created$/m);
    assert.ok(policyLine, r.stdout);
    const pp = JSON.parse(await karmada.ok(['get', 'pp', policyLine[1]!, '-o', 'json']));
    assert.deepEqual(pp.spec.resourceSelectors, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' }]);
    assert.deepEqual(pp.spec.placement.clusterAffinity, {});
    for (const m of [m1, m2]) await eventually(async () => (await m.kubectl.run(['get', 'deploy', 'web'])).code === 0, `web in ${m.name}`, 30_000);

    const get = await ctl('get', 'deploy', '-s', 'all');
    assert.equal(get.code, 0, get.stderr);
    const rows = get.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/));
    assert.deepEqual(rows[0], ['NAME', 'CLUSTER', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'ADOPTION']);
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[1], r[r.length - 1]]), [
      ['web', 'Karmada', '-'],
      ['web', 'm1', 'Y'],
      ['web', 'm2', 'Y'],
    ]);
    const only = await ctl('-s', 'members', '-C', 'm2', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels.karmada\\.io/managed}');
    assert.equal(only.stdout, 'true');
    const missing = await ctl('get', 'deploy', '-s', 'members', '-C', 'm9');
    assert.match(missing.stderr, /clusters don't exist: m9/);
    const notThere = await ctl('get', 'deploy', 'nope', '-s', 'all');
    assert.equal(notThere.code, 1);
    assert.match(notThere.stderr, /^Error from server \(NotFound\): deployments\.apps "nope" not found$/m);
    assert.match(notThere.stderr, /^cluster\(m1\): deployments\.apps "nope" not found$/m);
  });

  test('describe in a member, and the kubectl-backed commands on the control plane', async () => {
    const d = await ctl('describe', 'deploy', 'web', '-s', 'members', '-C', 'm1');
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /^Name:\s+web$/m);
    assert.match(d.stdout, /karmada\.io\/managed=true/);

    const cm = join(dir, 'cm.yaml');
    writeFileSync(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: "1"}\n');
    assert.match((await ctl('create', '-f', cm)).stdout, /configmap\/settings created/);
    assert.match((await ctl('label', 'configmap', 'settings', 'tier=gold')).stdout, /configmap\/settings labeled/);
    assert.match((await ctl('annotate', 'configmap', 'settings', 'note=kept')).stdout, /configmap\/settings annotated/);
    assert.match((await ctl('patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"a":"2"}}')).stdout, /configmap\/settings patched/);
    const stored = JSON.parse(await karmada.ok(['get', 'configmap', 'settings', '-o', 'json']));
    assert.equal(stored.metadata.labels.tier, 'gold');
    assert.equal(stored.metadata.annotations.note, 'kept');
    assert.equal(stored.data.a, '2');
    assert.match((await ctl('delete', 'configmap', 'settings')).stdout, /configmap "settings" deleted/);
    assert.notEqual((await karmada.run(['get', 'configmap', 'settings'])).code, 0);

    assert.match((await ctl('api-versions')).stdout, /^policy\.karmada\.io\/v1alpha1$/m);
    const memberResources = await ctl('api-resources', '-s', 'members', '--cluster', 'm1');
    assert.match(memberResources.stdout, /^nodes\s/m);
    assert.doesNotMatch(memberResources.stdout, /propagationpolicies/);
    assert.match((await ctl('explain', 'propagationpolicy.spec.placement')).stdout, /KIND:\s+PropagationPolicy/);
    assert.match((await ctl('logs', 'web')).stderr, /must specify a cluster/);
  });

  test('the kubectl-backed commands work with kubectl 1.27 and 1.33, on the control plane and through the proxy', async () => {
    for (const v of ['1.27', '1.33']) {
      const binary = `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`;
      const env = { KUBECACHEDIR: join(dir, `kubecache-${v}`), KARMADACTL_KUBECTL: binary };
      const run = (...args: string[]) => runCli('karmadactl', ['--kubeconfig', cpConfig, ...args], { env });
      const label = await run('label', 'deploy', 'web', `kubectl=v${v.replace('.', '-')}`, '--overwrite');
      assert.equal(label.code, 0, label.stderr);
      assert.equal(await karmada.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels.kubectl}']), `v${v.replace('.', '-')}`);
      const yaml = await run('get', 'deploy', 'web', '-s', 'members', '-C', 'm2', '-o', 'jsonpath={.metadata.labels.karmada\\.io/managed}');
      assert.equal(yaml.stdout, 'true', yaml.stderr);
      const d = await run('describe', 'nodes', '-s', 'members', '-C', 'm2');
      assert.match(d.stdout, /^Name:\s+m2-/m, d.stderr);
    }
  });

  test('top node and top pod across members', async () => {
    await eventually(async () => /^web-\S+\s+m1\s+\d+m\s+\d+Mi$/m.test((await ctl('top', 'pod')).stdout), 'pod metrics from m1', 30_000);
    const pods = await ctl('top', 'pod', '-C', 'm2');
    assert.match(pods.stdout, /^NAME\s+CLUSTER\s+CPU\(cores\)\s+MEMORY\(bytes\)$/m);
    assert.doesNotMatch(pods.stdout, /\sm1\s/);
    const nodes = await ctl('top', 'node');
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.match(nodes.stdout, /^NAME\s+CLUSTER\s+CPU\(cores\)\s+CPU%\s+MEMORY\(bytes\)\s+MEMORY%$/m);
    assert.match(nodes.stdout, /^\S+\s+m1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%$/m);
    assert.match(nodes.stdout, /^\S+\s+m2\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%$/m);
  });

  test('promote adopts a Deployment running in a member without recreating it', async () => {
    await m1.kubectl.ok(['create', '-f', '-'], {
      stdin: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'legacy', namespace: 'default', labels: { app: 'legacy' } },
        spec: { replicas: 2, selector: { matchLabels: { app: 'legacy' } }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
      }),
    });
    const uid = await m1.kubectl.ok(['get', 'deploy', 'legacy', '-o', 'jsonpath={.metadata.uid}']);
    const podsBefore = await m1.kubectl.ok(['get', 'pods', '-l', 'app=legacy', '-o', 'jsonpath={.items[*].metadata.uid}']);
    const r = await ctl('promote', 'deployment', 'legacy', '-n', 'default', '-C', 'm1');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ResourceTemplate \(default\/legacy\) is created successfully$/m);
    assert.match(r.stdout, /^PropagationPolicy \(default\/legacy-[a-z0-9]+\) is created successfully$/m);
    assert.match(r.stdout, /^Resource "apps\/v1, Resource=deployments"\(default\/legacy\) is promoted successfully$/m);
    const template = JSON.parse(await karmada.ok(['get', 'deploy', 'legacy', '-o', 'json']));
    assert.equal(template.metadata.annotations['work.karmada.io/conflict-resolution'], 'overwrite');
    const pp = JSON.parse(await karmada.ok(['get', 'pp', '-o', 'json'])).items.find((p: { spec: { resourceSelectors: { name: string }[] } }) => p.spec.resourceSelectors[0]?.name === 'legacy');
    assert.equal(pp.spec.conflictResolution, 'Overwrite');
    assert.deepEqual(pp.spec.placement.clusterAffinity.clusterNames, ['m1']);
    // Karmada takes it over in place: the same object, now labelled as managed, and its pods untouched
    await eventually(async () => (await m1.kubectl.ok(['get', 'deploy', 'legacy', '-o', 'jsonpath={.metadata.labels.karmada\\.io/managed}'])) === 'true', 'legacy adopted', 30_000);
    assert.equal(await m1.kubectl.ok(['get', 'deploy', 'legacy', '-o', 'jsonpath={.metadata.uid}']), uid);
    assert.equal(await m1.kubectl.ok(['get', 'pods', '-l', 'app=legacy', '-o', 'jsonpath={.items[*].metadata.uid}']), podsBefore);
    assert.notEqual((await m2.kubectl.run(['get', 'deploy', 'legacy'])).code, 0);
    const again = await ctl('promote', 'deployment', 'legacy', '-n', 'default', '-C', 'm1');
    assert.match(again.stderr, /already exist in karmada control plane/);
  });

  test('promote --dependencies adopts the ConfigMap a Deployment uses, with propagateDeps', async () => {
    await m1.kubectl.ok(['create', 'configmap', 'legacy-config', '--from-literal=mode=prod']);
    await m1.kubectl.ok(['create', '-f', '-'], {
      stdin: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'with-deps', namespace: 'default', labels: { app: 'with-deps' } },
        spec: { replicas: 1, selector: { matchLabels: { app: 'with-deps' } }, template: { metadata: { labels: { app: 'with-deps' } }, spec: { containers: [{ name: 'app', image: 'nginx', envFrom: [{ configMapRef: { name: 'legacy-config' } }] }] } } },
      }),
    });
    const r = await ctl('promote', 'deployment', 'with-deps', '-n', 'default', '-C', 'm1', '-d');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ResourceTemplate \(default\/legacy-config\) is created successfully$/m);
    assert.match(r.stdout, /^Resource "v1, Resource=configmaps"\(default\/legacy-config\) is promoted successfully$/m);
    assert.equal(await karmada.ok(['get', 'cm', 'legacy-config', '-o', 'jsonpath={.data.mode}']), 'prod');
    const pp = JSON.parse(await karmada.ok(['get', 'pp', '-o', 'json'])).items.find((p: { spec: { resourceSelectors: { name: string }[] } }) => p.spec.resourceSelectors[0]?.name === 'with-deps');
    assert.equal(pp.spec.propagateDeps, true);
  });

  test('get --watch across the control plane and members merges their rows under a CLUSTER column', async () => {
    const r = await ctl('get', 'deploy', 'legacy', '-w', '--operation-scope', 'all', '--clusters', 'm1', '--request-timeout', '3s');
    assert.match(r.stdout, /^CLUSTER\s+NAME\s+READY/m);
    assert.match(r.stdout, /^Karmada\s+legacy\s/m);
    assert.match(r.stdout, /^m1\s+legacy\s/m);
    assert.equal(r.stdout.match(/^CLUSTER/gm)?.length, 1);
  });

  test('interpret --check and --operation run the Lua rules locally', async () => {
    const ric = join(dir, 'ric.yaml');
    writeFileSync(
      ric,
      [
        'apiVersion: config.karmada.io/v1alpha1',
        'kind: ResourceInterpreterCustomization',
        'metadata: {name: deploy-rules}',
        'spec:',
        '  target: {apiVersion: apps/v1, kind: Deployment}',
        '  customizations:',
        '    healthInterpretation:',
        '      luaScript: |',
        '        function InterpretHealth(obj)',
        '          return obj.status ~= nil and obj.status.readyReplicas == obj.spec.replicas',
        '        end',
        '    replicaResource:',
        '      luaScript: |',
        '        function GetReplicas(obj',
        '',
      ].join('\n'),
    );
    const check = await ctl('interpret', '-f', ric, '--check');
    assert.equal(check.code, 1);
    assert.match(check.stdout, /TARGET: apps\/v1 Deployment/);
    assert.match(check.stdout, /InterpretHealth:\s+PASS/);
    assert.match(check.stdout, /InterpretReplica:\s+ERROR: /);
    const observed = join(dir, 'observed.yaml');
    writeFileSync(observed, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: 2}\nstatus: {readyReplicas: 2}\n');
    const run = await ctl('interpret', '-f', ric, '--operation', 'InterpretHealth', '--observed-file', observed);
    assert.equal(run.stdout, '---\n# [1/1] healthy:\ntrue\n');

    // without -f: karmada-ts's own interpretation of the object (native here)
    const desired = join(dir, 'desired.yaml');
    writeFileSync(desired, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, namespace: default}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]\n');
    const builtin = await ctl('interpret', '--operation', 'InterpretReplica', '--desired-file', desired);
    assert.match(builtin.stdout, /^---\n# \[1\/2\] replica:\n2\n---\n# \[2\/2\] requires:\n(.*\n)*resourceRequest:\n {2}cpu: 100m\n/);
    const unknown = join(dir, 'unknown.yaml');
    writeFileSync(unknown, 'apiVersion: example.io/v1\nkind: Thing\nmetadata: {name: x}\nspec: {replicas: 2}\n');
    const none = await ctl('interpret', '--operation', 'InterpretReplica', '--desired-file', unknown);
    assert.equal(none.stderr, 'Execute InterpretReplica error: rule is not enabled\n');
  });
});
