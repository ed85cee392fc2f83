import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forbidden, requestAttributes } from './attributes.js';

const alice = { name: 'alice', groups: ['system:authenticated'] };

describe('requestAttributes', () => {
  const cases: { method: string; url: string; want: Record<string, unknown> }[] = [
    { method: 'GET', url: '/apis/apps/v1/namespaces/team-b/deployments', want: { verb: 'list', resourceRequest: true, apiGroup: 'apps', namespace: 'team-b', resource: 'deployments' } },
    { method: 'GET', url: '/apis/apps/v1/namespaces/team-b/deployments?watch=true', want: { verb: 'watch', resource: 'deployments' } },
    { method: 'GET', url: '/api/v1/watch/namespaces/a/pods', want: { verb: 'watch', namespace: 'a', resource: 'pods' } },
    { method: 'GET', url: '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Dx', want: { verb: 'list', name: 'x' } },
    { method: 'GET', url: '/api/v1/namespaces/a/pods/p/log', want: { verb: 'get', resource: 'pods', name: 'p', subresource: 'log' } },
    { method: 'POST', url: '/api/v1/namespaces/a/serviceaccounts/s/token', want: { verb: 'create', resource: 'serviceaccounts', name: 's', subresource: 'token' } },
    { method: 'DELETE', url: '/api/v1/namespaces/a/pods', want: { verb: 'deletecollection' } },
    { method: 'DELETE', url: '/api/v1/namespaces/a/pods/p', want: { verb: 'delete', name: 'p' } },
    { method: 'PATCH', url: '/apis/apps/v1/namespaces/a/deployments/d/scale', want: { verb: 'patch', subresource: 'scale' } },
    { method: 'GET', url: '/api/v1/namespaces/team-a', want: { verb: 'get', resource: 'namespaces', name: 'team-a', namespace: 'team-a' } },
    { method: 'PUT', url: '/api/v1/namespaces/team-a/finalize', want: { verb: 'update', resource: 'namespaces', name: 'team-a', subresource: 'finalize' } },
    { method: 'GET', url: '/api/v1/nodes', want: { verb: 'list', namespace: undefined, resource: 'nodes' } },
    { method: 'GET', url: '/apis/cluster.karmada.io/v1alpha1/clusters/m1/proxy/api/v1/pods', want: { verb: 'get', resource: 'clusters', name: 'm1', subresource: 'proxy' } },
    { method: 'GET', url: '/apis/apps/v1', want: { verb: 'get', resourceRequest: false, path: '/apis/apps/v1' } },
    { method: 'GET', url: '/api', want: { resourceRequest: false } },
    { method: 'GET', url: '/version', want: { verb: 'get', resourceRequest: false, path: '/version' } },
  ];
  for (const c of cases) {
    test(`${c.method} ${c.url}`, () => {
      const a = requestAttributes(c.method, new URL(c.url, 'https://x'), alice) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.want)) assert.equal(a[k], v, k);
    });
  }
});

describe('forbidden', () => {
  const at = (method: string, url: string) => requestAttributes(method, new URL(url, 'https://x'), alice);
  const cases: { method: string; url: string; reason?: string; message: string }[] = [
    { method: 'GET', url: '/apis/apps/v1/namespaces/team-b/deployments', message: 'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" in the namespace "team-b"' },
    { method: 'GET', url: '/api/v1/namespaces/a/pods/p/log', message: 'pods "p" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "a"' },
    { method: 'DELETE', url: '/api/v1/nodes/n1', message: 'nodes "n1" is forbidden: User "alice" cannot delete resource "nodes" in API group "" at the cluster scope' },
    { method: 'GET', url: '/metrics', message: 'forbidden: User "alice" cannot get path "/metrics"' },
    { method: 'GET', url: '/api/v1/pods', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found', message: 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' },
  ];
  for (const c of cases) {
    test(c.message, () => {
      const err = forbidden(at(c.method, c.url), c.reason ?? '');
      assert.equal(err.status.code, 403);
      assert.equal(err.status.reason, 'Forbidden');
      assert.equal(err.status.message, c.message);
    });
  }
});
