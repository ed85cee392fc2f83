// pods/binding: the Binding's checks, the refusals and the one write that binds a pod.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { inProcessApi, type InProcessApi } from '../testing.js';
import { assignPod, bindPodObject, bindRefusal, checkBinding, type Binding } from './binding.js';
import { internalContext } from './context.js';

const statusOf = (fn: () => unknown): { code?: number; message?: string } => {
  try {
    fn();
    return {};
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return { code: err.code, message: err.status.message };
  }
};

describe('checkBinding', () => {
  const cases: { name: string; binding: Binding; code?: number; message?: string }[] = [
    { name: 'a Node target', binding: { metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } } },
    { name: 'no target kind', binding: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { name: 'n1' } } },
    { name: 'another name', binding: { metadata: { name: 'q' }, target: { name: 'n1' } }, code: 400, message: 'name in URL does not match name in Binding object' },
    { name: 'no name', binding: { target: { name: 'n1' } }, code: 400, message: 'name in URL does not match name in Binding object' },
    { name: 'not a Binding', binding: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, code: 400, message: 'the API version in the data (v1) does not match the expected API version (v1) or the kind (Pod) does not match Binding' },
    { name: 'no target name', binding: { metadata: { name: 'p' }, target: { kind: 'Node' } }, code: 422, message: 'Binding "p" is invalid: target.name: Required value' },
    {
      name: 'a target that is no Node',
      binding: { metadata: { name: 'p' }, target: { kind: 'Pod', name: 'x' } },
      code: 422,
      message: 'Binding "p" is invalid: target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(statusOf(() => checkBinding('p', c.binding)), c.code ? { code: c.code, message: c.message } : {}));
  }
});

describe('bindRefusal', () => {
  const pod = (spec: object, meta: object = {}): KubeObject => ({ metadata: { name: 'p', ...meta }, spec });
  const cases: { name: string; pod: KubeObject; refusal?: string }[] = [
    { name: 'a pending pod', pod: pod({ containers: [] }) },
    { name: 'a bound pod', pod: pod({ nodeName: 'n0' }), refusal: 'pod p is already assigned to node "n0"' },
    { name: 'a pod being deleted', pod: pod({}, { deletionTimestamp: '2026-01-01T00:00:00Z' }), refusal: 'pod p is being deleted, cannot be assigned to a host' },
    { name: 'a gated pod', pod: pod({ schedulingGates: [{ name: 'g' }] }), refusal: 'pod p has non-empty .spec.schedulingGates' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(bindRefusal(c.pod), c.refusal));
});

describe('bindPodObject', () => {
  const now = '2026-12-07T06:00:00Z';
  test('replaces an Unschedulable PodScheduled with True at now, keeps other conditions, merges annotations', () => {
    const pod: KubeObject = {
      metadata: { name: 'p', annotations: { a: '1' } },
      spec: {},
      status: { phase: 'Pending', conditions: [{ type: 'X', status: 'True' }, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no', lastProbeTime: null, lastTransitionTime: 'then' }] },
    };
    bindPodObject(pod, 'n1', { b: '2' }, now);
    assert.equal((pod.spec as { nodeName: string }).nodeName, 'n1');
    assert.deepEqual(pod.metadata.annotations, { a: '1', b: '2' });
    assert.deepEqual(pod.status, { phase: 'Pending', conditions: [{ type: 'X', status: 'True' }, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }] });
  });
  test('adds PodScheduled to a pod without status', () => {
    const pod = bindPodObject({ metadata: { name: 'p' }, spec: {} }, 'n1', undefined, now);
    assert.deepEqual(pod.status, { conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }] });
    assert.equal(pod.metadata.annotations, undefined);
  });
});

describe('assignPod', () => {
  let api: InProcessApi;
  before(async () => {
    api = await inProcessApi();
  });
  after(() => api.close());
  const ctx = internalContext('scheduler');
  const newPod = (name: string) => api.create('', 'pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

  test('binds in one write: nodeName, PodScheduled=True and annotations, managedFields untouched', async () => {
    const created = await newPod('one');
    const bound = await assignPod(api.objects, api.def('', 'pods'), 'default', 'one', { metadata: { name: 'one', uid: created.metadata.uid, annotations: { why: 'test' } }, target: { kind: 'Node', name: 'n1' } }, ctx);
    assert.equal((bound.spec as { nodeName: string }).nodeName, 'n1');
    const live = await api.objects.get(api.def('', 'pods'), 'default', 'one');
    assert.equal((live.spec as { nodeName: string }).nodeName, 'n1');
    assert.equal(live.metadata.annotations?.why, 'test');
    assert.deepEqual((live.status as { conditions: { type: string; status: string }[] }).conditions.map((c) => [c.type, c.status]), [['PodScheduled', 'True']]);
    assert.deepEqual(live.metadata.managedFields, created.metadata.managedFields);
    // one revision of the store since the create: one write
    assert.equal(Number(live.metadata.resourceVersion), Number(created.metadata.resourceVersion) + 1);
  });

  const conflict = async (name: string, binding: Binding, message: string) => {
    await assert.rejects(assignPod(api.objects, api.def('', 'pods'), 'default', name, binding, ctx), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.deepEqual([err.code, err.status.reason, err.status.message], [409, 'Conflict', message]);
      return true;
    });
  };

  test('a bound pod: 409 on pods/binding, the pod unchanged', async () => {
    await newPod('two');
    await assignPod(api.objects, api.def('', 'pods'), 'default', 'two', { metadata: { name: 'two' }, target: { name: 'n1' } }, ctx);
    await conflict('two', { metadata: { name: 'two' }, target: { name: 'n2' } }, 'Operation cannot be fulfilled on pods/binding "two": pod two is already assigned to node "n1"');
    assert.equal(((await api.objects.get(api.def('', 'pods'), 'default', 'two')).spec as { nodeName: string }).nodeName, 'n1');
  });

  test('a uid or resourceVersion precondition that does not hold: 409 on pods', async () => {
    const p = await newPod('three');
    await conflict('three', { metadata: { name: 'three', uid: 'other' }, target: { name: 'n1' } }, `Operation cannot be fulfilled on pods "three": Precondition failed: UID in precondition: other, UID in object meta: ${p.metadata.uid}`);
    await conflict('three', { metadata: { name: 'three', resourceVersion: '1' }, target: { name: 'n1' } }, `Operation cannot be fulfilled on pods "three": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${p.metadata.resourceVersion}`);
  });

  test('a missing pod: 404', async () => {
    await assert.rejects(assignPod(api.objects, api.def('', 'pods'), 'default', 'none', { metadata: { name: 'none' }, target: { name: 'n1' } }, ctx), /pods "none" not found/);
  });
});
