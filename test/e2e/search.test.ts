// karmada-search end to end (issue 18 point 3): a ResourceRegistry over every member of the
// playground (member3 in Pull mode), then the search cache and the proxy read with the real kubectl:
// every member's Deployments and pods with the member they came from, `kubectl get pods -A` through
// the proxy, paging, a watch that sees a new Deployment, and a write that reaches the member.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, type Kubectl } from '../support/kubectl.js';
import { startPlayground, type PlaygroundEnv } from '../support/playground.js';

const memberNames = ['member1', 'member2', 'member3'];
const cachePath = '/apis/search.karmada.io/v1alpha1/search/cache';
const proxyPath = '/apis/search.karmada.io/v1alpha1/proxying/karmada/proxy';
const fromCluster = 'resource.karmada.io/cached-from-cluster';

let env: PlaygroundEnv | undefined;
let karmada: Kubectl;
let proxyArgs: string[];

interface Item {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string>; managedFields?: unknown };
}
interface List {
  kind: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: Item[];
}

const deployment = (name: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default, labels: {app: ${name}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}, search-e2e: "yes"}}
    spec: {containers: [{name: web, image: nginx}]}
`;

const registry = `apiVersion: search.karmada.io/v1alpha1
kind: ResourceRegistry
metadata: {name: everything}
spec:
  targetCluster: {clusterNames: [member1, member2, member3]}
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment}
  - {apiVersion: v1, kind: Pod}
`;

const raw = async (path: string): Promise<List> => JSON.parse(await karmada.ok(['get', '--raw', path])) as List;
/** "cluster/name" of each item, sorted */
const byCluster = (l: List) => l.items.map((i) => `${i.metadata.annotations?.[fromCluster]}/${i.metadata.name}`).sort();

before(async () => {
  env = await startPlayground('search-e2e', {});
  karmada = env.karmada;
  proxyArgs = ['--server', `${env.pg.controlPlane.url}${proxyPath}`];
  await Promise.all(memberNames.map((m) => env!.members.ok(['--context', m, 'apply', '-f', '-'], { stdin: deployment(`web-${m}`) })));
  await karmada.ok(['apply', '-f', '-'], { stdin: registry });
});
after(async () => {
  await env?.stop();
});

test('the search API is discoverable beside ResourceRegistry', async () => {
  const out = await karmada.ok(['api-resources', '--api-group', 'search.karmada.io']);
  assert.match(out, /resourceregistries/);
});

test('search/cache lists every member\'s Deployments and pods, each with its cluster', async () => {
  const want = memberNames.map((m) => `${m}/web-${m}`).sort();
  const deploys = await eventually<List | undefined>(async () => {
    const l = await raw(`${cachePath}/apis/apps/v1/deployments`);
    return JSON.stringify(byCluster(l)) === JSON.stringify(want) ? l : undefined;
  }, 'every member\'s Deployment in search/cache', 30_000, 300);
  assert.ok(deploys);
  assert.equal(deploys.kind, 'DeploymentList');
  assert.equal(deploys.items[0]!.metadata.managedFields, undefined, 'managedFields are not cached');
  const pods = await eventually<List | undefined>(async () => {
    const l = await raw(`${cachePath}/api/v1/namespaces/default/pods?labelSelector=search-e2e%3Dyes`);
    return l.items.length === 6 ? l : undefined;
  }, 'two pods per member in search/cache', 30_000, 300);
  assert.ok(pods);
  for (const m of memberNames) assert.equal(pods.items.filter((i) => i.metadata.annotations?.[fromCluster] === m && i.metadata.name.startsWith(`web-${m}-`)).length, 2, m);
});

test('the proxy lists and gets from the cache with a multi-cluster resourceVersion', async () => {
  const l = await raw(`${proxyPath}/apis/apps/v1/namespaces/default/deployments`);
  assert.deepEqual(byCluster(l), memberNames.map((m) => `${m}/web-${m}`).sort());
  const rvs = JSON.parse(Buffer.from(l.metadata.resourceVersion!, 'base64url').toString()) as Record<string, string>;
  assert.deepEqual(Object.keys(rvs).sort(), memberNames);
  const one = JSON.parse(await karmada.ok(['get', '--raw', `${proxyPath}/apis/apps/v1/namespaces/default/deployments/web-member2`])) as Item & { metadata: { resourceVersion: string } };
  assert.equal(one.metadata.annotations?.[fromCluster], 'member2');
  assert.deepEqual(Object.keys(JSON.parse(Buffer.from(one.metadata.resourceVersion, 'base64url').toString())), ['member2']);
  const missing = await karmada.run(['get', '--raw', `${proxyPath}/apis/apps/v1/namespaces/default/deployments/nope`]);
  assert.match(missing.stderr, /deployments.apps "nope" not found/);
});

test('kubectl get pods -A through the proxy shows every member\'s pods', async () => {
  const out = await karmada.ok([...proxyArgs, 'get', 'pods', '-A', '-l', 'search-e2e=yes']);
  assert.match(out.split('\n')[0]!, /NAMESPACE\s+NAME\s+READY\s+STATUS/);
  for (const m of memberNames) assert.equal(out.split('\n').filter((l) => l.includes(`web-${m}-`)).length, 2, out);
  const json = JSON.parse(await karmada.ok([...proxyArgs, 'get', 'deploy', '-A', '-o', 'json'])) as List;
  assert.deepEqual(byCluster(json).filter((s) => s.includes('/web-member')), memberNames.map((m) => `${m}/web-${m}`).sort());
});

test('limit and continue page across members without losing or repeating a pod', async () => {
  const all = byCluster(await raw(`${cachePath}/api/v1/pods?labelSelector=search-e2e%3Dyes`));
  const seen: string[] = [];
  let token = '';
  for (let pages = 0; pages < 20; pages++) {
    const page = await raw(`${proxyPath}/api/v1/pods?labelSelector=search-e2e%3Dyes&limit=4${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    assert.ok(page.items.length <= 4);
    seen.push(...byCluster(page));
    token = page.metadata.continue ?? '';
    if (!token) break;
  }
  assert.deepEqual(seen.sort(), all);
});

test('a watch through the proxy sees a Deployment created in a member', async () => {
  // kubectl's own table output: the watch is served as Table rows
  const watch = karmada.background([...proxyArgs, 'get', 'deploy', '-A', '-w']);
  try {
    await eventually(() => watch.output().includes('web-member1'), 'the watch\'s initial list', 20_000, 200);
    await env!.members.ok(['--context', 'member2', 'apply', '-f', '-'], { stdin: deployment('late', 1) });
    await eventually(() => /\ndefault\s+late\s/.test(watch.output()), 'the new Deployment in the watch', 30_000, 200);
  } finally {
    await watch.stop();
  }
});

test("the playground's own requests carry its User-Agent: a joined member's Cluster is managed by karmada-ts-playground", async () => {
  const managers = await karmada.ok(['get', 'cluster', 'member1', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
  assert.ok(managers.split(' ').includes('karmada-ts-playground'), managers);
  assert.ok(!managers.split(' ').includes('unknown'), managers);
});

test('a write through the proxy reaches the member that holds the object; other resources go to the control plane', async () => {
  await karmada.ok([...proxyArgs, 'label', 'deploy', 'web-member3', '-n', 'default', 'touched=yes']);
  const labels = JSON.parse(await env!.members.ok(['--context', 'member3', 'get', 'deploy', 'web-member3', '-n', 'default', '-o', 'jsonpath={.metadata.labels}'])) as Record<string, string>;
  assert.equal(labels.touched, 'yes');
  // namespaces are not cached: the control plane's own, where Karmada keeps karmada-system
  const namespaces = await karmada.ok([...proxyArgs, 'get', 'ns', '-o', 'name']);
  assert.match(namespaces, /namespace\/karmada-system/);
  const create = await karmada.run([...proxyArgs, 'create', 'deploy', 'nowhere', '--image', 'nginx']);
  assert.notEqual(create.code, 0);
  assert.match(create.stderr, /not supported|MethodNotAllowed/i);
});
