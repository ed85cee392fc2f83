import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults, defaultCRD, prune, validateCRD, validateObject } from '../../../apiserver/crd/index.js';
import type { CustomResourceDefinition } from '../../apiextensions/types.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import { karmadaCRDs } from './index.js';

const all = karmadaCRDs();

function byName(name: string): CustomResourceDefinition {
  const c = all.find((x) => x.metadata.name === name);
  assert.ok(c, `no CRD ${name}`);
  return c;
}

function storageSchema(name: string) {
  const v = byName(name).spec.versions.find((x) => x.storage);
  return v!.schema!.openAPIV3Schema!;
}

/** what the API server does to a custom resource on write: prune, default, validate */
function admitSchema(name: string, obj: KubeObject) {
  const schema = storageSchema(name);
  const copy = structuredClone(obj);
  const pruned = prune(copy, schema);
  applyDefaults(copy, schema);
  return { obj: copy, pruned, errors: validateObject(copy, schema) };
}

describe('karmada CRDs', () => {
  test('every CRD is accepted by the API server CRD validation', () => {
    for (const c of all) {
      const crd = structuredClone(c);
      defaultCRD(crd);
      assert.deepEqual(validateCRD(crd), [], crd.metadata.name);
    }
  });

  test('every group and kind of the Karmada API is present, with unique names', () => {
    const names = all.map((c) => c.metadata.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of [
      'clusters.cluster.karmada.io',
      'propagationpolicies.policy.karmada.io',
      'clusterpropagationpolicies.policy.karmada.io',
      'overridepolicies.policy.karmada.io',
      'clusteroverridepolicies.policy.karmada.io',
      'clustertaintpolicies.policy.karmada.io',
      'federatedresourcequotas.policy.karmada.io',
      'works.work.karmada.io',
      'resourcebindings.work.karmada.io',
      'clusterresourcebindings.work.karmada.io',
      'resourceinterpretercustomizations.config.karmada.io',
      'resourceinterpreterwebhookconfigurations.config.karmada.io',
      'federatedhpas.autoscaling.karmada.io',
      'cronfederatedhpas.autoscaling.karmada.io',
      'multiclusteringresses.networking.karmada.io',
      'multiclusterservices.networking.karmada.io',
      'serviceexports.multicluster.x-k8s.io',
      'serviceimports.multicluster.x-k8s.io',
      'workloadrebalancers.apps.karmada.io',
      'remedies.remedy.karmada.io',
    ]) {
      byName(n);
    }
  });

  const shortNames: [string, string[] | undefined, string][] = [
    ['propagationpolicies.policy.karmada.io', ['pp'], 'Namespaced'],
    ['clusterpropagationpolicies.policy.karmada.io', ['cpp'], 'Cluster'],
    ['overridepolicies.policy.karmada.io', ['op'], 'Namespaced'],
    ['clusteroverridepolicies.policy.karmada.io', ['cop'], 'Cluster'],
    ['resourcebindings.work.karmada.io', ['rb'], 'Namespaced'],
    ['clusterresourcebindings.work.karmada.io', ['crb'], 'Cluster'],
    ['works.work.karmada.io', ['wk'], 'Namespaced'],
    ['clusters.cluster.karmada.io', undefined, 'Cluster'],
    ['resourceinterpretercustomizations.config.karmada.io', ['ric'], 'Cluster'],
    ['federatedhpas.autoscaling.karmada.io', ['fhpa'], 'Namespaced'],
    ['cronfederatedhpas.autoscaling.karmada.io', ['cronfhpa'], 'Namespaced'],
    ['multiclusteringresses.networking.karmada.io', ['mci'], 'Namespaced'],
    ['multiclusterservices.networking.karmada.io', ['mcs'], 'Namespaced'],
  ];
  for (const [name, short, scope] of shortNames) {
    test(`${name} has Karmada's short names and scope`, () => {
      const c = byName(name);
      assert.deepEqual(c.spec.names.shortNames, short);
      assert.equal(c.spec.scope, scope);
    });
  }

  test('bindings serve v1alpha1 and store v1alpha2 with the SCHEDULED and FULLYAPPLIED columns', () => {
    const rb = byName('resourcebindings.work.karmada.io');
    assert.deepEqual(
      rb.spec.versions.map((v) => [v.name, v.served, v.storage]),
      [
        ['v1alpha1', true, false],
        ['v1alpha2', true, true],
      ],
    );
    assert.deepEqual(rb.spec.versions[1].additionalPrinterColumns?.map((c) => c.name), ['SCHEDULED', 'FULLYAPPLIED', 'AGE']);
  });

  test('status subresources where Karmada has them, none on policies', () => {
    assert.ok(byName('clusters.cluster.karmada.io').spec.versions[0].subresources?.status);
    assert.ok(byName('works.work.karmada.io').spec.versions[0].subresources?.status);
    assert.equal(byName('propagationpolicies.policy.karmada.io').spec.versions[0].subresources, undefined);
  });

  test("the nginx sample PropagationPolicy is valid and gains Karmada's defaults", () => {
    const { obj, pruned, errors } = admitSchema('propagationpolicies.policy.karmada.io', {
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'nginx-propagation', namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }],
        placement: {
          clusterAffinity: { clusterNames: ['member1', 'member2'] },
          replicaScheduling: {
            replicaDivisionPreference: 'Weighted',
            weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['member1'] }, weight: 1 }] },
          },
        },
      },
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(pruned, []);
    const spec = obj.spec as Record<string, unknown>;
    assert.equal(spec.conflictResolution, 'Abort');
    assert.equal(spec.priority, 0);
    assert.equal(spec.preemption, 'Never');
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.equal((spec.placement as { replicaScheduling: { replicaSchedulingType: string } }).replicaScheduling.replicaSchedulingType, 'Divided');
  });

  const invalid: { name: string; crd: string; obj: KubeObject; field: string; type: string }[] = [
    {
      name: 'unknown replicaSchedulingType is not supported',
      crd: 'propagationpolicies.policy.karmada.io',
      obj: { metadata: { name: 'p' }, spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'Pod' }], placement: { replicaScheduling: { replicaSchedulingType: 'Spread' } } } },
      field: 'spec.placement.replicaScheduling.replicaSchedulingType',
      type: 'FieldValueNotSupported',
    },
    {
      name: 'resourceSelectors must not be empty',
      crd: 'propagationpolicies.policy.karmada.io',
      obj: { metadata: { name: 'p' }, spec: { resourceSelectors: [] } },
      field: 'spec.resourceSelectors',
      type: 'FieldValueInvalid',
    },
    {
      name: 'a resource selector needs a kind',
      crd: 'clusterpropagationpolicies.policy.karmada.io',
      obj: { metadata: { name: 'p' }, spec: { resourceSelectors: [{ apiVersion: 'v1' }] } },
      field: 'spec.resourceSelectors[0].kind',
      type: 'FieldValueRequired',
    },
    {
      name: 'static weights are at least 1',
      crd: 'propagationpolicies.policy.karmada.io',
      obj: {
        metadata: { name: 'p' },
        spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'Pod' }], placement: { replicaScheduling: { weightPreference: { staticWeightList: [{ targetCluster: {}, weight: 0 }] } } } },
      },
      field: 'spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight',
      type: 'FieldValueInvalid',
    },
    {
      name: 'cluster syncMode is Push or Pull',
      crd: 'clusters.cluster.karmada.io',
      obj: { metadata: { name: 'm1' }, spec: { syncMode: 'Sideways' } },
      field: 'spec.syncMode',
      type: 'FieldValueNotSupported',
    },
    {
      name: 'FederatedResourceQuota overall holds quantities',
      crd: 'federatedresourcequotas.policy.karmada.io',
      obj: { metadata: { name: 'q' }, spec: { overall: { cpu: 'lots' } } },
      field: 'spec.overall.cpu',
      type: 'FieldValueInvalid',
    },
  ];
  for (const c of invalid) {
    test(`schema: ${c.name}`, () => {
      const { errors } = admitSchema(c.crd, c.obj);
      assert.ok(
        errors.some((e) => e.field === c.field && e.type === c.type),
        JSON.stringify(errors),
      );
    });
  }

  test('Work manifests and binding aggregated status keep arbitrary content', () => {
    const manifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 2, anything: { deep: true } } };
    const w = admitSchema('works.work.karmada.io', { metadata: { name: 'w' }, spec: { workload: { manifests: [manifest] } } });
    assert.deepEqual(w.pruned, []);
    assert.deepEqual((w.obj.spec as { workload: { manifests: unknown[] } }).workload.manifests[0], manifest);
    const rb = admitSchema('resourcebindings.work.karmada.io', {
      metadata: { name: 'b' },
      spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' } },
      status: { aggregatedStatus: [{ clusterName: 'm1', status: { readyReplicas: 1, custom: [1] } }] },
    });
    assert.deepEqual(rb.errors, []);
    assert.deepEqual(rb.pruned, []);
  });

  test('overrider values may be any JSON', () => {
    const r = admitSchema('overridepolicies.policy.karmada.io', {
      metadata: { name: 'o' },
      spec: { overrideRules: [{ overriders: { plaintext: [{ path: '/spec/replicas', operator: 'replace', value: 3 }, { path: '/metadata/labels', operator: 'add', value: { a: 'b' } }] } }] },
    });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.pruned, []);
  });
});
