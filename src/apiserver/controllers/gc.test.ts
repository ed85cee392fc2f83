import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Manager } from '../../runtime/controller.js';
import { internalContext } from '../rest/context.js';
import { inProcessApi, type InProcessApi } from '../testing.js';
import { startInProcessControllers } from './index.js';

const ctx = internalContext('test');

/** resolves once `check` holds (the store is the observable), failing after the deadline */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

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
    await until('the dependent is collected', async () => !(await exists('secrets', 'bg-dep')));
  });

  test('a dependent created with an owner that never existed is deleted', async () => {
    await api.create('', 'secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'orphaned-at-birth', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' }] },
    });
    await until('the dependent is collected', async () => !(await exists('secrets', 'orphaned-at-birth')));
  });

  test('foreground: the owner waits for its blocking dependents, then goes', async () => {
    const o = await owner('fg-owner');
    await dependent('fg-dep', o, true);
    const marked = await api.objects.delete(configMaps(), 'default', 'fg-owner', { propagationPolicy: 'Foreground' }, ctx);
    assert.equal(marked.deleted, false);
    assert.deepEqual(marked.object?.metadata.finalizers, ['foregroundDeletion']);
    await until('the owner is gone', async () => !(await exists('configmaps', 'fg-owner')));
    assert.equal(await exists('secrets', 'fg-dep'), false, 'the dependent went first');
  });

  test('orphan: the dependents lose their reference to the owner and stay', async () => {
    const o = await owner('or-owner');
    await dependent('or-dep', o);
    await api.objects.delete(configMaps(), 'default', 'or-owner', { propagationPolicy: 'Orphan' }, ctx);
    await until('the owner is gone', async () => !(await exists('configmaps', 'or-owner')));
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
    await until('the probe is collected', async () => !(await exists('secrets', 'two-probe')));
    assert.equal(await exists('secrets', 'two-owners'), true);
  });
});
