// KubeClient against the API server over HTTPS: generic CRUD by kind or by resource, the four patch
// types, status subresource, paging and selectors, Status errors, discovery and apiEnablements (over
// two connections, not one per groupVersion).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { KubeClient } from '../../src/runtime/client.js';
import { discoverAPIEnablements } from '../../src/controllers/clusterstatus/probe.js';
import { StatusError } from '../../src/apimachinery/errors.js';
import type { KubeObject } from '../../src/apimachinery/types.js';

const cms = { group: '', version: 'v1', resource: 'configmaps' };
const cmType = { apiVersion: 'v1', kind: 'ConfigMap' };
const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };

function deployment(name: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'cl' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] } },
    },
  };
}

async function rejectsWith(p: Promise<unknown>, code: number, reason: string): Promise<StatusError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StatusError, `a StatusError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.reason, reason, err.message);
    return err;
  }
  assert.fail(`expected ${code} ${reason}`);
}

describe('KubeClient against the API server', () => {
  let ts: TestServer;
  let client: KubeClient;

  before(async () => {
    ts = await startTestServer();
    client = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cl' } });
  });

  after(async () => {
    await ts.stop();
  });

  test('create, get, replace and delete by kind or by resource; timestamps stay strings', async () => {
    const created = await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'cl' }, data: { a: '1' } });
    assert.equal(typeof created.metadata.creationTimestamp, 'string');
    const byKind = await client.get(cmType, 'one', { namespace: 'cl' });
    const byResource = await client.get(cms, 'one', { namespace: 'cl' });
    assert.deepEqual(byKind, byResource);
    const replaced = await client.replace({ ...byKind, data: { a: '2' } });
    assert.deepEqual(replaced.data, { a: '2' });
    assert.notEqual(replaced.metadata.resourceVersion, created.metadata.resourceVersion);
    // a stale resourceVersion is a conflict
    await rejectsWith(client.replace({ ...byKind, data: { a: '3' } }), 409, 'Conflict');
    await rejectsWith(client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'cl' } }), 409, 'AlreadyExists');
    await client.delete(cms, 'one', { namespace: 'cl', propagationPolicy: 'Background' });
    const notFound = await rejectsWith(client.get(cms, 'one', { namespace: 'cl' }), 404, 'NotFound');
    assert.equal(notFound.message, 'configmaps "one" not found');
  });

  test('merge, JSON, strategic and apply patches', async () => {
    await client.create(deployment('web'));
    const merged = await client.patch(deployments, 'web', { metadata: { labels: { tier: 'front' } } }, { namespace: 'cl' });
    assert.equal(merged.metadata.labels?.tier, 'front');
    const jsonPatched = await client.patch(deployments, 'web', [{ op: 'replace', path: '/spec/replicas', value: 3 }], { namespace: 'cl', type: 'json' });
    assert.equal((jsonPatched.spec as { replicas: number }).replicas, 3);
    // strategic merge: containers merge by name, so the sidecar survives
    const strategic = await client.patch(deployments, 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } }, { namespace: 'cl', type: 'strategic' });
    const containers = (strategic.spec as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers;
    assert.deepEqual(containers.map((c) => `${c.name}=${c.image}`), ['app=nginx:1.27', 'side=busybox']);
    const applied = await client.patch(
      cmType,
      'applied',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: 'cl' }, data: { k: 'v' } },
      { namespace: 'cl', type: 'apply', fieldManager: 'karmada-ts-test', force: true },
    );
    assert.deepEqual(applied.data, { k: 'v' });
    assert.ok(applied.metadata.managedFields?.some((f) => f.manager === 'karmada-ts-test' && f.operation === 'Apply'));
  });

  test('status subresource: updateStatus and patchStatus change status only', async () => {
    const d = await client.create(deployment('st'));
    const withStatus = await client.updateStatus({ ...d, spec: { ...(d.spec as object), replicas: 9 }, status: { replicas: 1, observedGeneration: 1 } });
    assert.equal((withStatus.status as { replicas: number }).replicas, 1);
    assert.equal((withStatus.spec as { replicas: number }).replicas, 1, 'spec changes are ignored on /status');
    const patched = await client.patchStatus(deployments, 'st', { status: { readyReplicas: 1 } }, { namespace: 'cl' });
    assert.equal((patched.status as { readyReplicas: number }).readyReplicas, 1);
  });

  test('list with selectors, and paging with limit/continue', async () => {
    for (let i = 0; i < 5; i++) {
      await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `page-${i}`, namespace: 'cl', labels: { set: 'paging', odd: String(i % 2 === 1) } } });
    }
    const odd = await client.list(cms, { namespace: 'cl', labelSelector: 'set=paging,odd=true' });
    assert.deepEqual(odd.items.map((o) => o.metadata.name), ['page-1', 'page-3']);
    const byName = await client.list(cms, { namespace: 'cl', fieldSelector: 'metadata.name=page-4' });
    assert.deepEqual(byName.items.map((o) => o.metadata.name), ['page-4']);
    const first = await client.list(cms, { namespace: 'cl', labelSelector: 'set=paging', limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.metadata.continue, 'a continue token');
    const all = await client.listAll(cms, { namespace: 'cl', labelSelector: 'set=paging', limit: 2 });
    assert.deepEqual(all.items.map((o) => o.metadata.name), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    assert.equal(all.metadata.continue, undefined);
  });

  test('discovery resolves kinds and resources, and finds a new CRD on a miss', async () => {
    const info = await client.resolve({ apiVersion: 'apps/v1', kind: 'Deployment' });
    assert.equal(info.resource, 'deployments');
    assert.equal(info.namespaced, true);
    assert.ok(info.subresources.includes('status') && info.subresources.includes('scale'));
    assert.equal((await client.resolve({ group: '', version: 'v1', resource: 'namespaces' })).namespaced, false);
    await rejectsWith(client.resolve({ apiVersion: 'example.com/v1', kind: 'Widget' }), 404, 'NotFound');

    await client.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    let widget: KubeObject | undefined;
    for (let i = 0; i < 50 && !widget; i++) {
      try {
        widget = await client.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'cl' }, size: 3 });
      } catch {
        await new Promise((r) => setTimeout(r, 100)); // the CRD becomes served shortly after
      }
    }
    assert.equal(widget?.size, 3);
    const enablements = (await discoverAPIEnablements(client)).enablements;
    const gvs = enablements.map((e) => e.groupVersion);
    assert.deepEqual(gvs, [...gvs].sort());
    assert.ok(gvs.includes('v1') && gvs.includes('apps/v1') && gvs.includes('example.com/v1'));
    const apps = enablements.find((e) => e.groupVersion === 'apps/v1')!;
    assert.ok(apps.resources!.some((r) => r.name === 'deployments' && r.kind === 'Deployment'));
    assert.ok(!apps.resources!.some((r) => r.name.includes('/')), 'no subresources');
  });

  test('a full discovery (apiEnablements) keeps to two connections: each groupVersion asked at once held its own TLS connection', async () => {
    const fresh = KubeClient.fromKubeconfig(ts.server.adminKubeconfig());
    try {
      const served = await fresh.groupVersions();
      assert.ok(served.length > 10, `a control plane serves many groupVersions (${served.length})`);
      for (let round = 0; round < 2; round++) {
        const { enablements, failed } = await discoverAPIEnablements(fresh);
        assert.deepEqual(failed, []);
        assert.deepEqual(enablements.map((e) => e.groupVersion), [...served].sort(), 'every groupVersion discovered, sorted');
      }
      assert.ok(fresh.transport.connections <= 2, `${fresh.transport.connections} connections opened for ${served.length} groupVersions, twice`);
    } finally {
      fresh.close();
    }
  });
});
