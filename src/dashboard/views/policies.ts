// The policies page: per (Cluster)PropagationPolicy its priority, preemption and conflict resolution,
// the templates it claims (the detector's claim labels and annotations), and the templates another
// policy also selects, with which policy holds them and why (the detector's priority and preemption rules).
import type { KubeObject } from '../../apimachinery/types.js';
import type { AnyPropagationPolicy } from '../../apis/karmada/policy.js';
import { claimOf, isClaimedBy, policyKindOf, policySelects } from '../../controllers/detector/match.js';
import type { PolicyRef } from './workloads.js';

export interface TemplateRef {
  kind: string;
  namespace: string;
  name: string;
}

interface PolicyConflict {
  template: TemplateRef;
  otherPolicy: PolicyRef;
  winner: PolicyRef;
  reason: string;
}

export interface PolicyView {
  kind: PolicyRef['kind'];
  namespace?: string;
  name: string;
  priority: number;
  preemption: string;
  conflictResolution: string;
  claims: TemplateRef[];
  conflicts: PolicyConflict[];
}

export function policyRef(p: AnyPropagationPolicy): PolicyRef {
  const kind = policyKindOf(p);
  return kind === 'PropagationPolicy' ? { kind, namespace: p.metadata.namespace, name: p.metadata.name } : { kind, name: p.metadata.name };
}

/** why `winner` keeps a template `other` also selects */
export function conflictReason(winner: AnyPropagationPolicy, other: AnyPropagationPolicy): string {
  const wk = policyKindOf(winner);
  const ok = policyKindOf(other);
  const wp = winner.spec?.priority ?? 0;
  const op = other.spec?.priority ?? 0;
  if (wk === 'PropagationPolicy' && ok === 'ClusterPropagationPolicy') return 'a PropagationPolicy of the namespace comes before any ClusterPropagationPolicy';
  if (wk === 'ClusterPropagationPolicy' && ok === 'PropagationPolicy') return `claimed first; a PropagationPolicy takes it only with preemption: Always (${other.metadata.name} has ${other.spec?.preemption ?? 'Never'})`;
  if (wp > op) return `higher priority (${wp} > ${op})`;
  if (wp < op) return `claimed first; ${other.metadata.name} has the higher priority (${op} > ${wp}) but preemption: ${other.spec?.preemption ?? 'Never'}`;
  return `equal priority (${wp}): the claim stays; preemption needs a higher priority`;
}

function templateRef(t: KubeObject): TemplateRef {
  return { kind: t.kind ?? '', namespace: t.metadata.namespace ?? '', name: t.metadata.name ?? '' };
}

export function policiesDoc(pps: readonly AnyPropagationPolicy[], cpps: readonly AnyPropagationPolicy[], templates: readonly KubeObject[]): { items: PolicyView[] } {
  const all = [...pps, ...cpps];
  const views = new Map<AnyPropagationPolicy, PolicyView>(
    all.map((p) => {
      const ref = policyRef(p);
      return [p, { ...ref, priority: p.spec?.priority ?? 0, preemption: p.spec?.preemption ?? 'Never', conflictResolution: p.spec?.conflictResolution ?? 'Abort', claims: [], conflicts: [] }];
    }),
  );
  for (const t of templates) {
    const claim = claimOf(t);
    if (!claim) continue;
    const winner = all.find((p) => isClaimedBy(claim, p));
    if (!winner) continue;
    views.get(winner)!.claims.push(templateRef(t));
    for (const other of all) {
      if (other === winner || other.metadata.deletionTimestamp) continue;
      // a PropagationPolicy only ever selects templates of its own namespace
      if (policyKindOf(other) === 'PropagationPolicy' && other.metadata.namespace !== t.metadata.namespace) continue;
      if (!policySelects(other, t)) continue;
      const reason = conflictReason(winner, other);
      const base = { template: templateRef(t), winner: policyRef(winner), reason };
      views.get(winner)!.conflicts.push({ ...base, otherPolicy: policyRef(other) });
      views.get(other)!.conflicts.push({ ...base, otherPolicy: policyRef(winner) });
    }
  }
  const items = [...views.values()];
  const order = (v: PolicyView) => `${v.kind === 'ClusterPropagationPolicy' ? '1' : '0'}/${v.namespace ?? ''}/${v.name}`;
  items.sort((a, b) => order(a).localeCompare(order(b)));
  for (const v of items) v.claims.sort((a, b) => `${a.namespace}/${a.kind}/${a.name}`.localeCompare(`${b.namespace}/${b.kind}/${b.name}`));
  return { items };
}
