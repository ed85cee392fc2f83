// The Work that carries one namespace to one member (Karmada's namespace sync controller
// buildWorks), and which namespaces are carried at all; pure.
import type { KubeObject } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ClusterOverridePolicy } from '../../apis/karmada/override.js';
import { type Work, executionSpaceName } from '../../apis/karmada/work.js';
import { applyOverrides, appliedOverridesAnnotations, describeFailure } from '../../overrides/index.js';
import { clusterMatches } from '../../apis/karmada/clusteraffinity.js';
import { defaultSkippedNamespaces, generateWorkName, isReservedNamespace } from '../binding/names.js';
import { cleanTemplate, newWork, stampManifest } from '../binding/render.js';
import { NamespaceSkipAutoPropagationLabel } from '../../apis/karmada/wellknown.js';

/** namespaceShouldBeSynced plus the skip-auto-propagation label */
export function namespaceShouldBeSynced(ns: KubeObject, skipped: readonly RegExp[] = defaultSkippedNamespaces): boolean {
  const name = ns.metadata.name ?? '';
  if (isReservedNamespace(name) || name === 'default') return false;
  if (skipped.some((r) => r.test(name))) return false;
  return (ns.metadata.labels?.[NamespaceSkipAutoPropagationLabel] ?? '').toLowerCase() !== 'true';
}

interface NamespaceWorkInput {
  namespace: KubeObject;
  cluster: Cluster;
  clusterOverridePolicies: readonly ClusterOverridePolicy[];
  workPermanentId: string;
}

/** the Work carrying one namespace to one cluster; override failures are returned, not thrown */
export function renderNamespaceWork(input: NamespaceWorkInput): { work: Work; failures: string[] } {
  const ns = { apiVersion: 'v1', kind: 'Namespace', ...input.namespace };
  const clusterName = input.cluster.metadata.name!;
  const result = applyOverrides({ manifest: cleanTemplate(ns), cluster: input.cluster, clusterOverridePolicies: input.clusterOverridePolicies, overridePolicies: [], matchesCluster: clusterMatches });
  const workName = generateWorkName('Namespace', ns.metadata.name!, undefined);
  const workNamespace = executionSpaceName(clusterName);
  const manifest = result.manifest;
  stampManifest(manifest, { workName, workNamespace, templateUid: ns.metadata.uid ?? '', workPermanentId: input.workPermanentId });
  const work = newWork({
    name: workName,
    namespace: workNamespace,
    permanentId: input.workPermanentId,
    manifest,
    annotations: appliedOverridesAnnotations({ appliedClusterOverrides: result.appliedClusterOverrides, appliedOverrides: [] }),
    ownerReferences: [{ apiVersion: 'v1', kind: 'Namespace', name: ns.metadata.name!, uid: ns.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
  });
  return { work, failures: result.failures.map((f) => describeFailure(f, clusterName)) };
}
