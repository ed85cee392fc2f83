// The cluster and cluster status controllers against a control plane with two bare members joined
// in Push mode: execution spaces, finalizers, Ready with version, APIs and summaries, taints when a
// member goes away, removal on delete, and what `kubectl get clusters` shows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../src/apimachinery/errors.js';
import { microTime, rfc3339Now } from '../../src/apimachinery/meta.js';
import type { KubeObject } from '../../src/apimachinery/types.js';
import type { Cluster } from '../../src/apis/karmada/cluster.js';
import { ControllerName as ClusterControllerName, register as registerClusterController } from '../../src/controllers/cluster/index.js';
import { ControllerName as ClusterStatusControllerName, register as registerClusterStatus } from '../../src/controllers/clusterstatus/index.js';
import { reconcileRounds } from '../support/metrics.js';
import { joinCluster } from '../../src/controllers/cluster/join.js';
import { SimulatedMember } from '../../src/membersim/member.js';
import { Manager } from '../../src/runtime/controller.js';
import { controllerContext, startSimulatedMember, startTestbed, type Testbed } from '../support/karmada.js';
import { eventually } from '../support/kubectl.js';
import { clusterGVR } from '../../src/apis/karmada/gvr.js';
import { ExecutionControllerFinalizer, ManagedByKarmadaLabel, ManagedByKarmadaLabelValue } from '../../src/apis/karmada/wellknown.js';
import type { ControllerContext } from '../../src/controllers/context.js';
import { memberObjects } from '../../src/controllers/execution/member-objects.js';

const namespaceGVR = { group: '', version: 'v1', resource: 'namespaces' };
const configMapGVR = { group: '', version: 'v1', resource: 'configmaps' };
const workGVR = { group: 'work.karmada.io', version: 'v1alpha1', resource: 'works' };

/** eventually(), typed for functions that answer a value or undefined */
async function eventuallyValue<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs?: number): Promise<T> {
  return (await eventually(fn, what, timeoutMs)) as T;
}

function ready(c: Cluster | undefined) {
  return c?.status?.conditions?.find((x) => x.type === 'Ready');
}

async function createNode(tb: Testbed, member: string, name: string, isReady: boolean, allocatable: Record<string, string>): Promise<void> {
  const client = tb.member(member).client;
  const created = await client.create({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
  await client.updateStatus({ ...created, status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: isReady ? 'True' : 'False', reason: 'KubeletReady', message: '' }] } });
}

/** a Work in the cluster's execution space that its execution controller (or agent) still has to release */
const heldWork = (cluster: string) =>
  ({
    apiVersion: 'work.karmada.io/v1alpha1',
    kind: 'Work',
    metadata: { name: 'held', namespace: `karmada-es-${cluster}`, finalizers: [ExecutionControllerFinalizer] },
    spec: { workload: { manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' } }] } },
  }) as KubeObject;

describe('cluster controllers', () => {
  let tb: Testbed;
  let manager: Manager;

  const getCluster = (name: string) => tb.client.get<Cluster>(clusterGVR, name);

  before(async () => {
    tb = await startTestbed({ members: ['member1', 'member2'] });
    manager = new Manager({ retryDelayMs: 200 });
    const ctx = controllerContext(tb, manager);
    registerClusterController(ctx, { monitorPeriodMs: 200, monitorGracePeriodMs: 1000, startupGracePeriodMs: 1000, cleanupCheckIntervalMs: 60_000 });
    registerClusterStatus(ctx, { statusUpdateIntervalMs: 300, failureThresholdMs: 900, successThresholdMs: 900, probeTimeoutMs: 1000 });
    await manager.start();
  });

  after(async () => {
    await manager?.stop();
    await tb?.stop();
  });

  test('each cluster gets its execution space and the cluster-controller finalizer', async () => {
    for (const name of ['member1', 'member2']) {
      const ns = await eventuallyValue(() => tb.client.get(namespaceGVR, `karmada-es-${name}`).catch(() => undefined), `namespace karmada-es-${name}`);
      assert.equal(ns.metadata.labels?.['karmada.io/system'], 'true');
      const c = await eventuallyValue(async () => {
        const c = await getCluster(name);
        return c.metadata.finalizers?.includes('karmada.io/cluster-controller') ? c : undefined;
      }, `finalizer on ${name}`);
      assert.ok(c);
    }
  });

  test('a reachable member becomes Ready with its version and APIs, and loses the not-ready taint', async () => {
    const c = await eventuallyValue(async () => {
      const c = await getCluster('member1');
      return ready(c)?.status === 'True' && !(c.spec.taints ?? []).length ? c : undefined;
    }, 'member1 Ready without taints');
    assert.equal(ready(c)?.reason, 'ClusterReady');
    assert.equal(ready(c)?.message, 'cluster is healthy and ready to accept workloads');
    assert.match(c.status?.kubernetesVersion ?? '', /^v1\.32\.4/);
    const apps = c.status?.apiEnablements?.find((e) => e.groupVersion === 'apps/v1');
    assert.ok(apps?.resources?.some((r) => r.name === 'deployments' && r.kind === 'Deployment'), 'apps/v1 deployments listed');
    const complete = c.status?.conditions?.find((x) => x.type === 'CompleteAPIEnablements');
    assert.equal(complete?.status, 'True');
    assert.deepEqual(c.status?.nodeSummary, { totalNum: 0, readyNum: 0 });
  });

  test('nodeSummary and resourceSummary follow the Nodes and Pods of the member', async () => {
    await createNode(tb, 'member1', 'n1', true, { cpu: '4', memory: '8Gi', pods: '110' });
    await createNode(tb, 'member1', 'n2', false, { cpu: '2', memory: '4Gi', pods: '110' });
    const m1 = tb.member('member1').client;
    await m1.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bound', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] } });
    await m1.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '250m' } } }] } });
    const c = await eventuallyValue(async () => {
      const c = await getCluster('member1');
      return c.status?.nodeSummary?.totalNum === 2 && c.status.resourceSummary?.allocating?.pods === '1' ? c : undefined;
    }, 'member1 summaries');
    assert.deepEqual(c.status?.nodeSummary, { totalNum: 2, readyNum: 1 });
    assert.deepEqual(c.status?.resourceSummary?.allocatable, { cpu: '6', memory: '12Gi', pods: '220' });
    assert.deepEqual(c.status?.resourceSummary?.allocated, { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '0', pods: '1' });
    assert.deepEqual(c.status?.resourceSummary?.allocating, { cpu: '250m', memory: '0', 'ephemeral-storage': '0', pods: '1' });
  });

  test('an unchanged cluster is not rewritten every round', async () => {
    const before = await getCluster('member1');
    // two member clusters, a round each every 300 ms: six rounds is three looks at member1
    await reconcileRounds(manager.registry, ClusterStatusControllerName, 6);
    const afterwards = await getCluster('member1');
    assert.equal(afterwards.metadata.resourceVersion, before.metadata.resourceVersion);
  });

  test('kubectl get clusters shows both Ready', async () => {
    await eventually(async () => ready(await getCluster('member2'))?.status === 'True', 'member2 Ready');
    const out = await tb.kubectl.ok(['get', 'clusters']);
    const rows = out.trim().split('\n');
    assert.match(rows[0], /NAME\s+VERSION\s+MODE\s+READY\s+AGE/);
    assert.match(out, /member1\s+v1\.32\.4\S*\s+Push\s+True/);
    assert.match(out, /member2\s+v1\.32\.4\S*\s+Push\s+True/);
  });

  test('a stopped member turns not Ready (ClusterNotReachable) and gets the not-ready taint', async () => {
    await tb.member('member2').stop();
    const c = await eventuallyValue(async () => {
      const c = await getCluster('member2');
      return ready(c)?.status === 'False' && (c.spec.taints ?? []).some((t) => t.key === 'cluster.karmada.io/not-ready') ? c : undefined;
    }, 'member2 not ready and tainted', 20_000);
    assert.equal(ready(c)?.reason, 'ClusterNotReachable');
    assert.equal(ready(c)?.message, 'cluster is not reachable');
    assert.deepEqual(
      c.spec.taints?.map((t) => [t.key, t.effect]),
      [['cluster.karmada.io/not-ready', 'NoSchedule']],
    );
    assert.ok(c.spec.taints?.[0].timeAdded);
    const out = await tb.kubectl.ok(['get', 'clusters']);
    assert.match(out, /member2\s+v1\.32\.4\S*\s+Push\s+False/);
    assert.match(out, /member1\s+v1\.32\.4\S*\s+Push\s+True/);
  });

  test('a Pull cluster whose agent is silent turns Unknown and unreachable; a renewed lease keeps it Ready', async () => {
    await joinCluster(tb.client, { name: 'pull1', memberKubeconfig: tb.member('member2').kubeconfig, syncMode: 'Pull' });
    const silent = await eventuallyValue(async () => {
      const c = await getCluster('pull1');
      return ready(c)?.status === 'Unknown' && (c.spec.taints ?? []).some((t) => t.key === 'cluster.karmada.io/unreachable') ? c : undefined;
    }, 'pull1 Unknown and unreachable');
    assert.equal(ready(silent)?.reason, 'ClusterStatusNeverUpdated');
    assert.deepEqual(silent.spec.taints?.map((t) => t.key), ['cluster.karmada.io/unreachable']);

    // the "agent" posts Ready and renews its lease
    const posted = await getCluster('pull1');
    await tb.client.updateStatus({ ...posted, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'cluster is healthy and ready to accept workloads', lastTransitionTime: rfc3339Now() }] } });
    const lease = await tb.client.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'pull1', namespace: 'karmada-cluster' }, spec: { holderIdentity: 'pull1', leaseDurationSeconds: 40, renewTime: microTime() } } as KubeObject);
    let current = lease;
    const renewUntil = Date.now() + 2000;
    while (Date.now() < renewUntil) {
      await new Promise((r) => setTimeout(r, 200));
      current = await tb.client.replace({ ...current, spec: { ...(current.spec as object), renewTime: microTime() } });
      const c = await getCluster('pull1');
      if (Date.now() > renewUntil - 1000) {
        assert.equal(ready(c)?.status, 'True', 'Ready while the lease is renewed');
        assert.deepEqual(c.spec.taints ?? [], []);
      }
    }

    // the agent goes silent
    const lost = await eventuallyValue(async () => {
      const c = await getCluster('pull1');
      return ready(c)?.status === 'Unknown' && (c.spec.taints ?? []).some((t) => t.key === 'cluster.karmada.io/unreachable') ? c : undefined;
    }, 'pull1 Unknown after the lease stops');
    assert.equal(ready(lost)?.reason, 'ClusterStatusUnknown');
    assert.equal(ready(lost)?.message, 'Cluster status controller stopped posting cluster status.');
  });

  test("deleting an unready Pull cluster releases its Works itself: its agent cannot (Karmada's deleteFinalizerForWorks)", async () => {
    await eventually(() => tb.client.get(namespaceGVR, 'karmada-es-pull1').then(() => true, () => false), 'karmada-es-pull1');
    await tb.client.create(heldWork('pull1'));
    assert.equal(ready(await getCluster('pull1'))?.status, 'Unknown');
    await tb.client.delete(clusterGVR, 'pull1');
    await eventually(() => getCluster('pull1').then(() => false, (err) => isStatusError(err, 'NotFound')), 'pull1 deleted', 20_000);
    await assert.rejects(tb.client.get(workGVR, 'held', { namespace: 'karmada-es-pull1' }), (err) => isStatusError(err, 'NotFound'));
    await assert.rejects(tb.client.get(namespaceGVR, 'karmada-es-pull1'), (err) => isStatusError(err, 'NotFound'));
  });

  test("deleting a ready Pull cluster: its execution space waits until the agent has released the Works (the agent's Role lives there)", async () => {
    await joinCluster(tb.client, { name: 'pull2', memberKubeconfig: tb.member('member2').kubeconfig, syncMode: 'Pull' });
    // a live "agent": Ready posted, its lease renewed every 200 ms
    const posted = await getCluster('pull2');
    await tb.client.updateStatus({ ...posted, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: 'cluster is healthy and ready to accept workloads', lastTransitionTime: rfc3339Now() }] } });
    let lease = await tb.client.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'pull2', namespace: 'karmada-cluster' }, spec: { holderIdentity: 'pull2', leaseDurationSeconds: 40, renewTime: microTime() } } as KubeObject);
    const renewing = setInterval(() => {
      tb.client.replace({ ...lease, spec: { ...(lease.spec as object), renewTime: microTime() } }).then((l) => (lease = l), () => {});
    }, 200);
    try {
      await eventually(() => tb.client.get(namespaceGVR, 'karmada-es-pull2').then(() => true, () => false), 'karmada-es-pull2');
      await tb.client.create(heldWork('pull2'));
      assert.equal(ready(await getCluster('pull2'))?.status, 'True');
      await tb.client.delete(clusterGVR, 'pull2');
      await eventually(async () => !!(await tb.client.get(workGVR, 'held', { namespace: 'karmada-es-pull2' })).metadata.deletionTimestamp, 'the Work deleted');
      // two more looks at the deleting cluster: the execution space is still not terminating
      for (let i = 0; i < 2; i++) await manager.controllerNamed(ClusterControllerName)!.nextReconcile('pull2');
      assert.equal((await tb.client.get(namespaceGVR, 'karmada-es-pull2')).metadata.deletionTimestamp, undefined, 'karmada-es-pull2 kept while the agent still holds a Work');
      // the agent's part done
      await tb.client.patch(workGVR, 'held', { metadata: { finalizers: null } }, { namespace: 'karmada-es-pull2', type: 'merge' });
      await eventually(() => getCluster('pull2').then(() => false, (err) => isStatusError(err, 'NotFound')), 'pull2 deleted', 20_000);
      await assert.rejects(tb.client.get(namespaceGVR, 'karmada-es-pull2'), (err) => isStatusError(err, 'NotFound'));
    } finally {
      clearInterval(renewing);
    }
  });

  test('deleting a cluster removes its Works and execution space, then the cluster', async () => {
    await tb.client.create({
      apiVersion: 'work.karmada.io/v1alpha1',
      kind: 'Work',
      metadata: { name: 'cm-work', namespace: 'karmada-es-member1' },
      spec: { workload: { manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' } }] } },
    } as KubeObject);
    const binding = await tb.client.create({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: 'web-deployment', namespace: 'default' },
      spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' }, replicas: 1, clusters: [{ name: 'member1', replicas: 1 }] },
    } as KubeObject);
    await tb.client.delete(clusterGVR, 'member1');
    const terminating = await eventuallyValue(async () => {
      const c = await getCluster('member1');
      return (c.spec.taints ?? []).some((t) => t.key === 'cluster.karmada.io/terminating' && t.effect === 'NoExecute') ? c : undefined;
    }, 'member1 tainted terminating');
    assert.ok(terminating.metadata.deletionTimestamp);
    // the execution space goes, but the cluster stays while a binding still targets it
    await eventually(() => tb.client.get(namespaceGVR, 'karmada-es-member1').then(() => false, (err) => isStatusError(err, 'NotFound')), 'karmada-es-member1 removed');
    // a label change makes the cluster controller look at member1 again: after that look it must still be there
    const looked = manager.controllerNamed(ClusterControllerName)!.nextReconcile('member1');
    await tb.client.patch(clusterGVR, 'member1', { metadata: { labels: { probe: 'looked-again' } } }, { type: 'merge' });
    await looked;
    assert.ok(await getCluster('member1'), 'kept while the binding targets it');
    await tb.client.replace({ ...binding, spec: { ...(binding.spec as object), clusters: [] } });
    await eventually(async () => {
      const gone = await getCluster('member1').then(
        () => false,
        (err) => isStatusError(err, 'NotFound'),
      );
      return gone;
    }, 'member1 deleted', 20_000);
    await assert.rejects(tb.client.get(namespaceGVR, 'karmada-es-member1'), (err) => isStatusError(err, 'NotFound'));
    await assert.rejects(tb.client.get(workGVR, 'cm-work', { namespace: 'karmada-es-member1' }), (err) => isStatusError(err, 'NotFound'));
    // the other cluster keeps its execution space
    assert.ok(await tb.client.get(namespaceGVR, 'karmada-es-member2'));
  });
});

describe('cluster status of a simulated member', () => {
  let tb: Testbed;
  let manager: Manager;
  let sim: SimulatedMember;
  let ctx: ControllerContext;

  before(async () => {
    tb = await startTestbed({
      members: ['sim1'],
      startMember: async (name) => {
        const m = await startSimulatedMember(name, { nodes: [{ count: 2, cpu: '2', memory: '8Gi', pods: '20' }] });
        sim = m.sim;
        return m;
      },
    });
    manager = new Manager({ retryDelayMs: 200 });
    ctx = controllerContext(tb, manager);
    registerClusterController(ctx);
    registerClusterStatus(ctx, { statusUpdateIntervalMs: 300, failureThresholdMs: 600, successThresholdMs: 600, probeTimeoutMs: 1000 });
    await manager.start();
  });

  after(async () => {
    await manager?.stop();
    await tb?.stop();
  });

  test('summaries follow the nodes and the pods the member schedules', async () => {
    await tb.member('sim1').client.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] } },
      },
    });
    const c = await eventuallyValue(async () => {
      const c = await tb.client.get<Cluster>(clusterGVR, 'sim1');
      return c.status?.resourceSummary?.allocated?.pods === '3' ? c : undefined;
    }, 'sim1 allocated 3 pods');
    assert.deepEqual(c.status?.nodeSummary, { totalNum: 2, readyNum: 2 });
    assert.equal(c.status?.resourceSummary?.allocatable?.cpu, '4');
    assert.equal(c.status?.resourceSummary?.allocatable?.memory, '16Gi');
    assert.equal(c.status?.resourceSummary?.allocatable?.pods, '40');
    assert.deepEqual(c.status?.resourceSummary?.allocated, { cpu: '1500m', memory: '3Gi', 'ephemeral-storage': '0', pods: '3' });
    assert.equal(c.status?.resourceSummary?.allocating?.pods, '0');
  });

  test('a member that goes down and comes back is Ready again, with its summaries', async () => {
    await sim.stop();
    await eventually(async () => ready(await tb.client.get<Cluster>(clusterGVR, 'sim1'))?.status === 'False', 'sim1 not ready');
    await sim.start();
    const c = await eventuallyValue(async () => {
      const c = await tb.client.get<Cluster>(clusterGVR, 'sim1');
      return ready(c)?.status === 'True' && !(c.spec.taints ?? []).length ? c : undefined;
    }, 'sim1 Ready and untainted again');
    assert.equal(c.status?.resourceSummary?.allocated?.pods, '3');
  });

  test("the member objects the execution controller watches are followed again once the member is back: its informer, on the member's shared client, is not stopped with the cluster status controller's own", async () => {
    const objects = memberObjects(ctx);
    const client = await ctx.members.get('sim1');
    const watched = () => objects.informer('sim1', client, configMapGVR);
    const deleted: string[] = [];
    objects.subscribe((cluster, event, obj) => event === 'delete' && deleted.push(`${cluster}/${obj.metadata.name}`));
    const member = tb.member('sim1').client;
    await member.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'away', namespace: 'default', labels: { [ManagedByKarmadaLabel]: ManagedByKarmadaLabelValue } } });
    await eventually(async () => !!watched().get('default/away'), 'the informer holds away');

    await sim.stop();
    await eventually(async () => ready(await tb.client.get<Cluster>(clusterGVR, 'sim1'))?.status === 'False', 'sim1 not ready');
    await sim.start();
    await eventually(async () => ready(await tb.client.get<Cluster>(clusterGVR, 'sim1'))?.status === 'True', 'sim1 Ready again');
    await member.delete(configMapGVR, 'away', { namespace: 'default' });
    await eventually(async () => !watched().get('default/away') && deleted.includes('sim1/away'), 'the informer drops away and says so', 5000);
  });
});
