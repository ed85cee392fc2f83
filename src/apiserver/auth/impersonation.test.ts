import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImpersonation } from './impersonation.js';

describe('parseImpersonation', () => {
  test('no headers: no impersonation', () => assert.equal(parseImpersonation({ accept: 'application/json' }), undefined));

  test('a user with groups: one check each, system:authenticated added', () => {
    const got = parseImpersonation({ 'impersonate-user': 'bob', 'impersonate-group': ['dev', 'ops'] })!;
    assert.deepEqual(got.user, { name: 'bob', groups: ['dev', 'ops', 'system:authenticated'] });
    assert.deepEqual(got.checks.map((c) => `${c.resource}/${c.name}`), ['users/bob', 'groups/dev', 'groups/ops']);
  });

  test('a service account: checked as serviceaccounts in its namespace, with its groups', () => {
    const got = parseImpersonation({ 'impersonate-user': 'system:serviceaccount:team-a:builder' })!;
    assert.deepEqual(got.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated']);
    assert.deepEqual(got.checks, [{ resource: 'serviceaccounts', apiGroup: '', apiVersion: 'v1', namespace: 'team-a', name: 'builder' }]);
  });

  test('uid and extras are authentication.k8s.io checks', () => {
    const got = parseImpersonation({ 'impersonate-user': 'bob', 'impersonate-uid': '42', 'impersonate-extra-scopes': 'a' })!;
    assert.deepEqual(got.user, { name: 'bob', uid: '42', groups: ['system:authenticated'], extra: { scopes: ['a'] } });
    assert.deepEqual(got.checks.slice(1).map((c) => `${c.apiGroup} ${c.resource}/${c.subresource ?? ''} ${c.name}`), ['authentication.k8s.io userextras/scopes a', 'authentication.k8s.io uids/ 42']);
  });

  test('groups without a user: 400', () => {
    assert.throws(() => parseImpersonation({ 'impersonate-group': 'dev' }), (e: any) => e.status.code === 400 && /without impersonating a user/.test(e.status.message));
  });
});
