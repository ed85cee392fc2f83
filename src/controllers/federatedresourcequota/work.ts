// The Works that carry a FederatedResourceQuota's static assignments to members as ResourceQuotas,
// and which existing Works an FRQ no longer wants (Karmada's federated-resource-quota-sync-controller
// buildWorks and isOrphanQuotaWork); pure.
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { FederatedResourceQuota } from '../../apis/karmada/policy.js';
import { FederatedResourceQuotaNameLabel, FederatedResourceQuotaNamespaceLabel } from '../../apis/karmada/quota.js';
import { type Work, executionSpaceName } from '../../apis/karmada/work.js';
import { generateWorkName } from '../binding/names.js';
import { newWork, stampManifest } from '../binding/render.js';

/** the labels that tie a Work to its FRQ */
function quotaWorkLabels(frq: Pick<FederatedResourceQuota, 'metadata'>): Record<string, string> {
  return { [FederatedResourceQuotaNamespaceLabel]: frq.metadata.namespace ?? '', [FederatedResourceQuotaNameLabel]: frq.metadata.name };
}

/** the name of an FRQ's Work in every execution space */
export function quotaWorkName(frq: Pick<FederatedResourceQuota, 'metadata'>): string {
  return generateWorkName('ResourceQuota', frq.metadata.name, frq.metadata.namespace);
}

/** one Work per cluster the FRQ assigns a share to (clusters that do not exist get none yet) */
export function renderQuotaWorks(frq: FederatedResourceQuota, clusters: readonly Cluster[], permanentId: (workNamespace: string) => string): Work[] {
  const known = new Set(clusters.filter((c) => !c.metadata.deletionTimestamp).map((c) => c.metadata.name));
  const works: Work[] = [];
  for (const a of frq.spec.staticAssignments ?? []) {
    if (!known.has(a.clusterName)) continue;
    const workNamespace = executionSpaceName(a.clusterName);
    const workName = quotaWorkName(frq);
    const manifest = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: frq.metadata.name, namespace: frq.metadata.namespace }, spec: { hard: { ...a.hard } } };
    const id = permanentId(workNamespace);
    stampManifest(manifest, { workName, workNamespace, templateUid: frq.metadata.uid ?? '', workPermanentId: id });
    works.push(newWork({ name: workName, namespace: workNamespace, permanentId: id, manifest, labels: quotaWorkLabels(frq) }));
  }
  return works;
}

/** isOrphanQuotaWork: a Work of the FRQ in an execution space no assignment names */
export function isOrphanQuotaWork(work: Pick<Work, 'metadata'>, frq: FederatedResourceQuota | undefined): boolean {
  if (!frq || frq.metadata.deletionTimestamp) return true;
  return !(frq.spec.staticAssignments ?? []).some((a) => executionSpaceName(a.clusterName) === work.metadata.namespace);
}
