import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import { applyServerSide, FieldSet, fieldSet, fieldSetFromFieldsV1, fieldSetToFieldsV1, pathString, updateManagedFields } from './managedfields.js';
import { identityResolver, type Schema, type SchemaResolver } from './schema.js';
import type { KubeObject, ManagedFieldsEntry } from './types.js';

const configMapSchema: Schema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } },
    data: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const defs: Record<string, Schema> = {
  Container: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      image: { type: 'string' },
      args: { type: 'array', items: { type: 'string' } },
      ports: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] },
    },
  },
};
const deploymentSchema: Schema = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' } } },
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        selector: { type: 'object', 'x-kubernetes-map-type': 'atomic' },
        containers: { type: 'array', items: { allOf: [{ $ref: '#/Container' }] }, 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
      },
    },
  },
};
const resolve: SchemaResolver = (s) => (s?.$ref ? defs[s.$ref.slice(2)] : s);

const cm = (data: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo', namespace: 'default' }, data, ...extra });
const now = new Date('2024-01-02T03:04:05.678Z');
const later = new Date('2024-01-02T04:00:00Z');

describe('fieldSet', () => {
  test('ConfigMap with schema: struct fields carry no "."; identity metadata is not tracked', () => {
    const obj = cm({ a: '1' }, { metadata: { name: 'demo', namespace: 'default', labels: { app: 'x' } } });
    assert.deepEqual(fieldSet(obj, configMapSchema, identityResolver), { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } });
  });
  test('without a schema maps are granular and their entries members', () => {
    assert.deepEqual(fieldSet(cm({ a: '1' }), undefined, identityResolver), { 'f:data': { '.': {}, 'f:a': {} } });
  });
  test('keyed lists, multi-key lists, set lists, atomic lists and atomic maps', () => {
    const obj = {
      metadata: { name: 'd', finalizers: ['x', 'y'] },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        containers: [{ name: 'nginx', image: 'nginx', args: ['a'], ports: [{ containerPort: 80, protocol: 'TCP' }] }],
      },
    };
    assert.deepEqual(fieldSet(obj, deploymentSchema, resolve), {
      'f:metadata': { 'f:finalizers': { 'v:"x"': {}, 'v:"y"': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"nginx"}': {
            '.': {},
            'f:args': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
          },
        },
        'f:replicas': {},
        'f:selector': {},
      },
    });
  });
  test('FieldsV1 round-trips and paths print like fieldpath.Path', () => {
    const v1 = { 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:image': {} } } }, 'f:metadata': { 'f:finalizers': { 'v:"x"': {} } } };
    const set = fieldSetFromFieldsV1(v1);
    assert.deepEqual(fieldSetToFieldsV1(set), { 'f:metadata': { 'f:finalizers': { 'v:"x"': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:image': {} } } } });
    assert.deepEqual(set.sorted().map(pathString), ['.metadata.finalizers[="x"]', '.spec.containers[name="a"]', '.spec.containers[name="a"].image']);
    assert.equal(pathString(['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}']), '.ports[containerPort=80,protocol="TCP"]');
  });
});

describe('updateManagedFields', () => {
  const base = { operation: 'Update' as const, apiVersion: 'v1', schema: undefined, resolve: identityResolver };

  test('create: the manager owns what it set, "." on new maps (the design doc example)', () => {
    const mf = updateManagedFields({ ...base, old: undefined, updated: cm({ a: '1' }), manager: 'kubectl-client-side-apply', now });
    assert.deepEqual(mf, [
      { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: '2024-01-02T03:04:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } } },
    ]);
  });

  test('another manager changing a field takes it over; untouched fields stay', () => {
    const created = cm({ a: '1', b: '2' });
    created.metadata.managedFields = updateManagedFields({ ...base, old: undefined, updated: created, manager: 'alice', now });
    const changed = structuredClone(created);
    (changed.data as Record<string, string>).a = '9';
    const mf = updateManagedFields({ ...base, old: created, updated: changed, manager: 'bob', now: later })!;
    assert.deepEqual(
      mf.map((e) => [e.manager, e.time, e.fieldsV1]),
      [
        ['alice', '2024-01-02T03:04:05Z', { 'f:data': { '.': {}, 'f:b': {} } }],
        ['bob', '2024-01-02T04:00:00Z', { 'f:data': { 'f:a': {} } }],
      ],
    );
  });

  test('a no-op write keeps entries and times', () => {
    const created = cm({ a: '1' });
    created.metadata.managedFields = updateManagedFields({ ...base, old: undefined, updated: created, manager: 'alice', now });
    const again = updateManagedFields({ ...base, old: created, updated: structuredClone(created), manager: 'bob', now: later });
    assert.deepEqual(again, created.metadata.managedFields);
  });

  test('a write keeps the entries of managers that own none of the changed fields as they were', () => {
    const created = cm({ a: '1' });
    created.metadata.managedFields = updateManagedFields({ ...base, old: undefined, updated: created, manager: 'alice', now });
    const labelled = structuredClone(created);
    labelled.metadata.labels = { team: 'x' };
    labelled.metadata.managedFields = updateManagedFields({ ...base, old: created, updated: labelled, manager: 'carol', now: later });
    const withStatus = { ...structuredClone(labelled), status: { ready: true } } as KubeObject;
    const mf = updateManagedFields({ ...base, old: labelled, updated: withStatus, manager: 'kubelet', subresource: 'status', now: later })!;
    assert.deepEqual(mf.map((e) => e.manager), ['alice', 'carol', 'kubelet']);
    assert.equal(mf[0], withStatus.metadata.managedFields![0], "alice's entry is kept as it came, not decoded and encoded again");
    assert.deepEqual(mf[2]!.fieldsV1, { 'f:status': { '.': {}, 'f:ready': {} } });
  });

  test('entries sent back reordered by the writer come out in canonical order', () => {
    const created = cm({ a: '1' });
    created.metadata.managedFields = updateManagedFields({ ...base, old: undefined, updated: created, manager: 'alice', now });
    const two = structuredClone(created);
    (two.data as Record<string, string>).b = '2';
    two.metadata.managedFields = updateManagedFields({ ...base, old: created, updated: two, manager: 'bob', now: later });
    const reordered = structuredClone(two);
    reordered.metadata.managedFields = [...reordered.metadata.managedFields!].reverse();
    (reordered.data as Record<string, string>).c = '3';
    const mf = updateManagedFields({ ...base, old: two, updated: reordered, manager: 'bob', now: later })!;
    assert.deepEqual(mf.map((e) => [e.manager, e.fieldsV1]), [
      ['alice', { 'f:data': { '.': {}, 'f:a': {} } }],
      ['bob', { 'f:data': { 'f:b': {}, 'f:c': {} } }],
    ]);
  });

  test('removing a field takes it from its owner; an emptied entry disappears', () => {
    const created = cm({ a: '1' });
    created.metadata.managedFields = updateManagedFields({ ...base, old: undefined, updated: created, manager: 'alice', now });
    const removed = { ...structuredClone(created), data: undefined } as KubeObject;
    delete removed.data;
    const mf = updateManagedFields({ ...base, old: created, updated: removed, manager: 'bob', now: later });
    assert.deepEqual(mf, []);
  });

  test('rewriting only fields the writer alone owns moves its time and keeps its set; a non-canonical set is rewritten canonical', () => {
    const created = cm({ a: '1', b: '2' });
    created.metadata.managedFields = updateManagedFields({ ...base, old: undefined, updated: created, manager: 'ctrl', subresource: 'status', now });
    const labelled = structuredClone(created);
    labelled.metadata.labels = { team: 'y' };
    labelled.metadata.managedFields = updateManagedFields({ ...base, old: created, updated: labelled, manager: 'carol', now });
    const cases: { name: string; fieldsV1?: Record<string, unknown>; data: Record<string, string>; want: object; time?: string }[] = [
      { name: 'own fields changed', data: { a: '9', b: '2' }, want: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } } },
      { name: 'non-canonical set ("." on a leaf)', fieldsV1: { 'f:data': { '.': {}, 'f:b': { '.': {} }, 'f:a': {} } }, data: { a: '9', b: '2' }, want: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } } },
      { name: 'a new field', data: { a: '1', b: '2', c: '3' }, want: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {}, 'f:c': {} } } },
      { name: 'a removed field (nothing gained: the time stays)', data: { a: '1' }, want: { 'f:data': { '.': {}, 'f:a': {} } }, time: '2024-01-02T03:04:05Z' },
    ];
    for (const c of cases) {
      const old = structuredClone(labelled);
      if (c.fieldsV1) old.metadata.managedFields!.find((e) => e.manager === 'ctrl')!.fieldsV1 = c.fieldsV1;
      const updated = { ...structuredClone(old), data: c.data } as KubeObject;
      const mf = updateManagedFields({ ...base, old, updated, manager: 'ctrl', subresource: 'status', now: later })!;
      assert.deepEqual(
        mf.map((e) => [e.manager, e.time, e.subresource, e.fieldsV1]),
        [
          ['carol', '2024-01-02T03:04:05Z', undefined, { 'f:metadata': { 'f:labels': { '.': {}, 'f:team': {} } } }],
          ['ctrl', c.time ?? '2024-01-02T04:00:00Z', 'status', c.want],
        ],
        c.name,
      );
      assert.deepEqual(Object.keys(mf[1]), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource'], c.name);
    }
  });

  test('subresource writes get their own entry', () => {
    const created = cm({ a: '1' });
    const mf = updateManagedFields({ ...base, old: undefined, updated: created, manager: 'ctrl', subresource: 'status', now })!;
    assert.equal(mf[0].subresource, 'status');
  });
});

describe('updateManagedFields on create', () => {
  // the create path builds FieldsV1 directly; an update from an empty object walks the general
  // comparison: both must give the same entries, byte for byte
  const base = { operation: 'Update' as const, apiVersion: 'v1' };
  const deploymentLike = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, ...extra });
  const cases: { name: string; obj: KubeObject; schema?: Schema }[] = [
    { name: 'ConfigMap without a schema', obj: cm({ a: '1', b: '' }, { metadata: { name: 'demo', labels: { x: 'y' }, annotations: {} } }) },
    { name: 'ConfigMap with a schema', obj: cm({ a: '1' }, { metadata: { name: 'demo', namespace: 'n', labels: { x: 'y' } } }), schema: configMapSchema },
    {
      name: 'keyed, multi-key, set, atomic lists and an atomic map',
      obj: deploymentLike({
        metadata: { name: 'd', finalizers: ['b', 'a', 'b'], uid: 'u', generation: 3, resourceVersion: '9', creationTimestamp: 'now' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'x' } },
          containers: [
            { name: 'b', image: 'i', args: ['z', 'y'], ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 80, protocol: 'UDP' }, { name: 'unkeyed' }] },
            { name: 'a', image: 'j' },
            { image: 'no-name' },
            { name: 'b', image: 'duplicate key: the last one counts' },
          ],
        },
      }),
      schema: deploymentSchema,
    },
    { name: 'nulls, empty maps and empty lists', obj: deploymentLike({ spec: { replicas: null, selector: {}, containers: [], empty: {}, list: [] } }), schema: deploymentSchema },
    { name: 'identity metadata only: no entry', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n', namespace: 'ns', uid: 'u' } } },
    { name: 'odd shapes: metadata fields holding maps, a list for metadata', obj: { apiVersion: 'v1', kind: 'X', metadata: { name: { odd: 1 }, labels: { a: 'b' } } as never, spec: 'scalar' } },
    { name: 'metadata that is a list', obj: { apiVersion: 'v1', kind: 'X', metadata: ['x'] as never, data: { k: 'v' } } },
    { name: 'keys that sort before and after "."', obj: cm({ '-': '1', '~': '2', A: '3', a: '4' }) },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const input = { ...base, schema: c.schema, resolve: c.schema === deploymentSchema ? resolve : identityResolver, manager: 'm', now };
      const created = updateManagedFields({ ...input, old: undefined, updated: c.obj });
      const general = updateManagedFields({ ...input, old: {} as KubeObject, updated: c.obj });
      assert.equal(JSON.stringify(created), JSON.stringify(general));
      const sub = updateManagedFields({ ...input, old: undefined, updated: c.obj, subresource: 'status' });
      assert.equal(JSON.stringify(sub), JSON.stringify(updateManagedFields({ ...input, old: {} as KubeObject, updated: c.obj, subresource: 'status' })));
    });
  }
});

describe('updateManagedFields: a writer whose fields no one else owns', () => {
  // the writer's entry is edited as a tree when it is canonical; the same entry with its keys
  // reversed (not canonical) is decoded, changed as a set and encoded: both must agree
  const reversed = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
  const base = { operation: 'Update' as const, apiVersion: 'apps/v1', resolve, schema: deploymentSchema, manager: 'ctrl' };
  const entry = (manager: string, fieldsV1: Record<string, unknown>, extra: Partial<ManagedFieldsEntry> = {}): ManagedFieldsEntry => ({ manager, operation: 'Update', apiVersion: 'apps/v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1, ...extra });
  const other = entry('kubectl', { 'f:spec': { 'f:replicas': {}, 'f:selector': {} } });
  const obj = (metadata: Record<string, unknown>, rest: Record<string, unknown>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n', ...metadata }, spec: { replicas: 1, selector: { a: 'b' } }, ...rest });
  const cases: { name: string; old: KubeObject; updated: KubeObject; subresource?: string }[] = [
    {
      name: 'adds fields beside its own and a keyed item',
      old: obj({ managedFields: [other, entry('ctrl', { 'f:status': { 'f:conditions': { '.': {}, 'k:{"type":"A"}': { '.': {}, 'f:type': {} } }, 'f:z': {} } }, { subresource: 'status' })] }, { status: { conditions: [{ type: 'A' }], z: 1 } }),
      updated: obj({}, { status: { conditions: [{ type: 'A', status: 'x' }, { type: 'B' }], b: 2, z: 3 } }),
      subresource: 'status',
    },
    {
      name: 'removes some of its fields and changes others',
      old: obj({ managedFields: [other, entry('ctrl', { 'f:status': { 'f:a': {}, 'f:b': { '.': {}, 'f:c': {}, 'f:d': {} }, 'f:e': {} } })] }, { status: { a: 1, b: { c: 1, d: 2 }, e: 1 } }),
      updated: obj({}, { status: { a: 2, b: { c: 1 } } }),
    },
    {
      name: 'removes everything it owned: its entry goes',
      old: obj({ managedFields: [other, entry('ctrl', { 'f:status': { 'f:a': {}, 'f:b': {} } })] }, { status: { a: 1, b: 1 } }),
      updated: obj({}, {}),
    },
    {
      name: 'only removals keep its time',
      old: obj({ managedFields: [other, entry('ctrl', { 'f:status': { 'f:a': {}, 'f:b': {} } }, { time: '2023-05-05T00:00:00Z' })] }, { status: { a: 1, b: 1 } }),
      updated: obj({}, { status: { a: 1 } }),
    },
    {
      name: 'a manager new to the object beside others it does not touch',
      old: obj({ managedFields: [other, entry('ctrl2', { 'f:status': { 'f:x': {}, 'f:y': {} } })] }, { status: { x: 1, y: 2 } }),
      updated: obj({ labels: { b: '1', a: '2' } }, { status: { x: 1, y: 2 } }),
    },
    {
      name: 'a member leaf gains children, set items come and go',
      old: obj({ labels: {}, finalizers: ['b', 'a'], managedFields: [other, entry('ctrl', { 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"a"': {}, 'v:"b"': {} }, 'f:labels': {} } })] }, {}),
      updated: obj({ labels: { y: '1', x: '2' }, finalizers: ['c', 'a'] }, {}),
    },
    {
      name: 'a removed map with fields below it',
      old: obj({ annotations: { p: '1', q: '2' }, managedFields: [other, entry('ctrl', { 'f:metadata': { 'f:annotations': { '.': {}, 'f:p': {}, 'f:q': {} } }, 'f:status': { 'f:a': {} } })] }, { status: { a: 1 } }),
      updated: obj({}, { status: { a: 2 } }),
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const withReversedOwn = structuredClone(c.old);
      withReversedOwn.metadata.managedFields = withReversedOwn.metadata.managedFields!.map((e) => (e.manager === 'ctrl' ? { ...e, fieldsV1: reversed(e.fieldsV1) as Record<string, unknown> } : e));
      const input = { ...base, updated: c.updated, subresource: c.subresource, now: later };
      const edited = updateManagedFields({ ...input, old: c.old });
      const general = updateManagedFields({ ...input, old: withReversedOwn });
      assert.equal(JSON.stringify(edited), JSON.stringify(general));
    });
  }
});

describe('applyServerSide', () => {
  const applyBase = { force: false, schema: configMapSchema, resolve: identityResolver, apiVersion: 'v1' };

  function liveOwnedByClientSideApply(): KubeObject {
    const live = cm({ a: '1' });
    live.metadata.managedFields = updateManagedFields({ old: undefined, updated: live, manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', now, schema: configMapSchema, resolve: identityResolver });
    return live;
  }

  test('apply creates: the object is the config and the manager owns its fields', () => {
    const r = applyServerSide({ ...applyBase, live: undefined, applied: cm({ a: '1' }), manager: 'kubectl', now });
    assert.deepEqual(r.object, cm({ a: '1' }));
    assert.deepEqual(r.managedFields, [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2024-01-02T03:04:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }]);
    assert.equal(r.changed, true);
  });

  test('changing a field another manager owns is a conflict with the exact apiserver message', () => {
    assert.throws(
      () => applyServerSide({ ...applyBase, live: liveOwnedByClientSideApply(), applied: cm({ a: '2' }), manager: 'kubectl', now: later }),
      (e: unknown) => {
        assert.ok(isStatusError(e, 'Conflict'));
        assert.equal(e.code, 409);
        assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.a');
        assert.deepEqual(e.status.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.data.a' }]);
        return true;
      },
    );
  });

  test('several conflicts are listed per manager', () => {
    const live = cm({ a: '1', b: '1' });
    live.metadata.managedFields = updateManagedFields({ old: undefined, updated: live, manager: 'edit', operation: 'Update', apiVersion: 'v1', now, schema: configMapSchema, resolve: identityResolver });
    assert.throws(
      () => applyServerSide({ ...applyBase, live, applied: cm({ a: '2', b: '2' }), manager: 'kubectl', now: later }),
      (e: unknown) => isStatusError(e) && e.message === 'Apply failed with 2 conflicts: conflicts with "edit" using v1:\n- .data.a\n- .data.b',
    );
  });

  test('applying the same value shares ownership without conflict', () => {
    const r = applyServerSide({ ...applyBase, live: liveOwnedByClientSideApply(), applied: cm({ a: '1' }), manager: 'kubectl', now: later });
    assert.deepEqual(r.managedFields.map((e) => [e.manager, e.fieldsV1]), [
      ['kubectl', { 'f:data': { 'f:a': {} } }],
      ['kubectl-client-side-apply', { 'f:data': { '.': {}, 'f:a': {} } }],
    ]);
    assert.deepEqual(r.object, cm({ a: '1' }));
  });

  test('force takes the field over', () => {
    const r = applyServerSide({ ...applyBase, force: true, live: liveOwnedByClientSideApply(), applied: cm({ a: '2' }), manager: 'kubectl', now: later });
    assert.equal((r.object.data as Record<string, string>).a, '2');
    assert.deepEqual(r.managedFields.map((e) => [e.manager, e.fieldsV1]), [
      ['kubectl', { 'f:data': { 'f:a': {} } }],
      // it keeps owning the map itself: a member without children encodes as {}
      ['kubectl-client-side-apply', { 'f:data': {} }],
    ]);
  });

  test('fields the manager stops applying are removed, unless someone else owns them', () => {
    const first = applyServerSide({ ...applyBase, live: undefined, applied: cm({ a: '1', b: '2', c: '3' }), manager: 'kubectl', now });
    const live = { ...first.object, metadata: { ...first.object.metadata, managedFields: first.managedFields } } as KubeObject;
    // someone else edits c, and so co-owns it from now on
    const edited = structuredClone(live);
    (edited.data as Record<string, string>).c = '33';
    edited.metadata.managedFields = updateManagedFields({ old: live, updated: edited, manager: 'editor', operation: 'Update', apiVersion: 'v1', now: later, schema: configMapSchema, resolve: identityResolver });
    const r = applyServerSide({ ...applyBase, live: edited, applied: cm({ a: '1' }), manager: 'kubectl', now: later });
    assert.deepEqual(r.object.data, { a: '1', c: '33' });
  });

  test('keyed list items merge per item and keep live-only items in place', () => {
    const live: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } };
    const r = applyServerSide({ ...applyBase, schema: deploymentSchema, resolve, live, applied: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { containers: [{ name: 'c', image: 'c:1' }, { name: 'a', image: 'a:2' }] } }, manager: 'kubectl', now });
    assert.deepEqual((r.object.spec as { containers: unknown[] }).containers, [{ name: 'c', image: 'c:1' }, { name: 'a', image: 'a:2' }, { name: 'b', image: 'b:1' }]);
  });

  test('a repeated identical apply changes nothing, time included', () => {
    const first = applyServerSide({ ...applyBase, live: undefined, applied: cm({ a: '1' }), manager: 'kubectl', now });
    const live = { ...first.object, metadata: { ...first.object.metadata, managedFields: first.managedFields } } as KubeObject;
    const again = applyServerSide({ ...applyBase, live, applied: cm({ a: '1' }), manager: 'kubectl', now: later });
    assert.equal(again.changed, false);
    assert.deepEqual(again.managedFields, first.managedFields);
  });

  test('a null in the applied config deletes the field', () => {
    const live = cm({ a: '1', b: '2' });
    const r = applyServerSide({ ...applyBase, live, applied: { ...cm({}), data: { b: null } as unknown as Record<string, string> }, manager: 'kubectl', now });
    assert.deepEqual(r.object.data, { a: '1' });
  });
});

describe('FieldSet keys', () => {
  const cases: { name: string; paths: string[][]; size: number }[] = [
    { name: 'paths differing by where elements split stay apart', paths: [['f:a', 'f:b'], ['f:a\u0000f:b'], ['f:a\u0000', 'f:b']], size: 3 },
    { name: 'the same path twice is one', paths: [['f:spec', 'k:{"name":"x"}'], ['f:spec', 'k:{"name":"x"}']], size: 1 },
    { name: 'a prefix is another path', paths: [['f:spec'], ['f:spec', 'f:replicas'], ['f:spec', 'f:replicas', '.']], size: 3 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const set = new FieldSet(c.paths);
      assert.equal(set.size, c.size);
      for (const p of c.paths) assert.ok(set.has(p), JSON.stringify(p));
      assert.equal(set.has(['f:other']), false);
    });
  }
});
