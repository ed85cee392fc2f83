// A Go-style client (client-go with protobuf, as Karmada's controllers and GitOps tools run): protobuf
// bodies in, protobuf objects, lists, watch frames and Status errors out, for Pods, Deployments,
// Services, ConfigMaps, Secrets and Nodes; custom resources stay JSON (415 and 406 as in Kubernetes).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufCodec, readWatchEvent, unframe, unwrapUnknown, wrapUnknown } from '../../src/apimachinery/protobuf/index.js';
import { builtinProtobuf } from '../../src/apiserver/http/protobuf.js';
import { builtinSchemas } from '../../src/apiserver/openapi/schemas.js';
import { installKarmadaAPIs } from '../../src/controlplane/install-crds.js';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import type { RawClient } from '../support/http.js';
import { eventually } from '../support/kubectl.js';

const PB = 'application/vnd.kubernetes.protobuf';
const goAccept = `${PB}, */*`;
const codec = new ProtobufCodec(builtinSchemas());

let ts: TestServer;
let http: RawClient;

before(async () => {
  ts = await startTestServer();
  http = ts.http;
});
after(() => ts?.stop());

const kinds: { path: string; list: string; obj: Record<string, unknown>; check: (o: any) => void }[] = [
  {
    path: '/api/v1/namespaces/default/pods',
    list: 'PodList',
    obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', labels: { app: 'go' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m' } } }] } },
    check: (o) => assert.deepEqual([o.spec.containers[0].ports[0].containerPort, o.spec.containers[0].resources.requests.cpu], [80, '100m']),
  },
  {
    path: '/apis/apps/v1/namespaces/default/deployments',
    list: 'DeploymentList',
    obj: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd1', labels: { app: 'go' } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'd1' } }, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } }, template: { metadata: { labels: { app: 'd1' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    },
    check: (o) => assert.deepEqual([o.spec.replicas, o.spec.strategy.rollingUpdate], [0, { maxSurge: 1, maxUnavailable: '10%' }]),
  },
  {
    path: '/api/v1/namespaces/default/services',
    list: 'ServiceList',
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's1', labels: { app: 'go' } }, spec: { selector: { app: 'd1' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    check: (o) => assert.deepEqual([o.spec.ports[0].port, o.spec.ports[0].targetPort], [80, 'http']),
  },
  {
    path: '/api/v1/namespaces/default/configmaps',
    list: 'ConfigMapList',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', labels: { app: 'go' } }, data: { 'a.txt': 'hello', empty: '' }, binaryData: { b: Buffer.from([0, 255]).toString('base64') } },
    check: (o) => assert.deepEqual([o.data, o.binaryData], [{ 'a.txt': 'hello', empty: '' }, { b: 'AP8=' }]),
  },
  {
    path: '/api/v1/namespaces/default/secrets',
    list: 'SecretList',
    obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec1', labels: { app: 'go' } }, type: 'Opaque', data: { token: Buffer.from('s3cr3t').toString('base64') } },
    check: (o) => assert.equal(Buffer.from(o.data.token, 'base64').toString(), 's3cr3t'),
  },
  {
    path: '/api/v1/nodes',
    list: 'NodeList',
    obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { app: 'go' } }, spec: { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }, status: { capacity: { cpu: '4', memory: '8Gi' } } },
    check: (o) => assert.deepEqual(o.spec.taints, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]),
  },
];

describe('a Go-style client speaking protobuf', () => {
  for (const k of kinds) {
    const kind = k.obj.kind as string;
    test(`${kind}: create, get, update, list and watch in protobuf`, async () => {
      const created = await http.call(k.path, { method: 'POST', body: codec.encode(k.obj), headers: { 'Content-Type': PB, Accept: goAccept } });
      assert.equal(created.status, 201, created.body);
      assert.equal(created.headers['content-type'], PB);
      const obj = codec.decode(created.bytes) as any;
      assert.equal(obj.kind, kind);
      k.check(obj);
      assert.ok(obj.metadata.uid && obj.metadata.resourceVersion && obj.metadata.creationTimestamp);

      // what is stored is what a JSON client reads
      const name = (k.obj.metadata as { name: string }).name;
      const asJson = await http.call(`${k.path}/${name}`);
      assert.equal(asJson.headers['content-type'], 'application/json');
      k.check(asJson.json());

      // update with a protobuf body (labels change), then a watch from the create's revision sees it
      obj.metadata.labels = { app: 'go', step: 'two' };
      const updated = await http.call(`${k.path}/${name}`, { method: 'PUT', body: codec.encode(obj), headers: { 'Content-Type': PB, Accept: goAccept } });
      assert.equal(updated.status, 200, updated.body);
      assert.equal((codec.decode(updated.bytes) as any).metadata.labels.step, 'two');

      const list = await http.call(`${k.path}?labelSelector=app%3Dgo`, { headers: { Accept: goAccept } });
      assert.equal(list.headers['content-type'], PB);
      const decoded = codec.decode(list.bytes) as any;
      assert.equal(decoded.kind, k.list);
      assert.ok(decoded.metadata.resourceVersion);
      assert.deepEqual(decoded.items.map((i: any) => i.metadata.name), [name]);
      k.check(decoded.items[0]);

      const watch = await http.call(`${k.path}?watch=true&resourceVersion=${obj.metadata.resourceVersion}&timeoutSeconds=1`, { headers: { Accept: goAccept } });
      assert.equal(watch.headers['content-type'], `${PB};stream=watch`);
      const { messages, rest } = unframe(watch.bytes);
      assert.equal(rest.length, 0);
      const events = messages.map((m) => readWatchEvent(m)).map((e) => ({ type: e.type, obj: codec.decode(e.object) as any }));
      assert.deepEqual(events.map((e) => [e.type, e.obj.kind, e.obj.metadata.labels.step]), [['MODIFIED', kind, 'two']]);

      const del = await http.call(`${k.path}/${name}`, { method: 'DELETE', body: codec.encode({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 }, 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'), headers: { 'Content-Type': PB, Accept: goAccept } });
      assert.equal(del.status, 200, del.body);
    });
  }

  test('the scale subresource in protobuf (autoscaling/v1 Scale, a kind only a subresource returns)', async () => {
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'scaled' }, spec: { replicas: 1, selector: { matchLabels: { app: 's' } }, template: { metadata: { labels: { app: 's' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    assert.equal((await http.call('/apis/apps/v1/namespaces/default/deployments', { method: 'POST', body: codec.encode(deploy), headers: { 'Content-Type': PB } })).status, 201);
    const path = '/apis/apps/v1/namespaces/default/deployments/scaled/scale';
    const got = await http.call(path, { headers: { Accept: goAccept } });
    assert.equal(got.headers['content-type'], PB);
    const scale = codec.decode(got.bytes) as any;
    assert.deepEqual([scale.kind, scale.spec.replicas], ['Scale', 1]);
    scale.spec.replicas = 4;
    const put = await http.call(path, { method: 'PUT', body: codec.encode(scale), headers: { 'Content-Type': PB, Accept: goAccept } });
    assert.equal(put.status, 200, put.body);
    assert.equal((codec.decode(put.bytes) as any).spec.replicas, 4);
    assert.equal((await http.call('/apis/apps/v1/namespaces/default/deployments/scaled')).json().spec.replicas, 4);
  });

  test('errors come back as a protobuf Status', async () => {
    const res = await http.call('/api/v1/namespaces/default/configmaps/missing', { headers: { Accept: goAccept } });
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], PB);
    const status = codec.decode(res.bytes) as any;
    assert.deepEqual([status.kind, status.status, status.reason, status.code, status.message], ['Status', 'Failure', 'NotFound', 404, 'configmaps "missing" not found']);
  });

  test('a malformed protobuf body is a 400 that says where', async () => {
    const good = unwrapUnknown(codec.encode({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'broken', labels: { a: 'b' } }, data: { a: 'b' } }));
    const truncated = wrapUnknown('v1', 'ConfigMap', good.raw.subarray(0, good.raw.length - 3));
    const res = await http.call('/api/v1/namespaces/default/configmaps', { method: 'POST', body: truncated, headers: { 'Content-Type': PB } });
    assert.equal(res.status, 400);
    assert.match(res.json().message, /protobuf body cannot be decoded as ConfigMap: .* at \.\S+ \(byte \d+\)/);
    const wrongKind = await http.call('/api/v1/namespaces/default/configmaps', { method: 'POST', body: codec.encode({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }), headers: { 'Content-Type': PB } });
    assert.equal(wrongKind.status, 400);
    assert.match(wrongKind.json().message, /does not match/);
  });

  test('aggregated discovery in protobuf when asked first, the same groups as its JSON form', async () => {
    const agg = (type: string) => `${type};g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`;
    const res = await http.call('/apis', { headers: { Accept: `${agg(PB)},${agg('application/json')},application/json` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], agg(PB));
    const decoded = builtinProtobuf().decode(res.bytes) as any;
    assert.equal(decoded.kind, 'APIGroupDiscoveryList');
    const json = (await http.call('/apis', { headers: { Accept: `${agg('application/json')},application/json` } })).json();
    assert.deepEqual(decoded.items, json.items);
    assert.ok(decoded.items.some((g: any) => g.metadata.name === 'apps' && g.versions[0].resources.some((r: any) => r.resource === 'deployments' && r.subresources.some((s: any) => s.subresource === 'scale'))));
  });

  test('metadata-only lists and objects in protobuf (as Go metadata informers ask)', async () => {
    const meta = (as: string) => `${PB};as=${as};g=meta.k8s.io;v=v1,application/json;as=${as};g=meta.k8s.io;v=v1,application/json`;
    await http.call('/api/v1/namespaces/default/configmaps', { method: 'POST', body: codec.encode({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'meta-only', labels: { m: '1' } }, data: { big: 'x'.repeat(1000) } }), headers: { 'Content-Type': PB } });
    const list = await http.call('/api/v1/namespaces/default/configmaps?labelSelector=m%3D1', { headers: { Accept: meta('PartialObjectMetadataList') } });
    assert.equal(list.headers['content-type'], PB);
    const decoded = builtinProtobuf().decode(list.bytes) as any;
    assert.equal(decoded.kind, 'PartialObjectMetadataList');
    assert.deepEqual(decoded.items.map((i: any) => [i.metadata.name, i.metadata.labels, i.data]), [['meta-only', { m: '1' }, undefined]]);
    const one = builtinProtobuf().decode((await http.call('/api/v1/namespaces/default/configmaps/meta-only', { headers: { Accept: meta('PartialObjectMetadata') } })).bytes) as any;
    assert.deepEqual([one.kind, one.metadata.name], ['PartialObjectMetadata', 'meta-only']);
  });

  test('Tables stay JSON when a client asks for protobuf first', async () => {
    const res = await http.call('/api/v1/namespaces/default/configmaps', { headers: { Accept: `${PB};as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io,application/json` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.json().kind, 'Table');
  });

  test('custom resources stay JSON: 415 for protobuf bodies, JSON for protobuf-first Accept, 406 for protobuf only', async () => {
    await installKarmadaAPIs(ts.server);
    const path = '/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies';
    const body = codec.encode({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    // the CRD is served once established
    const res = await eventually(async () => {
      const r = await http.call(path, { method: 'POST', body, headers: { 'Content-Type': PB } });
      return r.status === 404 ? undefined : r;
    }, 'propagationpolicies to be served') as Awaited<ReturnType<typeof http.call>>;
    assert.equal(res.status, 415, res.body);
    assert.equal(res.json().reason, 'UnsupportedMediaType');
    const list = await http.call(path, { headers: { Accept: goAccept } });
    assert.equal(list.status, 200);
    assert.equal(list.headers['content-type'], 'application/json');
    assert.equal(list.json().kind, 'PropagationPolicyList');
    const only = await http.call(path, { headers: { Accept: PB } });
    assert.equal(only.status, 406);
  });
});
