import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitApiVersion } from '../apimachinery/types.js';
import { parseResourceList, resourcePath, statusErrorFromResponse } from './client.js';

const pathCases = [
  { name: 'core namespaced object', info: { group: '', version: 'v1', resource: 'configmaps', namespaced: true }, ns: 'default', n: 'a', sub: undefined, want: '/api/v1/namespaces/default/configmaps/a' },
  { name: 'grouped collection across namespaces', info: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true }, ns: undefined, n: undefined, sub: undefined, want: '/apis/apps/v1/deployments' },
  { name: 'cluster-scoped resources ignore the namespace', info: { group: 'cluster.karmada.io', version: 'v1alpha1', resource: 'clusters', namespaced: false }, ns: 'x', n: 'm1', sub: 'status', want: '/apis/cluster.karmada.io/v1alpha1/clusters/m1/status' },
  { name: 'names are escaped', info: { group: '', version: 'v1', resource: 'configmaps', namespaced: true }, ns: 'n', n: 'a b', sub: undefined, want: '/api/v1/namespaces/n/configmaps/a%20b' },
];
for (const c of pathCases) test(`resourcePath: ${c.name}`, () => assert.equal(resourcePath(c.info, c.ns, c.n, c.sub), c.want));

test('splitApiVersion: core has no group', () => {
  assert.deepEqual(splitApiVersion('v1'), { group: '', version: 'v1' });
  assert.deepEqual(splitApiVersion('work.karmada.io/v1alpha2'), { group: 'work.karmada.io', version: 'v1alpha2' });
});

test('parseResourceList folds subresources into their resource', () => {
  const infos = parseResourceList({
    groupVersion: 'apps/v1',
    resources: [
      { name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['get'], shortNames: ['deploy'] },
      { name: 'deployments/status', kind: 'Deployment', namespaced: true },
      { name: 'deployments/scale', kind: 'Scale', namespaced: true },
    ],
  });
  assert.deepEqual(infos, [{ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['get'], shortNames: ['deploy'], subresources: ['status', 'scale'] }]);
});

const errorCases = [
  { name: 'a Status body is kept as the server sent it', code: 409, body: '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled","reason":"Conflict","code":409}', reason: 'Conflict', message: 'Operation cannot be fulfilled' },
  { name: 'a plain-text body gets the reason of its code', code: 404, body: '404 page not found\n', reason: 'NotFound', message: '404 page not found' },
  { name: 'an empty body still says what happened', code: 503, body: '', reason: 'ServiceUnavailable', message: 'the server responded with HTTP 503' },
];
for (const c of errorCases) {
  test(`statusErrorFromResponse: ${c.name}`, () => {
    const err = statusErrorFromResponse(c.code, c.body);
    assert.equal(err.code, c.code);
    assert.equal(err.reason, c.reason);
    assert.equal(err.message, c.message);
  });
}
