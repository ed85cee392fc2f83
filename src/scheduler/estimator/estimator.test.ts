import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster, Taint } from '../../apis/karmada/cluster.js';
import type { ReplicaRequirements } from '../../apis/karmada/binding.js';
import { generalComponentSets, generalEstimate } from './general.js';
import { estimateFromNodes, type Node, type Pod } from './nodes.js';
import { availableReplicas, componentSetsFromUsage, generalEstimator, isMultiTemplateScheduling, MaxInt32, nodeEstimator, usageByNode, type ReplicaEstimator } from './index.js';
import { MemberSnapshot } from './snapshot.js';
import { cluster } from '../testing/fixtures.js';

function withSummary(summary: NonNullable<Cluster['status']>['resourceSummary'], spec: Partial<Cluster['spec']> = {}): Cluster {
  return { metadata: { name: 'c' }, spec: { syncMode: 'Push', ...spec }, status: { resourceSummary: summary } };
}

describe('general estimator', () => {
  const req = (r: Record<string, string>): ReplicaRequirements => ({ resourceRequest: r });
  const cases: { name: string; cluster: Cluster; req?: ReplicaRequirements; want: number }[] = [
    { name: 'no resource summary: nothing fits', cluster: { metadata: { name: 'c' }, spec: { syncMode: 'Push' } }, want: 0 },
    { name: 'without requirements the pod count bounds', cluster: withSummary({ allocatable: { pods: '110' }, allocated: { pods: '10' } }), want: 100 },
    { name: 'cpu is compared in milli-cores', cluster: withSummary({ allocatable: { pods: '100', cpu: '2' } }), req: req({ cpu: '300m' }), want: 6 },
    {
      name: 'allocated and allocating are subtracted',
      cluster: withSummary({ allocatable: { pods: '100', cpu: '10', memory: '10Gi' }, allocated: { cpu: '4' }, allocating: { cpu: '2' } }),
      req: req({ cpu: '1', memory: '1Gi' }),
      want: 4,
    },
    { name: 'the scarcest resource bounds', cluster: withSummary({ allocatable: { pods: '100', cpu: '100', memory: '3Gi' } }), req: req({ cpu: '1', memory: '1Gi' }), want: 3 },
    { name: 'a requested resource the cluster lacks fits nothing', cluster: withSummary({ allocatable: { pods: '100', cpu: '100' } }), req: req({ 'nvidia.com/gpu': '1' }), want: 0 },
    { name: 'extended resources count', cluster: withSummary({ allocatable: { pods: '100', 'nvidia.com/gpu': '8' } }), req: req({ 'nvidia.com/gpu': '2' }), want: 4 },
    { name: 'the pod count still bounds with requests', cluster: withSummary({ allocatable: { pods: '3', cpu: '100' } }), req: req({ cpu: '1' }), want: 3 },
    { name: 'zero requests are ignored', cluster: withSummary({ allocatable: { pods: '7' } }), req: req({ cpu: '0' }), want: 7 },
    {
      name: 'resource models: only grades whose minimum covers the request count',
      cluster: withSummary(
        { allocatable: { pods: '1000', cpu: '1000', memory: '1000Gi' }, allocatableModelings: [{ grade: 0, count: 10 }, { grade: 1, count: 2 }, { grade: 2, count: 1 }] },
        {
          resourceModels: [
            { grade: 0, ranges: [{ name: 'cpu', min: '0', max: '2' }] },
            { grade: 1, ranges: [{ name: 'cpu', min: '2', max: '4' }] },
            { grade: 2, ranges: [{ name: 'cpu', min: '4', max: '8' }] },
          ],
        },
      ),
      req: req({ cpu: '2' }),
      // grade 1: 2 nodes x 1, grade 2: 1 node x 2
      want: 4,
    },
    {
      name: 'resource models not covering a requested resource fall back to the summary',
      cluster: withSummary(
        { allocatable: { pods: '1000', cpu: '10', memory: '4Gi' }, allocatableModelings: [{ grade: 0, count: 10 }] },
        { resourceModels: [{ grade: 0, ranges: [{ name: 'cpu', min: '0', max: '2' }] }] },
      ),
      req: req({ memory: '1Gi' }),
      want: 4,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(generalEstimate(c.cluster, c.req), c.want));
});

function node(name: string, o: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean; ready?: string } = {}): Node {
  return {
    metadata: { name, labels: o.labels ?? {} },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: { allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '16Gi', pods: o.pods ?? '110' }, conditions: o.ready ? [{ type: 'Ready', status: o.ready }] : undefined },
  };
}

function pod(nodeName: string, cpu: string, phase = 'Running', init?: string, name?: string): Pod {
  return {
    metadata: name ? { name, namespace: 'default' } : undefined,
    spec: {
      nodeName,
      containers: [{ resources: { requests: { cpu } } }],
      initContainers: init ? [{ resources: { requests: { cpu: init } } }] : undefined,
    },
    status: { phase },
  };
}

describe('estimateFromNodes', () => {
  const cpu1: ReplicaRequirements = { resourceRequest: { cpu: '1' } };
  const cases: { name: string; nodes: Node[]; pods?: Pod[]; req?: ReplicaRequirements; want: number }[] = [
    { name: 'sums what fits on each node', nodes: [node('a'), node('b', { cpu: '2500m' })], req: cpu1, want: 6 },
    { name: 'running pods use capacity', nodes: [node('a')], pods: [pod('a', '1500m')], req: cpu1, want: 2 },
    { name: 'finished pods free capacity', nodes: [node('a')], pods: [pod('a', '3', 'Succeeded'), pod('a', '3', 'Failed')], req: cpu1, want: 4 },
    { name: 'a big init container counts as the pod request', nodes: [node('a')], pods: [pod('a', '500m', 'Running', '3')], req: cpu1, want: 1 },
    { name: 'the pods capacity bounds', nodes: [node('a', { pods: '2' })], pods: [pod('a', '0')], req: cpu1, want: 1 },
    { name: 'nodeSelector keeps matching nodes only', nodes: [node('a', { labels: { disk: 'ssd' } }), node('b')], req: { ...cpu1, nodeClaim: { nodeSelector: { disk: 'ssd' } } }, want: 4 },
    {
      name: 'required node affinity terms are ORed, expressions ANDed',
      nodes: [node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z2', gpu: 'yes' } }), node('c', { labels: { zone: 'z3' } })],
      req: {
        ...cpu1,
        nodeClaim: {
          hardNodeAffinity: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }, { key: 'gpu', operator: 'Exists' }] }],
          },
        },
      },
      want: 8,
    },
    {
      name: 'matchFields selects by node name',
      nodes: [node('a'), node('b')],
      req: { ...cpu1, nodeClaim: { hardNodeAffinity: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }] } } },
      want: 4,
    },
    { name: 'tainted nodes need a toleration', nodes: [node('a', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }), node('b')], req: cpu1, want: 4 },
    {
      name: 'a toleration opens tainted nodes',
      nodes: [node('a', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }), node('b')],
      req: { ...cpu1, nodeClaim: { tolerations: [{ key: 'gpu', operator: 'Exists' }] } },
      want: 8,
    },
    { name: 'cordoned nodes take nothing', nodes: [node('a', { unschedulable: true }), node('b')], req: cpu1, want: 4 },
    { name: 'NotReady nodes take nothing', nodes: [node('a', { ready: 'False' }), node('b', { ready: 'True' })], req: cpu1, want: 4 },
    { name: 'nodes whose Ready is Unknown take nothing', nodes: [node('a', { ready: 'Unknown' }), node('b')], req: cpu1, want: 4 },
    {
      name: 'a NoExecute taint needs a toleration too, PreferNoSchedule does not',
      nodes: [node('a', { taints: [{ key: 'k', effect: 'NoExecute' }] }), node('b', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] })],
      req: cpu1,
      want: 4,
    },
    { name: 'a toleration of another key does not open the node', nodes: [node('a', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] })], req: { ...cpu1, nodeClaim: { tolerations: [{ key: 'ssd', operator: 'Exists' }] } }, want: 0 },
    { name: 'pods bound to nodes that are not listed are ignored', nodes: [node('a')], pods: [pod('gone', '4')], req: cpu1, want: 4 },
    { name: 'unbound (pending) pods hold nothing', nodes: [node('a')], pods: [pod('', '4')], req: cpu1, want: 4 },
    { name: 'a resource the node lacks fits nothing there', nodes: [node('a')], req: { resourceRequest: { 'nvidia.com/gpu': '1' } }, want: 0 },
  ];
  for (const c of cases) test(c.name, () => assert.equal(estimateFromNodes(c.nodes, c.pods ?? [], c.req), c.want));
});

describe('MemberSnapshot', () => {
  const cpu1: ReplicaRequirements = { resourceRequest: { cpu: '1' } };
  type Step = ['node', Node] | ['pod', Pod] | ['delete-pod', Pod] | ['delete-node', string];
  const cases: { name: string; steps: Step[]; want: number }[] = [
    { name: 'nodes alone', steps: [['node', node('a')], ['node', node('b', { cpu: '2' })]], want: 6 },
    { name: 'a bound pod takes its share', steps: [['node', node('a')], ['pod', pod('a', '2', 'Running', undefined, 'p')]], want: 2 },
    { name: 'a pod updated twice counts once', steps: [['node', node('a')], ['pod', pod('a', '1', 'Running', undefined, 'p')], ['pod', pod('a', '1', 'Running', undefined, 'p')]], want: 3 },
    { name: 'a pod that finishes gives its share back', steps: [['node', node('a')], ['pod', pod('a', '2', 'Running', undefined, 'p')], ['pod', pod('a', '2', 'Succeeded', undefined, 'p')]], want: 4 },
    { name: 'a deleted pod gives its share back', steps: [['node', node('a')], ['pod', pod('a', '2', 'Running', undefined, 'p')], ['delete-pod', pod('a', '2', 'Running', undefined, 'p')]], want: 4 },
    { name: 'a pending pod that gets bound starts to count', steps: [['node', node('a')], ['pod', pod('', '3', 'Pending', undefined, 'p')], ['pod', pod('a', '3', 'Pending', undefined, 'p')]], want: 1 },
    { name: 'a deleted node takes nothing', steps: [['node', node('a')], ['node', node('b')], ['delete-node', 'b']], want: 4 },
    { name: 'a node updated to NotReady takes nothing', steps: [['node', node('a')], ['node', node('b')], ['node', node('b', { ready: 'False' })]], want: 4 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const s = new MemberSnapshot();
      for (const [kind, v] of c.steps) {
        if (kind === 'node') s.setNode(v);
        else if (kind === 'pod') s.setPod(v);
        else if (kind === 'delete-pod') s.deletePod(v);
        else s.deleteNode(v);
      }
      assert.equal(s.estimate(cpu1), c.want);
    });
  }
  test('usage goes back to nothing when every pod is gone', () => {
    const s = new MemberSnapshot();
    s.setNode(node('a'));
    const pods = [1, 2, 3].map((i) => pod('a', '500m', 'Running', undefined, `p${i}`));
    for (const p of pods) s.setPod(p);
    assert.equal(s.usageOf('a')?.pods, 3);
    for (const p of pods) s.deletePod(p);
    assert.equal(s.usageOf('a'), undefined);
  });
});

describe('availableReplicas', () => {
  const fixed = (name: string, values: Record<string, number | undefined>): ReplicaEstimator => ({ name, estimate: (c) => values[c.metadata.name] });
  const clusters = ['a', 'b', 'c'].map((name) => ({ metadata: { name }, spec: { syncMode: 'Push' as const } }));
  const spec = { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' }, replicas: 5 };
  test('takes the smallest answer per cluster', () => {
    assert.deepEqual(availableReplicas(clusters, spec, [fixed('x', { a: 10, b: 1, c: 7 }), fixed('y', { a: 3, b: 9 })]), [3, 1, 7]);
  });
  test('a cluster no estimator answers for gets spec.replicas', () => {
    assert.deepEqual(availableReplicas(clusters, spec, [fixed('x', { a: 2 })]), [2, 5, 5]);
  });
});

describe('component sets (MaxAvailableComponentSets, general estimator)', () => {
  const components = [
    { name: 'jobmanager', replicas: 1, replicaRequirements: { resourceRequest: { cpu: '1', memory: '1Gi' } } },
    { name: 'taskmanager', replicas: 2, replicaRequirements: { resourceRequest: { cpu: '2', memory: '2Gi' } } },
  ];
  const c = (cpu: string, memory: string, pods = 110) => cluster('x', { cpu, memory, pods });
  const cases: [string, ReturnType<typeof c>, number][] = [
    ['a set needs 5 CPUs: 10 CPUs hold 2 sets', c('10', '100Gi'), 2],
    ['memory bounds: a set needs 5Gi', c('100', '12Gi'), 2],
    ['pods bound: a set is 3 pods', c('100', '100Gi', 7), 2],
    ['not even one set', c('4', '100Gi'), 0],
  ];
  for (const [name, cl, want] of cases) test(name, () => assert.equal(generalComponentSets(cl, components), want));
  test('only for one-cluster placements', () => {
    const spec = { resource: { apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', name: 'f' }, components };
    assert.equal(isMultiTemplateScheduling({ ...spec, placement: { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }] } }), true);
    assert.equal(isMultiTemplateScheduling({ ...spec, placement: { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 2 }] } }), false);
    assert.deepEqual(availableReplicas([c('10', '100Gi')], { ...spec, placement: { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }] } }, [generalEstimator]), [2]);
  });
});

describe('isMultiTemplateScheduling (isMultiTemplateSchedulingApplicable)', () => {
  const resource = { apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', name: 'f' };
  const two = [{ name: 'a', replicas: 1 }, { name: 'b', replicas: 2 }];
  const cluster11 = { spreadByField: 'cluster' as const, minGroups: 1, maxGroups: 1 };
  const cases: [string, Parameters<typeof isMultiTemplateScheduling>[0], boolean][] = [
    ['no components', { resource, placement: { spreadConstraints: [cluster11] } }, false],
    ['components without placement', { resource, components: two }, false],
    ['empty spread constraints', { resource, components: two, placement: { spreadConstraints: [] } }, false],
    ['a region constraint of 1..1 is not a cluster one', { resource, components: two, placement: { spreadConstraints: [{ spreadByField: 'region', minGroups: 1, maxGroups: 1 }] } }, false],
    ['a cluster constraint of 2..2', { resource, components: two, placement: { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 2, maxGroups: 2 }] } }, false],
    ['a single component on one cluster', { resource, components: [two[0]], placement: { spreadConstraints: [cluster11] } }, true],
    ['several constraints, one of them cluster 1..1', { resource, components: two, placement: { spreadConstraints: [{ spreadByField: 'region', minGroups: 1, maxGroups: 2 }, cluster11] } }, true],
  ];
  for (const [name, spec, want] of cases) test(name, () => assert.equal(isMultiTemplateScheduling(spec), want));
});

describe('component sets bounded by resource models (getMaximumSetsBasedOnResourceModels, first fit on model nodes)', () => {
  // grade 0: 2-CPU 4Gi nodes, grade 1: 8-CPU 16Gi nodes
  const models = [
    { grade: 1, ranges: [{ name: 'cpu', min: '8', max: '16' }, { name: 'memory', min: '16Gi', max: '32Gi' }] },
    { grade: 0, ranges: [{ name: 'cpu', min: '2', max: '8' }, { name: 'memory', min: '4Gi', max: '16Gi' }] },
  ];
  const plenty = { pods: '1000', cpu: '1000', memory: '1000Gi' };
  const comp = (name: string, replicas: number, cpu: string, memory = '1Gi') => ({ name, replicas, replicaRequirements: { resourceRequest: { cpu, memory } } });
  const cases: { name: string; modelings: { grade: number; count: number }[]; components: ReturnType<typeof comp>[]; want: number }[] = [
    { name: 'a 3-CPU pod fits no small node: two large nodes hold 2 each, one set of 4 workers', modelings: [{ grade: 0, count: 10 }, { grade: 1, count: 2 }], components: [comp('worker', 4, '3')], want: 1 },
    { name: 'small pods fill the small nodes first (grades ascending), then the large', modelings: [{ grade: 0, count: 2 }, { grade: 1, count: 1 }], components: [comp('jm', 1, '1'), comp('tm', 2, '1')], want: 4 },
    { name: 'the summary still bounds: models would hold 800', modelings: [{ grade: 1, count: 100 }], components: [comp('tm', 1, '1')], want: 50 },
    { name: 'modelings that count no node: nothing fits', modelings: [{ grade: 0, count: 0 }], components: [comp('tm', 1, '1')], want: 0 },
    { name: 'a set that half-fits does not count', modelings: [{ grade: 1, count: 1 }], components: [comp('big', 1, '6'), comp('other', 1, '6')], want: 0 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const summary = { allocatable: c.name.startsWith('the summary') ? { ...plenty, cpu: '50' } : plenty, allocatableModelings: c.modelings };
      assert.equal(generalComponentSets(withSummary(summary, { resourceModels: models }), c.components), c.want);
    });
  }
  test('without allocatableModelings the summary alone answers', () => {
    assert.equal(generalComponentSets(withSummary({ allocatable: { pods: '100', cpu: '10', memory: '100Gi' } }, { resourceModels: models }), [comp('tm', 1, '3')]), 3);
  });
});

describe('component sets on member nodes (noderesource EstimateComponents, first fit)', () => {
  const comp = (name: string, replicas: number, cpu: string, nodeClaim?: ReplicaRequirements['nodeClaim']) => ({ name, replicas, replicaRequirements: { resourceRequest: { cpu }, ...(nodeClaim ? { nodeClaim } : {}) } });
  const cases: { name: string; nodes: Node[]; pods?: Pod[]; components: ReturnType<typeof comp>[]; want: number }[] = [
    { name: 'a 3-CPU worker per 4-CPU node: two nodes, sets of 2 workers: 1', nodes: [node('a'), node('b')], components: [comp('worker', 2, '3')], want: 1 },
    { name: 'jm (1 CPU) and tm (3 CPUs) fill one 4-CPU node per set: 2', nodes: [node('a'), node('b')], components: [comp('jm', 1, '1'), comp('tm', 1, '3')], want: 2 },
    { name: 'running pods hold their requests', nodes: [node('a'), node('b')], pods: [pod('a', '2'), pod('b', '2')], components: [comp('tm', 1, '3')], want: 0 },
    { name: 'the pods capacity bounds', nodes: [node('a', { pods: '3', cpu: '100' })], pods: [pod('a', '0')], components: [comp('jm', 1, '1'), comp('tm', 1, '1')], want: 1 },
    { name: 'a component goes only where its nodeClaim admits', nodes: [node('a', { labels: { gpu: 'y' } }), node('b')], components: [comp('gpu', 1, '4', { nodeSelector: { gpu: 'y' } }), comp('cpu', 1, '4')], want: 1 },
    { name: 'a tainted node takes no untolerating component', nodes: [node('a', { taints: [{ key: 'k', effect: 'NoSchedule' }] })], components: [comp('tm', 1, '1')], want: 0 },
    { name: 'no replicas in any component: unbounded', nodes: [node('a')], components: [comp('tm', 0, '1')], want: MaxInt32 },
  ];
  for (const c of cases) test(c.name, () => assert.equal(componentSetsFromUsage(c.nodes, usageByNode(c.pods ?? []), c.components), c.want));
  test('the node estimator answers component sets, and availableReplicas takes the smaller of both estimators', () => {
    const components = [comp('jm', 1, '1'), comp('tm', 2, '3')];
    const members = new Map([['x', { nodes: [node('a'), node('b'), node('c')], pods: [] as Pod[] }]]);
    const spec = { resource: { apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', name: 'f' }, components, placement: { spreadConstraints: [{ spreadByField: 'cluster' as const, minGroups: 1, maxGroups: 1 }] } };
    const cl = cluster('x', { cpu: '100' });
    assert.equal(generalComponentSets(cl, components), 14, 'summary: 100 CPUs hold 14 7-CPU sets');
    assert.equal(nodeEstimator(members).estimateComponentSets!(cl, components), 1);
    assert.deepEqual(availableReplicas([cl], spec, [generalEstimator, nodeEstimator(members)]), [1]);
  });
});
