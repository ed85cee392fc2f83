// Authorization and service account tokens end to end with the real kubectl: RBAC as
// kube-apiserver evaluates it, its 403s, impersonation, access reviews, and tokens that stop
// working when they expire or their ServiceAccount or Secret is deleted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKubeconfig } from '../../src/apiserver/auth/kubeconfig.js';
import { detachedSignature } from '../../src/apiserver/auth/bootstrap/signer.js';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import type { RawClient } from '../support/http.js';
import { eventually, Kubectl } from '../support/kubectl.js';

let ts: TestServer;
let http: RawClient;
const users: Kubectl[] = [];

/** a kubectl that authenticates with a bearer token */
function kubectlWithToken(token: string): Kubectl {
  const k = new Kubectl(buildKubeconfig([{ name: 'test', server: ts.server.url, caPem: ts.server.caPem, user: { token } }]));
  users.push(k);
  return k;
}

const apply = (yaml: string) => ts.kubectl.ok(['apply', '-f', '-'], { stdin: yaml });
const post = (path: string, body: unknown, token?: string) => http.call(path, { method: 'POST', body: JSON.stringify(body), ...(token ? { auth: { token } } : {}) });

let alice: Kubectl;

before(async () => {
  ts = await startTestServer({ tokens: ['alice-token,alice,1001', 'carol-token,carol,1003'] });
  http = ts.http;
  alice = kubectlWithToken('alice-token');
  await apply(`apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-view, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
`);
  // view is filled by the aggregation controller
  await eventually(async () => JSON.parse(await ts.kubectl.ok(['get', 'clusterrole', 'view', '-o', 'json'])).rules?.length > 0, 'view aggregated');
});

after(async () => {
  for (const k of users) k.cleanup();
  await ts?.stop();
});

describe('RBAC', () => {
  test('a user bound to view in team-a lists Deployments there and gets 403 in team-b', async () => {
    await ts.kubectl.ok(['apply', '-f', '-'], { stdin: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: team-a}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx}]}\n' });
    assert.match(await alice.ok(['get', 'deployments', '-n', 'team-a']), /^web\s/m);
    const denied = await alice.run(['get', 'deployments', '-n', 'team-b']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /Error from server \(Forbidden\): deployments\.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" in the namespace "team-b"/);
  });

  test('every verb, subresource and watch is checked', async () => {
    const del = await alice.run(['delete', 'deployment', 'web', '-n', 'team-a']);
    assert.match(del.stderr, /deployments\.apps "web" is forbidden: User "alice" cannot delete resource "deployments" in API group "apps" in the namespace "team-a"/);
    const scale = await alice.run(['scale', 'deployment', 'web', '-n', 'team-a', '--replicas', '3']);
    assert.match(scale.stderr, /cannot patch resource "deployments\/scale" in API group "apps" in the namespace "team-a"/);
    const watch = await alice.run(['get', 'deployments', '-n', 'team-b', '--watch'], { timeoutMs: 20_000 });
    assert.match(watch.stderr, /cannot watch resource "deployments" in API group "apps" in the namespace "team-b"|cannot list resource "deployments"/);
    const secrets = await alice.run(['get', 'secrets', '-n', 'team-a']);
    assert.match(secrets.stderr, /User "alice" cannot list resource "secrets" in API group "" in the namespace "team-a"/);
    const nodes = await alice.run(['get', 'nodes']);
    assert.match(nodes.stderr, /nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope/);
  });

  test('discovery works for any authenticated user; a user with no binding gets nothing else', async () => {
    const carol = kubectlWithToken('carol-token');
    assert.match(await carol.ok(['api-resources', '--api-group=apps']), /deployments/);
    const r = await carol.run(['get', 'configmaps', '-n', 'team-a']);
    assert.match(r.stderr, /User "carol" cannot list resource "configmaps"/);
  });

  test('ClusterRoles labelled for aggregation extend view', async () => {
    const before = await alice.run(['get', 'podtemplates', '-n', 'team-a']);
    assert.match(before.stderr, /cannot list resource "podtemplates"/);
    await apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: podtemplates-view
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules: [{apiGroups: [""], resources: [podtemplates], verbs: [get, list, watch]}]
`);
    await eventually(async () => (await alice.run(['get', 'podtemplates', '-n', 'team-a'])).code === 0, 'podtemplates readable through view');
    // and through edit and admin, which aggregate view
    const admin = JSON.parse(await ts.kubectl.ok(['get', 'clusterrole', 'admin', '-o', 'json']));
    await eventually(async () => JSON.parse(await ts.kubectl.ok(['get', 'clusterrole', 'admin', '-o', 'json'])).rules.some((r: any) => r.resources?.includes('podtemplates')), `admin aggregates it (had ${admin.rules.length} rules)`);
  });

  test('impersonation needs the impersonate verb', async () => {
    // the admin (system:masters) may impersonate anyone; the impersonated user gets its own rights
    assert.match(await ts.kubectl.ok(['--as', 'alice', 'get', 'deployments', '-n', 'team-a']), /^web\s/m);
    const asAlice = await ts.kubectl.run(['--as', 'alice', 'get', 'deployments', '-n', 'team-b']);
    assert.match(asAlice.stderr, /User "alice" cannot list resource "deployments"/);
    const refused = await alice.run(['--as', 'bob', 'get', 'pods', '-n', 'team-a']);
    assert.match(refused.stderr, /users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope/);
    await apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: impersonate-bob}
rules: [{apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: [bob]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: alice-impersonates-bob}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonate-bob}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
`);
    const asBob = await eventually(async () => {
      const r = await alice.run(['--as', 'bob', 'get', 'pods', '-n', 'team-a']);
      return /User "bob" cannot list/.test(r.stderr) ? r : undefined;
    }, 'alice acting as bob');
    assert.match(asBob!.stderr, /pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "team-a"/);
    const group = await alice.run(['--as', 'bob', '--as-group', 'system:masters', 'get', 'pods', '-n', 'team-a']);
    assert.match(group.stderr, /groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups"/);
  });
});

describe('access reviews', () => {
  const ssar = (namespace: string) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace, verb: 'list', group: 'apps', resource: 'deployments' } } });

  test('SelfSubjectAccessReview answers for the caller (JSON)', async () => {
    const yes = await post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', ssar('team-a'), 'alice-token');
    assert.equal(yes.status, 201);
    assert.equal(yes.json().status.allowed, true);
    assert.equal(yes.json().status.reason, 'RBAC: allowed by RoleBinding "alice-view/team-a" of ClusterRole "view" to User "alice"');
    const no = await post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', ssar('team-b'), 'alice-token');
    assert.equal(no.json().status.allowed, false);
    const bad = await post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { spec: {} }, 'alice-token');
    assert.equal(bad.status, 422);
    assert.match(bad.json().message, /exactly one of nonResourceAttributes or resourceAttributes must be specified/);
  });

  test('SubjectAccessReview needs its own permission; the admin may ask about anyone', async () => {
    const sar = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'alice', resourceAttributes: { namespace: 'team-a', verb: 'get', resource: 'pods', subresource: 'log' } } };
    const r = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', sar);
    assert.equal(r.status, 201);
    assert.equal(r.json().status.allowed, true);
    const refused = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', sar, 'alice-token');
    assert.equal(refused.status, 403);
    assert.equal(refused.json().message, 'subjectaccessreviews.authorization.k8s.io is forbidden: User "alice" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope');
  });

  test('SelfSubjectRulesReview lists what the caller may do in a namespace', async () => {
    const r = await post('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'team-a' } }, 'alice-token');
    assert.equal(r.status, 201);
    const rules = r.json().status.resourceRules as { verbs: string[]; apiGroups: string[]; resources: string[] }[];
    assert.ok(rules.some((x) => x.apiGroups.includes('apps') && x.resources.includes('deployments') && x.verbs.includes('list')));
    assert.ok(r.json().status.nonResourceRules.some((x: any) => x.nonResourceURLs.includes('/api')));
  });

  test('kubectl auth can-i and whoami', async () => {
    const probe = await alice.run(['auth', 'can-i', 'list', 'deployments', '-n', 'team-a']);
    assert.equal(probe.stdout.trim(), 'yes');
    const no = await alice.run(['auth', 'can-i', 'list', 'deployments', '-n', 'team-b']);
    assert.equal(no.stdout.trim(), 'no');
    assert.equal(no.code, 1);
    assert.equal((await ts.kubectl.run(['auth', 'can-i', 'delete', 'nodes', '--as', 'alice'])).stdout.trim(), 'no');
    assert.match(await alice.ok(['auth', 'whoami']), /alice/);
  });
});

describe('service account tokens', () => {
  const tokenRequest = (ns: string, sa: string, spec: Record<string, unknown> = {}) =>
    post(`/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });

  before(async () => {
    await apply(`apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: team-a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder-view, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: builder}]
`);
  });

  test('TokenRequest issues a bound token that authenticates as the ServiceAccount', async () => {
    const r = await tokenRequest('team-a', 'builder', { expirationSeconds: 1200 });
    assert.equal(r.status, 201);
    const { token, expirationTimestamp } = r.json().status;
    assert.ok(Math.abs(Date.parse(expirationTimestamp) - Date.now() - 1_200_000) < 60_000);
    const sa = kubectlWithToken(token);
    assert.match(await sa.ok(['get', 'deployments', '-n', 'team-a']), /^web\s/m);
    const denied = await sa.run(['get', 'deployments', '-n', 'team-b']);
    assert.match(denied.stderr, /User "system:serviceaccount:team-a:builder" cannot list resource "deployments" in API group "apps" in the namespace "team-b"/);
    const who = await post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, token);
    assert.deepEqual(who.json().status.userInfo.groups, ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated']);
  });

  test('bad TokenRequests are refused with a reason', async () => {
    const short = await tokenRequest('team-a', 'builder', { expirationSeconds: 60 });
    assert.equal(short.status, 422);
    assert.match(short.json().message, /spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/);
    const missing = await tokenRequest('team-a', 'ghost');
    assert.equal(missing.status, 404);
    assert.equal(missing.json().message, 'serviceaccounts "ghost" not found');
  });

  test('kubectl create token', async () => {
    const r = await ts.kubectl.run(['create', 'token', 'builder', '-n', 'team-a', '--duration', '20m']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(await kubectlWithToken(r.stdout.trim()).ok(['get', 'deployments', '-n', 'team-a']), /^web\s/m);
  });

  test('an expired token is refused', async () => {
    const sa = JSON.parse(await ts.kubectl.ok(['get', 'sa', 'builder', '-n', 'team-a', '-o', 'json']));
    const expired = ts.server.serviceAccountTokens.issueBound({
      namespace: 'team-a',
      serviceAccount: { name: 'builder', uid: sa.metadata.uid },
      audiences: ts.server.serviceAccountTokens.audiences,
      expirationSeconds: 600,
      now: new Date(Date.now() - 3_600_000),
    });
    const r = await kubectlWithToken(expired).run(['get', 'deployments', '-n', 'team-a']);
    assert.match(r.stderr, /You must be logged in to the server|Unauthorized/);
  });

  test('the tokens controller fills service-account-token Secrets; the token dies with its Secret', async () => {
    await apply(`apiVersion: v1
kind: Secret
metadata:
  name: builder-token
  namespace: team-a
  annotations: {kubernetes.io/service-account.name: builder}
type: kubernetes.io/service-account-token
`);
    const secret = await eventually(async () => {
      const s = JSON.parse(await ts.kubectl.ok(['get', 'secret', 'builder-token', '-n', 'team-a', '-o', 'json']));
      return s.data?.token ? s : undefined;
    }, 'the token Secret filled');
    assert.equal(Buffer.from(secret.data.namespace, 'base64').toString(), 'team-a');
    assert.equal(Buffer.from(secret.data['ca.crt'], 'base64').toString(), ts.server.caPem);
    const sa = kubectlWithToken(Buffer.from(secret.data.token, 'base64').toString());
    assert.match(await sa.ok(['get', 'deployments', '-n', 'team-a']), /^web\s/m);
    await ts.kubectl.ok(['delete', 'secret', 'builder-token', '-n', 'team-a']);
    const r = await sa.run(['get', 'deployments', '-n', 'team-a']);
    assert.match(r.stderr, /You must be logged in to the server|Unauthorized/);
  });

  test('deleting the ServiceAccount revokes its tokens and deletes its token Secrets', async () => {
    await apply('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: short-lived, namespace: team-a}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: short-lived-token, namespace: team-a, annotations: {kubernetes.io/service-account.name: short-lived}}\ntype: kubernetes.io/service-account-token\n');
    await eventually(async () => !!JSON.parse(await ts.kubectl.ok(['get', 'secret', 'short-lived-token', '-n', 'team-a', '-o', 'json'])).data?.token, 'the token Secret filled');
    const token = (await tokenRequest('team-a', 'short-lived')).json().status.token as string;
    const sa = kubectlWithToken(token);
    const allowed = await sa.run(['get', 'deployments', '-n', 'team-a']);
    assert.match(allowed.stderr, /User "system:serviceaccount:team-a:short-lived" cannot list/);
    await ts.kubectl.ok(['delete', 'sa', 'short-lived', '-n', 'team-a']);
    await eventually(async () => /You must be logged in to the server|Unauthorized/.test((await sa.run(['get', 'deployments', '-n', 'team-a'])).stderr), 'the token refused');
    await eventually(async () => (await ts.kubectl.run(['get', 'secret', 'short-lived-token', '-n', 'team-a'])).code !== 0, 'the token Secret deleted by the tokens controller');
  });
});

describe('bootstrap tokens', () => {
  test('a bootstrap.kubernetes.io/token Secret authenticates as system:bootstrap:<id> until it expires or is deleted', async () => {
    const expiration = new Date(Date.now() + 3_600_000).toISOString();
    await apply(`apiVersion: v1
kind: Secret
metadata: {name: bootstrap-token-abcdef, namespace: kube-system}
type: bootstrap.kubernetes.io/token
stringData:
  token-id: abcdef
  token-secret: 0123456789abcdef
  expiration: "${expiration}"
  usage-bootstrap-authentication: "true"
  auth-extra-groups: system:bootstrappers:karmada:default-cluster-token
`);
    const token = 'abcdef.0123456789abcdef';
    const who = await post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, token);
    assert.equal(who.status, 201);
    assert.deepEqual(who.json().status.userInfo, { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:karmada:default-cluster-token', 'system:authenticated'] });
    const k = kubectlWithToken(token);
    assert.match((await k.run(['get', 'secrets', '-n', 'kube-system'])).stderr, /User "system:bootstrap:abcdef" cannot list resource "secrets"/);
    assert.equal((await http.call('/api', { auth: { token: 'abcdef.ffffffffffffffff' } })).status, 401);
    await ts.kubectl.ok(['delete', 'secret', 'bootstrap-token-abcdef', '-n', 'kube-system']);
    await eventually(async () => /You must be logged in to the server|Unauthorized/.test((await k.run(['get', 'secrets', '-n', 'kube-system'])).stderr), 'the deleted token refused');
  });
});

test('the bootstrap signer signs kube-public/cluster-info for tokens allowed to sign, and drops the signature with the token', async () => {
  const kubeconfig = 'apiVersion: v1\nkind: Config\nclusters: []\n';
  await apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: cluster-info, namespace: kube-public}
data:
  kubeconfig: ${JSON.stringify(kubeconfig)}
---
apiVersion: v1
kind: Secret
metadata: {name: bootstrap-token-sign01, namespace: kube-system}
type: bootstrap.kubernetes.io/token
stringData: {token-id: sign01, token-secret: 0123456789abcdef, usage-bootstrap-signing: "true"}
`);
  const info = async () => JSON.parse(await ts.kubectl.ok(['get', 'configmap', 'cluster-info', '-n', 'kube-public', '-o', 'json'])).data as Record<string, string>;
  const signed = await eventually(async () => (await info())['jws-kubeconfig-sign01'], 'cluster-info signed');
  assert.equal(signed, detachedSignature(kubeconfig, 'sign01', '0123456789abcdef'));
  await ts.kubectl.ok(['delete', 'secret', 'bootstrap-token-sign01', '-n', 'kube-system']);
  await eventually(async () => !('jws-kubeconfig-sign01' in (await info())), 'signature removed');
});

describe('anonymous requests (--anonymous-auth)', () => {
  let anon: TestServer;
  let raw: RawClient;
  before(async () => {
    anon = await startTestServer({ anonymousAuth: true, tokens: ['alice-token,alice,1001'] });
    raw = anon.http;
  });
  after(() => anon?.stop());

  test('no credentials: system:anonymous, whom RBAC lets read public info and what a Role grants it', async () => {
    const denied = await raw.call('/api/v1/namespaces', { auth: 'none' });
    assert.equal(denied.status, 403);
    assert.equal(denied.json().message, 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope');
    assert.equal((await raw.call('/version', { auth: 'none' })).status, 200);
    assert.equal((await raw.call('/api/v1/namespaces', { auth: { token: 'wrong' } })).status, 401);
    await anon.kubectl.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: ConfigMap
metadata: {name: cluster-info, namespace: kube-public}
data: {kubeconfig: "x"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cluster-info-reader, namespace: kube-public}
rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [cluster-info], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: cluster-info-reader, namespace: kube-public}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cluster-info-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: system:anonymous}]
`,
    });
    const got = await eventually(async () => {
      const r = await raw.call('/api/v1/namespaces/kube-public/configmaps/cluster-info', { auth: 'none' });
      return r.status === 200 ? r : undefined;
    }, 'anonymous read of cluster-info');
    assert.equal(got!.json().data.kubeconfig, 'x');
  });
});
