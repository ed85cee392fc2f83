// The dashboard's server (issue 19) against the playground with real HTTP: the key cookie, the Host
// check, read-only methods, the /k8s passthrough (lists and watches), and the /ui/v1 views, live.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

describe('dashboard server', () => {
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
