// Flux (source, helm and kustomize controllers), with the behaviour of Karmada's built-in
// customizations for them (resourcecustomizations/*.fluxcd.io).
import type { ResourceInterpreterCustomization } from '../lua/customization.js';
import { aggregateReconciled, conditionHealth, customization, namedDependencies, reflectWithGeneration, retainSuspend } from './lua.js';

const secret = (name: string) => ({ kind: 'Secret' as const, name });
const serviceAccount = (name: string) => ({ kind: 'ServiceAccount' as const, name });

function source(apiVersion: string, kind: string, opts: { reason?: string; texts?: string[]; reflect: string[]; deps: ReturnType<typeof secret | typeof serviceAccount>[] }) {
  return customization(apiVersion, kind, {
    healthInterpretation: conditionHealth('Ready', opts.reason),
    statusAggregation: aggregateReconciled({ tables: ['artifact'], texts: opts.texts ?? [] }),
    retention: retainSuspend,
    statusReflection: reflectWithGeneration(opts.reflect),
    dependencyInterpretation: namedDependencies(opts.deps),
  });
}

export const fluxCustomizations: ResourceInterpreterCustomization[] = [
  source('source.toolkit.fluxcd.io/v1', 'GitRepository', {
    reason: 'Succeeded',
    reflect: ['conditions', 'artifact', 'observedGeneration', 'observedIgnore', 'observedRecurseSubmodules'],
    deps: [secret('obj.spec.secretRef.name'), secret('obj.spec.verify.secretRef.name')],
  }),
  source('source.toolkit.fluxcd.io/v1beta2', 'Bucket', {
    reason: 'Succeeded',
    texts: ['url'],
    reflect: ['conditions', 'artifact', 'observedIgnore', 'observedGeneration', 'url'],
    deps: [secret('obj.spec.secretRef.name')],
  }),
  source('source.toolkit.fluxcd.io/v1beta2', 'HelmChart', {
    texts: ['url', 'observedChartName', 'observedSourceArtifactRevision'],
    reflect: ['conditions', 'artifact', 'observedGeneration', 'observedChartName', 'observedSourceArtifactRevision', 'url'],
    deps: [secret('obj.spec.verify.secretRef.name')],
  }),
  source('source.toolkit.fluxcd.io/v1beta2', 'HelmRepository', {
    reason: 'Succeeded',
    texts: ['url'],
    reflect: ['conditions', 'artifact', 'observedGeneration', 'url'],
    deps: [secret('obj.spec.secretRef.name')],
  }),
  source('source.toolkit.fluxcd.io/v1beta2', 'OCIRepository', {
    reason: 'Succeeded',
    texts: ['url'],
    reflect: ['conditions', 'artifact', 'observedGeneration', 'observedIgnore', 'observedLayerSelector', 'url'],
    deps: [secret('obj.spec.secretRef.name'), secret('obj.spec.certSecretRef.name'), secret('obj.spec.verify.secretRef.name'), serviceAccount('obj.spec.serviceAccountName')],
  }),
  customization('helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease', {
    healthInterpretation: conditionHealth('Ready', 'ReconciliationSucceeded'),
    statusAggregation: aggregateReconciled({
      texts: ['lastAttemptedRevision', 'lastAppliedRevision', 'lastAttemptedValuesChecksum', 'helmChart', 'lastReleaseRevision'],
      counters: ['failures', 'installFailures', 'upgradeFailures'],
    }),
    retention: retainSuspend,
    statusReflection: reflectWithGeneration(['conditions', 'observedGeneration', 'lastAttemptedRevision', 'lastAppliedRevision', 'lastAttemptedValuesChecksum', 'helmChart', 'lastReleaseRevision', 'failures', 'installFailures', 'upgradeFailures']),
    dependencyInterpretation: namedDependencies(
      [secret('obj.spec.chart.spec.verify.secretRef.name'), secret('obj.spec.kubeConfig.secretRef.name'), serviceAccount('obj.spec.serviceAccountName')],
      `  for _, v in ipairs(obj.spec.valuesFrom or {}) do
    if v.kind == 'Secret' or v.kind == 'ConfigMap' then add(v.kind, v.name) end
  end`,
    ),
  }),
  customization('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', {
    healthInterpretation: conditionHealth('Ready', 'ReconciliationSucceeded'),
    statusAggregation: aggregateReconciled({ texts: ['lastAppliedRevision', 'lastAttemptedRevision'] }),
    retention: retainSuspend,
    statusReflection: reflectWithGeneration(['conditions', 'observedGeneration', 'lastAppliedRevision', 'lastAttemptedRevision']),
    dependencyInterpretation: namedDependencies([secret('obj.spec.decryption.secretRef.name'), secret('obj.spec.kubeConfig.secretRef.name'), serviceAccount('obj.spec.serviceAccountName')]),
  }),
];
