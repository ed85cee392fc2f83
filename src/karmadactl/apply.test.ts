import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchRemote, generatePolicyName, gvkString, loadManifests, propagationPolicyFor } from './apply.js';
import { promotionPolicy, templateFromMember } from './promote.js';

describe('generatePolicyName (names.GeneratePolicyName)', () => {
  // Karmada's own test cases
  test('foo in ns-foo', () => assert.equal(generatePolicyName('ns-foo', 'foo', 'rand'), 'foo-b4978784'));
  test('a ":" becomes "."', () => assert.equal(generatePolicyName('ns-foo', 'system:foo', 'rand'), 'system.foo-b4978784'));
});

describe('gvkString (schema.GroupVersionKind.String)', () => {
  test('grouped', () => assert.equal(gvkString('apps/v1', 'Deployment'), 'apps/v1, Kind=Deployment'));
  test('core', () => assert.equal(gvkString('v1', 'ConfigMap'), '/v1, Kind=ConfigMap'));
});

describe('propagationPolicyFor (karmadactl apply --all-clusters / -C)', () => {
  const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } };
  test('a namespaced object gets a PropagationPolicy in its namespace, every cluster', () => {
    const p = propagationPolicyFor(deploy, 'prod', { allClusters: true });
    assert.equal(p.kind, 'PropagationPolicy');
    assert.deepEqual(p.metadata, { name: generatePolicyName('prod', 'web', 'apps/v1, Kind=Deployment'), namespace: 'prod' });
    assert.deepEqual(p.spec, { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'prod' }], placement: { clusterAffinity: {} } });
  });
  test('a cluster-scoped object gets a ClusterPropagationPolicy, named clusters', () => {
    const p = propagationPolicyFor({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } }, '', { clusters: ['m1', 'm2'] });
    assert.equal(p.kind, 'ClusterPropagationPolicy');
    assert.equal(p.metadata.namespace, undefined);
    assert.deepEqual((p.spec as { placement: unknown }).placement, { clusterAffinity: { clusterNames: ['m1', 'm2'] } });
  });
});

describe('loadManifests', () => {
  test('multi-document files, Lists and directories', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifests-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n');
      writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
      const got = loadManifests([dir]).flatMap((f) => f.objects.map((o) => `${o.kind}/${o.metadata.name}`));
      assert.deepEqual(got, ['ConfigMap/a', 'Secret/b']);
      assert.throws(() => loadManifests([join(dir, 'missing.yaml')]), /the path ".*missing.yaml" does not exist/);
      writeFileSync(join(dir, 'bad.yaml'), 'metadata: {name: x}\n');
      assert.throws(() => loadManifests([join(dir, 'bad.yaml')]), /apiVersion and kind not set/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('apply -f URL', () => {
  test('the manifest is fetched, and a missing one says which URL', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/cm.yaml') res.end('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: remote}\n');
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const fetched = await fetchRemote([`${base}/cm.yaml`, 'local.yaml']);
      assert.deepEqual([...fetched.keys()], [`${base}/cm.yaml`]);
      assert.equal(loadManifests([`${base}/cm.yaml`], { fetched })[0]!.objects[0]!.metadata.name, 'remote');
      await assert.rejects(fetchRemote([`${base}/missing.yaml`]), /unable to read URL ".*missing.yaml", server reported 404/);
    } finally {
      server.close();
    }
  });
});

describe('promote', () => {
  test('the template drops what the member set and asks for Overwrite', () => {
    const t = templateFromMember({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'd', uid: 'u', resourceVersion: '7', creationTimestamp: 'x', managedFields: [], annotations: { keep: 'me' } },
      spec: { clusterIP: '10.0.0.7', clusterIPs: ['10.0.0.7'], ports: [{ port: 80 }] },
      status: { loadBalancer: {} },
    } as never);
    assert.deepEqual(t, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'd', annotations: { keep: 'me', 'work.karmada.io/conflict-resolution': 'overwrite' } },
      spec: { ports: [{ port: 80 }] },
    });
  });
  test('an existing conflict-resolution annotation is kept', () => {
    const t = templateFromMember({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { 'work.karmada.io/conflict-resolution': 'abort' } } });
    assert.equal(t.metadata.annotations?.['work.karmada.io/conflict-resolution'], 'abort');
  });
  test('the policy places it on that cluster only, Overwrite, preserving resources on deletion', () => {
    const p = promotionPolicy({ group: 'apps', version: 'v1', kind: 'Deployment', namespaced: true }, 'legacy', 'default', 'member1');
    assert.deepEqual(p, {
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: generatePolicyName('default', 'legacy', 'apps/v1, Kind=Deployment'), namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'legacy' }],
        placement: { clusterAffinity: { clusterNames: ['member1'] } },
        conflictResolution: 'Overwrite',
        preserveResourcesOnDeletion: true,
      },
    });
    const c = promotionPolicy({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', namespaced: false }, 'r', 'default', 'm2', { policyName: 'mine' });
    assert.equal(c.kind, 'ClusterPropagationPolicy');
    assert.deepEqual(c.metadata, { name: 'mine' });
  });
});
