// The dashboard (issue 19) in a real browser: Debian's chromium driven by playwright-core against
// the playground and `karmada-ts dashboard`'s server. A Deployment Divided 1:3 by static weights shows
// its replicas per cluster, propagation timeline, scheduler explanation and pods with logs; a stopped
// member turns NotReady on the open clusters page without a reload; a ServiceAccount with `view` on
// one namespace sees only that namespace. No request may leave 127.0.0.1. Screenshots of every page
// go to test-artifacts/dashboard/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildKubeconfig } from '../../src/apiserver/auth/kubeconfig.js';
import { DashboardServer } from '../../src/dashboard/server.js';
import { startPlayground, type PlaygroundEnv } from '../support/playground.js';
import { eventually } from '../support/kubectl.js';

const chromiumPath = '/usr/bin/chromium';
const ci = process.env.CI === 'true' || process.env.CI === '1';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium && ci) throw new Error(`CI is set but ${chromiumPath} is missing: .ci/install-deps installs Debian's chromium`);
if (!haveChromium) console.error(`\n*** SKIPPING the dashboard browser tests: ${chromiumPath} is missing (apt-get install -y chromium) ***\n`);

const artifacts = join(process.cwd(), 'test-artifacts', 'dashboard');
const uiBuilt = existsSync(join(process.cwd(), 'dist', 'dashboard', 'index.html'));

let env: PlaygroundEnv;
let dash: DashboardServer;
let viewerDash: DashboardServer | undefined;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** every request any page made that was not to 127.0.0.1 (or a data: URL) */
const outside: string[] = [];
/** script errors and Content-Security-Policy refusals (failed API calls are the pages' own business) */
const pageErrors: string[] = [];

async function open(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.protocol !== 'data:' && u.hostname !== '127.0.0.1') outside.push(req.url());
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(m.text());
  });
  await page.goto(url);
  return page;
}

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage });
/** the visible text of the first match, '' while there is none */
const text = async (page: Page, selector: string) => ((await page.locator(selector).count()) ? (await page.locator(selector).first().innerText()).trim() : '');

const deployment = (ns: string, name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: web, image: nginx:1.25, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
`;
const weightedPolicy = (ns: string, name: string) => `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: ${name}, namespace: ${ns}}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: ${name}}]
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [member1]}, weight: 1}
        - {targetCluster: {clusterNames: [member2]}, weight: 3}
`;
const apply = (yaml: string) => env.karmada.ok(['apply', '-f', '-'], { stdin: yaml });

describe('dashboard in chromium', { skip: !haveChromium }, () => {
  before(async () => {
    assert.ok(uiBuilt, 'dist/dashboard/index.html is missing: run `npm run build` first (it builds the UI with Vite)');
    mkdirSync(artifacts, { recursive: true });
    env = await startPlayground('dashboard-ui', { timing: { podStartupMs: 100 }, clusterStatus: { statusUpdateIntervalMs: 1000, successThresholdMs: 2000, failureThresholdMs: 2000 } });
    dash = await DashboardServer.start({ kubeconfig: readFileSync(env.pg.karmadaConfigPath, 'utf8'), port: 0 });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await viewerDash?.stop();
    await dash?.stop();
    await env?.stop();
  });

  test('the workload page: replicas per cluster, the propagation timeline, the scheduler explanation, pods and logs', async () => {
    await apply(`apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: web-canary, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  overrideRules:
  - targetCluster: {clusterNames: [member2]}
    overriders:
      imageOverrider: [{component: Tag, operator: replace, value: '1.26'}]
`);
    await apply(deployment('default', 'web', 4) + '---\n' + weightedPolicy('default', 'web'));
    const page = await open(dash.url);
    await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
    // the first view lists what the dashboard had not yet read: who-am-I follows a moment later
    await eventually(async () => /Signed in as/.test(await text(page, '#whoami')), 'who am I');

    // to the workload through the list and its link, as a user would
    await page.getByRole('link', { name: 'Workloads', exact: true }).click();
    await page.locator('#workloads-table tbody tr[data-workload="default/Deployment/web"]').waitFor();
    await shot(page, 'workloads');
    await page.locator('#workloads-table').getByRole('link', { name: 'web', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Deployment default/web' }).waitFor();

    await eventually(async () => (await text(page, '#replicas-table tr[data-cluster="member1"] td')) === '1' && (await text(page, '#replicas-table tr[data-cluster="member2"] td')) === '3', 'replicas 1 on member1 and 3 on member2');
    assert.equal(await page.locator('#replicas-table tr[data-cluster="member3"]').count(), 0);

    // the timeline reaches Healthy, every step done, in Karmada's order
    const steps = async () => page.locator('#timeline li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-status')}`));
    await eventually(async () => (await steps()).includes('Healthy:done'), 'the Healthy step done', 30_000);
    const done = (await steps()).map((s) => s.split(':')[0]);
    for (const step of ['TemplateCreated', 'PolicyMatched', 'Scheduled', 'WorkCreated', 'Applied', 'Healthy']) assert.ok(done.includes(step), `timeline has ${step}: ${done.join(', ')}`);
    assert.ok(done.indexOf('PolicyMatched') < done.indexOf('Scheduled') && done.indexOf('Scheduled') < done.lastIndexOf('Healthy'), `in order: ${done.join(', ')}`);
    assert.match(await text(page, '#timeline li[data-step="Scheduled"]'), /done/);

    // the scheduler explanation: member3 is filtered out by the cluster affinity, the others get 1 and 3
    const cell = (cluster: string, col: number) => text(page, `#explain-table tr[data-cluster="${cluster}"] td:nth-of-type(${col})`);
    assert.match(await cell('member1', 1), /feasible/);
    assert.equal(await cell('member1', 5), '1');
    assert.equal(await cell('member2', 5), '3');
    assert.match(await cell('member3', 1), /filtered out/);
    assert.match(await cell('member3', 2), /ClusterAffinity/);
    assert.equal(await cell('member3', 5), '0');

    // the README's picture: the top of this page, as a reader first sees it
    await page.setViewportSize({ width: 1280, height: 1500 });
    await shot(page, 'workload-top', false);
    await page.setViewportSize({ width: 1280, height: 900 });

    // the override on member2 as a diff, its lines marked with words as well as +/-
    assert.match(await text(page, '#overrides .override[data-cluster="member2"] h3'), /web-canary/);
    assert.match(await text(page, '#overrides .override[data-cluster="member2"] .d-del'), /^removed:\s*-.*image: nginx:1\.25$/);
    assert.match(await text(page, '#overrides .override[data-cluster="member2"] .d-add'), /^added:\s*\+.*image: nginx:1\.26$/);
    assert.match(await text(page, '#overrides'), /No OverridePolicy applies on member1/);

    // the pod tree: 4 pods over the two members, each with a node; one's logs through the cluster proxy
    await eventually(async () => (await page.locator('section[aria-labelledby="pods-h"] tbody tr').count()) === 4, 'four pods listed');
    assert.match(await text(page, 'table[data-cluster="member2"] caption'), /Pods on member2 \(3\)/);
    await page.locator('table[data-cluster="member1"]').getByRole('button', { name: /^Logs/ }).first().click();
    await page.locator('pre.log').waitFor();
    assert.equal(await page.locator('section.logs [role="alert"]').count(), 0, await text(page, 'section.logs [role="alert"]'));
    await shot(page, 'workload');
  });

  test('policies and the failover what-if', async () => {
    // a ClusterPropagationPolicy selecting web too: the namespace's PropagationPolicy keeps it
    await apply(`apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: all-web}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement: {clusterAffinity: {clusterNames: [member1]}}
`);
    const page = await open(dash.url);
    // by keyboard: the skip link first, then the navigation's real links; Enter follows one
    await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await text(page, ':focus'), 'Skip to content');
    for (let i = 0; i < 6 && (await text(page, ':focus')) !== 'Policies'; i++) await page.keyboard.press('Tab');
    assert.equal(await text(page, ':focus'), 'Policies');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();
    assert.equal(await page.locator('nav a[aria-current="page"]').innerText(), 'Policies');
    await eventually(async () => /ClusterPropagationPolicy all-web/.test(await text(page, '#policies-table')), 'both policies listed');
    assert.match(await text(page, '#policies-table tr:has(th:text-is("PropagationPolicy default/web"))'), /Deployment default\/web/);
    await eventually(async () => (await page.locator('#conflicts-table tbody tr').count()) > 0, 'the conflict listed');
    const conflict = await text(page, '#conflicts-table tbody tr');
    assert.match(conflict, /^Deployment default\/web\b/);
    assert.match(conflict, /a PropagationPolicy of the namespace comes before any ClusterPropagationPolicy/);
    const winners = await page.locator('#conflicts-table tbody tr td:nth-of-type(3)').allInnerTexts();
    assert.deepEqual([...new Set(winners)], ['PropagationPolicy default/web']);
    await shot(page, 'policies');

    await page.getByRole('link', { name: 'Failover', exact: true }).click();
    await page.getByLabel('If this cluster failed now').selectOption('member2');
    await eventually(async () => /default\/web/.test(await text(page, '#whatif-table')), 'the what-if lists web on member2');
    assert.match(await text(page, '#whatif-table'), /\b3\b/);
    await shot(page, 'failover');
  });

  test('a ServiceAccount with view on team-a sees only team-a', async () => {
    await apply(`apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b}
---
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
    await apply([deployment('team-a', 'alpha', 1), weightedPolicy('team-a', 'alpha'), deployment('team-b', 'bravo', 1), weightedPolicy('team-b', 'bravo')].join('---\n'));
    await eventually(async () => JSON.parse(await env.karmada.ok(['get', 'clusterrole', 'view', '-o', 'json'])).rules?.length > 0, 'view aggregated');
    const token = (await env.karmada.ok(['create', 'token', 'viewer', '-n', 'team-a'])).trim();
    const admin = parse(readFileSync(env.pg.karmadaConfigPath, 'utf8'));
    const cluster = admin.clusters[0].cluster;
    const kubeconfig = buildKubeconfig([{ name: 'viewer', server: cluster.server, caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'), namespace: 'team-a', user: { token } }]);
    viewerDash = await DashboardServer.start({ kubeconfig, port: 0 });

    const page = await open(viewerDash.url);
    await eventually(async () => /system:serviceaccount:team-a:viewer/.test(await text(page, '#whoami')), 'who am I: the ServiceAccount');
    await page.getByRole('link', { name: 'Workloads', exact: true }).click();
    await page.locator('#workloads-table tbody tr[data-workload="team-a/Deployment/alpha"]').waitFor();
    const namespaces = await page.locator('#workloads-table tbody tr[data-workload]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-workload')!.split('/')[0]));
    assert.deepEqual([...new Set(namespaces)], ['team-a']);
    await shot(page, 'workloads-viewer');
    await page.getByRole('link', { name: 'Clusters', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
    assert.match(await text(page, 'main [role="note"]'), /cannot read the clusters: .*cannot list resource "clusters"/);
    await page.locator('#whoami summary').click();
    await shot(page, 'clusters-viewer');
    await page.getByRole('link', { name: 'Workloads', exact: true }).click();
    // the other namespace by the filter: nothing of it shows, whether the server answers empty or forbidden
    await page.getByLabel('Namespace').fill('team-b');
    await eventually(async () => /team-b|forbidden/i.test((await text(page, '#workloads-table caption')) + (await text(page, '[role="alert"]'))), 'the team-b filter applied');
    assert.equal(await page.locator('#workloads-table tbody tr[data-workload^="team-b/"]').count(), 0);
    // and the admin's dashboard does see team-b
    const adminPage = await open(dash.url);
    await adminPage.goto(new URL('/workloads?namespace=team-b', dash.url).href);
    await adminPage.locator('#workloads-table tbody tr[data-workload="team-b/Deployment/bravo"]').waitFor();
  });

  test('a stopped member turns NotReady on the open clusters page, without a reload', async () => {
    const page = await open(dash.url);
    const ready = () => text(page, '#clusters-table tr[data-cluster="member2"] td.ready');
    await eventually(async () => (await ready()) === '✔ Ready', 'member2 Ready');
    await shot(page, 'clusters');
    await page.evaluate(() => void ((globalThis as { marker?: number }).marker = 42));
    await env.pg.members.get('member2')!.stop();
    await eventually(async () => (await ready()) === '✖ NotReady', 'member2 NotReady on the page', 30_000);
    assert.equal(await page.evaluate(() => (globalThis as { marker?: number }).marker), 42, 'the page was not reloaded');
    assert.match(await text(page, '#cluster-member2 ol.timeline'), /NotReady/);
    await shot(page, 'clusters-member2-notready');
  });

  test('no request left 127.0.0.1; no script error or CSP refusal on any page', () => {
    assert.deepEqual(outside, []);
    assert.deepEqual(pageErrors, []);
  });
});
