// If a cluster failed now, what the failover controllers would do (for `karmadactl failover
// what-if`): the cluster turns Ready=False, the ClusterTaintPolicies taint it as the controller
// would, the taint manager's rule says which bindings leave it and when, and the real scheduler
// code says where their replicas go, or that they have nowhere to go (and stay, fail safe).
import type { Condition } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import { ClusterConditionReady, ClusterReasonNotReady, TaintClusterNotReady, type Cluster, type Taint } from '../../apis/karmada/cluster.js';
import { EvictionProducerTaintManager, EvictionReasonTaintUntolerated, gracefullyEvictCluster } from '../../apis/karmada/eviction.js';
import type { ClusterTaintPolicy } from '../../apis/karmada/policy.js';
import { describeDestinations, placeAfterEviction } from '../common/failsafe.js';
import { taintsFromPolicies } from '../clustertaintpolicy/evaluate.js';
import { noExecuteDecision } from './decide.js';

export interface WhatIfRow {
  namespace?: string;
  name: string;
  kind: string;
  replicas: number;
  /** evicted (now or after `afterSeconds`), kept (tolerated), or blocked (nowhere to go) */
  action: 'evict' | 'keep' | 'blocked';
  afterSeconds?: number;
  detail: string;
}

export interface WhatIf {
  cluster: string;
  taints: Taint[];
  rows: WhatIfRow[];
}

/** the cluster as it would be once failed: Ready=False, the NoSchedule not-ready taint, then the policies' taints */
function failedCluster(cluster: Cluster, policies: readonly ClusterTaintPolicy[], now: string): Cluster {
  const ready: Condition = { type: ClusterConditionReady, status: 'False', reason: ClusterReasonNotReady, message: 'cluster is not reachable (what-if)', lastTransitionTime: now };
  const conditions = [...((cluster.status?.conditions ?? []) as Condition[]).filter((c) => c.type !== ClusterConditionReady), ready];
  const base = (cluster.spec.taints ?? []).some((t) => t.key === TaintClusterNotReady && t.effect === 'NoSchedule') ? cluster.spec.taints ?? [] : [...(cluster.spec.taints ?? []), { key: TaintClusterNotReady, effect: 'NoSchedule' as const, timeAdded: now }];
  const down: Cluster = { ...cluster, spec: { ...cluster.spec, taints: base }, status: { ...(cluster.status ?? {}), conditions } };
  return { ...down, spec: { ...down.spec, taints: taintsFromPolicies(down, policies, now) ?? base } };
}

export function failoverWhatIf(name: string, clusters: Cluster[], policies: readonly ClusterTaintPolicy[], bindings: ResourceBinding[], now: Date = new Date()): WhatIf {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const original = clusters.find((c) => c.metadata.name === name);
  if (!original) throw new Error(`cluster ${JSON.stringify(name)} not found (clusters: ${clusters.map((c) => c.metadata.name).join(', ') || 'none'})`);
  const down = failedCluster(original, policies, stamp);
  const world = clusters.map((c) => (c.metadata.name === name ? down : c));
  const rows: WhatIfRow[] = [];
  for (const b of bindings) {
    const target = (b.spec.clusters ?? []).find((c) => c.name === name);
    if (!target || !b.spec.placement || b.metadata.deletionTimestamp) continue;
    const row = { ...(b.metadata.namespace ? { namespace: b.metadata.namespace } : {}), name: b.metadata.name!, kind: b.kind ?? 'ResourceBinding', replicas: target.replicas ?? 0 };
    // the hypothetical taints were added at `stamp` (whole seconds): count from there, or 5 s would print as 4 s
    const d = noExecuteDecision(down.spec.taints ?? [], b.spec.placement.clusterTolerations ?? [], Date.parse(stamp));
    if (d.action === 'keep') {
      rows.push({ ...row, action: 'keep', detail: (down.spec.taints ?? []).some((t) => t.effect === 'NoExecute') ? 'tolerates the NoExecute taints without a time limit' : 'no NoExecute taint would be added (no ClusterTaintPolicy matches a failed cluster)' });
      continue;
    }
    const evicted = gracefullyEvictCluster(b.spec, name, { purgeMode: 'Gracefully', producer: EvictionProducerTaintManager, reason: EvictionReasonTaintUntolerated, now: stamp });
    const p = placeAfterEviction(b, evicted, world);
    const afterSeconds = d.action === 'wait' ? Math.round(d.ms / 1000) : 0;
    if (!p.ok) rows.push({ ...row, action: 'blocked', afterSeconds, detail: `nowhere to go, kept: ${p.message}` });
    else rows.push({ ...row, action: 'evict', afterSeconds, detail: `to ${describeDestinations(p)}` });
  }
  return { cluster: name, taints: down.spec.taints ?? [], rows };
}

/** a kubectl-style table */
export function formatWhatIf(w: WhatIf): string {
  const noExecute = w.taints.filter((t) => t.effect === 'NoExecute');
  const head = `If cluster ${w.cluster} failed now, it would carry the taints ${w.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') || '(none)'}.\n`;
  const note = noExecute.length ? '' : 'No ClusterTaintPolicy adds a NoExecute taint to a failed cluster, so nothing would be evicted (create one, e.g. Ready NotIn [True] -> cluster.karmada.io/not-ready:NoExecute).\n';
  if (w.rows.length === 0) return `${head}${note}No binding is scheduled to ${w.cluster}.\n`;
  const rows = [['NAMESPACE', 'NAME', 'REPLICAS', 'ACTION', 'AFTER', 'WHERE'], ...w.rows.map((r) => [r.namespace ?? '', r.name, String(r.replicas), r.action, r.afterSeconds !== undefined ? `${r.afterSeconds}s` : '-', r.detail])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return head + note + rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('')).join('\n') + '\n';
}
