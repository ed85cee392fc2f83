import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleAllows, subjectMatches, type Attributes, type PolicyRule, type Subject } from './rules.js';

const alice = { name: 'alice', groups: ['dev', 'system:authenticated'] };
const res = (verb: string, apiGroup: string, resource: string, extra: Partial<Attributes> = {}): Attributes => ({ user: alice, verb, resourceRequest: true, path: '', apiGroup, resource, ...extra });
const url = (verb: string, path: string): Attributes => ({ user: alice, verb, resourceRequest: false, path });

describe('ruleAllows', () => {
  const cases: { name: string; rule: PolicyRule; a: Attributes; want: boolean }[] = [
    { name: 'exact verb, group, resource', rule: { verbs: ['list'], apiGroups: ['apps'], resources: ['deployments'] }, a: res('list', 'apps', 'deployments'), want: true },
    { name: 'other verb', rule: { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }, a: res('list', 'apps', 'deployments'), want: false },
    { name: 'other group', rule: { verbs: ['list'], apiGroups: [''], resources: ['deployments'] }, a: res('list', 'apps', 'deployments'), want: false },
    { name: 'wildcards', rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, a: res('delete', 'x.io', 'things', { subresource: 'status' }), want: true },
    { name: 'resource does not grant its subresource', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, a: res('get', '', 'pods', { subresource: 'log' }), want: false },
    { name: 'pods/log', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, a: res('get', '', 'pods', { subresource: 'log' }), want: true },
    { name: '*/log matches any resource\'s log', rule: { verbs: ['get'], apiGroups: [''], resources: ['*/log'] }, a: res('get', '', 'pods', { subresource: 'log' }), want: true },
    { name: '*/log is not the resource', rule: { verbs: ['get'], apiGroups: [''], resources: ['*/log'] }, a: res('get', '', 'pods'), want: false },
    { name: 'resourceNames match', rule: { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, a: res('get', '', 'configmaps', { name: 'a' }), want: true },
    { name: 'resourceNames other name', rule: { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, a: res('get', '', 'configmaps', { name: 'b' }), want: false },
    { name: 'resourceNames never grant a list', rule: { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, a: res('list', '', 'configmaps'), want: false },
    { name: 'nonResourceURL exact', rule: { verbs: ['get'], nonResourceURLs: ['/version'] }, a: url('get', '/version'), want: true },
    { name: 'nonResourceURL prefix *', rule: { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, a: url('get', '/apis/apps/v1'), want: true },
    { name: 'nonResourceURL other path', rule: { verbs: ['get'], nonResourceURLs: ['/version'] }, a: url('get', '/metrics'), want: false },
    { name: 'a resource rule grants no URL', rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, a: url('get', '/metrics'), want: false },
    { name: 'a URL rule grants no resource', rule: { verbs: ['*'], nonResourceURLs: ['*'] }, a: res('get', '', 'pods'), want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(ruleAllows(c.a, c.rule), c.want));
});

describe('subjectMatches', () => {
  const sa = { name: 'system:serviceaccount:team-a:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated'] };
  const cases: { name: string; user: typeof alice; s: Subject; ns?: string; want: boolean }[] = [
    { name: 'user by name', user: alice, s: { kind: 'User', name: 'alice' }, want: true },
    { name: 'other user', user: alice, s: { kind: 'User', name: 'bob' }, want: false },
    { name: 'group', user: alice, s: { kind: 'Group', name: 'dev' }, want: true },
    { name: 'system:authenticated', user: alice, s: { kind: 'Group', name: 'system:authenticated' }, want: true },
    { name: 'service account with namespace', user: sa, s: { kind: 'ServiceAccount', name: 'builder', namespace: 'team-a' }, want: true },
    { name: 'service account takes the RoleBinding namespace', user: sa, s: { kind: 'ServiceAccount', name: 'builder' }, ns: 'team-a', want: true },
    { name: 'service account of another namespace', user: sa, s: { kind: 'ServiceAccount', name: 'builder', namespace: 'team-b' }, want: false },
    { name: 'service accounts group', user: sa, s: { kind: 'Group', name: 'system:serviceaccounts:team-a' }, want: true },
  ];
  for (const c of cases) test(c.name, () => assert.equal(subjectMatches(c.user, c.s, c.ns), c.want));
});
