// What clients other than kubectl rely on: authentication, every error as a Status with the right
// code and reason, list and watch parameters, dry runs and field validation, metrics.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setBookmarkInterval } from '../../src/apiserver/handlers/watch.js';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { heldUpload, type RawClient } from '../support/http.js';
import { eventually } from '../support/kubectl.js';

let ts: TestServer;
let http: RawClient;
const cms = '/api/v1/namespaces/default/configmaps';

const cm = (name: string, data: Record<string, string> = { a: '1' }) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

before(async () => {
  ts = await startTestServer({ tokens: ['secret-token,alice,1001,"dev,ops"'], maxMutatingRequestsInflight: 2 });
  http = ts.http;
});

after(() => ts?.stop());

function assertStatus(res: { status: number; json(): any; headers: Record<string, unknown> }, code: number, reason: string, message?: RegExp) {
  assert.equal(res.status, code);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json();
  assert.equal(body.kind, 'Status');
  assert.equal(body.status, 'Failure');
  assert.equal(body.code, code);
  assert.equal(body.reason, reason);
  if (message) assert.match(body.message, message);
  return body;
}

describe('authentication', () => {
  test('no credentials: 401 for the API, public info still readable', async () => {
    assertStatus(await http.call('/api/v1/namespaces', { auth: 'none' }), 401, 'Unauthorized');
    assert.equal((await http.call('/version', { auth: 'none' })).json().minor, '32');
    assert.equal((await http.call('/healthz', { auth: 'none' })).body, 'ok');
  });

  test('bearer tokens from the token file', async () => {
    assert.equal((await http.call('/api/v1', { auth: { token: 'secret-token' } })).status, 200);
    // authenticated is not authorized: alice has no role binding
    assertStatus(await http.call('/api/v1/namespaces', { auth: { token: 'secret-token' } }), 403, 'Forbidden', /^namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope$/);
    assertStatus(await http.call('/api/v1/namespaces', { auth: { token: 'wrong' } }), 401, 'Unauthorized');
  });
});

describe('errors are Statuses with the right code', () => {
  test('400 for malformed JSON, a namespace mismatch, or a bad selector', async () => {
    assertStatus(await http.call(cms, { method: 'POST', body: '{"metadata": {' }), 400, 'BadRequest', /json/i);
    const other = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'kube-system' } });
    assertStatus(await http.call(cms, { method: 'POST', body: other }), 400, 'BadRequest', /does not match the namespace/);
    assertStatus(await http.call(`${cms}?labelSelector=${encodeURIComponent('a in (b')}`), 400, 'BadRequest');
    assertStatus(await http.call(`${cms}?fieldSelector=spec.foo%3Dbar`), 400, 'BadRequest', /field label not supported: spec.foo/);
  });

  test('YAML bodies are accepted', async () => {
    const res = await http.call(cms, { method: 'POST', body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-yaml}\ndata: {k: v}\n', headers: { 'Content-Type': 'application/yaml' } });
    assert.equal(res.status, 201);
    assert.equal(res.json().data.k, 'v');
  });

  test('404 for missing objects, namespaces and paths', async () => {
    assertStatus(await http.call(`${cms}/nope`), 404, 'NotFound', /^configmaps "nope" not found$/);
    assertStatus(await http.call('/apis/apps/v1/namespaces/default/deployments/nope'), 404, 'NotFound', /^deployments.apps "nope" not found$/);
    assertStatus(await http.call('/api/v1/namespaces/ghost/configmaps', { method: 'POST', body: cm('x') }), 404, 'NotFound', /namespaces "ghost" not found/);
    assertStatus(await http.call('/apis/nothing.example.com/v1/things'), 404, 'NotFound', /could not find the requested resource/);
    assert.deepEqual((await http.call('/api/v1/namespaces/ghost/configmaps')).json().items, []);
  });

  test('405 for a verb the resource does not have', async () => {
    assertStatus(await http.call(`${cms}/x`, { method: 'POST', body: cm('x') }), 405, 'MethodNotAllowed');
  });

  test('409 for duplicates and stale resourceVersions', async () => {
    const created = (await http.call(cms, { method: 'POST', body: cm('dup') })).json();
    assertStatus(await http.call(cms, { method: 'POST', body: cm('dup') }), 409, 'AlreadyExists', /^configmaps "dup" already exists$/);
    const stale = { ...created, data: { a: '2' } };
    assert.equal((await http.call(`${cms}/dup`, { method: 'PUT', body: JSON.stringify(stale) })).status, 200);
    assertStatus(await http.call(`${cms}/dup`, { method: 'PUT', body: JSON.stringify({ ...created, data: { a: '3' } }) }), 409, 'Conflict', /the object has been modified; please apply your changes to the latest version and try again/);
  });

  test('410 for a compacted resourceVersion, on list and on watch', async () => {
    const first = (await http.call(cms, { method: 'POST', body: cm('old') })).json();
    for (let i = 0; i < 3; i++) await http.call(cms, { method: 'POST', body: cm(`later-${i}`) });
    await ts.server.store.compact(await ts.server.store.currentRevision());
    assertStatus(await http.call(`${cms}?resourceVersion=${first.metadata.resourceVersion}&resourceVersionMatch=Exact`), 410, 'Expired');
    const w = await http.call(`${cms}?watch=true&resourceVersion=${first.metadata.resourceVersion}&timeoutSeconds=2`);
    const lines = w.body.trim().split('\n').map((l) => JSON.parse(l));
    const last = lines[lines.length - 1];
    assert.equal(last.type, 'ERROR');
    assert.equal(last.object.code, 410);
  });

  test('413 for bodies over 3 MiB', async () => {
    const big = cm('big', { a: 'x'.repeat(3 * 1024 * 1024 + 10) });
    assertStatus(await http.call(cms, { method: 'POST', body: big }), 413, 'RequestEntityTooLarge');
  });

  test('400 that says where for a truncated protobuf body; 415 for protobuf patches and unknown media types', async () => {
    const pb = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a]);
    assertStatus(await http.call(cms, { method: 'POST', body: pb, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' } }), 400, 'BadRequest', /protobuf body cannot be decoded.*byte \d+/);
    assertStatus(await http.call(`${cms}/dup`, { method: 'PATCH', body: pb, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' } }), 415, 'UnsupportedMediaType', /accepted media types include/);
    assertStatus(await http.call(`${cms}/dup`, { method: 'PATCH', body: '{}', headers: { 'Content-Type': 'text/plain' } }), 415, 'UnsupportedMediaType');
  });

  test('422 names each bad field', async () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bad' },
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c' }] } } },
    };
    const body = assertStatus(await http.call('/apis/apps/v1/namespaces/default/deployments', { method: 'POST', body: JSON.stringify(deploy) }), 422, 'Invalid', /^Deployment.apps "bad" is invalid/);
    const fields = body.details.causes.map((c: { field: string }) => c.field);
    assert.ok(fields.includes('spec.template.metadata.labels'), JSON.stringify(fields));
    assert.ok(fields.includes('spec.template.spec.containers[0].image'), JSON.stringify(fields));
    assertStatus(await http.call(cms, { method: 'POST', body: cm('Bad_Name') }), 422, 'Invalid', /metadata.name: Invalid value: "Bad_Name"/);
    assertStatus(await http.call(`${cms}?sendInitialEvents=true`), 422, 'Invalid');
  });

  test('429 when too many mutating requests are in flight', async () => {
    // two uploads that never finish hold both mutating slots
    const held = [0, 1].map(() => heldUpload(ts.server, cms));
    await new Promise((r) => setTimeout(r, 300));
    const res = await http.call(cms, { method: 'POST', body: cm('throttled') });
    for (const r of held) r.destroy();
    assertStatus(res, 429, 'TooManyRequests');
    assert.equal(res.headers['retry-after'], '1');
  });

  test('504 for a resourceVersion from the future', async () => {
    assertStatus(await http.call(`${cms}?resourceVersion=99999999`), 504, 'Timeout', /Too large resource version/);
  });
});

describe('list, watch and write options', () => {
  test('limit and continue walk one consistent snapshot', async () => {
    for (let i = 0; i < 5; i++) await http.call('/api/v1/namespaces/kube-public/configmaps', { method: 'POST', body: cm(`page-${i}`) });
    const names: string[] = [];
    let next = '';
    let pages = 0;
    do {
      const page = (await http.call(`/api/v1/namespaces/kube-public/configmaps?limit=2${next ? `&continue=${next}` : ''}`)).json();
      names.push(...page.items.map((i: any) => i.metadata.name));
      next = page.metadata.continue ?? '';
      pages++;
      if (pages === 1) await http.call('/api/v1/namespaces/kube-public/configmaps', { method: 'POST', body: cm('page-9-late') });
    } while (next);
    assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    assert.equal(pages, 3);
  });

  test('watch sends bookmarks, and sendInitialEvents ends the initial list with one', async () => {
    setBookmarkInterval(200);
    const w = await http.call('/api/v1/namespaces/kube-public/configmaps?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1');
    const events = w.body.trim().split('\n').map((l) => JSON.parse(l));
    const initialEnd = events.findIndex((e) => e.type === 'BOOKMARK' && e.object.metadata.annotations?.['k8s.io/initial-events-end'] === 'true');
    assert.ok(initialEnd >= 6, `initial ADDED events precede the end bookmark: ${events.map((e) => e.type)}`);
    assert.ok(events.slice(0, initialEnd).every((e) => e.type === 'ADDED'));
    assert.ok(events.slice(initialEnd + 1).some((e) => e.type === 'BOOKMARK'), 'periodic bookmarks follow');
    setBookmarkInterval(60_000);
  });

  test('dryRun=All validates and persists nothing', async () => {
    const res = await http.call(`${cms}?dryRun=All`, { method: 'POST', body: cm('dry') });
    assert.equal(res.status, 201);
    assert.ok(res.json().metadata.uid);
    assert.equal(res.json().metadata.resourceVersion, undefined);
    assert.equal((await http.call(`${cms}/dry`)).status, 404);
  });

  test('fieldValidation: Strict refuses unknown fields, Warn prunes with a Warning header', async () => {
    const withExtra = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fv' }, data: { a: '1' }, bogus: true });
    assertStatus(await http.call(`${cms}?fieldValidation=Strict`, { method: 'POST', body: withExtra }), 400, 'BadRequest', /strict decoding error: unknown field "bogus"/);
    const warned = await http.call(`${cms}?fieldValidation=Warn`, { method: 'POST', body: withExtra });
    assert.equal(warned.status, 201);
    assert.match(String(warned.headers.warning), /299 - "unknown field \\"bogus\\""/);
    assert.equal(warned.json().bogus, undefined);
  });

  test('Table and PartialObjectMetadata renderings', async () => {
    const table = (await http.call(cms, { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } })).json();
    assert.equal(table.kind, 'Table');
    assert.deepEqual(table.columnDefinitions.map((c: any) => c.name), ['Name', 'Data', 'Age']);
    const meta = (await http.call(cms, { headers: { Accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' } })).json();
    assert.equal(meta.kind, 'PartialObjectMetadataList');
    assert.equal(meta.items[0].kind, 'PartialObjectMetadata');
  });

  test('metrics count requests as kube-apiserver names them', async () => {
    const text = (await http.call('/metrics')).body;
    assert.match(text, /apiserver_request_total\{(?=[^}]*verb="LIST")(?=[^}]*resource="configmaps")(?=[^}]*code="200")[^}]*\} \d+/);
    assert.match(text, /apiserver_request_duration_seconds_bucket\{/);
  });

  test('open watches are counted per resource while they last (apiserver_longrunning_requests)', async () => {
    const gauge = async () => {
      const line = (await http.call('/metrics')).body.split('\n').find((l) => /^apiserver_longrunning_requests\{(?=[^}]*verb="WATCH")(?=[^}]*resource="configmaps")(?=[^}]*scope="namespace")/.test(l));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    };
    const watch = http.call(`${cms}?watch=true&timeoutSeconds=1`);
    await eventually(async () => (await gauge()) === 1, 'the open watch is counted', 5_000, 10);
    await watch;
    await eventually(async () => (await gauge()) === 0, 'the ended watch is not', 5_000, 10);
  });
});
