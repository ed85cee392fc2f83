// needs: etcd (scripts/run-tests.mjs skips this file loudly where etcd is not installed, and fails under CI)
// Several API servers on one etcd cluster behave as one: a write through one is seen by a watch on
// another, in order, with the same resourceVersions; compare-and-swap conflicts across servers give
// 409; CRDs created through one are served by all.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer } from '../../src/apiserver/server.js';
import { startEtcd, type EtcdCluster } from '../../src/storage/etcd/testing.js';
import { configMap, KubeHttp, type WatchEventLine } from '../../bench/support/kube-https.js';
import { eventually, Kubectl } from '../support/kubectl.js';

interface Node {
  server: ApiServer;
  http: KubeHttp;
  kubectl: Kubectl;
  dataDir: string;
}

let etcd: EtcdCluster | undefined;
const nodes: Node[] = [];
let a: Node;
let b: Node;

before(async () => {
  etcd = await startEtcd({ members: 1 });
  for (const name of ['a', 'b']) {
    const dataDir = mkdtempSync(join(tmpdir(), `karmada-ts-ha-${name}-`));
    const server = await ApiServer.start({ dataDir, port: 0, storage: { backend: 'etcd', endpoints: etcd.endpoints }, contextName: `apiserver-${name}` });
    // each server made its own CA: its own clients trust it and present its own admin certificate
    const http = new KubeHttp({ url: server.url, caPem: server.caPem, certPem: server.adminCredentials.certPem, keyPem: server.adminCredentials.keyPem });
    nodes.push({ server, http, kubectl: new Kubectl(server.adminKubeconfig()), dataDir });
  }
  [a, b] = nodes as [Node, Node];
});

after(async () => {
  for (const n of nodes) {
    n.http.close();
    await n.server.stop().catch(() => {});
    n.kubectl.cleanup();
    rmSync(n.dataDir, { recursive: true, force: true });
  }
  await etcd?.stop();
});

const ns = (name: string) => `/api/v1/namespaces/${name}/configmaps`;

async function createNamespace(node: Node, name: string): Promise<void> {
  const res = await node.http.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  assert.equal(res.status, 201, res.text);
}

describe('two API servers on one etcd', () => {
  test('a raw watch on B sees every write made through A, in order, with the resourceVersions A acknowledged', async () => {
    await createNamespace(a, 'watch-order');
    const start = await b.http.get(ns('watch-order'));
    assert.equal(start.status, 200, start.text);
    const seen: Array<{ type: string; name: string; rv: string; v: string }> = [];
    const stream = b.http.watch(`${ns('watch-order')}?watch=1&resourceVersion=${start.body.metadata.resourceVersion}`, (ev: WatchEventLine) => {
      seen.push({ type: ev.type, name: ev.object.metadata.name, rv: ev.object.metadata.resourceVersion, v: ev.object.data?.v });
    });
    try {
      assert.equal(await stream.ready, 200);
      const acked: typeof seen = [];
      for (let i = 0; i < 10; i++) {
        const name = `cm-${i % 4}`;
        const existing = i < 4 ? undefined : await a.http.get(`${ns('watch-order')}/${name}`);
        const res = existing
          ? await a.http.put(`${ns('watch-order')}/${name}`, configMap(name, { v: String(i) }, 'watch-order', existing.body.metadata.resourceVersion))
          : await a.http.post(ns('watch-order'), configMap(name, { v: String(i) }, 'watch-order'));
        assert.ok(res.status === 200 || res.status === 201, res.text);
        acked.push({ type: existing ? 'MODIFIED' : 'ADDED', name, rv: res.body.metadata.resourceVersion, v: String(i) });
      }
      const del = await a.http.request('DELETE', `${ns('watch-order')}/cm-0`);
      assert.equal(del.status, 200, del.text);
      acked.push({ type: 'DELETED', name: 'cm-0', rv: '', v: '8' });
      await eventually(() => seen.length >= acked.length, 'B to see every write made through A', 10_000, 20);
      // a delete's resourceVersion is the delete's revision: not acknowledged in A's answer, but newer than all before
      const deleted = seen.at(-1)!;
      assert.ok(Number(deleted.rv) > Number(acked.at(-2)!.rv));
      assert.deepEqual(seen.slice(0, -1), acked.slice(0, -1));
      assert.deepEqual({ ...deleted, rv: '' }, acked.at(-1));
    } finally {
      stream.stop();
    }
  });

  test('a watch resumes on B from a resourceVersion A handed out, with exactly the events after it', async () => {
    await createNamespace(a, 'resume');
    const rvs: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await a.http.post(ns('resume'), configMap(`r-${i}`, { i: String(i) }, 'resume'));
      assert.equal(res.status, 201, res.text);
      rvs.push(res.body.metadata.resourceVersion);
    }
    const names: string[] = [];
    const stream = b.http.watch(`${ns('resume')}?watch=1&resourceVersion=${rvs[2]}`, (ev) => names.push(`${ev.type} ${ev.object.metadata.name} ${ev.object.metadata.resourceVersion}`));
    try {
      assert.equal(await stream.ready, 200);
      await eventually(() => names.length >= 3, 'the replayed events on B', 10_000, 20);
      await new Promise((r) => setTimeout(r, 200)); // nothing more may arrive
      assert.deepEqual(names, [3, 4, 5].map((i) => `ADDED r-${i} ${rvs[i]}`));
    } finally {
      stream.stop();
    }
  });

  test('kubectl get -w on B shows what kubectl applies on A', async () => {
    await createNamespace(a, 'kubectl-watch');
    const watch = b.kubectl.background(['get', 'configmaps', '-n', 'kubectl-watch', '-w', '-o', 'custom-columns=NAME:.metadata.name,RV:.metadata.resourceVersion,COLOR:.data.color', '--no-headers']);
    try {
      await new Promise((r) => setTimeout(r, 1500)); // kubectl lists first, then watches
      const applied: string[] = [];
      for (const color of ['red', 'green', 'blue']) {
        const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: paint, namespace: kubectl-watch}\ndata: {color: ${color}}\n`;
        await a.kubectl.ok(['apply', '-f', '-'], { stdin: manifest });
        applied.push(`paint ${(await a.kubectl.ok(['get', 'cm', 'paint', '-n', 'kubectl-watch', '-o', 'jsonpath={.metadata.resourceVersion}'])).trim()} ${color}`);
      }
      const lines = await eventually(() => {
        const l = watch.output().split('\n').map((s) => s.trim().split(/\s+/).join(' ')).filter((s) => s.startsWith('paint'));
        return l.length >= 3 && l.at(-1)!.endsWith('blue') ? l : undefined;
      }, 'kubectl get -w on B to print the three versions', 15_000);
      assert.deepEqual(lines, applied, `watch output on B:\n${watch.output()}`);
    } finally {
      await watch.stop();
    }
  });

  test('a stale update through B after an update through A is a 409 Conflict Status', async () => {
    await createNamespace(a, 'cas');
    const created = await a.http.post(ns('cas'), configMap('shared', { owner: 'nobody' }, 'cas'));
    assert.equal(created.status, 201, created.text);
    const viaB = await b.http.get(`${ns('cas')}/shared`);
    assert.equal(viaB.body.metadata.resourceVersion, created.body.metadata.resourceVersion, 'both servers read the same resourceVersion');

    const winner = await a.http.put(`${ns('cas')}/shared`, { ...created.body, data: { owner: 'a' } });
    assert.equal(winner.status, 200, winner.text);
    const loser = await b.http.put(`${ns('cas')}/shared`, { ...viaB.body, data: { owner: 'b' } });
    assert.equal(loser.status, 409, loser.text);
    assert.equal(loser.body.kind, 'Status');
    assert.equal(loser.body.reason, 'Conflict');
    assert.match(loser.body.message, /the object has been modified; please apply your changes to the latest version and try again/);
    assert.equal((await b.http.get(`${ns('cas')}/shared`)).body.data.owner, 'a');

    // the same through kubectl: replace with a stale resourceVersion on B
    const stale = JSON.stringify({ ...viaB.body, data: { owner: 'kubectl-b' } });
    const r = await b.kubectl.run(['replace', '-f', '-'], { stdin: stale });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Conflict|the object has been modified/);
  });

  test('read-modify-write increments racing through both servers: every 409 is retried, none is lost', async () => {
    await createNamespace(a, 'counter');
    assert.equal((await a.http.post(ns('counter'), configMap('count', { n: '0' }, 'counter'))).status, 201);
    const perWorker = 15;
    let conflicts = 0;
    const worker = async (node: Node) => {
      for (let done = 0; done < perWorker; ) {
        const cur = await node.http.get(`${ns('counter')}/count`);
        const res = await node.http.put(`${ns('counter')}/count`, { ...cur.body, data: { n: String(Number(cur.body.data.n) + 1) } });
        if (res.status === 409) {
          assert.equal(res.body.reason, 'Conflict');
          conflicts++;
          continue;
        }
        assert.equal(res.status, 200, res.text);
        done++;
      }
    };
    await Promise.all([a, b, a, b, a, b].map(worker));
    const final = await b.http.get(`${ns('counter')}/count`);
    assert.equal(final.body.data.n, String(6 * perWorker));
    assert.ok(conflicts > 0, 'the workers actually raced (some updates conflicted)');
  });

  test('a CRD created through A is served by B: discovery, kubectl get, and custom objects both ways', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gizmos.ha.example.io}
spec:
  group: ha.example.io
  scope: Namespaced
  names: {plural: gizmos, singular: gizmo, kind: Gizmo, shortNames: [gz]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
`;
    await a.kubectl.ok(['apply', '-f', '-'], { stdin: crd });
    await eventually(async () => (await b.http.get('/apis/ha.example.io/v1')).status === 200, 'B to serve the group ha.example.io/v1', 15_000);
    const resources = await b.kubectl.ok(['api-resources', '--api-group=ha.example.io']);
    assert.match(resources, /^gizmos\s+gz\s+ha\.example\.io\/v1\s+true\s+Gizmo$/m);

    await b.kubectl.ok(['apply', '-f', '-'], { stdin: 'apiVersion: ha.example.io/v1\nkind: Gizmo\nmetadata: {name: g1, namespace: default}\nspec: {size: 3}\n' });
    const viaA = JSON.parse(await a.kubectl.ok(['get', 'gizmo', 'g1', '-o', 'json']));
    assert.equal(viaA.spec.size, 3);
    await a.kubectl.ok(['apply', '-f', '-'], { stdin: 'apiVersion: ha.example.io/v1\nkind: Gizmo\nmetadata: {name: g2, namespace: default}\nspec: {size: 5}\n' });
    const names = (await b.kubectl.ok(['get', 'gz', '-o', 'name'])).trim().split('\n');
    assert.deepEqual(names, ['gizmo.ha.example.io/g1', 'gizmo.ha.example.io/g2']);
    // B validates with the schema it learned from A's CRD
    const bad = await b.kubectl.run(['apply', '-f', '-'], { stdin: 'apiVersion: ha.example.io/v1\nkind: Gizmo\nmetadata: {name: g3, namespace: default}\nspec: {size: big}\n' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /spec\.size/);

    // and deleting the CRD through B stops A from serving it
    await b.kubectl.ok(['delete', 'crd', 'gizmos.ha.example.io']);
    await eventually(async () => (await a.http.get('/apis/ha.example.io/v1/gizmos')).status === 404, 'A to stop serving gizmos', 20_000);
  });

  test('with both servers\' controllers running: a namespace deleted through B is emptied and removed, seen the same on A', async () => {
    await createNamespace(a, 'doomed');
    for (let i = 0; i < 5; i++) assert.equal((await a.http.post(ns('doomed'), configMap(`d-${i}`, { i: String(i) }, 'doomed'))).status, 201);
    const del = await b.http.request('DELETE', '/api/v1/namespaces/doomed');
    assert.ok(del.status === 200 || del.status === 202, del.text);
    await eventually(async () => (await a.http.get('/api/v1/namespaces/doomed')).status === 404, 'the namespace to disappear (seen through A)', 20_000, 100);
    assert.equal((await b.http.get('/api/v1/namespaces/doomed')).status, 404);
    const left = await a.http.get(ns('doomed'));
    assert.equal(left.body.items.length, 0, 'its ConfigMaps were deleted');
  });

  test('with both servers\' garbage collectors running: dependents of an owner deleted through A are collected once', async () => {
    await createNamespace(a, 'gc');
    const owner = await a.http.post(ns('gc'), configMap('owner', { role: 'owner' }, 'gc'));
    assert.equal(owner.status, 201, owner.text);
    const ref = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.body.metadata.uid }];
    for (let i = 0; i < 4; i++) {
      const dep = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `dep-${i}`, namespace: 'gc', ownerReferences: ref }, data: { i: String(i) } };
      assert.equal((await b.http.post(ns('gc'), dep)).status, 201);
    }
    const seen: string[] = [];
    const start = await b.http.get(ns('gc'));
    const stream = b.http.watch(`${ns('gc')}?watch=1&resourceVersion=${start.body.metadata.resourceVersion}`, (ev) => {
      if (ev.type === 'DELETED') seen.push(ev.object.metadata.name);
    });
    try {
      assert.equal(await stream.ready, 200);
      assert.equal((await a.http.request('DELETE', `${ns('gc')}/owner`)).status, 200);
      await eventually(async () => (await b.http.get(ns('gc'))).body.items.length === 0, 'the dependents to be collected', 20_000, 100);
      await eventually(() => seen.length >= 5, 'the watch to see the deletes', 5000, 20);
      assert.deepEqual([...seen].sort(), ['dep-0', 'dep-1', 'dep-2', 'dep-3', 'owner'], 'each object deleted exactly once');
    } finally {
      stream.stop();
    }
  });

  test('a list larger than gRPC\'s default 4 MiB message is served (kube-apiserver lifts the client limit)', async () => {
    await createNamespace(a, 'big-list');
    const blob = 'x'.repeat(900 * 1024);
    for (let i = 0; i < 6; i++) assert.equal((await a.http.post(ns('big-list'), configMap(`big-${i}`, { blob }, 'big-list'))).status, 201);
    const viaB = await b.http.get(ns('big-list'));
    assert.equal(viaB.status, 200, viaB.text.slice(0, 300));
    assert.equal(viaB.body.items.length, 6);
    // and whatever happened to that list, B goes on serving small requests at once
    const small = await b.http.get(`${ns('big-list')}/big-0`, { timeoutMs: 2000 });
    assert.equal(small.status, 200, small.text.slice(0, 300));
  });
});
