import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, rulesFor, type BindingObject, type RbacObjects, type RoleObject } from './authorizer.js';
import type { Attributes } from './rules.js';

function objects(clusterRoles: RoleObject[], roles: RoleObject[], crbs: BindingObject[], rbs: BindingObject[]): RbacObjects {
  return {
    clusterRole: (name) => clusterRoles.find((r) => r.metadata.name === name),
    role: (ns, name) => roles.find((r) => r.metadata.namespace === ns && r.metadata.name === name),
    clusterRoleBindings: () => crbs,
    roleBindings: (ns) => rbs.filter((b) => b.metadata.namespace === ns),
  };
}

const view: RoleObject = { metadata: { name: 'view' }, rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['apps'], resources: ['deployments'] }] };
const discovery: RoleObject = { metadata: { name: 'system:discovery' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*'] }] };
const secretsReader: RoleObject = { metadata: { name: 'secrets', namespace: 'team-a' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }] };
const rbac = objects(
  [view, discovery],
  [secretsReader],
  [
    { metadata: { name: 'system:discovery' }, roleRef: { kind: 'ClusterRole', name: 'system:discovery' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
    { metadata: { name: 'dangling' }, roleRef: { kind: 'ClusterRole', name: 'gone' }, subjects: [{ kind: 'User', name: 'carol' }] },
  ],
  [
    { metadata: { name: 'alice-view', namespace: 'team-a' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'alice' }] },
    { metadata: { name: 'builder-secrets', namespace: 'team-a' }, roleRef: { kind: 'Role', name: 'secrets' }, subjects: [{ kind: 'ServiceAccount', name: 'builder' }] },
  ],
);

const user = (name: string, ...groups: string[]) => ({ name, groups: [...groups, 'system:authenticated'] });
const req = (u: ReturnType<typeof user>, verb: string, apiGroup: string, resource: string, namespace?: string): Attributes => ({ user: u, verb, resourceRequest: true, path: '', apiGroup, resource, namespace });

describe('authorize', () => {
  const alice = user('alice');
  const builder = user('system:serviceaccount:team-a:builder', 'system:serviceaccounts', 'system:serviceaccounts:team-a');
  const cases: { name: string; a: Attributes; allowed: boolean; reason?: string }[] = [
    { name: 'system:masters may do anything', a: req(user('admin', 'system:masters'), 'delete', '', 'nodes'), allowed: true, reason: '' },
    { name: 'a RoleBinding to a ClusterRole grants in its namespace', a: req(alice, 'list', 'apps', 'deployments', 'team-a'), allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-view/team-a" of ClusterRole "view" to User "alice"' },
    { name: 'and nowhere else', a: req(alice, 'list', 'apps', 'deployments', 'team-b'), allowed: false, reason: '' },
    { name: 'nor cluster-wide', a: req(alice, 'list', 'apps', 'deployments'), allowed: false },
    { name: 'nor other verbs', a: req(alice, 'delete', 'apps', 'deployments', 'team-a'), allowed: false },
    { name: 'discovery for every authenticated user', a: { user: alice, verb: 'get', resourceRequest: false, path: '/apis/apps/v1' }, allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' },
    { name: 'a ServiceAccount subject through a Role', a: req(builder, 'get', '', 'secrets', 'team-a'), allowed: true, reason: 'RBAC: allowed by RoleBinding "builder-secrets/team-a" of Role "secrets" to ServiceAccount "team-a/builder"' },
    { name: 'a binding to a missing role says so', a: req(user('carol'), 'get', '', 'pods', 'x'), allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const d = authorize(rbac, c.a);
      assert.equal(d.allowed, c.allowed);
      if (c.reason !== undefined) assert.equal(d.reason, c.reason);
    });
  }
});

test('rulesFor lists cluster-wide then namespaced rules, and what could not be read', () => {
  assert.deepEqual(rulesFor(rbac, user('alice'), 'team-a').rules, [...discovery.rules!, ...view.rules!]);
  assert.deepEqual(rulesFor(rbac, user('alice'), 'team-b').rules, discovery.rules);
  assert.deepEqual(rulesFor(rbac, user('carol'), undefined).errors, ['clusterrole.rbac.authorization.k8s.io "gone" not found']);
});

test('the bootstrap approver roles grant approve on exactly their signer', async () => {
  const { bootstrapClusterRoles } = await import('./bootstrap.js');
  const roles = bootstrapClusterRoles() as unknown as RoleObject[];
  const binding: BindingObject = { metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'system:certificates.k8s.io:kube-apiserver-client-approver' }, subjects: [{ kind: 'User', name: 'approver' }] };
  const rbac = objects(roles, [], [binding], []);
  const approve = (name: string) => authorize(rbac, { user: user('approver'), verb: 'approve', resourceRequest: true, path: '', apiGroup: 'certificates.k8s.io', resource: 'signers', name }).allowed;
  assert.equal(approve('kubernetes.io/kube-apiserver-client'), true);
  assert.equal(approve('kubernetes.io/kube-apiserver-client-kubelet'), false);
});
