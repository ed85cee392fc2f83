// The scheduler process against a control plane with two joined members (cluster and cluster status
// controllers running): ResourceBindings created as the detector would, and what the scheduler
// writes back: spec.clusters, the Scheduled condition, events and metrics.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import type { KubeObject } from '../../src/apimachinery/types.js';
import type { ResourceBinding } from '../../src/apis/karmada/binding.js';
import type { Cluster, Taint } from '../../src/apis/karmada/cluster.js';
import type { Placement } from '../../src/apis/karmada/placement.js';
import { register as registerClusterController } from '../../src/controllers/cluster/index.js';
import { register as registerClusterStatus } from '../../src/controllers/clusterstatus/index.js';
import { SimulatedMember } from '../../src/membersim/member.js';
import { Manager } from '../../src/runtime/controller.js';
import { startScheduler, type SchedulerHandle } from '../../src/scheduler/component/index.js';
import type { ReplicaEstimator } from '../../src/scheduler/estimator/index.js';
import { controllerContext, startSimulatedMember, startTestbed, type Testbed } from '../support/karmada.js';
import { eventually } from '../support/kubectl.js';
import { reconcileCount, reconcileRounds } from '../support/metrics.js';
import { clusterGVR, clusterResourceBindingGVR, resourceBindingGVR } from '../../src/apis/karmada/gvr.js';

const eventGVR = { group: '', version: 'v1', resource: 'events' };
const leaseGVR = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const cli = fileURLToPath(new URL('../support/karmada-ts-cli.ts', import.meta.url));

async function eventuallyValue<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs?: number): Promise<T> {
  return (await eventually(fn, what, timeoutMs)) as T;
}

function scheduledCondition(b: ResourceBinding) {
  return b.status?.conditions?.find((c) => c.type === 'Scheduled');
}

describe('scheduler', () => {
  let tb: Testbed;
  let controllers: Manager;
  let scheduler: SchedulerHandle;
  const registry = new Registry();

  const createBinding = (name: string, placement: Placement, replicas: number, extra: Partial<ResourceBinding['spec']> = {}) =>
    tb.client.create<ResourceBinding>({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: `${name}-deployment`, namespace: 'default' },
      spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name }, replicas, placement, ...extra },
    });

  const getBinding = (name: string) => tb.client.get<ResourceBinding>(resourceBindingGVR, `${name}-deployment`, { namespace: 'default' });

  /** the binding once the scheduler has observed its current generation */
  const scheduled = (name: string, what = `${name} scheduled`) =>
    eventuallyValue(async () => {
      const b = await getBinding(name);
      return scheduledCondition(b) && b.status?.schedulerObservedGeneration === b.metadata.generation ? b : undefined;
    }, what);

  const setUserTaints = async (cluster: string, taints: Taint[]) => {
    for (let attempt = 0; ; attempt++) {
      const c = await tb.client.get<Cluster>(clusterGVR, cluster);
      const kept = (c.spec.taints ?? []).filter((t) => t.key.startsWith('cluster.karmada.io/'));
      try {
        await tb.client.replace({ ...c, spec: { ...c.spec, taints: [...kept, ...taints] } });
        return;
      } catch (err) {
        if (attempt > 5) throw err;
      }
    }
  };

  before(async () => {
    tb = await startTestbed({ members: ['member1', 'member2'] });
    controllers = new Manager({ retryDelayMs: 200 });
    const ctx = controllerContext(tb, controllers);
    registerClusterController(ctx);
    registerClusterStatus(ctx, { statusUpdateIntervalMs: 300, probeTimeoutMs: 1000 });
    await controllers.start();
    for (const name of ['member1', 'member2']) {
      await eventually(async () => {
        const c = await tb.client.get<Cluster>(clusterGVR, name);
        return c.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') && !(c.spec.taints ?? []).length;
      }, `${name} Ready and untainted`);
    }
    scheduler = await startScheduler({ client: tb.client, registry, retryDelayMs: 200 });
  });

  after(async () => {
    await scheduler?.stop();
    await controllers?.stop();
    await tb?.stop();
  });

  test('Duplicated over clusterNames: every cluster gets all replicas, with the Scheduled condition and events', async () => {
    await createBinding('dup', { clusterAffinity: { clusterNames: ['member1', 'member2'] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } }, 2);
    const b = await scheduled('dup');
    assert.deepEqual(b.spec.clusters, [
      { name: 'member1', replicas: 2 },
      { name: 'member2', replicas: 2 },
    ]);
    const c = scheduledCondition(b);
    assert.equal(c?.status, 'True');
    assert.equal(c?.reason, 'Success');
    assert.equal(c?.message, 'Binding has been scheduled successfully.');
    assert.ok(b.status?.lastScheduledTime);
    assert.ok(b.metadata.annotations?.['policy.karmada.io/applied-placement']);
    const events = await eventuallyValue(async () => {
      const list = await tb.client.list(eventGVR, { namespace: 'default' });
      const mine = list.items.filter((e) => (e as KubeObject & { reason?: string }).reason === 'ScheduleBindingSucceed');
      return mine.length >= 2 ? mine : undefined;
    }, 'ScheduleBindingSucceed events');
    const kinds = events.map((e) => (e as KubeObject & { involvedObject: { kind: string } }).involvedObject.kind).sort();
    assert.deepEqual(kinds.filter((k, i) => kinds.indexOf(k) === i), ['Deployment', 'ResourceBinding']);
    assert.equal((events[0] as KubeObject & { message?: string }).message, 'Binding has been scheduled successfully. Result: {member1:2, member2:2}');
  });

  test('a Duplicated binding is scheduled once: the update that brings back its own spec patch writes nothing again', async () => {
    const attempts = async () => (await registry.getSingleMetric('karmada_scheduler_schedule_attempts_total')!.get()).values.reduce((n, v) => n + v.value, 0);
    const attemptsBefore = await attempts();
    const before = await reconcileCount(registry, 'scheduler');
    await createBinding('dup-once', { clusterAffinity: { clusterNames: ['member1', 'member2'] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } }, 1);
    const b = await scheduled('dup-once');
    // the create, then the spec patch coming back through the informer
    const seen = (await reconcileCount(registry, 'scheduler')) - before;
    if (seen < 2) await reconcileRounds(registry, 'scheduler', 2 - seen);
    const now = await getBinding('dup-once');
    assert.equal(now.metadata.resourceVersion, b.metadata.resourceVersion, 'no second status write');
    assert.equal(now.status?.lastScheduledTime, b.status?.lastScheduledTime);
    assert.equal((await attempts()) - attemptsBefore, 1, 'one schedule attempt');
  });

  test('static weights 2:1 divide 3 replicas as 2 and 1', async () => {
    await createBinding(
      'weighted',
      {
        clusterAffinity: { clusterNames: ['member1', 'member2'] },
        replicaScheduling: {
          replicaSchedulingType: 'Divided',
          replicaDivisionPreference: 'Weighted',
          weightPreference: {
            staticWeightList: [
              { targetCluster: { clusterNames: ['member1'] }, weight: 2 },
              { targetCluster: { clusterNames: ['member2'] }, weight: 1 },
            ],
          },
        },
      },
      3,
    );
    const b = await scheduled('weighted');
    assert.deepEqual(b.spec.clusters, [
      { name: 'member1', replicas: 2 },
      { name: 'member2', replicas: 1 },
    ]);
  });

  test('scaling a divided binding reschedules it', async () => {
    const b = await getBinding('weighted');
    await tb.client.replace({ ...b, spec: { ...b.spec, replicas: 6 } });
    const after = await eventuallyValue(async () => {
      const b = await getBinding('weighted');
      return (b.spec.clusters ?? []).reduce((n, c) => n + (c.replicas ?? 0), 0) === 6 ? b : undefined;
    }, 'weighted rescheduled to 6');
    assert.deepEqual(after.spec.clusters, [
      { name: 'member1', replicas: 4 },
      { name: 'member2', replicas: 2 },
    ]);
  });

  test('a spec change with nothing to schedule moves schedulerObservedGeneration, not the clusters', async () => {
    const b = await scheduled('weighted');
    const updated = await tb.client.replace({ ...b, spec: { ...b.spec, resource: { ...b.spec.resource, resourceVersion: '12345' } } });
    assert.ok(updated.metadata.generation! > b.metadata.generation!, 'the spec change moved the generation');
    const after = await scheduled('weighted', 'schedulerObservedGeneration follows the generation');
    assert.equal(after.metadata.generation, updated.metadata.generation);
    assert.deepEqual(after.spec.clusters, b.spec.clusters);
    assert.equal(after.status?.lastScheduledTime, b.status?.lastScheduledTime, 'not scheduled again');
  });

  test('a tainted cluster is avoided until the placement tolerates the taint', async () => {
    const taint: Taint = { key: 'maintenance', value: 'true', effect: 'NoSchedule' };
    await setUserTaints('member2', [taint]);
    await eventually(async () => ((await tb.client.get<Cluster>(clusterGVR, 'member2')).spec.taints ?? []).some((t) => t.key === 'maintenance'), 'member2 tainted');

    const placement: Placement = { clusterAffinity: { clusterNames: ['member2'] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } };
    await createBinding('tainted', placement, 1);
    const refused = await eventuallyValue(async () => {
      const b = await getBinding('tainted');
      return scheduledCondition(b) ? b : undefined;
    }, 'tainted binding attempted');
    const c = scheduledCondition(refused);
    assert.equal(c?.status, 'False');
    assert.equal(c?.reason, 'NoClusterFit');
    assert.equal(c?.message, '0/2 clusters are available: 1 cluster(s) did not match the placement cluster affinity constraint, 1 cluster(s) had untolerated taint {maintenance=true:NoSchedule}.');
    assert.equal(refused.spec.clusters, undefined);

    await tb.client.replace({ ...refused, spec: { ...refused.spec, placement: { ...placement, clusterTolerations: [{ key: 'maintenance', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] } } });
    const accepted = await eventuallyValue(async () => {
      const b = await getBinding('tainted');
      return scheduledCondition(b)?.status === 'True' ? b : undefined;
    }, 'tainted binding scheduled once tolerated');
    assert.deepEqual(accepted.spec.clusters, [{ name: 'member2', replicas: 1 }]);
  });

  test('a Duplicated binding follows the taint: left out while tainted, added back when the taint goes', async () => {
    await createBinding('follow', { clusterAffinity: { clusterNames: ['member1', 'member2'] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } }, 1);
    const tainted = await scheduled('follow');
    assert.deepEqual(tainted.spec.clusters, [{ name: 'member1', replicas: 1 }]);
    await setUserTaints('member2', []);
    const untainted = await eventuallyValue(async () => {
      const b = await getBinding('follow');
      return b.spec.clusters?.length === 2 ? b : undefined;
    }, 'follow rescheduled onto member2 after the taint is removed');
    assert.deepEqual(untainted.spec.clusters, [
      { name: 'member1', replicas: 1 },
      { name: 'member2', replicas: 1 },
    ]);
  });

  test('a ClusterResourceBinding of a non-workload goes to every cluster its placement names', async () => {
    await tb.client.create<ResourceBinding>({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ClusterResourceBinding',
      metadata: { name: 'reader-clusterrole' },
      spec: { resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'reader' }, placement: { clusterAffinity: { clusterNames: ['member1', 'member2'] } } },
    });
    const b = await eventuallyValue(async () => {
      const b = await tb.client.get<ResourceBinding>(clusterResourceBindingGVR, 'reader-clusterrole');
      return scheduledCondition(b)?.status === 'True' ? b : undefined;
    }, 'ClusterResourceBinding scheduled');
    assert.deepEqual(b.spec.clusters?.map((c) => c.name), ['member1', 'member2']);
    assert.equal(b.status?.schedulerObservedGeneration, b.metadata.generation);
  });

  test('bindings for another scheduler are left alone', async () => {
    await createBinding('other', { clusterAffinity: { clusterNames: ['member1'] } }, 1, { schedulerName: 'my-scheduler' });
    // a binding for this scheduler created after it: once that one is scheduled, 'other' was looked at
    await createBinding('after-other', { clusterAffinity: { clusterNames: ['member1'] } }, 1);
    await scheduled('after-other');
    const b = await getBinding('other');
    assert.equal(b.spec.clusters, undefined);
    assert.equal(scheduledCondition(b), undefined);
  });

  test('bindings whose backoff ends go back in one flush, highest schedulePriority first, not in the order they failed', async () => {
    // a second scheduler whose estimator holds no room: every attempt fails Unschedulable
    // (into the backoff queue); each binding asks for its own CPU, so the estimator sees who is tried
    const tag: Record<string, string> = { '100m': 'pacer', '101m': 'low', '105m': 'mid', '110m': 'high' };
    const attempts: string[] = [];
    const listeners: (() => void)[] = [];
    const gate: ReplicaEstimator = {
      name: 'gate',
      estimate: (cluster, req) => {
        const who = tag[String(req?.resourceRequest?.cpu)];
        if (who && cluster.metadata.name === 'member1') {
          attempts.push(who);
          for (const l of listeners.splice(0)) l();
        }
        return 0;
      },
    };
    const nextAttempt = (who: string) => new Promise<void>((resolve) => listeners.push(function check() {
      if (attempts.at(-1) === who) resolve();
      else listeners.push(check);
    }));
    const queued = await startScheduler({ client: tb.client, registry: new Registry(), schedulerName: 'queue-order', workers: 1, accurateEstimator: false, estimators: [gate], retryDelayMs: 200 });
    const placement: Placement = {
      clusterAffinity: { clusterNames: ['member1', 'member2'] },
      replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } },
    };
    const create = (name: string, cpu: string, priority?: number) =>
      createBinding(name, placement, 2, { schedulerName: 'queue-order', replicaRequirements: { resourceRequest: { cpu } }, ...(priority ? { schedulePriority: { priority } } : {}) });
    try {
      // the pacer's first retry happens just after a flush tick T
      const pacerRetry = (async () => {
        await nextAttempt('pacer');
        await nextAttempt('pacer');
      })();
      await create('pacer', '100m');
      await pacerRetry;
      // failing now (after T, lowest priority first), their 1 s backoff ends between ticks T+1 and
      // T+2: the flush at T+2 returns all three together
      const firstTries = attempts.length;
      await create('low', '101m', 1);
      await create('mid', '105m', 5);
      await create('high', '110m', 10);
      const tries = () => attempts.slice(firstTries).filter((w) => w !== 'pacer');
      await eventually(() => tries().length >= 6, 'each tried twice', 20_000);
      assert.deepEqual(tries().slice(0, 3), ['low', 'mid', 'high'], 'first tries in the order they were created');
      assert.deepEqual(tries().slice(3, 6), ['high', 'mid', 'low'], 'one flush, in priority order');
    } finally {
      await queued.stop();
    }
  });

  test('schedule attempts and latency are counted', async () => {
    const text = await registry.metrics();
    assert.match(text, /karmada_scheduler_schedule_attempts_total\{result="scheduled",scheduleType="ReconcileSchedule"\} [1-9]/);
    assert.match(text, /karmada_scheduler_schedule_attempts_total\{result="error",scheduleType="ReconcileSchedule"\} [1-9]/);
    assert.match(text, /karmada_scheduler_schedule_attempts_total\{result="scheduled",scheduleType="ScaleSchedule"\} [1-9]/);
    assert.match(text, /karmada_scheduler_e2e_scheduling_duration_seconds_count\{result="scheduled",scheduleType="ReconcileSchedule"\} [1-9]/);
    for (const step of ['Filter', 'Score', 'Select', 'AssignReplicas']) {
      assert.match(text, new RegExp(`karmada_scheduler_scheduling_algorithm_duration_seconds_count\\{schedule_step="${step}"\\} [1-9]`), step);
    }
  });

  test('deleting a cluster moves the bindings off it, then the cluster goes', async () => {
    await tb.client.delete(clusterGVR, 'member2');
    await eventually(() => tb.client.get(clusterGVR, 'member2').then(() => false, () => true), 'member2 removed once no binding targets it', 20_000);
    const weighted = await getBinding('weighted');
    assert.deepEqual(weighted.spec.clusters, [{ name: 'member1', replicas: 6 }]);
    const dup = await getBinding('dup');
    assert.deepEqual(dup.spec.clusters, [{ name: 'member1', replicas: 2 }]);
  });

  test('the karmada-ts scheduler process with --leader-elect schedules while it holds the lease, and releases it on SIGTERM', async () => {
    await scheduler.stop();
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'scheduler', '--kubeconfig', tb.kubectl.kubeconfig, '--leader-elect'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await eventually(() => out.includes('karmada-ts scheduler started'), 'the scheduler process to start', 20_000);
      await createBinding('cli', { clusterAffinity: { clusterNames: ['member1'] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } }, 1);
      const b = await scheduled('cli', 'binding scheduled by the scheduler process');
      assert.deepEqual(b.spec.clusters, [{ name: 'member1', replicas: 1 }]);
      const lease = await tb.client.get<KubeObject & { spec?: { holderIdentity?: string } }>(leaseGVR, 'karmada-scheduler', { namespace: 'karmada-system' });
      assert.ok(lease.spec?.holderIdentity, 'the process holds the lease');
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000).unref())]);
    if (code === 'hung') child.kill('SIGKILL');
    assert.equal(code, 0, out);
    const released = await tb.client.get<KubeObject & { spec?: { holderIdentity?: string } }>(leaseGVR, 'karmada-scheduler', { namespace: 'karmada-system' });
    assert.ok(!released.spec?.holderIdentity, 'the lease is released');
  });
});

describe('scheduler estimates from the resource summaries of simulated members', () => {
  let tb: Testbed;
  let controllers: Manager;
  let scheduler: SchedulerHandle;
  const sims: SimulatedMember[] = [];
  const capacity: Record<string, { count: number; cpu: string }> = { big: { count: 2, cpu: '4' }, small: { count: 1, cpu: '2' } };

  const createBinding = (name: string, placement: Placement, replicas: number) =>
    tb.client.create<ResourceBinding>({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: `${name}-deployment`, namespace: 'default' },
      spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name }, replicas, replicaRequirements: { resourceRequest: { cpu: '1' } }, placement },
    });

  const attempted = (name: string) =>
    eventuallyValue(async () => {
      const b = await tb.client.get<ResourceBinding>(resourceBindingGVR, `${name}-deployment`, { namespace: 'default' });
      return scheduledCondition(b) ? b : undefined;
    }, `${name} attempted`);

  before(async () => {
    tb = await startTestbed({
      members: ['big', 'small'],
      startMember: async (name) => {
        const m = await startSimulatedMember(name, { nodes: [{ count: capacity[name].count, cpu: capacity[name].cpu, memory: '16Gi' }] });
        sims.push(m.sim);
        return m;
      },
    });
    controllers = new Manager({ retryDelayMs: 200 });
    const ctx = controllerContext(tb, controllers);
    registerClusterController(ctx);
    registerClusterStatus(ctx, { statusUpdateIntervalMs: 300, probeTimeoutMs: 1000 });
    await controllers.start();
    for (const name of ['big', 'small']) {
      await eventually(async () => {
        const c = await tb.client.get<Cluster>(clusterGVR, name);
        return c.status?.resourceSummary?.allocatableModelings && !(c.spec.taints ?? []).length;
      }, `${name} summarised and untainted`);
    }
    scheduler = await startScheduler({ client: tb.client, retryDelayMs: 200 });
  });

  after(async () => {
    await scheduler?.stop();
    await controllers?.stop();
    await tb?.stop();
  });

  test('the general estimator reads allocatableModelings: nodes of grade 2 (at least 2 CPUs) hold 2 replicas of 1 CPU each', async () => {
    const big = await tb.client.get<Cluster>(clusterGVR, 'big');
    const small = await tb.client.get<Cluster>(clusterGVR, 'small');
    assert.deepEqual(big.status?.resourceSummary?.allocatableModelings?.find((m) => m.count > 0), { grade: 2, count: 2 });
    assert.deepEqual(small.status?.resourceSummary?.allocatableModelings?.find((m) => m.count > 0), { grade: 2, count: 1 });
  });

  test('dynamic weights follow the available replicas (4 and 2 by the resource models)', async () => {
    await createBinding('dynamic', { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } } }, 6);
    const b = await attempted('dynamic');
    assert.equal(scheduledCondition(b)?.status, 'True', scheduledCondition(b)?.message);
    assert.deepEqual(b.spec.clusters, [
      { name: 'big', replicas: 4 },
      { name: 'small', replicas: 2 },
    ]);
  });

  test('Aggregated packs the replicas into the cluster that holds them all', async () => {
    await createBinding('aggregated', { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' } }, 3);
    const b = await attempted('aggregated');
    assert.deepEqual(b.spec.clusters, [{ name: 'big', replicas: 3 }]);
  });

  test('more replicas than the clusters can hold: Unschedulable', async () => {
    await createBinding('toomany', { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' } }, 20);
    const b = await attempted('toomany');
    const c = scheduledCondition(b);
    assert.equal(c?.status, 'False');
    assert.equal(c?.reason, 'Unschedulable');
    assert.equal(b.spec.clusters, undefined);
  });
});
