import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { podRequests, replicaInterpreters, replicaRequirements, reviseReplicaInterpreters } from './replicas.js';
import { gvkKey, gvkOf } from '../types.js';

function workload(apiVersion: string, kind: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion, kind, metadata: { name: 'w', namespace: 'ns' }, spec };
}

const podSpec = {
  containers: [
    { name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
    { name: 'b', resources: { requests: { cpu: '0.5', memory: '64Mi', 'nvidia.com/gpu': '1' } } },
  ],
  nodeSelector: { disk: 'ssd' },
  priorityClassName: 'high',
};

describe('InterpretReplica', () => {
  const cases: { name: string; obj: KubeObject; replicas: number; cpu?: string }[] = [
    { name: 'Deployment reads spec.replicas', obj: workload('apps/v1', 'Deployment', { replicas: 3, template: { spec: podSpec } }), replicas: 3, cpu: '750m' },
    { name: 'StatefulSet reads spec.replicas', obj: workload('apps/v1', 'StatefulSet', { replicas: 2, template: { spec: podSpec } }), replicas: 2, cpu: '750m' },
    { name: 'ReplicaSet reads spec.replicas', obj: workload('apps/v1', 'ReplicaSet', { replicas: 4, template: { spec: podSpec } }), replicas: 4, cpu: '750m' },
    { name: 'Job reads spec.parallelism, not completions', obj: workload('batch/v1', 'Job', { parallelism: 5, completions: 10, template: { spec: podSpec } }), replicas: 5, cpu: '750m' },
    { name: 'a Pod is always one replica', obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec }, replicas: 1, cpu: '750m' },
    { name: 'missing replicas read as 0 (no defaulting here)', obj: workload('apps/v1', 'Deployment', {}), replicas: 0 },
    { name: 'a non-numeric replicas field reads as 0', obj: workload('apps/v1', 'Deployment', { replicas: 'three' }), replicas: 0 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = replicaInterpreters[gvkKey(gvkOf(c.obj))](c.obj, {});
      assert.equal(got.replicas, c.replicas);
      assert.equal(got.requirements?.resourceRequest?.cpu, c.cpu);
    });
  }

  test('requirements carry nodeSelector, tolerations and required node affinity', () => {
    const spec = {
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }],
        },
      },
      nodeSelector: { disk: 'ssd' },
    };
    assert.deepEqual(replicaRequirements(spec, 'ns'), {
      nodeClaim: {
        hardNodeAffinity: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] },
        nodeSelector: { disk: 'ssd' },
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
      },
    });
  });

  test('a pod asking for nothing has no requirements', () => {
    assert.equal(replicaRequirements({ containers: [{ name: 'a' }] }, 'ns'), undefined);
  });

  test('namespace and priorityClassName only with the ResourceQuotaEstimate gate', () => {
    assert.deepEqual(replicaRequirements(podSpec, 'ns', {})?.namespace, undefined);
    const gated = replicaRequirements(podSpec, 'ns', { resourceQuotaEstimate: true });
    assert.equal(gated?.namespace, 'ns');
    assert.equal(gated?.priorityClassName, 'high');
  });
});

describe('pod resource requests', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: Record<string, string> | undefined }[] = [
    {
      name: 'containers add up, memory prints in binary units',
      spec: { containers: [{ resources: { requests: { cpu: '100m', memory: '128Mi' } } }, { resources: { requests: { cpu: '200m', memory: '128Mi' } } }] },
      want: { cpu: '300m', memory: '256Mi' },
    },
    {
      name: 'an init container larger than the sum raises that resource only',
      spec: {
        containers: [{ resources: { requests: { cpu: '100m', memory: '1Gi' } } }],
        initContainers: [{ resources: { requests: { cpu: '2', memory: '10Mi' } } }],
      },
      want: { cpu: '2', memory: '1Gi' },
    },
    {
      name: 'pod overhead is added on top',
      spec: { containers: [{ resources: { requests: { cpu: '1' } } }], overhead: { cpu: '250m' } },
      want: { cpu: '1250m' },
    },
    {
      name: 'cpu rounds up to a milli-core; memory is rebuilt in BinarySI, so 1G prints as plain bytes like Go',
      spec: { containers: [{ resources: { requests: { cpu: '0.0001', memory: '1G' } } }] },
      want: { cpu: '1m', memory: '1000000000' },
    },
    {
      name: 'extended and hugepage resources count, unqualified unknown names do not',
      spec: { containers: [{ resources: { requests: { 'example.com/foo': '2', 'hugepages-2Mi': '4Mi', bogus: '3' } } }] },
      want: { 'example.com/foo': '2', 'hugepages-2Mi': '4Mi' },
    },
    { name: 'malformed quantities are skipped', spec: { containers: [{ resources: { requests: { cpu: 'lots', memory: '1Ki' } } }] }, want: { memory: '1Ki' } },
    { name: 'limits are not requests', spec: { containers: [{ resources: { limits: { cpu: '1' } } }] }, want: undefined },
    { name: 'containers of the wrong type are ignored', spec: { containers: 'nope' }, want: undefined },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(podRequests(c.spec), c.want));
});

describe('ReviseReplica', () => {
  const cases: { name: string; obj: KubeObject; field: string; want: unknown }[] = [
    { name: 'Deployment sets spec.replicas', obj: workload('apps/v1', 'Deployment', { replicas: 5 }), field: 'replicas', want: 2 },
    { name: 'StatefulSet sets spec.replicas', obj: workload('apps/v1', 'StatefulSet', { replicas: 5 }), field: 'replicas', want: 2 },
    { name: 'ReplicaSet sets spec.replicas', obj: workload('apps/v1', 'ReplicaSet', { replicas: 5 }), field: 'replicas', want: 2 },
    { name: 'Job sets spec.parallelism', obj: workload('batch/v1', 'Job', { parallelism: 5, completions: 5 }), field: 'parallelism', want: 2 },
    { name: 'an absent field is left absent (helper.ApplyReplica)', obj: workload('apps/v1', 'Deployment', {}), field: 'replicas', want: undefined },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const before = structuredClone(c.obj);
      const got = reviseReplicaInterpreters[gvkKey(gvkOf(c.obj))](c.obj, 2);
      assert.equal((got.spec as Record<string, unknown>)[c.field], c.want);
      assert.deepEqual(c.obj, before, 'input not mutated');
    });
  }
});

// Karmada v1.19 default/native/replica_test.go and revisereplica_test.go, case by case
describe('InterpretReplica and ReviseReplica, Karmada v1.19 tests', () => {
  const template = {
    spec: {
      nodeSelector: { foo: 'foo1' },
      tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'foo', operator: 'Exists' }] }] } } },
    },
  };
  const nodeClaim = {
    hardNodeAffinity: { nodeSelectorTerms: [{ matchFields: [{ key: 'foo', operator: 'Exists' }] }] },
    nodeSelector: { foo: 'foo1' },
    tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
  };
  const replicaCases: { name: string; obj: KubeObject; replicas: number }[] = [
    { name: 'deployReplica', obj: workload('apps/v1', 'Deployment', { replicas: 2, template }), replicas: 2 },
    { name: 'statefulSetReplica', obj: workload('apps/v1', 'StatefulSet', { replicas: 2, template }), replicas: 2 },
    { name: 'replicaSetReplica', obj: workload('apps/v1', 'ReplicaSet', { replicas: 3, template }), replicas: 3 },
    { name: 'jobReplica: parallelism 3 but completions 2 runs 2 at once', obj: workload('batch/v1', 'Job', { parallelism: 3, completions: 2, template }), replicas: 2 },
    { name: 'jobReplica: without completions, parallelism', obj: workload('batch/v1', 'Job', { parallelism: 3, template }), replicas: 3 },
    { name: 'jobReplica: completions above parallelism, parallelism', obj: workload('batch/v1', 'Job', { parallelism: 3, completions: 10, template }), replicas: 3 },
    { name: 'podReplica', obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: template.spec } as KubeObject, replicas: 1 },
  ];
  for (const c of replicaCases) {
    test(c.name, () => {
      const got = replicaInterpreters[gvkKey(gvkOf(c.obj))](c.obj, {});
      assert.equal(got.replicas, c.replicas);
      assert.deepEqual(got.requirements, { nodeClaim });
    });
  }

  test('getAllDefaultReplicaInterpreter and getAllDefaultReviseReplicaInterpreter cover the same kinds as Karmada', () => {
    assert.deepEqual(Object.keys(replicaInterpreters).sort(), ['apps/v1, Kind=Deployment', 'apps/v1, Kind=ReplicaSet', 'apps/v1, Kind=StatefulSet', 'batch/v1, Kind=Job', 'v1, Kind=Pod']);
    assert.deepEqual(Object.keys(reviseReplicaInterpreters).sort(), ['apps/v1, Kind=Deployment', 'apps/v1, Kind=ReplicaSet', 'apps/v1, Kind=StatefulSet', 'batch/v1, Kind=Job']);
  });

  const reviseCases: { name: string; obj: KubeObject; field: string; want?: number; error?: RegExp }[] = [
    { name: 'revise deployment replica', obj: workload('apps/v1', 'Deployment', { replicas: 1 }), field: 'replicas', want: 3 },
    { name: 'revise replicaset replica', obj: workload('apps/v1', 'ReplicaSet', { replicas: 1 }), field: 'replicas', want: 3 },
    { name: 'revise statefulset replica', obj: workload('apps/v1', 'StatefulSet', { replicas: 1 }), field: 'replicas', want: 3 },
    { name: 'revise job parallelism', obj: workload('batch/v1', 'Job', { parallelism: 1 }), field: 'parallelism', want: 3 },
    // Karmada's "accessor error, expected int64": a replicas field of another type
    { name: 'Deployment .spec.replicas accessor error', obj: workload('apps/v1', 'Deployment', { replicas: '1' }), field: 'replicas', error: /\.spec\.replicas accessor error: "1" is of the type string, expected int64/ },
    { name: 'Job .spec.parallelism accessor error', obj: workload('batch/v1', 'Job', { parallelism: 1.5 }), field: 'parallelism', error: /\.spec\.parallelism accessor error/ },
  ];
  for (const c of reviseCases) {
    test(c.name, () => {
      const revise = reviseReplicaInterpreters[gvkKey(gvkOf(c.obj))];
      if (c.error) assert.throws(() => revise(c.obj, 3), c.error);
      else assert.equal((revise(c.obj, 3).spec as Record<string, unknown>)[c.field], c.want);
    });
  }
});
