// Hostile input, property-based: malformed and adversarial bodies, patches and selectors sent to the
// API server's endpoints. Every answer must be a 4xx Status that names the problem, the server must
// keep answering, and nothing stored may change (the store's revision stays where it was).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { karmadaAdmission } from '../../src/apiserver/admission/karmada.js';
import { installKarmadaAPIs } from '../../src/controlplane/install-crds.js';
import { builtinProtobuf } from '../../src/apiserver/http/protobuf.js';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import type { RawClient, RawResponse } from '../support/http.js';

let ts: TestServer;
let http: RawClient;
const runs = Number(process.env.FUZZ_RUNS ?? 150);
const tried: Record<string, number> = {};

const cms = '/api/v1/namespaces/default/configmaps';
const deploys = '/apis/apps/v1/namespaces/default/deployments';
const policies = '/apis/policy.karmada.io/v1alpha1/namespaces/default/propagationpolicies';

const configMap = (name = 'fuzz') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'fuzz' } }, data: { key: 'value' } });
const deployment = (name = 'fuzz') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});
const policy = (name = 'fuzz') => ({
  apiVersion: 'policy.karmada.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name },
  spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name }], placement: { clusterAffinity: { clusterNames: ['member1'] } } },
});

before(async () => {
  ts = await startTestServer({ admission: karmadaAdmission() });
  await installKarmadaAPIs(ts.server);
  http = ts.http;
  // the objects that PUTs and PATCHes aim at
  for (const [path, body] of [[cms, configMap('target')], [deploys, deployment('target')], [policies, policy('target')]] as const) {
    const res = await http.call(path, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(res.status, 201, res.body);
  }
});

after(async () => {
  console.log(`hostile inputs tried per endpoint: ${JSON.stringify(tried)}`);
  await ts?.stop();
});

/** the store's revision: any write anywhere moves it */
async function revision(): Promise<string> {
  const res = await http.call(`${cms}?limit=1`);
  assert.equal(res.status, 200);
  return res.json().metadata.resourceVersion;
}

function assertRefused(res: RawResponse, input: string): void {
  const what = `${res.status} ${res.body.slice(0, 300)} for input ${input.slice(0, 200)}`;
  assert.ok(res.status >= 400 && res.status < 500, what);
  const status = res.json();
  assert.equal(status.kind, 'Status', what);
  assert.equal(status.code, res.status, what);
  assert.ok(typeof status.message === 'string' && status.message.length > 0, what);
  assert.doesNotMatch(status.message, /Maximum call stack|undefined|\[object Object\]|Cannot read properties/, what);
}

/** runs a property over one endpoint: every input refused, the store untouched */
async function fuzz<T>(endpoint: string, arb: fc.Arbitrary<T>, send: (input: T) => Promise<RawResponse>, show: (input: T) => string = (i) => JSON.stringify(i)): Promise<void> {
  const before = await revision();
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      tried[endpoint] = (tried[endpoint] ?? 0) + 1;
      assertRefused(await send(input), show(input));
    }),
    { numRuns: runs },
  );
  assert.equal(await revision(), before, `${endpoint}: a refused input changed the store`);
  assert.equal((await http.call('/healthz')).body, 'ok');
}

const post = (path: string, contentType = 'application/json') => (body: string) => http.call(path, { method: 'POST', body, headers: { 'Content-Type': contentType } });

// ---- generators -------------------------------------------------------------------------------------

/** valid JSON text with one character broken, kept only when it no longer parses */
const brokenJson = (doc: object) => {
  const text = JSON.stringify(doc);
  return fc
    .tuple(fc.nat({ max: text.length - 1 }), fc.nat({ max: 8 }), fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', 'x', ''))
    .map(([at, cut, put]) => text.slice(0, at) + put + text.slice(at + 1 + cut))
    .filter((t) => {
      try {
        JSON.parse(t);
        return false;
      } catch {
        return true;
      }
    });
};

/** a document nested beyond any sensible limit, as arrays, objects or both */
const deepNesting = (doc: object) =>
  fc.tuple(fc.integer({ min: 1_001, max: 30_000 }), fc.constantFrom('[', '{"a":', 'mixed')).map(([depth, open]) => {
    const opens = open === 'mixed' ? Array.from({ length: depth }, (_, i) => (i % 2 ? '[' : '{"a":')).join('') : open.repeat(depth);
    const closes = [...opens.matchAll(/\[|\{/g)].map((m) => (m[0] === '[' ? ']' : '}')).reverse().join('');
    return JSON.stringify(doc).replace(/}$/, `,"extra":${opens}1${closes}}`);
  });

/** a value of a JSON type other than `type` */
const notA = (type: 'string' | 'integer' | 'object' | 'array') =>
  fc.oneof(
    ...(type !== 'string' ? [fc.string()] : []),
    ...(type !== 'integer' ? [fc.integer()] : [fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)), fc.constantFrom(1e19, -1e19, 2 ** 63, 1e300)]),
    fc.boolean(),
    ...(type !== 'object' ? [fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { minKeys: 1, maxKeys: 3 })] : []),
    ...(type !== 'array' ? [fc.array(fc.integer(), { maxLength: 3 })] : []),
  );

/** a Deployment with one typed field holding the wrong kind of JSON */
const wrongTypes = fc.oneof(
  notA('string').map((v) => ['metadata.name', v] as const),
  notA('integer').map((v) => ['spec.replicas', v] as const),
  notA('object').filter((v) => v !== null).map((v) => ['spec.selector', v] as const),
  notA('array').map((v) => ['spec.template.spec.containers', v] as const),
  notA('string').map((v) => ['spec.template.spec.containers.0.image', v] as const),
  notA('integer').map((v) => ['metadata.generation', v] as const),
  notA('string').map((v) => ['spec.template.metadata.labels.app', v] as const),
);
function withField(doc: any, path: string, value: unknown): any {
  const copy = structuredClone(doc);
  const keys = path.split('.');
  let at = copy;
  for (const k of keys.slice(0, -1)) at = at[k];
  at[keys[keys.length - 1]] = value;
  return copy;
}

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const invalidName = fc.oneof(fc.string({ minLength: 1, maxLength: 300 }), fc.constantFrom('-a', 'a-', 'A', 'a_b', '..', 'a'.repeat(254), ' ', 'a/b', '%2F')).filter((n) => n.length > 253 || !dns1123.test(n));
const labelKey = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const invalidLabelKey = fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom('-a', 'a/', '/a', 'a'.repeat(64), 'UPPER.case/x', 'a b')).filter((k) => !labelKey.test(k) || k.split('/').pop()!.length > 63);

// Object.prototype's names included: a schema lookup that forgets hasOwn finds "toString"
const schemaFreeKey = fc
  .oneof(fc.constantFrom('toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf'), fc.string({ minLength: 1, maxLength: 12 }))
  .filter((k) => !['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable'].includes(k));

const badJsonPatch = fc.oneof(
  fc.record({ op: fc.string({ maxLength: 8 }).filter((o) => !['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(o)), path: fc.constant('/data/key'), value: fc.string() }).map((op) => [op]),
  fc.constant([{ op: 'remove', path: '/data/absent' }]),
  fc.constant([{ op: 'test', path: '/data/key', value: 'not-the-value' }]),
  fc.constant([{ op: 'add', path: '/data/a/b/c', value: 'x' }]),
  fc.constant([{ op: 'move', from: '/data/absent', path: '/data/x' }]),
  fc.nat({ max: 50 }).map((i) => [{ op: 'add', path: `/metadata/ownerReferences/${i}/name`, value: 'x' }]),
  fc.constant({ op: 'add', path: '/data/x', value: 'not a list' }),
  fc.constant([{ op: 'replace', path: '/metadata/name', value: 'renamed' }]),
  fc.constant([{ op: 'replace', path: '/data', value: [1] }]),
);
const badMergePatch = fc.oneof(
  fc.constant({ metadata: { name: 'renamed' } }),
  fc.constant({ metadata: { namespace: 'kube-system' } }),
  fc.constant({ metadata: null }),
  notA('object').map((data) => ({ data })),
  notA('string').map((v) => ({ data: { key: v } })),
  fc.constant({ metadata: { labels: { '-bad': 'x' } } }),
);

const badSelector = fc.oneof(
  fc.string({ maxLength: 10 }).map((s) => `a in (${s.replace(/\)/g, '')}`),
  fc.string({ maxLength: 10 }).map((s) => `a notin ${s.replace(/[()]/g, '')}`),
  fc.constantFrom('!', '=', '==x', 'a!==b', 'a,,b', '(a)', 'a=b=c', `${'x'.repeat(64)}=1`, 'a=b c', '-a=b', 'a=-b'),
);

// ---- endpoints --------------------------------------------------------------------------------------

describe('hostile bodies are refused with a Status, the server lives, nothing is stored', () => {
  test('POST configmaps: broken JSON', () => fuzz('POST configmaps (broken JSON)', brokenJson(configMap()), post(cms), (t) => t));
  test('POST deployments: broken JSON', () => fuzz('POST deployments (broken JSON)', brokenJson(deployment()), post(deploys), (t) => t));
  test('POST configmaps: broken YAML', () =>
    fuzz('POST configmaps (broken YAML)', fc.constantFrom('a: [', 'kind: ConfigMap\n  bad: indent\n x', '{{{', 'a: *nope', 'x: &a [*a]', ': : :', '- a\nb: c'), post(cms, 'application/yaml'), (t) => t));
  test('POST configmaps and deployments: deep nesting', () =>
    fuzz('POST (deep nesting)', fc.tuple(fc.boolean(), deepNesting(configMap()), deepNesting(deployment())), ([cm, a, b]) => (cm ? post(cms)(a) : post(deploys)(b)), ([cm, a, b]) => (cm ? a : b).slice(0, 120)));
  test('POST deployments: wrong types and huge numbers', () =>
    fuzz('POST deployments (wrong types)', wrongTypes, ([path, value]) => post(deploys)(JSON.stringify(withField(deployment('typed'), path, value)))));
  test('POST configmaps: invalid names and label keys', () =>
    fuzz('POST configmaps (invalid names, labels)', fc.oneof(invalidName.map((n) => withField(configMap(), 'metadata.name', n)), invalidLabelKey.map((k) => ({ ...configMap('labelled'), metadata: { name: 'labelled', labels: { [k]: 'v' } } }))), (doc) => post(cms)(JSON.stringify(doc))));
  test('POST configmaps: unknown fields under Strict validation', () =>
    fuzz('POST configmaps (unknown fields, Strict)', schemaFreeKey, (k) => post(`${cms}?fieldValidation=Strict`)(JSON.stringify(configMap('strict')).replace(/}$/, `,${JSON.stringify(k)}:{"a":1}}`))));
  test('POST propagationpolicies: wrong types and broken JSON', () =>
    fuzz('POST propagationpolicies', fc.oneof(brokenJson(policy()), notA('array').map((v) => JSON.stringify(withField(policy('p'), 'spec.resourceSelectors', v))), notA('string').map((v) => JSON.stringify(withField(policy('p'), 'metadata.name', v)))), post(policies), (t) => t));
  test('PUT configmaps/target: renamed, mistyped, broken', () =>
    fuzz(
      'PUT configmaps/target',
      fc.oneof(brokenJson(configMap('target')), notA('string').map((v) => JSON.stringify(withField(configMap('target'), 'data.key', v))), fc.constant(JSON.stringify(configMap('other')))),
      (body) => http.call(`${cms}/target`, { method: 'PUT', body }),
      (t) => t,
    ));
  test('PATCH configmaps/target: invalid JSON patches', () =>
    fuzz('PATCH json-patch', badJsonPatch, (p) => http.call(`${cms}/target`, { method: 'PATCH', body: JSON.stringify(p), headers: { 'Content-Type': 'application/json-patch+json' } })));
  test('PATCH configmaps/target: invalid merge patches', () =>
    fuzz('PATCH merge-patch', badMergePatch, (p) => http.call(`${cms}/target`, { method: 'PATCH', body: JSON.stringify(p), headers: { 'Content-Type': 'application/merge-patch+json' } })));
  test('PATCH deployments/target: invalid strategic merge patches', () =>
    fuzz(
      'PATCH strategic-merge-patch',
      fc.oneof(
        fc.constant({ metadata: { name: 'renamed' } }),
        fc.constant({ metadata: null }),
        notA('object').map((spec) => ({ spec })),
        notA('integer').map((replicas) => ({ spec: { replicas } })),
        fc.constant({ spec: { template: { spec: { containers: [{ $patch: 'explode', name: 'c' }] } } } }),
        fc.constant({ $setElementOrder: 5 }),
        brokenJson({ spec: { replicas: 2 } }).map((t) => ({ raw: t })),
      ),
      (p: any) => http.call(`${deploys}/target`, { method: 'PATCH', body: p?.raw ?? JSON.stringify(p), headers: { 'Content-Type': 'application/strategic-merge-patch+json' } }),
    ));
  test('PATCH configmaps/target: invalid apply patches', () =>
    fuzz(
      'PATCH apply-patch',
      fc.oneof(fc.constantFrom('a: [', 'kind: Secret\napiVersion: v1\nmetadata: {name: target}', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}', '[1, 2]'), notA('string').map((v) => JSON.stringify(withField(configMap('target'), 'data.key', v)))),
      (body) => http.call(`${cms}/target?fieldManager=fuzz`, { method: 'PATCH', body, headers: { 'Content-Type': 'application/apply-patch+yaml' } }),
      (t) => t,
    ));
  test('POST configmaps: malformed protobuf', () => {
    const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
    const valid = builtinProtobuf().encode(configMap('proto'));
    const body = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.concat([magic, Buffer.from(b)])),
      // a whole valid body, then a field that claims more bytes than there are
      fc.tuple(fc.integer({ min: 1, max: 15 }), fc.uint8Array({ maxLength: 100 })).map(([field, junk]) => Buffer.concat([valid, Buffer.from([(field << 3) | 2, 0xff, 0xff, 0x03]), Buffer.from(junk)])),
      // cut short inside the envelope's raw object (its last 4 bytes are two empty optional strings)
      fc.integer({ min: 5, max: 30 }).map((short) => valid.subarray(0, valid.length - short)),
    );
    return fuzz('POST configmaps (malformed protobuf)', body, (b) => http.call(cms, { method: 'POST', body: b, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' } }), (b) => b.toString('hex'));
  });
  test('GET and DELETE collections: invalid label and field selectors', () =>
    fuzz(
      'list/deletecollection (selectors)',
      fc.tuple(badSelector, fc.constantFrom('labelSelector', 'fieldSelector'), fc.constantFrom('GET', 'DELETE')),
      ([sel, param, method]) => http.call(`${cms}?${param}=${encodeURIComponent(param === 'fieldSelector' ? `metadata.${sel}` : sel)}`, { method }),
    ));
});
