// From Works to member clusters and back: the execution, work status and binding status
// controllers against a control plane with members joined in Push mode. Works are written by hand,
// the way the binding controller writes them; members are edited with kubectl.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { isStatusError } from '../../src/apimachinery/errors.js';
import type { KubeObject } from '../../src/apimachinery/types.js';
import type { ResourceBinding } from '../../src/apis/karmada/binding.js';
import type { Cluster } from '../../src/apis/karmada/cluster.js';
import type { Manifest, Work } from '../../src/apis/karmada/work.js';
import { register as registerBindingStatus } from '../../src/controllers/bindingstatus/index.js';
import { register as registerExecution } from '../../src/controllers/execution/index.js';
import { register as registerWorkStatus } from '../../src/controllers/workstatus/index.js';
import { KubeClient } from '../../src/runtime/client.js';
import { Manager } from '../../src/runtime/controller.js';
import { controllerContext, startSimulatedMember, startTestbed, type TestMember, type Testbed } from '../support/karmada.js';
import { eventually } from '../support/kubectl.js';
import { clusterGVR } from '../../src/apis/karmada/gvr.js';
import { appliedHandoff, type HandoffTimings } from '../../src/controllers/execution/applied-handoff.js';

/** eventually, typed for the value it waits for */
async function until<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs?: number): Promise<T> {
  return (await eventually(fn, what, timeoutMs)) as T;
}

const workGVR = { group: 'work.karmada.io', version: 'v1alpha1', resource: 'works' };
const rbGVR = { group: 'work.karmada.io', version: 'v1alpha2', resource: 'resourcebindings' };
const crbGVR = { group: 'work.karmada.io', version: 'v1alpha2', resource: 'clusterresourcebindings' };
const configMapGVR = { group: '', version: 'v1', resource: 'configmaps' };
const deploymentGVR = { group: 'apps', version: 'v1', resource: 'deployments' };
const eventGVR = { group: '', version: 'v1', resource: 'events' };

const configMap = (name: string, data: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels: { app: name, 'karmada.io/managed': 'true' }, ...(annotations ? { annotations } : {}) },
  data,
});

const deployment = (name: string, replicas: number, extraMeta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name, ...(extraMeta.labels ?? {}) }, ...(extraMeta.annotations ? { annotations: extraMeta.annotations } : {}) },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', resources: { requests: { cpu: '100m' } } }] } },
  },
});

function work(cluster: string, name: string, manifests: KubeObject[], extra: { spec?: Record<string, unknown>; labels?: Record<string, string>; annotations?: Record<string, string> } = {}): Work {
  return {
    apiVersion: 'work.karmada.io/v1alpha1',
    kind: 'Work',
    metadata: { name, namespace: `karmada-es-${cluster}`, labels: extra.labels, annotations: extra.annotations },
    spec: { workload: { manifests: manifests as Manifest[] }, ...(extra.spec ?? {}) },
  };
}

function condition(obj: { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } } | undefined, type: string) {
  return obj?.status?.conditions?.find((c) => c.type === type);
}

async function getOrUndefined<T extends KubeObject>(client: KubeClient, ref: typeof workGVR, name: string, namespace?: string): Promise<T | undefined> {
  try {
    return await client.get<T>(ref, name, { namespace });
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return undefined;
    throw err;
  }
}

async function markReady(tb: Testbed, name: string): Promise<void> {
  const c = await tb.client.get<Cluster & KubeObject>(clusterGVR, name);
  c.status = { ...(c.status ?? {}), conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'cluster is healthy and ready to accept workloads', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] };
  await tb.client.updateStatus(c);
}

/** a controller manager with the three controllers (and a Ready mark on each cluster, the cluster status controller's job) */
async function startControllers(tb: Testbed, handoff?: HandoffTimings): Promise<Manager> {
  for (const m of tb.members) {
    await markReady(tb, m.name);
    await tb.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `karmada-es-${m.name}` } }).catch((err) => {
      if (!isStatusError(err, 'AlreadyExists')) throw err;
    });
  }
  const manager = new Manager({ retryDelayMs: 200 });
  if (handoff) appliedHandoff(manager, handoff);
  const ctx = controllerContext(tb, manager);
  registerExecution(ctx);
  registerWorkStatus(ctx);
  registerBindingStatus(ctx);
  await manager.start();
  return manager;
}

describe('execution, work status and binding status (bare members)', () => {
  let tb: Testbed;
  let manager: Manager;
  let member1: TestMember;

  const getWork = (cluster: string, name: string) => getOrUndefined<Work>(tb.client, workGVR, name, `karmada-es-${cluster}`);
  const memberConfigMap = (name: string) => getOrUndefined(member1.client, configMapGVR, name, 'default');
  const appliedWork = (cluster: string, name: string) =>
    until(async () => {
      const w = await getWork(cluster, name);
      return condition(w, 'Applied')?.status === 'True' ? w : undefined;
    }, `Work ${name} Applied`);

  before(async () => {
    tb = await startTestbed({ members: ['member1', 'member2'] });
    member1 = tb.member('member1');
    manager = await startControllers(tb);
  });

  after(async () => {
    await manager?.stop();
    await tb?.stop();
  });

  test("a Work is applied: the member holds the object with Karmada's labels, the Work has the finalizer, Applied and Dispatching", async () => {
    await tb.client.create(work('member1', 'cm-apply', [configMap('cm-apply', { a: '1' })]));
    const w = await appliedWork('member1', 'cm-apply');
    assert.deepEqual(condition(w, 'Applied'), { ...condition(w, 'Applied'), reason: 'AppliedSuccessful', message: 'Manifest has been successfully applied' });
    assert.equal(condition(w, 'Dispatching')?.reason, 'Dispatching');
    assert.ok(w?.metadata.finalizers?.includes('karmada.io/execution-controller'));
    const cm = await memberConfigMap('cm-apply');
    assert.deepEqual(cm?.data, { a: '1' });
    assert.equal(cm?.metadata.labels?.['karmada.io/managed'], 'true');
    assert.equal(cm?.metadata.labels?.['work.karmada.io/permanent-id'], w?.metadata.labels?.['work.karmada.io/permanent-id']);
    assert.equal(cm?.metadata.annotations?.['work.karmada.io/name'], 'cm-apply');
    assert.equal(cm?.metadata.annotations?.['work.karmada.io/namespace'], 'karmada-es-member1');
    // the Work status reports the object
    const withStatus = await until(async () => {
      const w = await getWork('member1', 'cm-apply');
      return w?.status?.manifestStatuses?.length ? w : undefined;
    }, 'manifestStatuses');
    assert.deepEqual(withStatus?.status?.manifestStatuses, [{ identifier: { ordinal: 0, version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespace: 'default', name: 'cm-apply' }, health: 'Healthy' }]);
    const events = await tb.client.list(eventGVR, { namespace: 'karmada-es-member1' });
    assert.ok(events.items.some((e) => e.reason === 'SyncSucceed' && (e.involvedObject as { name: string }).name === 'cm-apply'), 'SyncSucceed event on the Work');
  });

  test("a Work's first Applied and its member object's status reach the Work in one status write", async () => {
    const writes: Work[] = [];
    const watch = await tb.client.watch(
      workGVR,
      { namespace: 'karmada-es-member1', fieldSelector: 'metadata.name=cm-once' },
      (type, obj) => {
        if (type === 'MODIFIED' && (obj as Work).status) writes.push(obj as Work);
      },
      () => {},
    );
    try {
      await tb.client.create(work('member1', 'cm-once', [configMap('cm-once', { a: '1' })]));
      await until(async () => writes.length > 0 || undefined, 'a status write on the Work');
      const first = writes[0];
      assert.equal(condition(first, 'Applied')?.status, 'True');
      assert.equal(condition(first, 'Dispatching')?.status, 'True');
      assert.deepEqual(first.status?.manifestStatuses?.map((m) => [m.identifier.name, m.health]), [['cm-once', 'Healthy']]);
      const events = await until(async () => {
        const list = await tb.client.list(eventGVR, { namespace: 'karmada-es-member1' });
        const of = list.items.filter((e) => (e.involvedObject as { name: string }).name === 'cm-once').map((e) => e.reason as string);
        return ['SyncSucceed', 'WorkDispatching', 'ReflectStatusSucceed'].every((r) => of.includes(r)) ? of : undefined;
      }, 'the Work events');
      assert.equal(events.filter((r) => r === 'WorkDispatching').length, 1);
    } finally {
      watch.stop();
      await tb.client.delete(workGVR, 'cm-once', { namespace: 'karmada-es-member1' });
    }
  });

  test('an edit in the member of what Karmada owns is reverted; what the member added stays', async () => {
    await memberConfigMap('cm-apply').then((cm) => assert.ok(cm));
    await member1.kubectl.ok(['label', 'configmap', 'cm-apply', 'member-added=yes']);
    await member1.kubectl.ok(['patch', 'configmap', 'cm-apply', '--type=merge', '-p', '{"data":{"a":"changed","b":"new"}}']);
    const cm = await until(async () => {
      const cm = await memberConfigMap('cm-apply');
      return cm?.data && (cm.data as Record<string, string>).a === '1' ? cm : undefined;
    }, 'data.a back to 1');
    assert.equal(cm.metadata.labels?.['member-added'], 'yes');
    // removing a label Karmada set is drift too
    await member1.kubectl.ok(['label', 'configmap', 'cm-apply', 'karmada.io/managed-', 'app-']);
    await until(async () => (await memberConfigMap('cm-apply'))?.metadata.labels?.app === 'cm-apply', 'label app restored');
  });

  test('deleting the object in the member brings it back', async () => {
    const before = await memberConfigMap('cm-apply');
    await member1.kubectl.ok(['delete', 'configmap', 'cm-apply']);
    const back = await until(async () => {
      const cm = await memberConfigMap('cm-apply');
      return cm && cm.metadata.uid !== before?.metadata.uid ? cm : undefined;
    }, 'cm-apply recreated');
    assert.deepEqual(back.data, { a: '1' });
  });

  test("a change of the Work's manifest is applied", async () => {
    const w = await getWork('member1', 'cm-apply');
    await tb.client.patch(workGVR, 'cm-apply', { spec: { workload: { manifests: [configMap('cm-apply', { a: '2' })] } } }, { namespace: 'karmada-es-member1', type: 'merge' });
    assert.ok(w);
    await until(async () => ((await memberConfigMap('cm-apply'))?.data as Record<string, string> | undefined)?.a === '2', 'data.a 2');
  });

  test('deleting the Work deletes the member object', async () => {
    await tb.client.delete(workGVR, 'cm-apply', { namespace: 'karmada-es-member1' });
    await until(async () => (await memberConfigMap('cm-apply')) === undefined, 'cm-apply gone from member1');
    await until(async () => (await getWork('member1', 'cm-apply')) === undefined, 'Work gone');
  });

  test("with preserveResourcesOnDeletion the object stays, without Karmada's labels and annotations", async () => {
    await tb.client.create(work('member1', 'cm-keep', [configMap('cm-keep', { k: 'v' })], { spec: { preserveResourcesOnDeletion: true } }));
    await appliedWork('member1', 'cm-keep');
    await tb.client.delete(workGVR, 'cm-keep', { namespace: 'karmada-es-member1' });
    await until(async () => (await getWork('member1', 'cm-keep')) === undefined, 'Work gone');
    const cm = await memberConfigMap('cm-keep');
    assert.deepEqual(cm?.data, { k: 'v' });
    assert.equal(cm?.metadata.labels?.['karmada.io/managed'], undefined);
    assert.equal(cm?.metadata.labels?.['work.karmada.io/permanent-id'], undefined);
    assert.equal(cm?.metadata.annotations?.['work.karmada.io/name'], undefined);
    assert.equal(cm?.metadata.labels?.app, 'cm-keep', 'the object keeps its own labels');
  });

  test('a pre-existing unmanaged object is not overwritten under Abort, and is under Overwrite', async () => {
    await member1.kubectl.ok(['create', '-f', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-conflict, namespace: default}\ndata: {owner: member}\n' });
    const abort = configMap('cm-conflict', { owner: 'karmada' }, { 'work.karmada.io/conflict-resolution': 'abort' });
    await tb.client.create(work('member1', 'cm-conflict', [abort], { annotations: { 'work.karmada.io/conflict-resolution': 'abort' } }));
    const failed = await until(async () => {
      const w = await getWork('member1', 'cm-conflict');
      return condition(w, 'Applied')?.status === 'False' ? w : undefined;
    }, 'Applied=False');
    assert.equal(condition(failed, 'Applied')?.reason, 'AppliedFailed');
    assert.equal(
      condition(failed, 'Applied')?.message,
      'Failed to apply all manifests (0/1): resource(kind=ConfigMap, default/cm-conflict) already exists in the cluster member1 and the work.karmada.io/conflict-resolution strategy value is empty, Karmada will not manage this resource',
    );
    const untouched = await memberConfigMap('cm-conflict');
    assert.deepEqual(untouched?.data, { owner: 'member' });
    assert.equal(untouched?.metadata.labels?.['karmada.io/managed'], undefined);

    const overwrite = configMap('cm-conflict', { owner: 'karmada' }, { 'work.karmada.io/conflict-resolution': 'overwrite' });
    await tb.client.patch(
      workGVR,
      'cm-conflict',
      { metadata: { annotations: { 'work.karmada.io/conflict-resolution': 'overwrite' } }, spec: { workload: { manifests: [overwrite] } } },
      { namespace: 'karmada-es-member1', type: 'merge' },
    );
    await appliedWork('member1', 'cm-conflict');
    const taken = await memberConfigMap('cm-conflict');
    assert.deepEqual(taken?.data, { owner: 'karmada' });
    assert.equal(taken?.metadata.labels?.['karmada.io/managed'], 'true');
  });

  test('suspendDispatching: nothing is applied and Dispatching is False', async () => {
    await tb.client.create(work('member1', 'cm-suspended', [configMap('cm-suspended', { a: '1' })], { spec: { suspendDispatching: true } }));
    const w = await until(async () => {
      const w = await getWork('member1', 'cm-suspended');
      return condition(w, 'Dispatching')?.status === 'False' ? w : undefined;
    }, 'Dispatching=False');
    assert.equal(condition(w, 'Dispatching')?.reason, 'SuspendDispatching');
    assert.equal(await memberConfigMap('cm-suspended'), undefined);
    await tb.client.patch(workGVR, 'cm-suspended', { spec: { suspendDispatching: false } }, { namespace: 'karmada-es-member1', type: 'merge' });
    await until(() => memberConfigMap('cm-suspended'), 'applied once resumed');
  });

  test("manifestStatuses follow the member object's status, and the binding aggregates them with FullyApplied", async () => {
    const template = await tb.client.create(deployment('web', 4));
    const rb = await tb.client.create<ResourceBinding>({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: 'web-deployment', namespace: 'default' },
      spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web', uid: template.metadata.uid }, clusters: [{ name: 'member1', replicas: 2 }, { name: 'member2', replicas: 2 }] },
    });
    const rbId = rb.metadata.labels?.['resourcebinding.karmada.io/permanent-id'];
    assert.ok(rbId, 'the binding got a permanent id');
    for (const cluster of ['member1', 'member2']) {
      const labels = { 'resourcebinding.karmada.io/permanent-id': rbId, 'karmada.io/managed': 'true' };
      const manifest = deployment('web', 2, { labels, annotations: { 'resourcetemplate.karmada.io/uid': template.metadata.uid! } });
      await tb.client.create(work(cluster, 'web-687f7fb96f', [manifest], { labels, annotations: { 'resourcebinding.karmada.io/name': 'web-deployment', 'resourcebinding.karmada.io/namespace': 'default' } }));
    }
    const bound = await until(async () => {
      const b = await getOrUndefined<ResourceBinding>(tb.client, rbGVR, 'web-deployment', 'default');
      return condition(b, 'FullyApplied')?.status === 'True' ? b : undefined;
    }, 'FullyApplied=True');
    assert.equal(condition(bound, 'FullyApplied')?.reason, 'FullyAppliedSuccess');
    assert.deepEqual(
      bound.status?.aggregatedStatus?.map((i) => [i.clusterName, i.applied]),
      [
        ['member1', true],
        ['member2', true],
      ],
    );

    // a bare member has no deployment controller: play its part
    for (const cluster of ['member1', 'member2']) {
      const client = tb.member(cluster).client;
      const d = await until(() => getOrUndefined<KubeObject>(client, deploymentGVR, 'web', 'default'), `web on ${cluster}`);
      await client.updateStatus({ ...d, status: { observedGeneration: d.metadata.generation, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 } });
    }
    const w = await until(async () => {
      const w = await getWork('member1', 'web-687f7fb96f');
      return (w?.status?.manifestStatuses?.[0]?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 2 ? w : undefined;
    }, 'manifestStatuses with readyReplicas');
    assert.equal(w.status?.manifestStatuses?.[0].health, 'Healthy');
    assert.deepEqual(w.status?.manifestStatuses?.[0].identifier, { ordinal: 0, group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespace: 'default', name: 'web' });

    const aggregated = await until(async () => {
      const b = await getOrUndefined<ResourceBinding>(tb.client, rbGVR, 'web-deployment', 'default');
      return b?.status?.aggregatedStatus?.every((i) => (i.status as { readyReplicas?: number } | undefined)?.readyReplicas === 2 && i.health === 'Healthy') ? b : undefined;
    }, 'aggregatedStatus with member statuses');
    assert.equal(aggregated.status?.aggregatedStatus?.length, 2);
    const tpl = await until(async () => {
      const t = await tb.client.get(deploymentGVR, 'web', { namespace: 'default' });
      return (t.status as { readyReplicas?: number } | undefined)?.readyReplicas === 4 ? t : undefined;
    }, 'template status summed');
    assert.equal((tpl.status as { availableReplicas?: number }).availableReplicas, 4);
    const events = await tb.client.list(eventGVR, { namespace: 'default' });
    assert.ok(events.items.some((e) => e.reason === 'AggregateStatusSucceed' && (e.involvedObject as { kind: string }).kind === 'Deployment'), 'AggregateStatusSucceed on the template');
    assert.ok(events.items.some((e) => e.reason === 'AggregateStatusSucceed' && (e.involvedObject as { kind: string }).kind === 'ResourceBinding'), 'AggregateStatusSucceed on the binding');

    // one member's Work failing (a manifest for a namespace member2 lacks) makes the binding not FullyApplied, with the reason
    const w2 = await getWork('member2', 'web-687f7fb96f');
    const broken = { ...configMap('web-config', { a: '1' }), metadata: { name: 'web-config', namespace: 'missing' } };
    await tb.client.patch(workGVR, 'web-687f7fb96f', { spec: { workload: { manifests: [...(w2?.spec.workload?.manifests ?? []), broken] } } }, { namespace: 'karmada-es-member2', type: 'merge' });
    const partial = await until(async () => {
      const b = await getOrUndefined<ResourceBinding>(tb.client, rbGVR, 'web-deployment', 'default');
      return condition(b, 'FullyApplied')?.status === 'False' ? b : undefined;
    }, 'FullyApplied=False');
    assert.equal(condition(partial, 'FullyApplied')?.reason, 'FullyAppliedFailed');
    const item = partial.status?.aggregatedStatus?.find((i) => i.clusterName === 'member2');
    assert.equal(item?.applied, false);
    assert.equal(item?.health, 'Unknown');
    assert.match(item?.appliedMessage ?? '', /^Failed to apply all manifests \(1\/2\): .*missing/);
  });
  test("a member object's burst of progressing statuses is one Work status write of where it settles; one that stays progressing is reflected too", async () => {
    await tb.client.create(work('member1', 'burst', [deployment('burst', 3)]));
    await appliedWork('member1', 'burst');
    const client = member1.client;
    const d = await until(() => getOrUndefined<KubeObject>(client, deploymentGVR, 'burst', 'default'), 'burst on member1');
    // the object as created (no status yet) is on the Work once it has been quiet for a moment
    const created = await until(async () => {
      const w = await getWork('member1', 'burst');
      return w?.status?.manifestStatuses?.length ? w : undefined;
    }, 'the created object on the Work');
    assert.equal(created.status?.manifestStatuses?.[0].health, 'Unhealthy');
    // every manifestStatuses the Work is written with from here on
    const written: unknown[] = [];
    const watch = await tb.client.watch(
      workGVR,
      { namespace: 'karmada-es-member1', fieldSelector: 'metadata.name=burst', resourceVersion: created.metadata.resourceVersion },
      (type, obj) => {
        const statuses = (obj as Work).status?.manifestStatuses;
        if (type === 'MODIFIED' && statuses && !isDeepStrictEqual(statuses, written.at(-1))) written.push(statuses);
      },
      () => {},
    );
    try {
      // a bare member has no deployment controller: play its part, one status after another as a rollout makes them
      const steps = [
        { replicas: 3, updatedReplicas: 3, unavailableReplicas: 3 },
        { replicas: 3, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 2 },
        { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 },
        { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 },
      ];
      let current = d;
      for (const step of steps) current = await client.updateStatus({ ...current, status: { observedGeneration: current.metadata.generation, ...step } });
      const settled = await until(async () => {
        const w = await getWork('member1', 'burst');
        return (w?.status?.manifestStatuses?.[0]?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 3 ? w : undefined;
      }, 'the settled status on the Work');
      assert.equal(settled.status?.manifestStatuses?.[0].health, 'Healthy');
      assert.ok(written.length >= 1 && written.length <= 2, `the Work's status written ${written.length} times for ${steps.length} member statuses`);
      assert.deepEqual(written.at(-1), settled.status?.manifestStatuses, 'the last write is the settled state');

      // stuck on its way (a replica that never gets ready): that status is reflected all the same
      await client.updateStatus({ ...current, status: { observedGeneration: current.metadata.generation, replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 } });
      const stuck = await until(async () => {
        const w = await getWork('member1', 'burst');
        return (w?.status?.manifestStatuses?.[0]?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 2 ? w : undefined;
      }, 'the progressing status on the Work');
      assert.equal(stuck.status?.manifestStatuses?.[0].health, 'Unhealthy');
    } finally {
      watch.stop();
      await tb.client.delete(workGVR, 'burst', { namespace: 'karmada-es-member1' });
    }
  });

  test("the Works of a binding settling together make one aggregated status write, not one per Work", async () => {
    const template = await tb.client.create(deployment('pair', 4));
    const rb = await tb.client.create<ResourceBinding>({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: 'pair-deployment', namespace: 'default' },
      spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'pair', uid: template.metadata.uid }, clusters: [{ name: 'member1', replicas: 2 }, { name: 'member2', replicas: 2 }] },
    });
    const labels = { 'resourcebinding.karmada.io/permanent-id': rb.metadata.labels!['resourcebinding.karmada.io/permanent-id'], 'karmada.io/managed': 'true' };
    const annotations = { 'resourcebinding.karmada.io/name': 'pair-deployment', 'resourcebinding.karmada.io/namespace': 'default' };
    for (const cluster of ['member1', 'member2']) await tb.client.create(work(cluster, 'pair-1', [deployment('pair', 2, { labels })], { labels, annotations }));
    // applied, and the members' objects as created (no status yet) aggregated
    const applied = await until(async () => {
      const b = await getOrUndefined<ResourceBinding>(tb.client, rbGVR, 'pair-deployment', 'default');
      return condition(b, 'FullyApplied')?.status === 'True' && b?.status?.aggregatedStatus?.every((i) => i.health === 'Unhealthy') ? b : undefined;
    }, 'FullyApplied=True');
    const members = await Promise.all(['member1', 'member2'].map((c) => until(() => getOrUndefined<KubeObject>(tb.member(c).client, deploymentGVR, 'pair', 'default'), `pair on ${c}`)));
    const aggregations: unknown[] = [];
    let watched = Number(applied.metadata.resourceVersion);
    const watch = await tb.client.watch(
      rbGVR,
      { namespace: 'default', fieldSelector: 'metadata.name=pair-deployment', resourceVersion: applied.metadata.resourceVersion },
      (type, obj) => {
        watched = Math.max(watched, Number(obj.metadata?.resourceVersion ?? 0));
        const items = (obj as ResourceBinding).status?.aggregatedStatus;
        if (type === 'MODIFIED' && !isDeepStrictEqual(items, aggregations.at(-1) ?? applied.status?.aggregatedStatus)) aggregations.push(items);
      },
      () => {},
    );
    try {
      // both members' Deployments become ready at once (a bare member has no deployment controller)
      const ready = { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 };
      await Promise.all(members.map((d, i) => tb.member(`member${i + 1}`).client.updateStatus({ ...d, status: { observedGeneration: d.metadata.generation, ...ready } })));
      const settled = await until(async () => {
        const b = await getOrUndefined<ResourceBinding>(tb.client, rbGVR, 'pair-deployment', 'default');
        return b?.status?.aggregatedStatus?.every((i) => i.health === 'Healthy') ? b : undefined;
      }, 'both Works aggregated Healthy');
      assert.deepEqual(settled.status?.aggregatedStatus?.map((i) => [i.clusterName, (i.status as { readyReplicas?: number }).readyReplicas]), [['member1', 2], ['member2', 2]]);
      // the watch may trail the read that saw the binding settled
      await until(async () => watched >= Number(settled.metadata.resourceVersion) || undefined, 'the watch to reach the settled binding');
      assert.equal(aggregations.length, 1, `two Works' status writes made ${aggregations.length} aggregated status writes`);
    } finally {
      watch.stop();
    }
  });

  test("a binding's status is first written when its Works report, not when it is scheduled (Karmada's bindingPredicateFn)", async () => {
    const template = await tb.client.create(configMap('early', { a: '1' }));
    const rb = await tb.client.create<ResourceBinding>({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: 'early-configmap', namespace: 'default' },
      spec: { resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'early', uid: template.metadata.uid } },
    });
    const statuses: ResourceBinding['status'][] = [];
    const watch = await tb.client.watch(
      rbGVR,
      { namespace: 'default', fieldSelector: 'metadata.name=early-configmap', resourceVersion: rb.metadata.resourceVersion },
      (type, obj) => {
        const status = (obj as ResourceBinding).status;
        if (type === 'MODIFIED' && status?.conditions?.some((c) => c.type === 'FullyApplied')) statuses.push(status);
      },
      () => {},
    );
    try {
      // scheduled (as the scheduler writes it), then the binding controller's Works
      await tb.client.patch(rbGVR, 'early-configmap', { spec: { clusters: [{ name: 'member1' }, { name: 'member2' }] } }, { namespace: 'default', type: 'merge' });
      await tb.client.patchStatus(rbGVR, 'early-configmap', { status: { lastScheduledTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } }, { namespace: 'default', type: 'merge' });
      const labels = { 'resourcebinding.karmada.io/permanent-id': rb.metadata.labels!['resourcebinding.karmada.io/permanent-id'], 'karmada.io/managed': 'true' };
      const annotations = { 'resourcebinding.karmada.io/name': 'early-configmap', 'resourcebinding.karmada.io/namespace': 'default' };
      for (const cluster of ['member1', 'member2']) await tb.client.create(work(cluster, 'early-1', [configMap('early', { a: '1' })], { labels, annotations }));
      await until(async () => statuses.some((s) => s?.conditions?.some((c) => c.type === 'FullyApplied' && c.status === 'True')) || undefined, 'FullyApplied=True');
      assert.deepEqual(
        statuses[0]?.aggregatedStatus?.map((i) => [i.clusterName, i.applied]).filter(([, applied]) => applied),
        statuses[0]?.aggregatedStatus?.map((i) => [i.clusterName, true]),
        'the first status written already carries applied Works, not an empty or all-unapplied aggregation',
      );
      assert.ok((statuses[0]?.aggregatedStatus?.length ?? 0) > 0);
    } finally {
      watch.stop();
    }
  });

  test('a ClusterResourceBinding aggregates the Works that name it', async () => {
    const crb = await tb.client.create<ResourceBinding>({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ClusterResourceBinding',
      metadata: { name: 'reader-clusterrole' },
      spec: { resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'reader' }, clusters: [{ name: 'member1' }] },
    });
    const id = crb.metadata.labels?.['clusterresourcebinding.karmada.io/permanent-id'];
    assert.ok(id);
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
    await tb.client.create(work('member1', 'reader-6d9b8c7f5', [role], { labels: { 'clusterresourcebinding.karmada.io/permanent-id': id }, annotations: { 'clusterresourcebinding.karmada.io/name': 'reader-clusterrole' } }));
    const b = await until(async () => {
      const b = await getOrUndefined<ResourceBinding>(tb.client, crbGVR, 'reader-clusterrole');
      return condition(b, 'FullyApplied')?.status === 'True' && b?.status?.aggregatedStatus?.[0]?.health === 'Healthy' ? b : undefined;
    }, 'CRB FullyApplied with the health of the member object');
    assert.deepEqual(b.status?.aggregatedStatus, [{ clusterName: 'member1', applied: true, health: 'Healthy' }]);
    assert.ok(await getOrUndefined(member1.client, { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' }, 'reader'));
  });

  test('a binding attached to a dependency (requiredBy, never scheduled) aggregates its Works like any other', async () => {
    const rb = await tb.client.create<ResourceBinding>({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: 'dep-config-configmap', namespace: 'default' },
      spec: { resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'dep-config' }, requiredBy: [{ namespace: 'default', name: 'app-deployment', clusters: [{ name: 'member1', replicas: 1 }] }] },
    });
    const id = rb.metadata.labels?.['resourcebinding.karmada.io/permanent-id'];
    assert.ok(id);
    await tb.client.create(work('member1', 'dep-config-5c8b7d9f6', [configMap('dep-config', { k: 'v' })], { labels: { 'resourcebinding.karmada.io/permanent-id': id }, annotations: { 'resourcebinding.karmada.io/namespace': 'default', 'resourcebinding.karmada.io/name': 'dep-config-configmap' } }));
    const b = await until(async () => {
      const b = await getOrUndefined<ResourceBinding>(tb.client, rbGVR, 'dep-config-configmap', 'default');
      return condition(b, 'FullyApplied')?.status === 'True' && b?.status?.aggregatedStatus?.length === 1 ? b : undefined;
    }, 'the attached binding FullyApplied with its aggregated status');
    assert.deepEqual(b.status?.aggregatedStatus?.map((i) => [i.clusterName, i.applied]), [['member1', true]]);
  });

  test('a cluster that is not Ready gets nothing until it is', async () => {
    const c = await tb.client.get<Cluster & KubeObject>(clusterGVR, 'member1');
    c.status = { ...(c.status ?? {}), conditions: [{ type: 'Ready', status: 'False', reason: 'ClusterNotReady', message: 'x', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] };
    await tb.client.updateStatus(c);
    await tb.client.create(work('member1', 'cm-later', [configMap('cm-later', { a: '1' })]));
    // a Work for a Ready cluster created after it: once that one is applied, cm-later was looked at
    await tb.client.create(work('member2', 'cm-after-later', [configMap('cm-after-later', { a: '1' })]));
    await appliedWork('member2', 'cm-after-later');
    assert.equal(await memberConfigMap('cm-later'), undefined);
    assert.equal(condition(await getWork('member1', 'cm-later'), 'Applied'), undefined);
    await markReady(tb, 'member1');
    await appliedWork('member1', 'cm-later');
    assert.ok(await memberConfigMap('cm-later'));
  });

  test('an unreachable member fails its Work (Applied=False) without holding up the others', async () => {
    await tb.member('member2').stop();
    await tb.client.create(work('member2', 'cm-unreachable', [configMap('cm-unreachable', { a: '1' })]));
    await tb.client.create(work('member1', 'cm-reachable', [configMap('cm-reachable', { a: '1' })]));
    await appliedWork('member1', 'cm-reachable');
    const failed = await until(async () => {
      const w = await getWork('member2', 'cm-unreachable');
      return condition(w, 'Applied')?.status === 'False' ? w : undefined;
    }, 'Applied=False on the unreachable member', 30_000);
    assert.match(condition(failed, 'Applied')?.message ?? '', /^Failed to apply all manifests \(0\/1\): /);
  });
});

describe('a controller manager stopped while a Work\'s Applied waits for its member object\'s status', () => {
  let tb: Testbed;
  let manager: Manager | undefined;

  before(async () => {
    tb = await startTestbed({ members: ['member1'] });
  });

  after(async () => {
    await manager?.stop();
    await tb?.stop();
  });

  test('restarted, the Work ends Applied with the status the member object reached meanwhile', async () => {
    // a hold longer than the test: the Work stays unwritten until the manager stops
    manager = await startControllers(tb, { holdMs: 600_000 });
    await tb.client.create(work('member1', 'held', [deployment('held', 1)]));
    const member = tb.member('member1').client;
    const d = await until(() => getOrUndefined<KubeObject>(member, deploymentGVR, 'held', 'default'), 'held on member1');
    // the member's object is there, progressing (a bare member has no deployment controller): the
    // Work waits for its status with Applied
    const waiting = await getOrUndefined<Work>(tb.client, workGVR, 'held', 'karmada-es-member1');
    assert.equal(condition(waiting, 'Applied'), undefined, 'Applied held back with the member status');
    await manager.stop();
    manager = undefined;
    // while no controller manager runs, the member's Deployment becomes ready
    await member.updateStatus({ ...d, status: { observedGeneration: d.metadata.generation, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 } });
    manager = await startControllers(tb);
    const settled = await until(async () => {
      const w = await getOrUndefined<Work>(tb.client, workGVR, 'held', 'karmada-es-member1');
      return condition(w, 'Applied')?.status === 'True' && w?.status?.manifestStatuses?.[0]?.health === 'Healthy' ? w : undefined;
    }, 'the Work Applied with the ready status', 30_000);
    assert.equal((settled.status?.manifestStatuses?.[0].status as { readyReplicas?: number }).readyReplicas, 1);
    assert.equal(condition(settled, 'Dispatching')?.status, 'True');
  });
});

describe('template status from simulated members', () => {
  let tb: Testbed;
  let manager: Manager;

  before(async () => {
    tb = await startTestbed({ members: ['sim1', 'sim2'], startMember: (name) => startSimulatedMember(name) });
    manager = await startControllers(tb);
  });

  after(async () => {
    await manager?.stop();
    await tb?.stop();
  });

  test('a Deployment template shows the replicas ready across members (2 + 2 = 4/4)', async () => {
    const template = await tb.client.create(deployment('shop', 4));
    const rb = await tb.client.create<ResourceBinding>({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: 'shop-deployment', namespace: 'default' },
      spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'shop', uid: template.metadata.uid }, clusters: [{ name: 'sim1', replicas: 2 }, { name: 'sim2', replicas: 2 }] },
    });
    const labels = { 'resourcebinding.karmada.io/permanent-id': rb.metadata.labels!['resourcebinding.karmada.io/permanent-id'], 'karmada.io/managed': 'true' };
    for (const cluster of ['sim1', 'sim2']) {
      await tb.client.create(work(cluster, 'shop-5c4b9d7f8', [deployment('shop', 2, { labels })], { labels }));
    }
    const tpl = await until(
      async () => {
        const t = await tb.client.get(deploymentGVR, 'shop', { namespace: 'default' });
        return (t.status as { readyReplicas?: number } | undefined)?.readyReplicas === 4 ? t : undefined;
      },
      'template readyReplicas 4',
      30_000,
    );
    assert.equal((tpl.status as { replicas?: number }).replicas, 4);
    const printed = await tb.kubectl.ok(['get', 'deployment', 'shop', '-n', 'default', '--no-headers']);
    assert.match(printed, /^shop\s+4\/4\s/);
    const b = await tb.client.get<ResourceBinding>(rbGVR, 'shop-deployment', { namespace: 'default' });
    assert.deepEqual(
      b.status?.aggregatedStatus?.map((i) => [i.clusterName, i.health, (i.status as { readyReplicas?: number }).readyReplicas]),
      [
        ['sim1', 'Healthy', 2],
        ['sim2', 'Healthy', 2],
      ],
    );
  });
});
