// The collector after an API server restart: a custom resource whose owner was deleted while no collector
// ran is collected, which needs its CRD served before the collector's first list (found by `npm run chaos`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../../test/support/kubectl.js';
import { ApiServer } from '../server.js';
import { internalContext } from '../rest/context.js';

const ctx = internalContext('test');

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

test('a custom resource whose owner went while the server was down is collected after the restart', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-restart-'));
  const start = (disableControllers = false) => ApiServer.start({ dataDir: dir, port: 0, storage: { backend: 'sqlite', path: join(dir, 'state.db') }, disableControllers });
  const def = (s: ApiServer, group: string, resource: string) => s.registry.versionsOf(group, resource)[0]!;
  try {
    let server = await start();
    await server.objects.create(def(server, 'apiextensions.k8s.io', 'customresourcedefinitions'), undefined, crd, ctx);
    await eventually(() => !!server.registry.versionsOf('example.com', 'widgets')[0], 'widgets are served');
    const owner = await server.objects.create(def(server, '', 'configmaps'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: 'default' } }, ctx);
    const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
    await server.objects.create(def(server, 'example.com', 'widgets'), 'default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default', ownerReferences: [ownerRef] } }, ctx);
    await server.stop();

    // the owner goes while no collector runs (the server that acknowledged the delete died before collecting)
    server = await start(true);
    await server.objects.delete(def(server, '', 'configmaps'), 'default', 'owner', {}, ctx);
    await server.stop();

    server = await start();
    try {
      await eventually(async () => !(await server.objects.tryGet(def(server, 'example.com', 'widgets'), 'default', 'w')), 'the widget is collected', 15_000);
      assert.equal(await server.objects.tryGet(def(server, '', 'configmaps'), 'default', 'owner'), undefined);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
