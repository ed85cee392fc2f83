// `karmada-ts schedule --clusters --binding` (issue 12): the placements Karmada v1.19 writes for the
// same inputs — Webster division (static, dynamic, UID tie-breaks), the unsupported division
// combination, zones, overflow affinities with the observed affinity and --explain's tiers and rounds,
// and a cluster spread of maxGroups 1 (one cluster, except under static weights, as in Karmada).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../support/cli.js';

interface ClusterSpec {
  name: string;
  pods?: number;
  cpu?: number;
  zones?: string[];
}

function clustersYaml(cs: ClusterSpec[], extra: object[] = []): string {
  return [...extra.map((o) => JSON.stringify(o) + '\n'), ...cs
    .map(
      (c) => `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: ${c.name}}
spec: {syncMode: Push${c.zones ? `, zones: [${c.zones.join(', ')}]` : ''}}
status:
  apiEnablements:
  - {groupVersion: apps/v1, resources: [{name: deployments, kind: Deployment}]}
  - {groupVersion: flink.apache.org/v1beta1, resources: [{name: flinkdeployments, kind: FlinkDeployment}]}
  resourceSummary: {allocatable: {pods: "${c.pods ?? 100}", cpu: "${c.cpu ?? 100}"}}
`,
    )]
    .join('---\n');
}

function bindingYaml(replicas: number, placement: object, extra: { uid?: string; status?: object; clusters?: object[] } = {}): string {
  return JSON.stringify({
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'default' },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web', ...(extra.uid ? { uid: extra.uid } : {}) },
      replicas,
      placement,
      ...(extra.clusters ? { clusters: extra.clusters } : {}),
    },
    ...(extra.status ? { status: extra.status } : {}),
  });
}

const weighted = (list?: [string, number][]) => ({
  replicaScheduling: {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    ...(list ? { weightPreference: { staticWeightList: list.map(([name, weight]) => ({ targetCluster: { clusterNames: [name] }, weight })) } } : {}),
  },
});
const dynamic = { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } } };

let dir: string;
let n = 0;

async function schedule(clusters: ClusterSpec[], binding: string, explain = false, scheduledBindings: object[] = []) {
  const id = ++n;
  const c = join(dir, `clusters-${id}.yaml`);
  const b = join(dir, `binding-${id}.yaml`);
  await writeFile(c, clustersYaml(clusters, scheduledBindings));
  await writeFile(b, binding);
  const res = await runCli('karmada-ts', ['schedule', '--clusters', c, '--binding', b, ...(explain ? ['--explain'] : [])]);
  const docs = parseAllDocuments(res.stdout).map((d) => d.toJS());
  return { code: res.code, stderr: res.stderr, binding: docs[0], explain: docs[1] };
}

const placed = (b: { spec: { clusters?: { name: string; replicas?: number }[] } }) => Object.fromEntries((b.spec.clusters ?? []).map((c) => [c.name, c.replicas]));

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'schedule-division-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('karmada-ts schedule: Webster division', () => {
  const abc = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];

  test('5 replicas at equal weights over three clusters give 2:2:1', async () => {
    const r = await schedule(abc, bindingYaml(5, weighted()));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(placed(r.binding), { a: 2, b: 2, c: 1 });
  });

  test('an odd resource UID breaks equal-weight ties towards the larger name', async () => {
    const r = await schedule([{ name: 'A' }, { name: 'B' }], bindingYaml(5, weighted(), { uid: 'd43fdeeb-d750-4e2b-bee3-64eb94534f4c' }));
    assert.deepEqual(placed(r.binding), { A: 2, B: 3 });
  });

  test('14 replicas at static 3:2:1 give 7:5:2', async () => {
    const r = await schedule(abc, bindingYaml(14, weighted([['a', 3], ['b', 2], ['c', 1]])));
    assert.deepEqual(placed(r.binding), { a: 7, b: 5, c: 2 });
  });

  test('12 replicas at dynamic weights 20:12:6 give 6:4:2, and --explain names the Webster rounds', async () => {
    const r = await schedule(
      [
        { name: 'a', pods: 20 },
        { name: 'b', pods: 12 },
        { name: 'c', pods: 6 },
      ],
      bindingYaml(12, dynamic),
      true,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(placed(r.binding), { a: 6, b: 4, c: 2 });
    const attempt = r.explain.attempts[0];
    assert.equal(attempt.strategy, 'DynamicWeight');
    assert.equal(attempt.rounds.length, 12);
    // the 5th seat: a and b both at priority 4 (20/5, 12/3): the one with fewer seats, b, wins
    assert.deepEqual(attempt.rounds[4], { party: 'b', votes: 12, seats: 1 });
  });

  test('scale-up places only the extra replicas by Webster and keeps the old ones', async () => {
    const r = await schedule(
      [
        { name: 'a', pods: 10 },
        { name: 'b', pods: 30 },
      ],
      bindingYaml(12, dynamic, { clusters: [{ name: 'a', replicas: 2 }, { name: 'b', replicas: 6 }] }),
    );
    // 4 more by 10:30 → a 1, b 3
    assert.deepEqual(placed(r.binding), { a: 3, b: 9 });
  });
});

describe('karmada-ts schedule: unsupported division', () => {
  test('Divided without a division preference is not scheduled, with Karmada\'s error', async () => {
    const r = await schedule([{ name: 'a' }], bindingYaml(3, { replicaScheduling: { replicaSchedulingType: 'Divided' } }));
    assert.equal(r.code, 1);
    assert.equal(r.binding.spec.clusters, undefined, 'nothing duplicated');
    const cond = r.binding.status.conditions.find((c: { type: string }) => c.type === 'Scheduled');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'SchedulerError');
    assert.equal(
      cond.message,
      'failed to assign replicas: unsupported replica scheduling strategy, replicaSchedulingType: Divided, replicaDivisionPreference: , please try another scheduling strategy',
    );
  });
});

describe('karmada-ts schedule: zones', () => {
  const zoned = [
    { name: 'multi', zones: ['z1', 'z2'] },
    { name: 'single', zones: ['z3'] },
    { name: 'none' },
  ];
  const byZone = (operator: string, values?: string[]) => ({
    clusterAffinity: { fieldSelector: { matchExpressions: [{ key: 'zone', operator, ...(values ? { values } : {}) }] } },
    replicaScheduling: { replicaSchedulingType: 'Duplicated' },
  });
  const cases: [string, object, string[]][] = [
    ['In: a multi-zone cluster is eligible when one of its zones is listed', byZone('In', ['z2']), ['multi']],
    ['NotIn: any listed zone excludes; a cluster without zones stays', byZone('NotIn', ['z1']), ['single', 'none']],
    ['Exists: clusters with zones', byZone('Exists'), ['multi', 'single']],
    ['DoesNotExist: clusters without zones', byZone('DoesNotExist'), ['none']],
  ];
  for (const [name, placement, want] of cases) {
    test(name, async () => {
      const r = await schedule(zoned, bindingYaml(1, placement));
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(Object.keys(placed(r.binding)).sort(), [...want].sort());
    });
  }
});

describe('karmada-ts schedule: overflow affinities', () => {
  const placement = {
    ...dynamic,
    clusterAffinities: [
      { affinityName: 'primary', clusterNames: ['local'], overflowAffinities: [{ affinityName: 'burst', clusterNames: ['cloud'] }] },
    ],
  };
  const clusters = [
    { name: 'local', pods: 2 },
    { name: 'cloud', pods: 10 },
    { name: 'other', pods: 50 },
  ];

  test('the primary tier fills to its capacity and the rest spills into the overflow tier', async () => {
    const r = await schedule(clusters, bindingYaml(5, placement), true);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(placed(r.binding), { local: 2, cloud: 3 });
    assert.equal(r.binding.status.schedulerObservingAffinityName, 'primary', 'the observed affinity is the term, not the overflow tier');
    const attempt = r.explain.attempts[0];
    assert.deepEqual(
      attempt.tiers.map((t: { order: number; affinityName: string; replicas: number }) => [t.order, t.affinityName, t.replicas]),
      [
        [0, 'primary', 2],
        [1, 'burst', 3],
      ],
    );
  });

  test('when every tier is full the binding is unschedulable', async () => {
    const r = await schedule(clusters, bindingYaml(20, placement));
    assert.equal(r.code, 1);
    const cond = r.binding.status.conditions.find((c: { type: string }) => c.type === 'Scheduled');
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, 'failed to assign replicas: Clusters available replicas are not enough to schedule.');
  });
});

describe('karmada-ts schedule: workload affinity groups', () => {
  const db = (groups: object, clusters: string[]) => ({
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'db-deployment', namespace: 'default' },
    spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'db' }, workloadAffinityGroups: groups, clusters: clusters.map((name) => ({ name, replicas: 1 })) },
  });
  const web = (groups: object) => {
    const b = JSON.parse(bindingYaml(1, { replicaScheduling: { replicaSchedulingType: 'Duplicated' } }));
    b.spec.workloadAffinityGroups = groups;
    return JSON.stringify(b);
  };
  const abc = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];

  test('affinity: the binding goes where its group already runs', async () => {
    const r = await schedule(abc, web({ affinityGroup: 'app=shop' }), true, [db({ affinityGroup: 'app=shop' }, ['b'])]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(Object.keys(placed(r.binding)), ['b']);
    const a = r.explain.attempts[0].clusters.find((x: { name: string }) => x.name === 'a');
    assert.ok(a.filters.some((f: { reasons?: string[] }) => f.reasons?.includes('ResourceBinding with the same affinity group does not target this cluster')));
  });

  test('anti-affinity: the binding avoids where its group runs', async () => {
    const r = await schedule(abc, web({ antiAffinityGroup: 'ha=pair' }), false, [db({ antiAffinityGroup: 'ha=pair' }, ['b'])]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(Object.keys(placed(r.binding)).sort(), ['a', 'c']);
  });
});

describe('karmada-ts schedule: a cluster spread of maxGroups 1 with Divided replicas', () => {
  const one = { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }] };
  const two = [{ name: 'member1', pods: 10 }, { name: 'member2', pods: 20 }];

  test('dynamic weights: all 4 replicas on the roomiest cluster, a previous split gathered there', async () => {
    const r = await schedule(two, bindingYaml(4, { ...one, ...dynamic }, { clusters: [{ name: 'member1', replicas: 2 }, { name: 'member2', replicas: 2 }] }), true);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(placed(r.binding), { member2: 4 });
    assert.equal(r.explain.attempts[0].spreadConstraintsIgnored, undefined);
  });

  test('Aggregated: one cluster', async () => {
    const r = await schedule(two, bindingYaml(4, { ...one, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' } }));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(placed(r.binding), { member2: 4 });
  });

  test('Weighted without weightPreference (what Divided alone defaults to) ignores the constraint as Karmada does, and --explain says so', async () => {
    const r = await schedule(two, bindingYaml(4, { ...one, ...weighted() }), true);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(placed(r.binding), { member1: 2, member2: 2 });
    assert.match(r.explain.attempts[0].spreadConstraintsIgnored, /static weighted division .* ignores spreadConstraints, as in Karmada; use dynamicWeight or Aggregated/);
  });
});

describe('karmada-ts schedule: multiple pod templates', () => {
  const flink = () => ({
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'analytics-flinkdeployment', namespace: 'default' },
    spec: {
      resource: { apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', namespace: 'default', name: 'analytics' },
      components: [
        { name: 'jobmanager', replicas: 1, replicaRequirements: { resourceRequest: { cpu: '1' } } },
        { name: 'taskmanager', replicas: 2, replicaRequirements: { resourceRequest: { cpu: '2' } } },
      ],
      placement: {
        spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }],
        replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } },
      },
    },
  });

  test('the workload goes whole to the one cluster that holds most component sets; --explain shows the sets', async () => {
    const r = await schedule(
      [
        { name: 'small', cpu: 4 },
        { name: 'big', cpu: 12 },
        { name: 'mid', cpu: 6 },
      ],
      JSON.stringify(flink()),
      true,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.binding.spec.clusters, [{ name: 'big' }], 'one cluster, no replica split');
    const sets = Object.fromEntries(r.explain.attempts[0].clusters.map((c: { name: string; availableReplicas: number }) => [c.name, c.availableReplicas]));
    assert.deepEqual(sets, { small: 0, big: 2, mid: 1 });
  });

  test('no cluster holds one whole set: not scheduled', async () => {
    const r = await schedule([{ name: 'small', cpu: 4 }], JSON.stringify(flink()));
    assert.equal(r.code, 1);
    const cond = r.binding.status.conditions.find((c: { type: string }) => c.type === 'Scheduled');
    assert.equal(cond.status, 'False');
    assert.equal(cond.message, 'failed to select clusters: no enough resource when selecting 1 clusters');
  });

  test('resource models bound the sets: two 4-CPU model nodes hold one 5-CPU set however large the summary', async () => {
    const modelled = {
      apiVersion: 'cluster.karmada.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'modelled' },
      spec: { syncMode: 'Push', resourceModels: [{ grade: 0, ranges: [{ name: 'cpu', min: '4', max: '8' }] }] },
      status: {
        apiEnablements: [{ groupVersion: 'flink.apache.org/v1beta1', resources: [{ name: 'flinkdeployments', kind: 'FlinkDeployment' }] }],
        resourceSummary: { allocatable: { pods: '100', cpu: '100' }, allocatableModelings: [{ grade: 0, count: 2 }] },
      },
    };
    const r = await schedule([{ name: 'big', cpu: 12 }], JSON.stringify(flink()), true, [modelled]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.binding.spec.clusters, [{ name: 'big' }]);
    const sets = Object.fromEntries(r.explain.attempts[0].clusters.map((c: { name: string; availableReplicas: number }) => [c.name, c.availableReplicas]));
    assert.deepEqual(sets, { modelled: 1, big: 2 });
  });
});
