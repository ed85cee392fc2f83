import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { internalContext } from '../rest/context.js';
import { inProcessApi, type InProcessApi } from '../testing.js';
import { ResourceHandler } from './resources.js';

const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }, { name: 'side', image: 'busybox' }] } },
  },
});

describe('ResourceHandler.patch', () => {
  let api: InProcessApi;
  let handler: ResourceHandler;
  const ctx = { ...internalContext('kubectl'), fieldManager: 'kubectl' };
  before(async () => {
    api = await inProcessApi();
    handler = new ResourceHandler({ objects: api.objects, schemas: api.schemas });
  });
  after(() => api.close());
  const deployments = () => api.def('apps', 'deployments');
  const patch = (name: string, type: string, body: unknown, query = '') =>
    handler.patch(deployments(), 'default', name, type, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), ctx, new URLSearchParams(query));
  const containers = (o: KubeObject) => ((o.spec as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers);

  test('strategic merge patch merges containers by name', async () => {
    await api.create('apps', 'deployments', deployment('smp'));
    const { object } = await patch('smp', 'application/strategic-merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } });
    assert.deepEqual(containers(object).map((c) => [c.name, c.image]), [
      ['web', 'nginx:2'],
      ['side', 'busybox'],
    ]);
  });

  test('merge patch replaces lists and deletes with null', async () => {
    await api.create('apps', 'deployments', deployment('merge'));
    const { object } = await patch('merge', 'application/merge-patch+json', { metadata: { labels: { app: null, tier: 'web' } }, spec: { template: { spec: { containers: [{ name: 'only', image: 'nginx:3' }] } } } });
    assert.deepEqual(object.metadata.labels, { tier: 'web' });
    assert.deepEqual(containers(object).map((c) => c.name), ['only']);
  });

  test('JSON patch applies operations in order; a failed test operation changes nothing', async () => {
    await api.create('apps', 'deployments', deployment('json'));
    const { object } = await patch('json', 'application/json-patch+json', [{ op: 'replace', path: '/spec/replicas', value: 3 }]);
    assert.equal((object.spec as { replicas: number }).replicas, 3);
    await assert.rejects(patch('json', 'application/json-patch+json', [{ op: 'test', path: '/spec/replicas', value: 5 }, { op: 'replace', path: '/spec/replicas', value: 9 }]), (err) => isStatusError(err));
    const live = await api.objects.get(deployments(), 'default', 'json');
    assert.equal((live.spec as { replicas: number }).replicas, 3);
  });

  test('server-side apply creates a missing object and needs a field manager', async () => {
    const body = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'applied' }, spec: deployment('applied').spec });
    await assert.rejects(handler.patch(deployments(), 'default', 'applied', 'application/apply-patch+yaml', Buffer.from(body), ctx, new URLSearchParams()), (err) => isStatusError(err, 'Invalid') && /fieldManager: Required value/.test(err.message));
    const { object, created } = await patch('applied', 'application/apply-patch+yaml', body, 'fieldManager=test');
    assert.equal(created, true);
    // the manager is the request's (the HTTP layer reads ?fieldManager= into the context)
    assert.deepEqual(object.metadata.managedFields?.map((f) => [f.manager, f.operation]), [['kubectl', 'Apply']]);
  });

  test('an unknown patch type is 415', async () => {
    await assert.rejects(patch('smp', 'text/plain', '{}'), (err) => isStatusError(err) && err.code === 415);
  });
});
