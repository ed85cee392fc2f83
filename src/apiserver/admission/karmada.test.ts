import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError, isStatusError, type FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceDef } from '../../apis/resource.js';
import type { AdmissionRequest, Operation } from '../rest/admission.js';
import { internalContext } from '../rest/context.js';
import { karmadaAdmission } from './karmada.js';
import { defaultResourceModels } from '../../apis/karmada/admission/cluster.js';

const kinds: Record<string, { group: string; resource: string; namespaced: boolean }> = {
  PropagationPolicy: { group: 'policy.karmada.io', resource: 'propagationpolicies', namespaced: true },
  ClusterPropagationPolicy: { group: 'policy.karmada.io', resource: 'clusterpropagationpolicies', namespaced: false },
  OverridePolicy: { group: 'policy.karmada.io', resource: 'overridepolicies', namespaced: true },
  ClusterTaintPolicy: { group: 'policy.karmada.io', resource: 'clustertaintpolicies', namespaced: false },
  FederatedResourceQuota: { group: 'policy.karmada.io', resource: 'federatedresourcequotas', namespaced: true },
  Cluster: { group: 'cluster.karmada.io', resource: 'clusters', namespaced: false },
  ResourceBinding: { group: 'work.karmada.io', resource: 'resourcebindings', namespaced: true },
  Work: { group: 'work.karmada.io', resource: 'works', namespaced: true },
  FederatedHPA: { group: 'autoscaling.karmada.io', resource: 'federatedhpas', namespaced: true },
  CronFederatedHPA: { group: 'autoscaling.karmada.io', resource: 'cronfederatedhpas', namespaced: true },
  ResourceInterpreterCustomization: { group: 'config.karmada.io', resource: 'resourceinterpretercustomizations', namespaced: false },
  ResourceInterpreterWebhookConfiguration: { group: 'config.karmada.io', resource: 'resourceinterpreterwebhookconfigurations', namespaced: false },
  MultiClusterService: { group: 'networking.karmada.io', resource: 'multiclusterservices', namespaced: true },
  ConfigMap: { group: '', resource: 'configmaps', namespaced: true },
};

/** runs the plugins as the object store does: every mutate, then every validate */
async function admit(obj: KubeObject, opts: { operation?: Operation; old?: KubeObject; allowNoExecute?: boolean } = {}) {
  const k = kinds[obj.kind!];
  const def = { ...k, version: 'v1alpha1', kind: obj.kind!, listKind: `${obj.kind}List`, singular: obj.kind!.toLowerCase(), verbs: [], subresources: {} } as unknown as ResourceDef;
  const req: AdmissionRequest = { operation: opts.operation ?? (opts.old ? 'UPDATE' : 'CREATE'), def, obj: structuredClone(obj), old: opts.old, ctx: internalContext('test') };
  let n = 0;
  const plugins = karmadaAdmission({ newId: () => `id-${++n}`, allowNoExecuteTaintPolicy: opts.allowNoExecute });
  for (const p of plugins) await p.mutate?.(req);
  const errs: FieldError[] = [];
  for (const p of plugins) errs.push(...((await p.validate?.(req)) ?? []));
  return { obj: req.obj, errs, messages: errs.map(formatFieldError), warnings: req.ctx.warnings ?? [] };
}

const selector = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' };

function pp(spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name: 'p', namespace: 'default' }, spec: { resourceSelectors: [selector], ...spec }, ...extra };
}

describe('PropagationPolicy defaulting', () => {
  test('default NoExecute tolerations of not-ready and unreachable for 300 s, unless the policy has its own', async () => {
    const { obj } = await admit(pp({ placement: { clusterTolerations: [{ key: 'cluster.karmada.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] } }));
    assert.deepEqual((obj.spec as any).placement.clusterTolerations, [
      { key: 'cluster.karmada.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      { key: 'cluster.karmada.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  test('purgeMode Immediately and Graciously (removed in v1.19) become Directly and Gracefully, with a warning', async () => {
    const policy = pp({ propagateDeps: true, failover: { application: { decisionConditions: { tolerationSeconds: 30 }, purgeMode: 'Graciously' }, cluster: { purgeMode: 'Immediately' } } });
    const k = kinds.PropagationPolicy;
    const def = { ...k, version: 'v1alpha1', kind: 'PropagationPolicy', listKind: 'PropagationPolicyList', singular: 'propagationpolicy', verbs: [], subresources: {} } as unknown as ResourceDef;
    const req: AdmissionRequest = { operation: 'CREATE', def, obj: structuredClone(policy), ctx: internalContext('test') };
    const plugins = karmadaAdmission({ newId: () => 'id' });
    for (const p of plugins) await p.mutate?.(req);
    const errs: FieldError[] = [];
    for (const p of plugins) errs.push(...((await p.validate?.(req)) ?? []));
    assert.deepEqual(errs, []);
    const failover = (req.obj.spec as any).failover;
    assert.equal(failover.application.purgeMode, 'Gracefully');
    assert.equal(failover.application.gracePeriodSeconds, 600);
    assert.equal(failover.cluster.purgeMode, 'Directly');
    assert.deepEqual(req.ctx.warnings, [
      'spec.failover.application.purgeMode: Graciously is deprecated (removed in Karmada v1.19), use Gracefully; treated as Gracefully',
      'spec.failover.cluster.purgeMode: Immediately is deprecated (removed in Karmada v1.19), use Directly; treated as Directly',
    ]);
  });

  describe('a warning when spreadConstraints will be ignored (static weighted division)', () => {
    const spread = [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }];
    const cases: [string, Record<string, unknown>, boolean][] = [
      ['Divided alone (defaulted to Weighted)', { replicaScheduling: { replicaSchedulingType: 'Divided' }, spreadConstraints: spread }, true],
      ['a static weight list', { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['m1'] }, weight: 1 }] } }, spreadConstraints: spread }, true],
      ['dynamic weights', { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } }, spreadConstraints: spread }, false],
      ['Aggregated', { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' }, spreadConstraints: spread }, false],
      ['Duplicated', { replicaScheduling: { replicaSchedulingType: 'Duplicated' }, spreadConstraints: spread }, false],
      ['static weights without spreadConstraints', { replicaScheduling: { replicaSchedulingType: 'Divided' } }, false],
    ];
    for (const [name, placement, warned] of cases) {
      test(name, async () => {
        const { warnings, errs } = await admit(pp({ placement }));
        assert.deepEqual(errs, []);
        assert.deepEqual(warnings.map((w) => w.replace(/ \(.*/, '')), warned ? ['spec.placement.spreadConstraints: ignored, as in Karmada, because replicas are divided by static weights'] : []);
      });
    }
  });

  test('selector namespace, Weighted division, spread defaults, permanent id', async () => {
    const { obj, errs } = await admit(
      pp({
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }],
        placement: { replicaScheduling: { replicaSchedulingType: 'Divided' }, spreadConstraints: [{ maxGroups: 2 }] },
      }),
    );
    assert.deepEqual(errs, []);
    const spec = obj.spec as any;
    assert.equal(spec.resourceSelectors[0].namespace, 'default');
    assert.equal(spec.placement.replicaScheduling.replicaDivisionPreference, 'Weighted');
    assert.deepEqual(spec.placement.spreadConstraints[0], { maxGroups: 2, spreadByField: 'cluster', minGroups: 1 });
    assert.equal(obj.metadata.labels?.['propagationpolicy.karmada.io/permanent-id'], 'id-1');
  });

  test('Duplicated keeps no division preference; Aggregated is kept', async () => {
    const dup = await admit(pp({ placement: { replicaScheduling: { replicaSchedulingType: 'Duplicated' } } }));
    assert.equal((dup.obj.spec as any).placement.replicaScheduling.replicaDivisionPreference, undefined);
    const agg = await admit(pp({ placement: { replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' } } }));
    assert.equal((agg.obj.spec as any).placement.replicaScheduling.replicaDivisionPreference, 'Aggregated');
  });

  test('ServiceImport selectors turn on propagateDeps; Gracefully failover gets 600s', async () => {
    const { obj } = await admit(
      pp({
        resourceSelectors: [{ apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ServiceImport', name: 's' }],
        failover: { application: { decisionConditions: { tolerationSeconds: 60 }, purgeMode: 'Gracefully' } },
      }),
    );
    assert.equal((obj.spec as any).propagateDeps, true);
    assert.equal((obj.spec as any).failover.application.gracePeriodSeconds, 600);
  });

  test('the permanent id survives an update that drops it', async () => {
    const old = pp({}, { metadata: { name: 'p', namespace: 'default', labels: { 'propagationpolicy.karmada.io/permanent-id': 'kept' } } });
    const { obj } = await admit(pp({}), { old });
    assert.equal(obj.metadata.labels?.['propagationpolicy.karmada.io/permanent-id'], 'kept');
  });

  test('ClusterPropagationPolicy selectors keep no namespace and get their own id label', async () => {
    const { obj } = await admit({ kind: 'ClusterPropagationPolicy', metadata: { name: 'c' }, spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'Namespace' }] } });
    assert.equal((obj.spec as any).resourceSelectors[0].namespace, undefined);
    assert.equal(obj.metadata.labels?.['clusterpropagationpolicy.karmada.io/permanent-id'], 'id-1');
  });
});

const ppCases: { name: string; spec: Record<string, unknown>; message: string; old?: KubeObject; meta?: KubeObject['metadata'] }[] = [
  {
    name: 'maxGroups lower than minGroups',
    spec: { placement: { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 3, maxGroups: 1 }] } },
    message: 'spec.placement.spreadConstraints[0].maxGroups: Invalid value: 1: maxGroups lower than minGroups is not allowed',
  },
  {
    name: 'negative minGroups',
    spec: { placement: { spreadConstraints: [{ spreadByField: 'cluster', minGroups: -1 }] } },
    message: 'spec.placement.spreadConstraints[0].minGroups: Invalid value: -1: minGroups lower than 0 is not allowed',
  },
  {
    name: 'spreadByField and spreadByLabel together',
    spec: { placement: { spreadConstraints: [{ spreadByField: 'cluster', spreadByLabel: 'tier' }] } },
    message: 'spec.placement.spreadConstraints[0].spreadByLabel: Invalid value: "tier": spreadByLabel should not co-exist with spreadByField',
  },
  {
    name: 'region spread without a cluster spread',
    spec: { placement: { spreadConstraints: [{ spreadByField: 'region', minGroups: 1 }] } },
    message: 'spec.placement.spreadConstraints: Invalid value: ["region"]: the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled',
  },
  {
    name: 'the same spread field twice',
    spec: { placement: { spreadConstraints: [{ spreadByField: 'cluster' }, { spreadByField: 'cluster' }] } },
    message: 'spec.placement.spreadConstraints[1].spreadByField: Invalid value: "cluster": multiple cluster spread constraints are not allowed',
  },
  {
    name: 'clusterAffinity with clusterAffinities',
    spec: { placement: { clusterAffinity: { clusterNames: ['a'] }, clusterAffinities: [{ affinityName: 'x', clusterNames: ['a'] }] } },
    message: 'spec.placement: Invalid value: "clusterAffinity and clusterAffinities": clusterAffinities cannot co-exist with clusterAffinity',
  },
  {
    name: 'affinity names unique, including overflow terms',
    spec: { placement: { clusterAffinities: [{ affinityName: 'x', overflowAffinities: [{ affinityName: 'x' }] }] } },
    message: 'spec.placement.clusterAffinities[0].overflowAffinities[0].affinityName: Invalid value: "x": each affinity term in a policy must have a unique name',
  },
  {
    name: 'field selector keys are provider, region or zone',
    spec: { placement: { clusterAffinity: { fieldSelector: { matchExpressions: [{ key: 'color', operator: 'In', values: ['red'] }] } } } },
    message: 'spec.placement.clusterAffinity.fieldSelector: Invalid value: {"matchExpressions":[{"key":"color","operator":"In","values":["red"]}]}: unsupported key "color", must be provider, region, or zone',
  },
  {
    name: 'tolerations do not support Gt',
    spec: { placement: { clusterTolerations: [{ key: 'k', operator: 'Gt', value: '1' }] } },
    message: 'spec.placement.clusterTolerations[0].operator: Unsupported value: "Gt": supported values: "Equal", "Exists"',
  },
  {
    name: 'tolerationSeconds needs NoExecute',
    spec: { placement: { clusterTolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] } },
    message: "spec.placement.clusterTolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
  },
  {
    name: 'application failover needs propagateDeps',
    spec: { failover: { application: { decisionConditions: {}, purgeMode: 'Directly' } } },
    message: 'spec.propagateDeps: Invalid value: false: application failover is set, propagateDeps must be true',
  },
  {
    name: 'gracePeriodSeconds only with Gracefully',
    spec: { propagateDeps: true, failover: { application: { decisionConditions: {}, purgeMode: 'Directly', gracePeriodSeconds: 30 } } },
    message: 'spec.failover.application.gracePeriodSeconds: Invalid value: 30: only takes effect when purgeMode is Gracefully',
  },
  {
    name: 'gracePeriodSeconds must be positive',
    spec: { propagateDeps: true, failover: { application: { decisionConditions: {}, purgeMode: 'Gracefully', gracePeriodSeconds: 0 } } },
    message: 'spec.failover.application.gracePeriodSeconds: Invalid value: 0: must be greater than 0',
  },
  {
    name: 'preemption Always needs named selectors',
    spec: { preemption: 'Always', resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }] },
    message: 'spec.resourceSelectors[0].name: Invalid value: "": name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption',
  },
  {
    name: 'suspension dispatching excludes dispatchingOnClusters',
    spec: { suspension: { dispatching: true, dispatchingOnClusters: { clusterNames: ['m1'] } } },
    message: 'spec.suspension: Invalid value: {"dispatching":true,"dispatchingOnClusters":{"clusterNames":["m1"]}}: suspension dispatching cannot co-exist with dispatchingOnClusters.clusterNames',
  },
  {
    name: 'selectors stay in the policy namespace',
    spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'other' }] },
    message: 'spec.resourceSelectors[0].namespace: Invalid value: "other": must be the same as the PropagationPolicy\'s namespace',
  },
  {
    name: 'workload affinity keys are label keys',
    spec: { placement: { workloadAffinity: { affinity: { groupByLabelKey: 'not a key' } } } },
    message: 'spec.placement.workloadAffinity.affinity.groupByLabelKey: Invalid value: "not a key"',
  },
  {
    name: 'schedulerName cannot change',
    spec: { schedulerName: 'other' },
    old: pp({ schedulerName: 'default-scheduler' }),
    message: 'spec.schedulerName: Invalid value: "other": the schedulerName should not be updated',
  },
];

describe('PropagationPolicy validation', () => {
  for (const c of ppCases) {
    test(c.name, async () => {
      const obj = pp(c.spec, c.meta ? { metadata: c.meta } : {});
      const { messages } = await admit(obj, { old: c.old });
      assert.ok(
        messages.some((m) => m.startsWith(c.message)),
        `want ${c.message}\ngot ${messages.join('\n')}`,
      );
    });
  }

  test("Karmada's nginx sample passes", async () => {
    const { errs } = await admit(
      pp({
        placement: {
          clusterAffinity: { clusterNames: ['member1', 'member2'] },
          replicaScheduling: {
            replicaDivisionPreference: 'Weighted',
            replicaSchedulingType: 'Divided',
            weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['member1'] }, weight: 1 }, { targetCluster: { clusterNames: ['member2'] }, weight: 1 }] },
          },
        },
      }),
    );
    assert.deepEqual(errs, []);
  });

  test('a name longer than 63 characters is valid (Karmada removed the limit)', async () => {
    const { errs } = await admit(pp({}, { metadata: { name: 'p'.repeat(100), namespace: 'default' } }));
    assert.deepEqual(errs, []);
  });
});

describe('OverridePolicy', () => {
  test('selector namespace defaulted and rules validated with the overrides rules', async () => {
    const { obj, messages } = await admit({
      kind: 'OverridePolicy',
      metadata: { name: 'o', namespace: 'ns1' },
      spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }], overrideRules: [{ overriders: { plaintext: [{ path: 'spec', operator: 'add', value: 1 }] } }] },
    });
    assert.equal((obj.spec as any).resourceSelectors[0].namespace, 'ns1');
    assert.ok(messages.some((m) => m.startsWith('spec.overrideRules[0].overriders.plaintext[0].path')), messages.join('\n'));
  });
});

const cluster = (name: string, spec: Record<string, unknown>): KubeObject => ({ kind: 'Cluster', metadata: { name }, spec: { syncMode: 'Push', ...spec } });

describe('Cluster', () => {
  test('zone migrates to zones and resource models are defaulted', async () => {
    const { obj, errs } = await admit(cluster('member1', { zone: 'z1', apiEndpoint: 'https://10.0.0.1:6443' }));
    assert.deepEqual(errs, []);
    assert.deepEqual((obj.spec as any).zones, ['z1']);
    assert.equal((obj.spec as any).zone, undefined);
    assert.deepEqual((obj.spec as any).resourceModels, defaultResourceModels());
  });

  const cases: { name: string; obj: KubeObject; message: string }[] = [
    { name: 'names are at most 48 characters', obj: cluster('a'.repeat(49), {}), message: 'metadata.name: Invalid value: "' + 'a'.repeat(49) + '": must be no more than 48 characters' },
    { name: 'names are DNS labels', obj: cluster('Member_1', {}), message: 'metadata.name: Invalid value: "Member_1": a lowercase RFC 1123 label' },
    { name: 'apiEndpoint is a URL', obj: cluster('m', { apiEndpoint: 'not a url' }), message: 'spec.apiEndpoint: Invalid value: "not a url": must be a valid URL' },
    { name: 'proxyURL scheme', obj: cluster('m', { proxyURL: 'ftp://proxy:21' }), message: 'spec.proxyURL: Unsupported value: "ftp://proxy:21"' },
    { name: 'taint effects', obj: cluster('m', { taints: [{ key: 'k', effect: 'Sometimes' }] }), message: 'spec.taints[0].effect: Unsupported value: "Sometimes"' },
    { name: 'duplicate taints', obj: cluster('m', { taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'k', effect: 'NoSchedule', value: 'v' }] }), message: 'spec.taints[1]: Duplicate value' },
    {
      name: 'resource model ranges are contiguous',
      obj: cluster('m', {
        resourceModels: [
          { grade: 0, ranges: [{ name: 'cpu', min: '0', max: '1' }] },
          { grade: 1, ranges: [{ name: 'cpu', min: '2', max: '4' }] },
        ],
      }),
      message: 'spec.resourceModels[1].ranges[0].min: Invalid value: "2": must equal the max of the same resource in grade 0',
    },
    {
      name: 'resource model min below max',
      obj: cluster('m', { resourceModels: [{ grade: 0, ranges: [{ name: 'cpu', min: '2', max: '1' }] }] }),
      message: 'spec.resourceModels[0].ranges[0].max: Invalid value: "1": max must be greater than min',
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { messages } = await admit(c.obj);
      assert.ok(
        messages.some((m) => m.startsWith(c.message)),
        `want ${c.message}\ngot ${messages.join('\n')}`,
      );
    });
  }
});

describe('other kinds', () => {
  const ctp = (spec: Record<string, unknown>): KubeObject => ({ kind: 'ClusterTaintPolicy', metadata: { name: 't' }, spec });
  const frq = (spec: Record<string, unknown>): KubeObject => ({ kind: 'FederatedResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec });
  const cron = (ref: Record<string, unknown>, rule: Record<string, unknown>): KubeObject => ({
    kind: 'CronFederatedHPA',
    metadata: { name: 'c', namespace: 'default' },
    spec: { scaleTargetRef: ref, rules: [{ name: 'r', schedule: '*/5 * * * *', ...rule }] },
  });
  const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' };
  const fhpaRef = { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: 'f' };
  const cases: { name: string; obj: KubeObject; message?: string; allowNoExecute?: boolean }[] = [
    { name: 'taint policy: NoExecute is refused by default', obj: ctp({ addOnConditions: [{ conditionType: 'Ready', operator: 'In', statusValues: ['False'] }], taints: [{ key: 'k', effect: 'NoExecute' }] }), message: 'spec.taints[0].effect: Forbidden' },
    { name: 'taint policy: NoExecute allowed when enabled', obj: ctp({ addOnConditions: [{ conditionType: 'Ready', operator: 'In', statusValues: ['False'] }], taints: [{ key: 'k', effect: 'NoExecute' }] }), allowNoExecute: true },
    { name: 'taint policy: needs conditions', obj: ctp({ taints: [{ key: 'k', effect: 'NoSchedule' }] }), message: 'spec: Invalid value: "addOnConditions and removeOnConditions": at least one' },
    { name: 'taint policy: condition operator', obj: ctp({ removeOnConditions: [{ conditionType: 'Ready', operator: 'Is', statusValues: ['True'] }], taints: [{ key: 'k', effect: 'NoSchedule' }] }), message: 'spec.removeOnConditions[0].operator: Unsupported value: "Is"' },
    { name: 'quota: valid assignments pass', obj: frq({ overall: { cpu: '10', memory: '10Gi' }, staticAssignments: [{ clusterName: 'm1', hard: { cpu: '4' } }, { clusterName: 'm2', hard: { cpu: '6000m' } }] }) },
    { name: 'quota: assignments exceeding overall', obj: frq({ overall: { cpu: '10' }, staticAssignments: [{ clusterName: 'm1', hard: { cpu: '6' } }, { clusterName: 'm2', hard: { cpu: '5' } }] }), message: 'spec.staticAssignments: Invalid value: "cpu": the assignments of cpu add up to more than spec.overall[cpu] (10)' },
    { name: 'quota: resource missing from overall', obj: frq({ overall: { cpu: '10' }, staticAssignments: [{ clusterName: 'm1', hard: { memory: '1Gi' } }] }), message: 'spec.staticAssignments[0].hard[memory]: Invalid value: "1Gi": resource must also be limited in spec.overall' },
    { name: 'quota: duplicate cluster', obj: frq({ overall: { cpu: '10' }, staticAssignments: [{ clusterName: 'm1', hard: { cpu: '1' } }, { clusterName: 'm1', hard: { cpu: '1' } }] }), message: 'spec.staticAssignments[1].clusterName: Duplicate value: "m1"' },
    { name: 'fhpa: maxReplicas below minReplicas', obj: { kind: 'FederatedHPA', metadata: { name: 'f', namespace: 'default' }, spec: { scaleTargetRef: deploy, minReplicas: 3, maxReplicas: 2 } }, message: 'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`' },
    { name: 'cron: bad schedule', obj: cron(deploy, { schedule: 'every day', targetReplicas: 1 }), message: 'spec.rules[0].schedule: Invalid value: "every day": invalid cron expression' },
    { name: 'cron: unknown time zone', obj: cron(deploy, { timeZone: 'Mars/Olympus', targetReplicas: 1 }), message: 'spec.rules[0].timeZone: Invalid value: "Mars/Olympus": unknown time zone' },
    { name: 'cron: workload target needs targetReplicas', obj: cron(deploy, {}), message: 'spec.rules[0].targetReplicas: Required value' },
    { name: 'cron: FederatedHPA target takes min/max', obj: cron(fhpaRef, { targetReplicas: 2 }), message: 'spec.rules[0].targetReplicas: Invalid value: 2: targetReplicas is not allowed' },
    { name: 'cron: valid FederatedHPA rule', obj: cron(fhpaRef, { targetMinReplicas: 1, targetMaxReplicas: 5, timeZone: 'Europe/Paris' }) },
    { name: 'ric: needs a script', obj: { kind: 'ResourceInterpreterCustomization', metadata: { name: 'r' }, spec: { target: { apiVersion: 'apps/v1', kind: 'Deployment' }, customizations: { retention: { luaScript: '  ' } } } }, message: 'spec.customizations.retention.luaScript: Required value: a Lua script is required' },
    { name: 'ric: needs a customization', obj: { kind: 'ResourceInterpreterCustomization', metadata: { name: 'r' }, spec: { target: { apiVersion: 'apps/v1', kind: 'Deployment' }, customizations: {} } }, message: 'spec.customizations: Required value' },
    {
      name: 'ric: a script that compiles and defines its function passes',
      obj: { kind: 'ResourceInterpreterCustomization', metadata: { name: 'r' }, spec: { target: { apiVersion: 'apps/v1', kind: 'Deployment' }, customizations: { healthInterpretation: { luaScript: 'function InterpretHealth(observedObj)\n  return observedObj.status.readyReplicas == observedObj.spec.replicas\nend' } } } },
    },
    {
      name: 'ric: a Lua syntax error is refused',
      obj: { kind: 'ResourceInterpreterCustomization', metadata: { name: 'r' }, spec: { target: { apiVersion: 'apps/v1', kind: 'Deployment' }, customizations: { retention: { luaScript: 'function Retain(desiredObj, observedObj)\n  return desiredObj' } } } },
      message: "spec.customizations.retention.luaScript: Invalid value: \"<script>\": Lua syntax error: line 2: 'end' expected",
    },
    {
      name: 'ric: the script must define the function of its operation',
      obj: { kind: 'ResourceInterpreterCustomization', metadata: { name: 'r' }, spec: { target: { apiVersion: 'apps/v1', kind: 'Deployment' }, customizations: { replicaResource: { luaScript: 'function Retain(a, b) return a end' } } } },
      message: 'spec.customizations.replicaResource.luaScript: Invalid value: "<script>": must define the function GetReplicas',
    },
    {
      name: 'riwc: only v1alpha1 contexts and known operations',
      obj: { kind: 'ResourceInterpreterWebhookConfiguration', metadata: { name: 'w' }, webhooks: [{ name: 'a.b', clientConfig: { url: 'https://x/y' }, interpreterContextVersions: ['v1'], rules: [{ operations: ['Explode'], apiGroups: ['*'], apiVersions: ['*'], kinds: ['*'] }] }] } as KubeObject,
      message: 'webhooks[0].interpreterContextVersions: Unsupported value',
    },
    { name: 'mcs: port range', obj: { kind: 'MultiClusterService', metadata: { name: 'm', namespace: 'default' }, spec: { types: ['CrossCluster'], ports: [{ port: 70000 }] } }, message: 'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { messages } = await admit(c.obj, { allowNoExecute: c.allowNoExecute });
      if (!c.message) assert.deepEqual(messages, []);
      else assert.ok(messages.some((m) => m.startsWith(c.message!)), `want ${c.message}\ngot ${messages.join('\n')}`);
    });
  }

  test('FederatedHPA gets minReplicas 1 and the CPU 80% metric', async () => {
    const { obj, errs } = await admit({ kind: 'FederatedHPA', metadata: { name: 'f', namespace: 'default' }, spec: { scaleTargetRef: deploy, maxReplicas: 5 } });
    assert.deepEqual(errs, []);
    assert.equal((obj.spec as any).minReplicas, 1);
    assert.equal((obj.spec as any).metrics[0].resource.target.averageUtilization, 80);
  });

  test('bindings, works and MultiClusterServices get permanent ids', async () => {
    for (const [kind, label] of [
      ['ResourceBinding', 'resourcebinding.karmada.io/permanent-id'],
      ['Work', 'work.karmada.io/permanent-id'],
      ['MultiClusterService', 'multiclusterservice.karmada.io/permanent-id'],
    ]) {
      const spec = kind === 'MultiClusterService' ? { types: ['CrossCluster'] } : {};
      const { obj } = await admit({ kind, metadata: { name: 'x', namespace: 'default' }, spec });
      assert.equal(obj.metadata.labels?.[label], 'id-1', kind);
    }
  });

  test('deletion protection refuses DELETE of a protected object, of any kind', async () => {
    const protectedCM: KubeObject = { kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default', labels: { 'resourcetemplate.karmada.io/deletion-protected': 'Always' } } };
    await assert.rejects(admit(protectedCM, { operation: 'DELETE' }), (err) => isStatusError(err, 'Forbidden') && /remove the label: resourcetemplate.karmada.io\/deletion-protected/.test(err.message));
    const unprotected: KubeObject = { kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default', labels: { 'resourcetemplate.karmada.io/deletion-protected': 'Never' } } };
    await admit(unprotected, { operation: 'DELETE' });
  });
});
