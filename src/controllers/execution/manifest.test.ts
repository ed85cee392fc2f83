import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Work } from '../../apis/karmada/work.js';
import { createNativeInterpreter } from '../../interpreter/native/index.js';
import { covers, desiredObject, holdsDesired, isManagedByKarmada, manifestIndex, onlyMemberOwnedChanged, onlyStatusChanged, releasePatch, retainMemberFields, updateRefusal, workKeyOf } from './manifest.js';

const work: Pick<Work, 'metadata'> = { metadata: { name: 'nginx-deployment', namespace: 'karmada-es-member1', labels: { 'work.karmada.io/permanent-id': 'w-1' } } };

const deployment = (extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' } },
  spec: { replicas: 2, selector: { matchLabels: { app: 'nginx' } }, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
  ...extra,
});

describe('desiredObject', () => {
  test('drops server fields and status, adds the managed label, the Work permanent id and the Work annotations', () => {
    const m = deployment({ status: { replicas: 2 } });
    m.metadata = { ...m.metadata, resourceVersion: '7', uid: 'u', creationTimestamp: 'x', generation: 3, managedFields: [] };
    const d = desiredObject(m, work);
    assert.equal(d.status, undefined);
    assert.deepEqual(Object.keys(d.metadata).sort(), ['annotations', 'labels', 'name', 'namespace']);
    assert.deepEqual(d.metadata.labels, { app: 'nginx', 'karmada.io/managed': 'true', 'work.karmada.io/permanent-id': 'w-1' });
    assert.deepEqual(d.metadata.annotations, { 'work.karmada.io/namespace': 'karmada-es-member1', 'work.karmada.io/name': 'nginx-deployment' });
    assert.equal(m.metadata.resourceVersion, '7', 'the manifest itself is not changed');
  });
  test("takes the conflict resolution from the Work's annotation when the manifest has none", () => {
    const d = desiredObject(deployment(), { metadata: { ...work.metadata, annotations: { 'work.karmada.io/conflict-resolution': 'overwrite' } } });
    assert.equal(d.metadata.annotations!['work.karmada.io/conflict-resolution'], 'overwrite');
  });
});

describe('updateRefusal (objectwatcher.allowUpdate)', () => {
  const cases: { name: string; observedLabels?: Record<string, string>; resolution?: string; refused: boolean }[] = [
    { name: 'an object Karmada manages (karmada.io/managed=true) is updated', observedLabels: { 'karmada.io/managed': 'true' }, refused: false },
    { name: 'an object carrying a Work permanent id is updated', observedLabels: { 'work.karmada.io/permanent-id': 'x' }, refused: false },
    { name: 'an unmanaged object is not touched without a conflict resolution', refused: true },
    { name: 'an unmanaged object is not touched under Abort', resolution: 'abort', refused: true },
    { name: 'an unmanaged object is overwritten under Overwrite', resolution: 'overwrite', refused: false },
    { name: 'karmada.io/managed=false is not managed', observedLabels: { 'karmada.io/managed': 'false' }, refused: true },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const m = deployment();
      if (c.resolution) m.metadata.annotations = { 'work.karmada.io/conflict-resolution': c.resolution };
      const observed = deployment();
      observed.metadata.labels = c.observedLabels;
      const refusal = updateRefusal(desiredObject(m, work), observed, 'member1');
      assert.equal(refusal !== undefined, c.refused);
      if (refusal) {
        assert.equal(
          refusal,
          'resource(kind=Deployment, default/nginx) already exists in the cluster member1 and the work.karmada.io/conflict-resolution strategy value is empty, Karmada will not manage this resource',
        );
      }
    });
  }
});

describe('covers (desired ⊆ observed)', () => {
  const cases: { name: string; desired: unknown; observed: unknown; want: boolean }[] = [
    { name: 'equal scalars', desired: 2, observed: 2, want: true },
    { name: 'a changed scalar is drift', desired: 2, observed: 3, want: false },
    { name: 'fields only the member has do not count', desired: { a: 1 }, observed: { a: 1, b: 2 }, want: true },
    { name: 'a field the member removed is drift', desired: { a: 1, b: 2 }, observed: { a: 1 }, want: false },
    { name: 'arrays compare element by element', desired: [{ name: 'c', image: 'x' }], observed: [{ name: 'c', image: 'x', imagePullPolicy: 'Always' }], want: true },
    { name: 'an extra element is drift', desired: [{ name: 'c' }], observed: [{ name: 'c' }, { name: 'd' }], want: false },
    { name: 'an empty desired list matches an absent one', desired: { l: [] }, observed: {}, want: true },
    { name: 'an empty desired list does not match a filled one', desired: { l: [] }, observed: { l: [1] }, want: false },
    { name: 'null in desired asks for nothing', desired: { a: null }, observed: { a: 5 }, want: true },
    { name: 'an empty object matches an absent one', desired: { a: {} }, observed: {}, want: true },
    { name: 'a type change is drift', desired: { a: { b: 1 } }, observed: { a: 'x' }, want: false },
    { name: 'a quantity in canonical form is the same quantity', desired: { cpu: '1000m', memory: 0.5 }, observed: { cpu: '1', memory: '500m' }, want: true },
    { name: 'a different quantity is drift', desired: { cpu: '1000m' }, observed: { cpu: '2' }, want: false },
    { name: 'strings that are not quantities compare as strings', desired: { image: 'nginx' }, observed: { image: 'nginx:1' }, want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(covers(c.desired, c.observed), c.want));
});

describe('holdsDesired and retainMemberFields', () => {
  const interpreter = createNativeInterpreter();
  const observed = (): KubeObject => {
    const o = desiredObject(deployment(), work);
    o.metadata = { ...o.metadata, resourceVersion: '10', uid: 'u1', generation: 2, labels: { ...o.metadata.labels, 'member-added': 'yes' }, finalizers: ['member/f'] };
    (o.spec as Record<string, unknown>).progressDeadlineSeconds = 600;
    o.status = { readyReplicas: 2 };
    return o;
  };
  test('an object with only server defaults, status and member-added labels holds the desired state', () => {
    const d = retainMemberFields(desiredObject(deployment(), work), observed(), interpreter);
    assert.equal(d.metadata.resourceVersion, '10', 'the update carries the observed resourceVersion');
    assert.deepEqual(d.metadata.finalizers, ['member/f']);
    assert.equal(d.metadata.labels!['member-added'], 'yes');
    assert.equal(holdsDesired(d, observed()), true);
  });
  test('a member-side edit of a field Karmada owns is drift', () => {
    const o = observed();
    (o.spec as Record<string, unknown>).replicas = 5;
    assert.equal(holdsDesired(retainMemberFields(desiredObject(deployment(), work), o, interpreter), o), false);
  });
  test('a member that removed a label Karmada set has drifted', () => {
    const o = observed();
    delete o.metadata.labels!.app;
    assert.equal(holdsDesired(retainMemberFields(desiredObject(deployment(), work), o, interpreter), o), false);
  });
  test('retain-replicas keeps the member replicas (interpreter Retain)', () => {
    const m = deployment();
    m.metadata.labels = { ...m.metadata.labels, 'resourcetemplate.karmada.io/retain-replicas': 'true' };
    const o = observed();
    (o.spec as Record<string, unknown>).replicas = 5;
    o.metadata.labels!['resourcetemplate.karmada.io/retain-replicas'] = 'true';
    const d = retainMemberFields(desiredObject(m, work), o, interpreter);
    assert.equal((d.spec as Record<string, unknown>).replicas, 5);
    assert.equal(holdsDesired(d, o), true);
  });
});

const holdsCases: { name: string; desired: Record<string, unknown>; observed: Record<string, unknown>; want: boolean }[] = [
  { name: 'server metadata and status in desired are not compared', desired: { kind: 'X', metadata: { name: 'a', resourceVersion: '1', uid: 'u', managedFields: [{ manager: 'm' }] }, status: { ready: 1 } }, observed: { kind: 'X', metadata: { name: 'a', resourceVersion: '9' } }, want: true },
  { name: 'a metadata field desired sets must match', desired: { kind: 'X', metadata: { name: 'a', labels: { x: '1' } } }, observed: { kind: 'X', metadata: { name: 'a', labels: { x: '2' } } }, want: false },
  { name: 'observed without metadata holds desired metadata of server fields only', desired: { kind: 'X', metadata: { uid: 'u' } }, observed: { kind: 'X' }, want: true },
  { name: 'observed without metadata misses any other desired metadata', desired: { kind: 'X', metadata: { labels: null } }, observed: { kind: 'X' }, want: false },
  { name: 'a top-level field is compared as covers does', desired: { kind: 'X', spec: { a: [1, 2] } }, observed: { kind: 'X', spec: { a: [1, 2], b: 3 } }, want: true },
];
for (const c of holdsCases) test(`holdsDesired: ${c.name}`, () => assert.equal(holdsDesired(c.desired as unknown as KubeObject, c.observed as unknown as KubeObject), c.want));

describe('member object helpers', () => {
  test('isManagedByKarmada', () => {
    assert.equal(isManagedByKarmada(desiredObject(deployment(), work)), true);
    assert.equal(isManagedByKarmada(deployment()), false);
  });
  test('workKeyOf reads the Work annotations', () => {
    assert.equal(workKeyOf(desiredObject(deployment(), work)), 'karmada-es-member1/nginx-deployment');
    assert.equal(workKeyOf(deployment()), undefined);
  });
  test('releasePatch nulls only the Karmada keys and pins the resourceVersion', () => {
    const o = desiredObject(deployment(), work);
    o.metadata.resourceVersion = '4';
    assert.deepEqual(releasePatch(o), {
      metadata: {
        resourceVersion: '4',
        labels: { 'karmada.io/managed': null, 'work.karmada.io/permanent-id': null },
        annotations: { 'work.karmada.io/namespace': null, 'work.karmada.io/name': null },
      },
    });
    assert.equal(releasePatch(deployment()), undefined);
  });
  test('manifestIndex matches apiVersion, kind, namespace and name', () => {
    const ms = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nginx', namespace: 'default' } }, deployment()];
    assert.equal(manifestIndex(ms, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'nginx' }), 1);
    assert.equal(manifestIndex(ms, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'other', name: 'nginx' }), -1);
  });
});

describe('onlyStatusChanged (a member update drift need not look at again)', () => {
  const base = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', resourceVersion: '5', generation: 1, labels: { a: 'b' }, annotations: { x: 'y' } }, spec: { replicas: 1 }, status: { replicas: 0 } };
  const cases: { name: string; obj: Record<string, unknown>; want: boolean }[] = [
    { name: 'status and resourceVersion only', obj: { ...base, metadata: { ...base.metadata, resourceVersion: '6' }, status: { replicas: 1, readyReplicas: 1 } }, want: true },
    { name: 'the spec changed', obj: { ...base, metadata: { ...base.metadata, resourceVersion: '6', generation: 2 }, spec: { replicas: 3 } }, want: false },
    { name: 'a label changed', obj: { ...base, metadata: { ...base.metadata, labels: { a: 'c' } } }, want: false },
    { name: 'an annotation was removed', obj: { ...base, metadata: { ...base.metadata, annotations: {} } }, want: false },
    { name: 'another top-level field appeared (a ConfigMap\'s data)', obj: { ...base, data: { k: 'v' } }, want: false },
    { name: 'a top-level field went away', obj: { apiVersion: base.apiVersion, kind: base.kind, metadata: base.metadata, status: base.status }, want: false },
    { name: 'finalizers and owner references (kept from the member anyway)', obj: { ...base, metadata: { ...base.metadata, finalizers: ['f'], ownerReferences: [{ uid: 'u' }] } }, want: true },
  ];
  for (const c of cases) test(c.name, () => assert.equal(onlyStatusChanged(c.obj as unknown as KubeObject, base as unknown as KubeObject), c.want));
});

describe('onlyMemberOwnedChanged (onlyStatusChanged, with labels and annotations desired does not set left out too)', () => {
  const manifest = deployment({ metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' }, annotations: { owner: 'team-a' } } });
  const desired = desiredObject(manifest, work);
  const base = { ...desired, metadata: { ...desired.metadata, resourceVersion: '5', annotations: { ...desired.metadata.annotations, note: 'n' } }, status: { replicas: 0 } } as KubeObject;
  const withMeta = (labels: Record<string, string>, annotations: Record<string, string>, extra: Record<string, unknown> = {}) =>
    ({ ...base, ...extra, metadata: { ...base.metadata, resourceVersion: '6', labels, annotations } }) as KubeObject;
  const cases: { name: string; obj: KubeObject; want: boolean }[] = [
    { name: "a member controller's annotation added (deployment.kubernetes.io/revision)", obj: withMeta(base.metadata.labels!, { ...base.metadata.annotations, 'deployment.kubernetes.io/revision': '1' }), want: true },
    { name: "a member's own annotation changed and one removed", obj: withMeta(base.metadata.labels!, { ...desired.metadata.annotations, other: 'o' }), want: true },
    { name: "a member's own label added", obj: withMeta({ ...base.metadata.labels, pod: 'x' }, base.metadata.annotations!), want: true },
    { name: "an annotation of the manifest changed", obj: withMeta(base.metadata.labels!, { ...base.metadata.annotations, owner: 'team-b' }), want: false },
    { name: "a label of the manifest removed", obj: withMeta({ ...base.metadata.labels, app: undefined as unknown as string }, base.metadata.annotations!), want: false },
    { name: "Karmada's managed label removed", obj: withMeta(Object.fromEntries(Object.entries(base.metadata.labels!).filter(([k]) => k !== 'karmada.io/managed')), base.metadata.annotations!), want: false },
    { name: "the Work's name annotation changed", obj: withMeta(base.metadata.labels!, { ...base.metadata.annotations, 'work.karmada.io/name': 'other' }), want: false },
    { name: 'an annotation added and the spec changed', obj: withMeta(base.metadata.labels!, { ...base.metadata.annotations, 'deployment.kubernetes.io/revision': '1' }, { spec: { replicas: 3 } }), want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(onlyMemberOwnedChanged(c.obj, base, manifest, work), c.want));
  test('agrees with holdsDesired over the retained desired object where it answers true', () => {
    for (const c of cases.filter((x) => x.want)) assert.ok(holdsDesired(desired, c.obj), c.name);
  });
});
