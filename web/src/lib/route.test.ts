// Table tests for the dashboard's client-side routes and the detail endpoint a workload route calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoute, workloadApi, type Route } from './route.js';
import { workloadPath } from './format.js';

const cases: [string, Route][] = [
  ['/', { page: 'clusters' }],
  ['/clusters', { page: 'clusters' }],
  ['/clusters/', { page: 'clusters' }],
  ['/workloads', { page: 'workloads' }],
  ['/workloads/apps/v1/Deployment/default/web', { page: 'workload', group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'default', name: 'web' }],
  ['/workloads/core/v1/Namespace/_/team-a', { page: 'workload', group: 'core', version: 'v1', kind: 'Namespace', namespace: '', name: 'team-a' }],
  ['/workloads/core/v1/Service/a/x%20y', { page: 'workload', group: 'core', version: 'v1', kind: 'Service', namespace: 'a', name: 'x y' }],
  ['/workloads/apps/v1/Deployment', { page: 'notfound', path: '/workloads/apps/v1/Deployment' }],
  ['/policies', { page: 'policies' }],
  ['/failover', { page: 'failover' }],
  ['/nope', { page: 'notfound', path: '/nope' }],
  ['/workloads/%E0%A4%A/v1/K/n/x', { page: 'workload', group: '%E0%A4%A', version: 'v1', kind: 'K', namespace: 'n', name: 'x' }],
];
for (const [path, want] of cases) test(`route ${path}`, () => assert.deepEqual(parseRoute(path), want));

test('a workload link round-trips to the server endpoint', () => {
  const row = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' };
  const r = parseRoute(workloadPath(row));
  assert.equal(r.page, 'workload');
  assert.equal(workloadApi(r as Extract<Route, { page: 'workload' }>), '/ui/v1/workloads/apps/v1/Deployment/default/web');
  const cluster = parseRoute(workloadPath({ apiVersion: 'v1', kind: 'Namespace', name: 'team-a' }));
  assert.equal(workloadApi(cluster as Extract<Route, { page: 'workload' }>), '/ui/v1/workloads/core/v1/Namespace/_/team-a');
});
