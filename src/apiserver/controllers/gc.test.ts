import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Manager } from '../../runtime/controller.js';
import { internalContext } from '../rest/context.js';
import { inProcessApi, type InProcessApi } from '../testing.js';
import { eventually } from '../../../test/support/kubectl.js';
import { startInProcessControllers } from './index.js';

const ctx = internalContext('test');

describe('garbage collector', () => {
  let api: InProcessApi;
  let manager: Manager;
  before(async () => {
    api = await inProcessApi();
    manager = await startInProcessControllers(api.objects, api.registry);
  });
  after(async () => {
    await manager.stop();
    await api.close();
  });

  const configMaps = () => api.def('', 'configmaps');
  const owner = (name: string) => api.create('', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
  const dependent = (name: string, of: KubeObject, blockOwnerDeletion = false) =>
    api.create('', 'secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: of.metadata.name!, uid: of.metadata.uid!, blockOwnerDeletion }] },
    });
  const exists = async (resource: string, name: string) => !!(await api.objects.tryGet(api.def('', resource), 'default', name));

  test('background: a dependent whose owner is gone is deleted', async () => {
    const o = await owner('bg-owner');
    await dependent('bg-dep', o);
    await api.objects.delete(configMaps(), 'default', 'bg-owner', { propagationPolicy: 'Background' }, ctx);
    await eventually(async () => !(await exists('secrets', 'bg-dep')), 'the dependent is collected', 10_000, 10);
  });

  test('writes whose results are shared with watchers (as over HTTP) are collected alike', async () => {
    // the collector then reads the write's own result, not the stored value
    const http = { ...ctx, readsResultOnly: true };
    const o = await api.objects.create(configMaps(), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared-owner', namespace: 'default' } }, http);
    const secrets = api.def('', 'secrets');
    const dep = await api.objects.create(secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shared-dep', namespace: 'default' } }, http);
    // the owner reference comes with an update, as a controller adopting it would add it
    await api.objects.update(secrets, 'default', 'shared-dep', { ...dep, metadata: { ...dep.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'shared-owner', uid: o.metadata.uid! }] } }, http);
    await api.objects.delete(configMaps(), 'default', 'shared-owner', { propagationPolicy: 'Background' }, http);
    await eventually(async () => !(await exists('secrets', 'shared-dep')), 'the dependent is collected', 10_000, 10);
  });

  test('a dependent created with an owner that never existed is deleted', async () => {
    await api.create('', 'secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'orphaned-at-birth', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' }] },
    });
    await eventually(async () => !(await exists('secrets', 'orphaned-at-birth')), 'the dependent is collected', 10_000, 10);
  });

  test('foreground: the owner waits for its blocking dependents, then goes', async () => {
    const o = await owner('fg-owner');
    await dependent('fg-dep', o, true);
    const marked = await api.objects.delete(configMaps(), 'default', 'fg-owner', { propagationPolicy: 'Foreground' }, ctx);
    assert.equal(marked.deleted, false);
    assert.deepEqual(marked.object?.metadata.finalizers, ['foregroundDeletion']);
    await eventually(async () => !(await exists('configmaps', 'fg-owner')), 'the owner is gone', 10_000, 10);
    assert.equal(await exists('secrets', 'fg-dep'), false, 'the dependent went first');
  });

  test('orphan: the dependents lose their reference to the owner and stay', async () => {
    const o = await owner('or-owner');
    await dependent('or-dep', o);
    await api.objects.delete(configMaps(), 'default', 'or-owner', { propagationPolicy: 'Orphan' }, ctx);
    await eventually(async () => !(await exists('configmaps', 'or-owner')), 'the owner is gone', 10_000, 10);
    const dep = await api.objects.get(api.def('', 'secrets'), 'default', 'or-dep');
    assert.equal(dep.metadata.ownerReferences, undefined);
  });

  test('a dependent with another owner still present stays', async () => {
    const a = await owner('two-a');
    const b = await owner('two-b');
    await api.create('', 'secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'two-owners',
        namespace: 'default',
        ownerReferences: [a, b].map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name!, uid: o.metadata.uid! })),
      },
    });
    await api.objects.delete(configMaps(), 'default', 'two-a', {}, ctx);
    // a background delete of another dependent of the gone owner is the signal the collector got that far
    const c = await owner('two-c');
    await dependent('two-probe', c);
    await api.objects.delete(configMaps(), 'default', 'two-c', {}, ctx);
    await eventually(async () => !(await exists('secrets', 'two-probe')), 'the probe is collected', 10_000, 10);
    assert.equal(await exists('secrets', 'two-owners'), true);
  });
});
