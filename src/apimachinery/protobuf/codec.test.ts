// Table tests for the protobuf codec: real kubectl bodies, Kubernetes' special types, proto2 zero
// values against Go's JSON, inline embeddings, and malformed bodies that must say where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinSchemas } from '../../apiserver/openapi/schemas.js';
import { ProtobufCodec, ProtobufDecodeError, formatTime, frame, parseTime, readWatchEvent, unframe, unwrapUnknown, watchEvent, wrapUnknown } from './index.js';
import { StatusError } from '../errors.js';

const codec = new ProtobufCodec(builtinSchemas());

// captured from `kubectl create namespace demo` and `kubectl create deployment web --image=nginx --replicas=0 --port=80` (1.32)
const kubectlNamespace = 'azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhwKFAoEZGVtbxIAGgAiACoAMgA4AEIAEgAaAgoAGgAiAA==';
const kubectlDeployment =
  'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErgBCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEoYBCAASDAoKCgNhcHASA3dlYhpsChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEkwSLgoFbmdpbngSBW5naW54KgAyCgoAEAAYUCIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=';

test('kubectl generator bodies decode to the JSON kubectl would have sent, without Go zero values', () => {
  assert.deepEqual(codec.decode(Buffer.from(kubectlNamespace, 'base64')), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  assert.deepEqual(codec.decode(Buffer.from(kubectlDeployment, 'base64'), 'io.k8s.api.apps.v1.Deployment'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 0, // a pointer: zero is meaningful and kept
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] },
      },
    },
  });
});

const cases: { name: string; schema: string; obj: Record<string, unknown>; back?: Record<string, unknown> }[] = [
  {
    name: 'Time, MicroTime, int64 and ManagedFields (FieldsV1 raw JSON)',
    schema: 'io.k8s.api.core.v1.Event',
    obj: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: 'e',
        generation: 9007199254740991,
        creationTimestamp: '2024-05-01T10:00:00Z',
        managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:message': {} } }],
      },
      involvedObject: { kind: 'Pod', name: 'p' },
      eventTime: '2024-05-01T10:00:00.123456Z',
      count: 3,
      message: 'hello',
    },
  },
  {
    name: 'IntOrString as int and string, Quantity maps, pointer empty structs kept (emptyDir: {})',
    schema: 'io.k8s.api.core.v1.Pod',
    obj: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'i',
            resources: { limits: { cpu: '500m', memory: '1Gi' } },
            readinessProbe: { httpGet: { port: 8080, path: '/' } },
            livenessProbe: { httpGet: { port: 'http' } },
            securityContext: {},
          },
        ],
        volumes: [{ name: 'v', emptyDir: {} }, { name: 's', secret: { secretName: 'x', defaultMode: 420 } }],
      },
    },
  },
  {
    name: 'bytes (Secret data) and string maps',
    schema: 'io.k8s.api.core.v1.Secret',
    obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: Buffer.from([0, 1, 2, 255]).toString('base64') }, type: 'Opaque' },
  },
  {
    name: 'map values wrapped in {items} (UserInfo.extra)',
    schema: 'io.k8s.api.authentication.v1.TokenReview',
    obj: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: { token: 't' }, status: { authenticated: true, user: { username: 'u', extra: { scopes: ['a', 'b'] } } } },
    back: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 't' }, status: { authenticated: true, user: { username: 'u', extra: { scopes: ['a', 'b'] } } } },
  },
  {
    name: 'TokenRequest (kubectl create token; int64 pointer)',
    schema: 'io.k8s.api.authentication.v1.TokenRequest',
    obj: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: 'robot', namespace: 'default' }, spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u' } } },
  },
  {
    name: 'SelfSubjectAccessReview (kubectl auth can-i)',
    schema: 'io.k8s.api.authorization.v1.SelfSubjectAccessReview',
    obj: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: { creationTimestamp: '2024-05-01T10:00:00Z' }, spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } }, status: { allowed: false } },
  },
  {
    name: 'RawExtension (ControllerRevision.data) and non-omitempty zero (revision: 0 kept)',
    schema: 'io.k8s.api.apps.v1.ControllerRevision',
    obj: { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, data: { spec: { a: [1, 'x', null] } }, revision: 0 },
  },
  {
    name: 'JSONSchemaProps: double, JSON, OrBool, OrArray, x-kubernetes names',
    schema: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    obj: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'foos.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'foos', kind: 'Foo' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
                properties: {
                  n: { type: 'number', maximum: 1.5, default: 0.5 },
                  m: { type: 'object', additionalProperties: false },
                  k: { type: 'object', additionalProperties: { type: 'string' } },
                  l: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
                },
              },
            },
          },
        ],
      },
    },
  },
];

for (const c of cases) {
  test(`round trip: ${c.name}`, () => {
    const bytes = codec.encode(c.obj, c.schema);
    assert.deepEqual(codec.decode(bytes, c.schema), c.back ?? c.obj);
  });
}

test('drops zero values Go writes for non-pointer omitempty fields, keeps them for pointers and non-omitempty fields', () => {
  const bytes = codec.encode({ apiVersion: 'v1', kind: 'Service', metadata: { name: '' }, spec: { ports: [{ port: 80, name: '', targetPort: 0 }], clusterIP: '' } });
  assert.deepEqual(codec.decode(bytes), { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80, targetPort: 0 }] } });
  const zeroPort = codec.encode({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'c', ports: [{ containerPort: 0 }] }], terminationGracePeriodSeconds: 0 } });
  assert.deepEqual(codec.decode(zeroPort), { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'c', ports: [{ containerPort: 0 }] }], terminationGracePeriodSeconds: 0 } });
});

test('the envelope is magic + runtime.Unknown with every field, as Go writes it', () => {
  const env = wrapUnknown('v1', 'Namespace', Buffer.from([1, 2]));
  assert.deepEqual([...env.subarray(0, 4)], [0x6b, 0x38, 0x73, 0x00]);
  const u = unwrapUnknown(env);
  assert.deepEqual({ ...u, raw: [...u.raw] }, { apiVersion: 'v1', kind: 'Namespace', raw: [1, 2], contentEncoding: '', contentType: '', rawOffset: env.length - 6 });
});

test('watch frames: 4-byte length then WatchEvent{type, object: RawExtension{enveloped object}}', () => {
  const obj = codec.encode({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
  const stream = Buffer.concat([frame(watchEvent('ADDED', obj)), frame(watchEvent('DELETED', obj))]);
  const { messages, rest } = unframe(Buffer.concat([stream, Buffer.from([0, 0])]));
  assert.equal(rest.length, 2);
  assert.deepEqual(
    messages.map((m) => {
      const e = readWatchEvent(m);
      return [e.type, codec.decode(e.object)];
    }),
    [
      ['ADDED', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }],
      ['DELETED', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }],
    ],
  );
});

const malformed: { name: string; body: Buffer; message: RegExp }[] = [
  { name: 'no magic', body: Buffer.from('{"kind":"ConfigMap"}'), message: /does not start with the protobuf prefix/ },
  { name: 'truncated envelope', body: Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a]), message: /byte \d+/ },
  {
    name: 'a truncated object',
    body: (() => {
      const b = codec.encode({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' } } });
      const u = unwrapUnknown(b);
      return wrapUnknown('v1', 'ConfigMap', u.raw.subarray(0, u.raw.length - 3));
    })(),
    message: /at \.metadata.* \(byte \d+\)/,
  },
  {
    name: 'a wrong wire type names the field',
    // ConfigMap{metadata(1){name(1): varint 5}}
    body: wrapUnknown('v1', 'ConfigMap', Buffer.from([0x0a, 0x02, 0x08, 0x05])),
    message: /wire type 0 where 2 was expected at \.metadata\.name \(byte \d+\)/,
  },
  { name: 'an unknown kind', body: wrapUnknown('v1', 'Nope', Buffer.alloc(0)), message: /no kind "Nope" is registered/ },
];

for (const c of malformed) {
  test(`malformed body: ${c.name} is a 400 that says where`, () => {
    assert.throws(
      () => codec.decode(c.body),
      (err: unknown) => err instanceof StatusError && err.code === 400 && c.message.test(err.status.message ?? ''),
    );
  });
}

test('random bytes never crash the decoder: a 400 or a decoded object', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const good = codec.encode({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2, selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'c' }] } } } });
  for (let i = 0; i < 500; i++) {
    const b = Buffer.from(good);
    for (let j = 0; j < 3; j++) b[4 + Math.floor(rand() * (b.length - 4))] = Math.floor(rand() * 256);
    try {
      codec.decode(b);
    } catch (err) {
      assert.ok(err instanceof StatusError && err.code === 400, String(err));
    }
  }
});

test('times: RFC 3339 in any offset to seconds and nanos, and back in UTC', () => {
  const table: [string, { seconds: number; nanos: number } | undefined][] = [
    ['1970-01-01T00:00:00Z', { seconds: 0, nanos: 0 }],
    ['2024-05-01T12:00:00+02:00', { seconds: 1714557600, nanos: 0 }],
    ['2024-05-01T10:00:00.5Z', { seconds: 1714557600, nanos: 500000000 }],
    ['yesterday', undefined],
  ];
  for (const [text, want] of table) assert.deepEqual(parseTime(text), want, text);
  assert.equal(formatTime(1714557600, 0, false), '2024-05-01T10:00:00Z');
  assert.equal(formatTime(1714557600, 123456789, true), '2024-05-01T10:00:00.123456Z');
});

test('decode errors carry the path and the byte offset', () => {
  const err = new ProtobufDecodeError('x', '.spec', 12);
  assert.equal(err.message, 'x at .spec (byte 12)');
});
