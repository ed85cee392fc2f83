import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ResourceDef } from '../../apis/resource.js';
import { standardVerbs } from '../../apis/resource.js';
import { OpenAPIService, customSchemaName, openAPIV2ProtobufContentType } from './documents.js';

const deployments: ResourceDef = {
  group: 'apps', version: 'v1', resource: 'deployments', singular: 'deployment', kind: 'Deployment', listKind: 'DeploymentList',
  namespaced: true, shortNames: ['deploy'], categories: ['all'], verbs: standardVerbs,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
  storage: { group: 'apps', resource: 'deployments', version: 'v1' }, schemaName: 'io.k8s.api.apps.v1.Deployment',
  allowUnconditionalUpdate: true, strategicMergePatch: true,
};
const configmaps: ResourceDef = {
  group: '', version: 'v1', resource: 'configmaps', singular: 'configmap', kind: 'ConfigMap', listKind: 'ConfigMapList',
  namespaced: true, shortNames: ['cm'], verbs: standardVerbs, subresources: {},
  storage: { group: '', resource: 'configmaps', version: 'v1' }, schemaName: 'io.k8s.api.core.v1.ConfigMap',
  allowUnconditionalUpdate: true, strategicMergePatch: true,
};
const propagationPolicies = (placementDescription: string): ResourceDef => ({
  group: 'policy.karmada.io', version: 'v1alpha1', resource: 'propagationpolicies', singular: 'propagationpolicy', kind: 'PropagationPolicy', listKind: 'PropagationPolicyList',
  namespaced: true, shortNames: ['pp'], verbs: standardVerbs, subresources: {},
  storage: { group: 'policy.karmada.io', resource: 'propagationpolicies', version: 'v1alpha1' },
  schema: {
    type: 'object', description: 'PropagationPolicy represents the policy that propagates a group of resources to one or more clusters.',
    properties: {
      apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' },
      spec: { type: 'object', required: ['resourceSelectors'], properties: {
        placement: { type: 'object', description: placementDescription, properties: { clusterAffinity: { type: 'object', description: 'ClusterAffinity represents scheduling restrictions to a certain set of clusters.', properties: { clusterNames: { type: 'array', items: { type: 'string' } } } } } },
        resourceSelectors: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string' } } } },
      } },
    },
  },
  allowUnconditionalUpdate: false, strategicMergePatch: false,
});

type Doc = { paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: { content: Record<string, unknown> }; 'x-kubernetes-group-version-kind'?: unknown }>>; components: { schemas: Record<string, { properties?: Record<string, unknown>; 'x-kubernetes-group-version-kind'?: unknown }> } };

describe('OpenAPIService documents', () => {
  let resources = [deployments, configmaps, propagationPolicies('Placement represents the rule for select clusters.')];
  const svc = new OpenAPIService(() => resources);
  const doc = (gv: string) => JSON.parse(svc.v3Document(gv)!.body) as Doc;

  const cases: { name: string; check: () => void }[] = [
    { name: 'the index lists each served group-version with a hash URL', check: () => {
      const idx = svc.v3Index();
      assert.deepEqual(Object.keys(idx.paths).sort(), ['api/v1', 'apis/apps/v1', 'apis/policy.karmada.io/v1alpha1']);
      assert.match(idx.paths['apis/apps/v1'].serverRelativeURL, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    } },
    { name: 'deployment PATCH carries the GVK, fieldValidation and the SMP content type', check: () => {
      const patch = doc('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
      assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
      assert.ok(patch.parameters!.some((p) => p.name === 'fieldValidation'));
      assert.ok('application/strategic-merge-patch+json' in patch.requestBody!.content);
    } },
    { name: 'all-namespaces list and subresource paths exist', check: () => {
      const paths = Object.keys(doc('apis/apps/v1').paths);
      for (const p of ['/apis/apps/v1/deployments', '/apis/apps/v1/namespaces/{namespace}/deployments', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']) assert.ok(paths.includes(p), p);
    } },
    { name: 'components hold the reachable closure (PodSpec, ObjectMeta, Scale, Status)', check: () => {
      const s = doc('apis/apps/v1').components.schemas;
      for (const n of ['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.apps.v1.DeploymentList', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.api.autoscaling.v1.Scale', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status']) assert.ok(s[n], n);
      assert.equal(s['io.k8s.api.core.v1.ConfigMap'], undefined);
    } },
    { name: 'custom kinds are named by reversed group with ObjectMeta referenced', check: () => {
      assert.equal(customSchemaName('policy.karmada.io', 'v1alpha1', 'PropagationPolicy'), 'io.karmada.policy.v1alpha1.PropagationPolicy');
      const s = doc('apis/policy.karmada.io/v1alpha1').components.schemas['io.karmada.policy.v1alpha1.PropagationPolicy'];
      assert.deepEqual(s.properties!.metadata, { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" });
      assert.deepEqual(s['x-kubernetes-group-version-kind'], [{ group: 'policy.karmada.io', kind: 'PropagationPolicy', version: 'v1alpha1' }]);
    } },
    { name: 'custom PATCH offers no strategic merge patch', check: () => {
      const patch = doc('apis/policy.karmada.io/v1alpha1').paths['/apis/policy.karmada.io/v1alpha1/namespaces/{namespace}/propagationpolicies/{name}'].patch;
      assert.deepEqual(Object.keys(patch.requestBody!.content).sort(), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
    } },
    { name: 'a CRD edit changes that document hash only after setChanged', check: () => {
      const before = svc.v3Index().paths;
      resources = [deployments, configmaps, propagationPolicies('Changed description.')];
      assert.deepEqual(svc.v3Index().paths, before);
      svc.setChanged();
      const after = svc.v3Index().paths;
      assert.notEqual(after['apis/policy.karmada.io/v1alpha1'].serverRelativeURL, before['apis/policy.karmada.io/v1alpha1'].serverRelativeURL);
      assert.equal(after['apis/apps/v1'].serverRelativeURL, before['apis/apps/v1'].serverRelativeURL);
    } },
    { name: 'v2 JSON uses #/definitions refs and no allOf wrappers', check: () => {
      const v2 = svc.v2Json();
      const parsed = JSON.parse(v2) as { swagger: string; definitions: Record<string, unknown> };
      assert.equal(parsed.swagger, '2.0');
      assert.ok(parsed.definitions['io.k8s.api.apps.v1.Deployment']);
      assert.ok(!v2.includes('#/components/schemas/'));
      assert.ok(!v2.includes('"allOf"'));
    } },
    { name: 'v2 protobuf is an empty document with the .v1.0 content type', check: () => {
      const p = svc.v2Protobuf();
      assert.equal(p.contentType, openAPIV2ProtobufContentType);
      assert.equal(p.body.length, 0);
    } },
    { name: 'unknown group-versions have no document', check: () => assert.equal(svc.v3Document('apis/nope/v1'), undefined) },
  ];
  for (const c of cases) test(c.name, c.check);
});

// The real client: kubectl explain must accept the documents.
const execFileP = promisify(execFile);
const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

describe('kubectl explain against the served documents', { skip: kubectl ? false : 'kubectl not installed' }, () => {
  const resources = [deployments, configmaps, propagationPolicies('Placement represents the rule for select clusters.')];
  const svc = new OpenAPIService(() => resources);
  let server: Server;
  let dir: string;
  const patches: { contentType: string; query: string; body: Record<string, unknown> }[] = [];
  const applied = (image: string, extraEnv: { name: string; value: string }[]) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [
      { name: 'sidecar', image: 'sidecar:1' },
      { name: 'app', image, ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }, ...extraEnv] },
    ] } } },
  });
  const lastApplied = applied('nginx:1', []);
  const liveDeployment = { ...lastApplied, metadata: { ...lastApplied.metadata, uid: 'u1', resourceVersion: '5', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(lastApplied) } } };

  const discovery = (defs: ResourceDef[], gv: string) => ({
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
    resources: defs.map((d) => ({ name: d.resource, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs, shortNames: d.shortNames })),
  });
  before(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const json = (body: unknown, type = 'application/json') => { res.writeHead(200, { 'Content-Type': type }); res.end(typeof body === 'string' ? body : JSON.stringify(body)); };
      const p = url.pathname;
      if (p === '/version') return json({ major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64' });
      if (p === '/api') return json({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
      if (p === '/apis') return json({ kind: 'APIGroupList', apiVersion: 'v1', groups: [
        { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
        { name: 'policy.karmada.io', versions: [{ groupVersion: 'policy.karmada.io/v1alpha1', version: 'v1alpha1' }], preferredVersion: { groupVersion: 'policy.karmada.io/v1alpha1', version: 'v1alpha1' } },
      ] });
      if (p === '/api/v1') return json(discovery([configmaps], 'v1'));
      if (p === '/apis/apps/v1') return json(discovery([deployments], 'apps/v1'));
      if (p === '/apis/policy.karmada.io/v1alpha1') return json(discovery([resources[2]], 'policy.karmada.io/v1alpha1'));
      if (p === '/openapi/v3') return json(svc.v3Index());
      if (p.startsWith('/openapi/v3/')) {
        const d = svc.v3Document(p.slice('/openapi/v3/'.length));
        if (d) return json(d.body);
      }
      if (p === '/openapi/v2') { res.writeHead(200, { 'Content-Type': openAPIV2ProtobufContentType }); return res.end(); }
      if (p === '/apis/apps/v1/namespaces/default/deployments/web') {
        if (req.method === 'GET') return json(liveDeployment);
        if (req.method === 'PATCH') {
          let body = '';
          req.on('data', (c: Buffer) => (body += c));
          req.on('end', () => {
            patches.push({ contentType: String(req.headers['content-type']), query: url.search, body: JSON.parse(body) as Record<string, unknown> });
            json(liveDeployment);
          });
          return;
        }
      }
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), 'openapi-kubectl-'));
    writeFileSync(join(dir, 'kubeconfig'), `apiVersion: v1
kind: Config
clusters: [{name: t, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: t, user: {token: x}}]
contexts: [{name: t, context: {cluster: t, user: t}}]
current-context: t
`);
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (args: string[]) => execFileP(kubectl!, args, { env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), KUBECACHEDIR: join(dir, 'cache'), HOME: dir }, timeout: 30_000 });
  const explain = async (...args: string[]) => (await run(['explain', ...args])).stdout;

  test('kubectl apply builds a strategic merge patch from the v3 schemas', async () => {
    const file = join(dir, 'web.json');
    writeFileSync(file, JSON.stringify(applied('nginx:2', [{ name: 'B', value: '2' }])));
    const { stderr } = await run(['apply', '-f', file]);
    assert.doesNotMatch(stderr, /error calculating patch/);
    assert.equal(patches.length, 1);
    assert.equal(patches[0].contentType, 'application/strategic-merge-patch+json');
    assert.match(patches[0].query, /fieldValidation=Strict/);
    const spec = (patches[0].body.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    // merge keys come from the schemas: containers by name, env by name
    assert.deepEqual(spec['$setElementOrder/containers'], [{ name: 'sidecar' }, { name: 'app' }]);
    const app = (spec.containers as Record<string, unknown>[])[0];
    assert.equal(app.name, 'app');
    assert.equal(app.image, 'nginx:2');
    assert.deepEqual(app['$setElementOrder/env'], [{ name: 'A' }, { name: 'B' }]);
    assert.deepEqual(app.env, [{ name: 'B', value: '2' }]);
  });

  test('explain deployment.spec.replicas shows the field description', async () => {
    const out = await explain('deployment.spec.replicas', '--api-version=apps/v1');
    assert.match(out, /FIELD:\s+replicas <integer>/);
    assert.match(out, /Number of desired pods/);
  });
  test('explain deployment.spec.template.spec.containers follows refs into core', async () => {
    const out = await explain('deployment.spec.template.spec.containers');
    assert.match(out, /containers\s+<\[\]Container>/);
    assert.match(out, /image\s+<string>/);
  });
  test('explain propagationpolicy.spec.placement shows the custom schema', async () => {
    const out = await explain('propagationpolicy.spec.placement');
    assert.match(out, /Placement represents the rule for select clusters/);
    assert.match(out, /clusterAffinity\s+<Object>/);
  });
  test('explain configmap lists ObjectMeta via the $ref', async () => {
    const out = await explain('cm.metadata.name');
    assert.match(out, /Name must be unique within a namespace/);
  });
});
