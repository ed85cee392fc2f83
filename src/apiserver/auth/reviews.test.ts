import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alwaysAllow, rbacAuthorizer } from './access.js';
import type { RbacObjects } from './rbac/authorizer.js';
import { localSubjectAccessReview, reviewAttributes, selfSubjectAccessReview, selfSubjectRulesReview, subjectAccessReview } from './reviews.js';

const alice = { name: 'alice', groups: ['system:authenticated'] };
const objects: RbacObjects = {
  clusterRole: (n) => (n === 'view' ? { metadata: { name: 'view' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }] } : undefined),
  role: () => undefined,
  clusterRoleBindings: () => [{ metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'alice' }] }],
  roleBindings: () => [],
};

describe('reviews', () => {
  test('review attributes: resource or non-resource', () => {
    assert.deepEqual(reviewAttributes({ resourceAttributes: { namespace: 'a', verb: 'get', resource: 'pods', subresource: 'log', name: 'p' } }, alice), { user: alice, verb: 'get', resourceRequest: true, path: '', namespace: 'a', apiGroup: '', apiVersion: undefined, resource: 'pods', subresource: 'log', name: 'p' });
    assert.deepEqual(reviewAttributes({ nonResourceAttributes: { path: '/healthz', verb: 'get' } }, alice), { user: alice, verb: 'get', resourceRequest: false, path: '/healthz' });
  });

  const invalid: { name: string; run: () => unknown; message: RegExp }[] = [
    { name: 'SSAR without attributes', run: () => selfSubjectAccessReview({ spec: {} }, alice, alwaysAllow), message: /^SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified$/ },
    { name: 'SSAR with both', run: () => selfSubjectAccessReview({ spec: { resourceAttributes: {}, nonResourceAttributes: {} } }, alice, alwaysAllow), message: /cannot be specified in combination with resourceAttributes/ },
    { name: 'SAR without user or group', run: () => subjectAccessReview({ spec: { resourceAttributes: { verb: 'get' } } }, alwaysAllow), message: /spec.user: Invalid value: "": at least one of user or group must be specified/ },
    { name: 'local SAR in another namespace', run: () => localSubjectAccessReview({ spec: { user: 'a', resourceAttributes: { namespace: 'x', verb: 'get' } } }, 'y', alwaysAllow), message: /spec.resourceAttributes.namespace: Invalid value: "x": must match metadata.namespace/ },
    { name: 'no spec', run: () => subjectAccessReview({}, alwaysAllow), message: /spec: Required value/ },
  ];
  for (const c of invalid) test(c.name, () => assert.throws(c.run, (e: any) => e.status.code === 422 && c.message.test(e.status.message)));

  test('SelfSubjectRulesReview splits resource and non-resource rules', () => {
    const r = selfSubjectRulesReview({ spec: { namespace: 'a' } }, alice, objects);
    assert.deepEqual(r.status, { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }], incomplete: false });
  });

  test('SAR answers for the named user', () => {
    const sar = subjectAccessReview({ spec: { user: 'alice', resourceAttributes: { verb: 'get', resource: 'pods', name: 'p', namespace: 'a' } } }, rbacAuthorizer(objects));
    assert.deepEqual(sar.status, { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "view" to User "alice"' });
    assert.equal(subjectAccessReview({ spec: { user: 'bob', resourceAttributes: { verb: 'get', resource: 'pods', name: 'p' } } }, rbacAuthorizer(objects)).status.allowed, false);
  });
});
