import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../apimachinery/errors.js';
import { inProcessApi } from '../testing.js';
import { internalContext, type RequestContext } from './context.js';

test('a write whose client has disconnected is not stored: create, update and delete each', async () => {
  const api = await inProcessApi();
  try {
    const cms = api.def('', 'configmaps');
    const gone: RequestContext = { ...internalContext('test'), clientGone: () => true };
    const here = internalContext('test');
    const cm = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data });
    const timedOut = (err: unknown) => isStatusError(err, 'Timeout') && /client closed the connection/.test((err as Error).message);
    const revision = async () => (await api.store.list('/registry/')).revision;

    const before = await revision();
    await assert.rejects(api.objects.create(cms, 'default', cm({ v: '1' }), gone), timedOut);
    assert.equal(await api.objects.tryGet(cms, 'default', 'c'), undefined);
    assert.equal(await revision(), before, 'nothing written');

    const created = await api.objects.create(cms, 'default', cm({ v: '1' }), here);
    await assert.rejects(api.objects.update(cms, 'default', 'c', { ...cm({ v: '2' }), metadata: { ...created.metadata } }, gone), timedOut);
    await assert.rejects(api.objects.delete(cms, 'default', 'c', {}, gone), timedOut);
    assert.deepEqual((await api.objects.tryGet(cms, 'default', 'c'))?.data, { v: '1' });
  } finally {
    await api.close();
  }
});
