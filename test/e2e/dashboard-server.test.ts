// The dashboard's server (issue 19) against the playground with real HTTP: the key cookie, the Host
// check, read-only methods, the /k8s passthrough (lists and watches), and the /ui/v1 views, live.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { buildKubeconfig } from '../../src/apiserver/auth/kubeconfig.js';
import { DashboardServer } from '../../src/dashboard/server.js';
import { startPlayground, type PlaygroundEnv } from '../support/playground.js';
import { dashClient, loginCookie } from '../support/dashboard.js';
import { eventually } from '../support/kubectl.js';

const divided = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 100m}}}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: default}
data: {a: b}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}, {apiVersion: v1, kind: ConfigMap, name: web-config}]
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference: {staticWeightList: [{targetCluster: {clusterNames: [member1]}, weight: 3}, {targetCluster: {clusterNames: [member2]}, weight: 1}]}
---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: web-image, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  overrideRules:
  - targetCluster: {clusterNames: [member2]}
    overriders:
      imageOverrider: [{component: Tag, operator: replace, value: '1.28'}]
`;

const teamManifests = ['team-a', 'team-b']
  .map((ns) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec: {containers: [{name: app, image: nginx}]}
`)
  .join('---\n')
  .concat(`---
apiVersion: v1
kind: ServiceAccount
metadata: {name: viewer, namespace: team-a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewer-view, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: viewer, namespace: team-a}]
`);

let env: PlaygroundEnv;
let dash: DashboardServer;
let http: ReturnType<typeof dashClient>;
let cookie: string;

before(async () => {
  env = await startPlayground('dashboard', { timing: { podStartupMs: 100 }, clusterStatus: { statusUpdateIntervalMs: 1000, successThresholdMs: 2000, failureThresholdMs: 2000 } });
  dash = await DashboardServer.start({ kubeconfig: readFileSync(env.pg.karmadaConfigPath, 'utf8'), port: 0 });
  http = dashClient(dash.port);
  cookie = await loginCookie(dash.port, dash.key);
});

after(async () => {
  await dash?.stop();
  await env?.stop();
});

/** open watches on the control plane for one resource (kube-apiserver's apiserver_longrunning_requests) */
async function watching(resource: string): Promise<number> {
  const text = await env.karmada.ok(['get', '--raw', '/metrics']);
  return text
    .split('\n')
    .filter((l) => l.startsWith('apiserver_longrunning_requests{') && l.includes(`resource="${resource}"`))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('dashboard server', () => {
  test('until a view is asked for, a dashboard watches only clusters (an `up` nobody looks at costs its API server nothing)', async () => {
    const clusters = await watching('clusters');
    const bindings = await watching('resourcebindings');
    const second = await DashboardServer.start({ kubeconfig: readFileSync(env.pg.karmadaConfigPath, 'utf8'), port: 0 });
    try {
      await eventually(async () => (await watching('clusters')) === clusters + 1, 'the second dashboard to watch clusters');
      assert.equal(await watching('resourcebindings'), bindings);
      const res = await dashClient(second.port).call('/ui/v1/workloads', { cookie: await loginCookie(second.port, second.key) });
      assert.equal(res.status, 200, res.body);
      assert.equal(await watching('resourcebindings'), bindings + 1);
    } finally {
      await second.stop();
    }
  });

  test('the key: printed URL sets an HttpOnly SameSite=Strict cookie; /k8s and /ui need it', async () => {
    assert.match(dash.url, new RegExp(`^http://127\\.0\\.0\\.1:${dash.port}/\\?key=[A-Za-z0-9_-]+$`));
    const login = await http.call(`/?key=${dash.key}`);
    assert.equal(login.status, 302);
    assert.equal(login.headers.location, '/');
    assert.match(String(login.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
    const wrong = await http.call('/?key=nope');
    assert.equal(wrong.status, 401);
    for (const path of ['/ui/v1/clusters', '/k8s/api/v1/namespaces']) {
      const r = await http.call(path);
      assert.equal(r.status, 401, path);
      assert.equal(r.json().kind, 'Status');
      assert.match(r.json().message, /dashboard key/);
    }
    assert.equal((await http.call('/ui/v1/clusters', { cookie: 'karmada_dashboard_1=x' })).status, 401);
  });

  test('Host must be 127.0.0.1:PORT or localhost:PORT; only GET', async () => {
    const rebound = await http.call('/ui/v1/clusters', { cookie, host: `attacker.example:${dash.port}` });
    assert.equal(rebound.status, 403);
    assert.match(rebound.json().message, /host "attacker\.example:\d+" is not allowed/);
    assert.equal((await http.call('/ui/v1/whoami', { cookie, host: `localhost:${dash.port}` })).status, 200);
    const post = await http.call('/k8s/api/v1/namespaces', { cookie, method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.json().reason, 'MethodNotAllowed');
    assert.equal((await http.call('/k8s/api/v1/namespaces/default', { cookie, method: 'DELETE' })).status, 405);
  });

  test('/ serves the UI, or a page saying to build it; unknown /ui paths are a 404 Status', async () => {
    const root = await http.call('/');
    assert.equal(root.status, 200);
    assert.match(String(root.headers['content-type']), /^text\/html/);
    assert.match(String(root.headers['content-security-policy']), /default-src 'self'.*frame-ancestors 'none'/);
    const deep = await http.call('/workloads/apps/v1/Deployment/default/web');
    assert.equal(deep.body, root.body);
    const unknown = await http.call('/ui/v1/nothing', { cookie });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().kind, 'Status');
  });

  test('/k8s passes reads through with the kubeconfig identity, watches stream', async () => {
    const ns = await http.call('/k8s/api/v1/namespaces', { cookie });
    assert.equal(ns.status, 200);
    assert.ok(ns.json().items.some((n: any) => n.metadata.name === 'default'));
    const missing = await http.call('/k8s/api/v1/namespaces/nope', { cookie });
    assert.equal(missing.status, 404);
    assert.equal(missing.json().reason, 'NotFound');
    const who = (await http.call('/ui/v1/whoami', { cookie })).json();
    assert.ok(who.user, JSON.stringify(who));
    // a watch answers its first events without the stream ending
    const chunks: string[] = [];
    const { request } = await import('node:http');
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: dash.port, path: '/k8s/apis/cluster.karmada.io/v1alpha1/clusters?watch=1', headers: { Host: `127.0.0.1:${dash.port}`, Cookie: cookie } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          chunks.push(d);
          if (chunks.join('').includes('"member2"')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (e) => (chunks.join('').includes('member2') ? resolve() : reject(e)));
      req.end();
    });
    assert.match(chunks.join(''), /"type":"ADDED"/);
  });

  test('clusters: health, mode, nodes, capacity', async () => {
    const doc = (await http.call('/ui/v1/clusters', { cookie })).json();
    const names = doc.items.map((c: any) => c.name);
    assert.deepEqual(names, ['member1', 'member2', 'member3']);
    const m1 = doc.items[0];
    assert.equal(m1.ready, 'True');
    assert.equal(m1.syncMode, 'Push');
    assert.equal(doc.items[2].syncMode, 'Pull');
    assert.ok(m1.nodes.total > 0);
    assert.ok(m1.allocatable.cpu.value > 0, JSON.stringify(m1.allocatable));
    assert.ok(m1.readyTransitions.length >= 1);
  });

  test('workloads: a Divided Deployment with its policy, replicas per cluster and health; server-side filters', async () => {
    await env.karmada.ok(['apply', '-f', '-'], { stdin: divided });
    const row = await eventually(async () => {
      const doc = (await http.call('/ui/v1/workloads?namespace=default&kind=Deployment', { cookie })).json();
      const web = doc.items.find((r: any) => r.name === 'web');
      return web?.health === 'Healthy' ? web : undefined;
    }, 'web Healthy on the workloads page', 60_000);
    assert.deepEqual(row.policy, { kind: 'PropagationPolicy', namespace: 'default', name: 'web' });
    assert.deepEqual(row.clusters, [{ name: 'member1', replicas: 3 }, { name: 'member2', replicas: 1 }]);
    assert.deepEqual(row.replicas, { desired: 4, ready: 4 });
    assert.equal(row.scheduled, true);
    const names = async (q: string) => (await http.call(`/ui/v1/workloads?${q}`, { cookie })).json().items.map((r: any) => `${r.namespace}/${r.kind}/${r.name}`);
    assert.deepEqual(await names('cluster=member2&namespace=default'), ['default/ConfigMap/web-config', 'default/Deployment/web']);
    assert.deepEqual(await names('namespace=default&kind=ConfigMap'), ['default/ConfigMap/web-config']);
    assert.deepEqual(await names('namespace=default&q=web-c'), ['default/ConfigMap/web-config']);
    assert.deepEqual(await names('namespace=default&cluster=member3'), []);
    assert.deepEqual(await names('namespace=default&health=Unhealthy'), []);
    const page = (await http.call('/ui/v1/workloads?namespace=default&limit=1&offset=1', { cookie })).json();
    assert.equal(page.total, 2);
    assert.deepEqual(page.items.map((r: any) => r.name), ['web']);
    const bad = await http.call('/ui/v1/workloads?limit=lots', { cookie });
    assert.equal(bad.status, 400);
    assert.match(bad.json().message, /query parameter limit/);
  });

  test("a Divided Deployment's page: replicas per cluster, the timeline, the scheduler's explanation, overrides, pods", async () => {
    const d = await eventually(async () => {
      const doc = (await http.call('/ui/v1/workloads/apps/v1/Deployment/default/web', { cookie })).json();
      return doc.timeline?.every((s: any) => s.status === 'done') && doc.pods?.length === 4 ? doc : undefined;
    }, 'every timeline step done and 4 pods', 60_000);
    assert.deepEqual(d.row.clusters, [{ name: 'member1', replicas: 3 }, { name: 'member2', replicas: 1 }]);
    assert.equal(d.binding.metadata.name, 'web-deployment');
    assert.equal(d.template.metadata.name, 'web');
    assert.deepEqual(d.timeline.map((s: any) => `${s.step}${s.cluster ? `@${s.cluster}` : ''}`), ['TemplateCreated', 'PolicyMatched', 'Scheduled', 'WorkCreated@member1', 'WorkCreated@member2', 'Applied@member1', 'Applied@member2', 'Healthy@member1', 'Healthy@member2']);
    assert.ok(d.timeline.every((s: any) => s.time), JSON.stringify(d.timeline));
    assert.match(d.timeline[1].message, /Apply policy\(default\/web\) succeed/);
    const ex = Object.fromEntries(d.explanation.clusters.map((c: any) => [c.name, c]));
    assert.equal(ex.member1.feasible, true);
    assert.equal(ex.member2.feasible, true);
    assert.equal(ex.member1.assigned, 3);
    assert.equal(ex.member2.assigned, 1);
    assert.ok(ex.member1.maxReplicas > 0);
    assert.equal(ex.member3.feasible, false);
    assert.ok(ex.member3.filters.some((f: any) => f.plugin === 'ClusterAffinity' && f.result !== 'Success'), JSON.stringify(ex.member3.filters));
    const ov = Object.fromEntries(d.overrides.map((o: any) => [o.cluster, o]));
    assert.deepEqual(ov.member2.policies, ['web-image']);
    assert.match(ov.member2.diff, /^-.*image: nginx:1\.27$/m);
    assert.match(ov.member2.diff, /^\+.*image: nginx:1\.28$/m);
    assert.equal(ov.member1.diff, '');
    assert.deepEqual(d.pods.map((p: any) => p.cluster), ['member1', 'member1', 'member1', 'member2']);
    assert.ok(d.pods.every((p: any) => p.namespace === 'default' && p.node && p.phase === 'Running' && p.ready === '1/1' && p.containers[0] === 'web'), JSON.stringify(d.pods));
    const pod = d.pods[0];
    const log = await http.call(`/k8s/apis/cluster.karmada.io/v1alpha1/clusters/${pod.cluster}/proxy/api/v1/namespaces/default/pods/${pod.name}/log`, { cookie });
    assert.equal(log.status, 200, log.body);
    assert.ok(log.body.length > 0);
    const missing = await http.call('/ui/v1/workloads/apps/v1/Deployment/default/nope', { cookie });
    assert.equal(missing.status, 404);
    assert.match(missing.json().message, /Deployment default\/nope \(apps\/v1\) not found/);
  });

  test('policies: claims and conflicts; failover what-if', async () => {
    await env.karmada.ok(['apply', '-f', '-'], { stdin: `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: every-deployment}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
  placement: {clusterAffinity: {clusterNames: [member1]}}
` });
    const doc = await eventually(async () => {
      const d = (await http.call('/ui/v1/policies', { cookie })).json();
      return d.items.some((p: any) => p.name === 'every-deployment') ? d : undefined;
    }, 'the ClusterPropagationPolicy listed');
    const web = doc.items.find((p: any) => p.kind === 'PropagationPolicy' && p.name === 'web');
    assert.deepEqual(web.claims, [{ kind: 'ConfigMap', namespace: 'default', name: 'web-config' }, { kind: 'Deployment', namespace: 'default', name: 'web' }]);
    assert.deepEqual(web.conflicts.map((c: any) => [c.template.name, c.otherPolicy.name, c.winner.name]), [['web', 'every-deployment', 'web']]);
    assert.match(web.conflicts[0].reason, /PropagationPolicy of the namespace comes before/);
    const whatif = (await http.call('/ui/v1/failover/whatif?cluster=member1', { cookie })).json();
    assert.equal(whatif.cluster, 'member1');
    assert.ok(whatif.rows.some((r: any) => r.name === 'web-deployment'), JSON.stringify(whatif));
    const unknown = await http.call('/ui/v1/failover/whatif?cluster=nope', { cookie });
    assert.equal(unknown.status, 404);
    assert.match(unknown.json().message, /cluster "nope" not found/);
    await env.karmada.ok(['delete', 'clusterpropagationpolicy', 'every-deployment']);
  });

  test('a user bound to view in team-a sees only team-a: workloads from its namespace, no clusters, 403s passed through', async () => {
    await env.karmada.ok(['apply', '-f', '-'], { stdin: teamManifests });
    await eventually(async () => JSON.parse(await env.karmada.ok(['get', 'clusterrole', 'view', '-o', 'json'])).rules?.length > 0, 'view aggregated');
    const token = (await env.karmada.ok(['create', 'token', 'viewer', '-n', 'team-a', '--duration', '20m'])).trim();
    const kc = new KubeConfig();
    kc.loadFromString(readFileSync(env.pg.karmadaConfigPath, 'utf8'));
    const cluster = kc.getCurrentCluster()!;
    const viewerConfig = buildKubeconfig([{ name: 'viewer', server: cluster.server, caPem: Buffer.from(cluster.caData!, 'base64').toString('utf8'), user: { token }, namespace: 'team-a' }]);
    const viewer = await DashboardServer.start({ kubeconfig: viewerConfig, port: 0 });
    try {
      const vh = dashClient(viewer.port);
      const vc = await loginCookie(viewer.port, viewer.key);
      const who = (await vh.call('/ui/v1/whoami', { cookie: vc })).json();
      assert.equal(who.user, 'system:serviceaccount:team-a:viewer');
      assert.equal(who.access.deployments, 'namespaces: team-a');
      assert.match(who.access.clusters, /^forbidden: /);
      const rows = (await vh.call('/ui/v1/workloads', { cookie: vc })).json();
      assert.deepEqual(rows.items.map((r: any) => `${r.namespace}/${r.kind}/${r.name}`), ['team-a/Deployment/app']);
      assert.equal(rows.total, 1);
      assert.deepEqual((await vh.call('/ui/v1/clusters', { cookie: vc })).json().items, []);
      const denied = await vh.call('/k8s/apis/apps/v1/namespaces/team-b/deployments', { cookie: vc });
      assert.equal(denied.status, 403);
      assert.match(denied.json().message, /cannot list resource "deployments" in API group "apps" in the namespace "team-b"/);
      const detail = await vh.call('/ui/v1/workloads/apps/v1/Deployment/team-b/app', { cookie: vc });
      assert.equal(detail.status, 404);
    } finally {
      await viewer.stop();
    }
  });

  test('live workloads: a snapshot, then an update when the template is scaled, without a new request', async () => {
    const stream = http.events('/ui/v1/workloads?namespace=default&kind=Deployment', cookie);
    try {
      await eventually(() => stream.frames.length >= 1, 'the snapshot');
      assert.equal(stream.frames[0]!.event, 'snapshot');
      assert.equal(JSON.parse(stream.frames[0]!.data).items[0].replicas.desired, 4);
      await env.karmada.ok(['scale', 'deployment', 'web', '--replicas', '8']);
      const update = await eventually(() => stream.frames.slice(1).find((f) => JSON.parse(f.data).items[0]?.replicas?.desired === 8), 'an update with 8 replicas', 30_000);
      assert.equal(update!.event, 'update');
    } finally {
      stream.close();
    }
    await env.karmada.ok(['scale', 'deployment', 'web', '--replicas', '4']);
  });

  test('live clusters: a member stops and the clusters stream says NotReady without a new request', async () => {
    const stream = http.events('/ui/v1/clusters', cookie);
    try {
      await eventually(() => stream.frames.length >= 1, 'the snapshot');
      assert.equal(stream.frames[0]!.event, 'snapshot');
      await env.pg.stopMember('member2');
      const update = await eventually(() => stream.frames.find((f) => f.event === 'update' && JSON.parse(f.data).items.find((c: any) => c.name === 'member2')?.ready === 'False'), 'member2 Ready=False in an update', 60_000);
      const m2 = JSON.parse(update!.data).items.find((c: any) => c.name === 'member2');
      assert.deepEqual(m2.readyTransitions.map((t: any) => t.status), ['True', 'False']);
    } finally {
      stream.close();
    }
  });
});
