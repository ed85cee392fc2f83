import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyScheduleResult, scheduleBinding } from './schedule.js';
import { clusterChangeMatters, needsReschedule } from './triggers.js';
import { binding, cluster, dynamicWeight } from './testing/fixtures.js';
import { nodeEstimator } from './estimator/index.js';
import { PolicyPlacementAnnotation, type ResourceBinding, type TargetCluster } from '../apis/karmada/binding.js';
import type { Placement } from '../apis/karmada/placement.js';

const now = () => new Date('2024-06-01T00:00:00Z');

describe('scheduleBinding', () => {
  test('no cluster fits: NoClusterFit with the reasons counted per cluster', () => {
    const clusters = [
      cluster('m1', { taints: [{ key: 'key', value: 'value', effect: 'NoSchedule' }] }),
      cluster('m2'),
      cluster('m3'),
    ];
    const r = scheduleBinding(binding({ clusterAffinity: { clusterNames: ['m1'] } }, 2, [{ name: 'gone', replicas: 2 }]), clusters, { now });
    assert.equal(r.ok, false);
    assert.deepEqual(r.condition, {
      type: 'Scheduled',
      status: 'False',
      reason: 'NoClusterFit',
      message: '0/3 clusters are available: 1 cluster(s) had untolerated taint {key=value:NoSchedule}, 2 cluster(s) did not match the placement cluster affinity constraint.',
      lastTransitionTime: '2024-06-01T00:00:00Z',
    });
    assert.deepEqual(r.clusters, [], 'a fit error clears the old result');
  });

  test('no clusters at all', () => {
    const r = scheduleBinding(binding({}, 1), []);
    assert.equal(r.condition.message, '0/0 clusters are available: no cluster exists.');
  });

  test('a deleting cluster is skipped and not counted among the reasons', () => {
    const r = scheduleBinding(binding({}, 1), [cluster('a', { deleting: true })]);
    assert.equal(r.condition.reason, 'NoClusterFit');
    assert.equal(r.condition.message, '0/1 clusters are available: no cluster exists.');
  });

  test('success: Success condition, dynamic division, explain with verdicts, scores and capacity', () => {
    const clusters = [cluster('a', { region: 'r1', pods: 10 }), cluster('b', { region: 'r2', pods: 30 }), cluster('c', { region: 'r3', pods: 5, taints: [{ key: 'x', effect: 'NoExecute' }] })];
    const r = scheduleBinding(
      binding({ replicaScheduling: dynamicWeight, spreadConstraints: [{ spreadByField: 'region', minGroups: 2, maxGroups: 3 }, { spreadByField: 'cluster', minGroups: 1, maxGroups: 3 }] }, 8),
      clusters,
      { explain: true, now },
    );
    assert.equal(r.ok, true);
    assert.equal(r.condition.reason, 'Success');
    assert.equal(r.condition.message, 'Binding has been scheduled successfully.');
    assert.deepEqual(Object.fromEntries(r.clusters.map((c) => [c.name, c.replicas])), { a: 2, b: 6 });
    const ex = r.explain.attempts[0];
    assert.equal(ex.strategy, 'DynamicWeight');
    const c = ex.clusters.find((x) => x.name === 'c')!;
    assert.equal(c.feasible, false);
    assert.equal(c.filters.length, 7, 'every filter reported with explain');
    assert.deepEqual(c.filters.find((f) => f.plugin === 'TaintToleration')?.reasons, ['cluster(s) had untolerated taint {x:NoExecute}']);
    const b = ex.clusters.find((x) => x.name === 'b')!;
    assert.equal(b.availableReplicas, 30);
    assert.deepEqual(b.scores, { ClusterAffinity: 0, ClusterLocality: 0 });
    assert.equal(b.selected, true);
    assert.equal(b.replicas, 6);
  });

  test('not enough capacity: Unschedulable, previous result kept', () => {
    const previous = [{ name: 'a', replicas: 2 }];
    const r = scheduleBinding(binding({ replicaScheduling: dynamicWeight }, 50, previous), [cluster('a', { pods: 3 }), cluster('b', { pods: 4 })], { now });
    assert.equal(r.condition.reason, 'Unschedulable');
    assert.equal(r.condition.message, 'failed to assign replicas: failed to scale up: Clusters available replicas 7 are not enough to schedule.');
    assert.deepEqual(r.clusters, previous);
  });

  test('unsatisfiable spread: SchedulerError naming the constraint', () => {
    const r = scheduleBinding(binding({ replicaScheduling: dynamicWeight, spreadConstraints: [{ spreadByField: 'cluster', minGroups: 3, maxGroups: 3 }] }, 2), [cluster('a'), cluster('b')]);
    assert.equal(r.condition.reason, 'SchedulerError');
    assert.equal(r.condition.message, 'failed to select clusters: the number of feasible clusters is less than spreadConstraint.MinGroups');
  });

  test('clusterAffinities fall back to the next group when one cannot fit', () => {
    const clusters = [cluster('primary', { pods: 2 }), cluster('backup', { pods: 100 })];
    const placement = {
      replicaScheduling: dynamicWeight,
      clusterAffinities: [
        { affinityName: 'primary-group', clusterNames: ['primary'] },
        { affinityName: 'backup-group', clusterNames: ['backup'] },
      ],
    };
    const r = scheduleBinding(binding(placement, 5), clusters, { explain: true });
    assert.equal(r.ok, true);
    assert.equal(r.affinityName, 'backup-group');
    assert.deepEqual(r.clusters, [{ name: 'backup', replicas: 5 }]);
    assert.deepEqual(r.explain.attempts.map((a) => a.affinityName), ['primary-group', 'backup-group']);
    assert.match(r.explain.attempts[0].error ?? '', /not enough to schedule/);
  });

  test('clusterAffinities start from the observed group', () => {
    const clusters = [cluster('primary'), cluster('backup')];
    const placement = { clusterAffinities: [{ affinityName: 'g1', clusterNames: ['primary'] }, { affinityName: 'g2', clusterNames: ['backup'] }] };
    const b = binding(placement, 0);
    b.status = { schedulerObservingAffinityName: 'g2' };
    const r = scheduleBinding(b, clusters);
    assert.equal(r.affinityName, 'g2');
    assert.deepEqual(r.clusters, [{ name: 'backup' }]);
  });

  test('when every group fails the first error is reported and the observed group kept', () => {
    const placement = { clusterAffinities: [{ affinityName: 'g1', clusterNames: ['x'] }, { affinityName: 'g2', clusterNames: ['y'] }] };
    const b = binding(placement, 1);
    b.status = { schedulerObservingAffinityName: 'g1' };
    const r = scheduleBinding(b, [cluster('a')]);
    assert.equal(r.ok, false);
    assert.equal(r.affinityName, 'g1');
    assert.equal(r.condition.message, '0/1 clusters are available: 1 cluster(s) did not match the placement cluster affinity constraint.');
  });

  test('an evicting cluster is not chosen again', () => {
    const b = binding({ replicaScheduling: dynamicWeight }, 4, undefined, { gracefulEvictionTasks: [{ fromCluster: 'a', reason: 'TaintUntolerated', producer: 'taint-manager' }] });
    const r = scheduleBinding(b, [cluster('a'), cluster('b')]);
    assert.deepEqual(r.clusters, [{ name: 'b', replicas: 4 }]);
  });

  test('the node-level estimator bounds capacity together with the summary', () => {
    const members = new Map([
      ['a', { nodes: [{ metadata: { name: 'n1' }, status: { allocatable: { cpu: '2', pods: '110' } } }], pods: [] }],
    ]);
    const b = binding({ replicaScheduling: dynamicWeight }, 4, undefined, { replicaRequirements: { resourceRequest: { cpu: '1' } } });
    const r = scheduleBinding(b, [cluster('a'), cluster('b')], { estimators: [nodeEstimator(members), { name: 'general', estimate: () => 3 }] });
    // a holds 2 (node), b 3 (general): Webster splits 4 as 2:2
    assert.deepEqual(Object.fromEntries(r.clusters.map((c) => [c.name, c.replicas])), { a: 2, b: 2 });
  });

  test('lastTransitionTime is kept when the status does not change', () => {
    const b = binding({}, 1);
    b.status = { conditions: [{ type: 'Scheduled', status: 'True', reason: 'Success', lastTransitionTime: '2020-01-01T00:00:00Z' }] };
    assert.equal(scheduleBinding(b, [cluster('a')], { now }).condition.lastTransitionTime, '2020-01-01T00:00:00Z');
  });

  test('applyScheduleResult writes clusters, condition, observed generation and applied placement', () => {
    const b = binding({ replicaScheduling: dynamicWeight }, 2);
    b.metadata.generation = 7;
    const out = applyScheduleResult(b, scheduleBinding(b, [cluster('a')], { now }), now());
    assert.deepEqual(out.spec.clusters, [{ name: 'a', replicas: 2 }]);
    assert.equal(out.status?.schedulerObservedGeneration, 7);
    assert.equal(out.status?.lastScheduledTime, '2024-06-01T00:00:00Z');
    assert.equal(out.status?.conditions?.[0].type, 'Scheduled');
    assert.equal(needsReschedule(out), 'None', 'a freshly scheduled binding is settled');
    assert.equal(b.spec.clusters, undefined, 'input not mutated');
  });
});

describe('scheduleBinding: a cluster spread of maxGroups 1 keeps Divided replicas on one cluster', () => {
  const one = [{ spreadByField: 'cluster' as const, minGroups: 1, maxGroups: 1 }];
  const aggregated: Placement['replicaScheduling'] = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' };
  const evictedFromA = { gracefulEvictionTasks: [{ fromCluster: 'a', replicas: 4, reason: 'TaintUntolerated', producer: 'taint-manager' }] };
  const cases: { name: string; placement: Placement; replicas: number; previous?: TargetCluster[]; extra?: Partial<ResourceBinding['spec']>; want: Record<string, number> }[] = [
    { name: 'dynamic weight, first schedule', placement: { replicaScheduling: dynamicWeight, spreadConstraints: one }, replicas: 4, want: { a: 4 } },
    { name: 'Aggregated, first schedule', placement: { replicaScheduling: aggregated, spreadConstraints: one }, replicas: 4, want: { a: 4 } },
    { name: 'a previous split (the constraint was added later) is gathered onto one cluster', placement: { replicaScheduling: dynamicWeight, spreadConstraints: one }, replicas: 4, previous: [{ name: 'a', replicas: 2 }, { name: 'b', replicas: 2 }], want: { a: 4 } },
    { name: 'scale-up from a split', placement: { replicaScheduling: dynamicWeight, spreadConstraints: one }, replicas: 6, previous: [{ name: 'a', replicas: 2 }, { name: 'b', replicas: 2 }], want: { a: 6 } },
    { name: 'scale-down from a split', placement: { replicaScheduling: aggregated, spreadConstraints: one }, replicas: 2, previous: [{ name: 'a', replicas: 2 }, { name: 'b', replicas: 2 }], want: { a: 2 } },
    { name: 'the cluster already running them is kept (its replicas count as room)', placement: { replicaScheduling: dynamicWeight, spreadConstraints: one }, replicas: 4, previous: [{ name: 'b', replicas: 4 }], want: { b: 4 } },
    {
      name: 'a requested fresh schedule still picks one cluster',
      placement: { replicaScheduling: dynamicWeight, spreadConstraints: one },
      replicas: 4,
      previous: [{ name: 'a', replicas: 1 }, { name: 'b', replicas: 3 }],
      extra: { rescheduleTriggeredAt: '2024-06-01T00:00:00Z' },
      want: { b: 4 },
    },
    { name: 'evicted from a: every replica goes to b, none stays split', placement: { replicaScheduling: dynamicWeight, spreadConstraints: one }, replicas: 4, extra: evictedFromA, want: { b: 4 } },
    {
      name: 'static Weighted (what Divided alone defaults to) ignores spread constraints, as Karmada',
      placement: { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' }, spreadConstraints: one },
      replicas: 4,
      want: { a: 2, b: 2 },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = scheduleBinding(binding(c.placement, c.replicas, c.previous, c.extra), [cluster('a'), cluster('b')], { now });
      assert.equal(r.ok, true, r.condition.message);
      assert.deepEqual(Object.fromEntries(r.clusters.map((x) => [x.name, x.replicas])), c.want);
    });
  }
  test('--explain says when spread constraints were ignored, and only then', () => {
    const run = (rs: Placement['replicaScheduling']) => scheduleBinding(binding({ replicaScheduling: rs, spreadConstraints: one }, 4), [cluster('a'), cluster('b')], { explain: true, now }).explain.attempts[0];
    assert.match(run({ replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' }).spreadConstraintsIgnored ?? '', /^static weighted division .* ignores spreadConstraints, as in Karmada/);
    assert.equal(run(dynamicWeight).spreadConstraintsIgnored, undefined);
  });
});

describe('needsReschedule', () => {
  const settled = () => {
    const b = binding({ replicaScheduling: dynamicWeight }, 4, [{ name: 'a', replicas: 4 }]);
    b.metadata.annotations = { [PolicyPlacementAnnotation]: JSON.stringify(b.spec.placement) };
    b.status = { lastScheduledTime: '2024-01-01T00:00:00Z' };
    return b;
  };
  const cases: { name: string; change: (b: ReturnType<typeof settled>) => void; want: string; schedulerName?: string; clusters?: ReturnType<typeof cluster>[] }[] = [
    { name: 'nothing changed', change: () => {}, want: 'None' },
    { name: 'placement changed', change: (b) => (b.spec.placement!.clusterAffinity = { clusterNames: ['a'] }), want: 'PlacementChanged' },
    { name: 'never scheduled (no applied placement)', change: (b) => delete b.metadata.annotations, want: 'PlacementChanged' },
    { name: 'replicas changed', change: (b) => (b.spec.replicas = 6), want: 'ReplicasChanged' },
    { name: 'reschedule triggered after the last schedule', change: (b) => (b.spec.rescheduleTriggeredAt = '2024-02-01T00:00:00Z'), want: 'RescheduleTriggered' },
    { name: 'another scheduler owns the binding', change: (b) => (b.spec.schedulerName = 'other'), want: 'OtherScheduler' },
    { name: 'scheduling suspended', change: (b) => (b.spec.suspension = { scheduling: true }), want: 'SchedulingSuspended' },
    { name: 'a target cluster is being deleted', change: () => {}, clusters: [cluster('a', { deleting: true })], want: 'TargetClusterDeleting' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const b = settled();
      c.change(b);
      assert.equal(needsReschedule(b, { schedulerName: c.schedulerName, clusters: c.clusters }), c.want);
    });
  }
  test('cluster label changes matter, condition heartbeats do not', () => {
    const a = cluster('a');
    const relabelled = structuredClone(a);
    relabelled.metadata.labels = { env: 'prod' };
    assert.equal(clusterChangeMatters(a, relabelled), true);
    const heartbeat = structuredClone(a);
    heartbeat.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: 'x' }];
    assert.equal(clusterChangeMatters(a, heartbeat), false);
  });
});

describe('scheduleBinding: multiple pod templates (Karmada v1.19 places a component workload whole, never divided)', () => {
  const components = [
    { name: 'jobmanager', replicas: 1, replicaRequirements: { resourceRequest: { cpu: '1' } } },
    { name: 'taskmanager', replicas: 2, replicaRequirements: { resourceRequest: { cpu: '2' } } },
  ];
  const oneCluster = [{ spreadByField: 'cluster' as const, minGroups: 1, maxGroups: 1 }];
  const clusters = () => [cluster('small', { cpu: '4' }), cluster('big', { cpu: '12' }), cluster('mid', { cpu: '6' })];
  const cases: { name: string; placement: Parameters<typeof binding>[0]; clusters?: ReturnType<typeof clusters>; want: Record<string, number | undefined> | 'unschedulable' }[] = [
    { name: 'one-cluster placement: the cluster holding most whole sets, without replicas', placement: { spreadConstraints: oneCluster, replicaScheduling: dynamicWeight }, want: { big: undefined } },
    { name: 'one-cluster placement, Duplicated: still one cluster', placement: { spreadConstraints: oneCluster }, want: { big: undefined } },
    { name: 'no one-cluster constraint: not estimated as sets, every candidate gets the resource (AssignReplicas for non-workloads)', placement: { replicaScheduling: dynamicWeight }, want: { small: undefined, big: undefined, mid: undefined } },
    { name: 'Divided, one cluster, none holds a whole set (5 CPUs): unschedulable', placement: { spreadConstraints: oneCluster, replicaScheduling: dynamicWeight }, clusters: [cluster('small', { cpu: '4' })], want: 'unschedulable' },
    { name: 'Duplicated, one cluster, none holds a whole set: placed anyway (Duplicated ignores available resources)', placement: { spreadConstraints: oneCluster }, clusters: [cluster('small', { cpu: '4' })], want: { small: undefined } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = scheduleBinding(binding(c.placement, 0, undefined, { components }), c.clusters ?? clusters(), { now });
      if (c.want === 'unschedulable') {
        assert.equal(r.ok, false);
        return;
      }
      assert.equal(r.ok, true, r.condition.message);
      assert.deepEqual(Object.fromEntries(r.clusters.map((t) => [t.name, t.replicas])), c.want);
    });
  }
});
