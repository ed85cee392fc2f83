// The cluster Lease karmada-agent renews (Karmada's agent runs the node lease controller of
// k8s.io/component-helpers on karmada-cluster/<cluster>): the control plane's cluster health monitor
// reads its renewTime as the sign of life of a Pull cluster. Pure.
import type { KubeObject } from '../apimachinery/types.js';

/** util.NamespaceClusterLease */
export const ClusterLeaseNamespace = 'karmada-cluster';
/** --cluster-lease-duration default (40s) and --cluster-lease-renew-interval-fraction (0.25) */
export const DefaultLeaseDurationSeconds = 40;
export const DefaultRenewIntervalFraction = 0.25;

interface LeaseOwner {
  name: string;
  uid?: string;
}

/** Go's metav1.MicroTime text: RFC 3339 with microseconds */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** the lease to write: a new one, or the existing one renewed (holder, duration, owner kept in step) */
export function renewedLease(existing: KubeObject | undefined, cluster: LeaseOwner, durationSeconds: number, nowMs: number): KubeObject {
  const ownerReferences = cluster.uid ? [{ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', name: cluster.name, uid: cluster.uid }] : undefined;
  const base: KubeObject = existing
    ? structuredClone(existing)
    : { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: cluster.name, namespace: ClusterLeaseNamespace } };
  if (ownerReferences) base.metadata.ownerReferences = ownerReferences;
  base.spec = { ...((base.spec as object) ?? {}), holderIdentity: cluster.name, leaseDurationSeconds: durationSeconds, renewTime: microTime(nowMs) };
  return base;
}
