// Karmada's mutating and validating webhooks for PropagationPolicy and ClusterPropagationPolicy.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import { ClusterPropagationPolicyPermanentIDLabel, PropagationPolicyPermanentIDLabel } from '../policy.js';
import { invalid, isObj, itemsAt, numAt, objAt, strAt, type Obj } from './fields.js';
import { validatePlacement } from './placement.js';
import { spreadConstraintsIgnored, type Placement } from '../placement.js';
import { TaintClusterNotReady, TaintClusterUnreachable } from '../cluster.js';

/** Application failover waits this long for the new copy when purgeMode is Gracefully. */
const DefaultGracePeriodSeconds = 600;

/** the webhook's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds */
const DefaultNoExecuteTolerationSeconds = 300;

/**
 * helper.AddTolerations as Karmada's policy webhook calls it: every placement tolerates the
 * not-ready and unreachable NoExecute taints for 300 s unless it already says otherwise.
 */
function addDefaultTolerations(placement: Obj): void {
  const tolerations = Array.isArray(placement.clusterTolerations) ? (placement.clusterTolerations as unknown[]) : [];
  for (const key of [TaintClusterNotReady, TaintClusterUnreachable]) {
    const has = tolerations.some((t) => isObj(t) && t.key === key && (t.effect ?? '') === 'NoExecute');
    if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DefaultNoExecuteTolerationSeconds });
  }
  placement.clusterTolerations = tolerations;
}

function permanentIdLabelOf(kind: 'PropagationPolicy' | 'ClusterPropagationPolicy'): string {
  return kind === 'PropagationPolicy' ? PropagationPolicyPermanentIDLabel : ClusterPropagationPolicyPermanentIDLabel;
}

/** Sets the permanent-id label: kept from the old object on update, otherwise a new id. */
export function ensurePermanentId(obj: KubeObject, label: string, old: KubeObject | undefined, newId: () => string): void {
  const labels = (obj.metadata.labels ??= {});
  if (labels[label]) return;
  labels[label] = old?.metadata.labels?.[label] || newId();
}

function isServiceImport(rs: Obj): boolean {
  return rs.apiVersion === 'multicluster.x-k8s.io/v1alpha1' && rs.kind === 'ServiceImport';
}

/**
 * The defaults Karmada's mutating webhook adds (after the CRD schema's own): selector namespaces,
 * spread constraint field and minGroups, Weighted division, propagateDeps for ServiceImport and
 * the application failover grace period.
 */
function defaultPropagationSpec(spec: Obj, namespace: string | undefined): void {
  for (const [rs] of itemsAt(spec.resourceSelectors)) {
    if (namespace && !rs.namespace) rs.namespace = namespace;
  }
  if (!isObj(spec.placement)) spec.placement = {};
  const placement = objAt(spec.placement);
  addDefaultTolerations(placement);
  for (const [c] of itemsAt(placement.spreadConstraints)) {
    if (!c.spreadByField && !c.spreadByLabel) c.spreadByField = 'cluster';
    if (!c.minGroups) c.minGroups = 1;
  }
  const rs = placement.replicaScheduling;
  if (isObj(rs) && !rs.replicaDivisionPreference && (rs.replicaSchedulingType ?? 'Divided') === 'Divided') rs.replicaDivisionPreference = 'Weighted';
  if (itemsAt(spec.resourceSelectors).some(([s]) => isServiceImport(s))) spec.propagateDeps = true;
  const app = objAt(spec.failover).application;
  if (isObj(app) && (app.purgeMode ?? 'Gracefully') === 'Gracefully' && app.gracePeriodSeconds == null) app.gracePeriodSeconds = DefaultGracePeriodSeconds;
}

/** the purge modes Karmada v1.19 renamed: still accepted here, rewritten, with a warning */
const purgeModeAliases: Readonly<Record<string, string>> = { Immediately: 'Directly', Graciously: 'Gracefully' };

/** rewrites failover purgeModes given by their old names; returns a warning per rewrite */
export function normalizePurgeModes(spec: unknown): string[] {
  const warnings: string[] = [];
  const failover = objAt(objAt(spec).failover);
  for (const kind of ['application', 'cluster'] as const) {
    const behavior = failover[kind];
    if (!isObj(behavior) || typeof behavior.purgeMode !== 'string') continue;
    const to = purgeModeAliases[behavior.purgeMode];
    if (!to) continue;
    warnings.push(`spec.failover.${kind}.purgeMode: ${behavior.purgeMode} is deprecated (removed in Karmada v1.19), use ${to}; treated as ${to}`);
    behavior.purgeMode = to;
  }
  return warnings;
}

/**
 * Beyond Karmada, which says nothing: a warning when the (defaulted) placement's spreadConstraints
 * will be ignored because replicas are divided by static weights.
 */
export function spreadConstraintWarnings(spec: unknown): string[] {
  const placement = objAt(objAt(spec).placement) as Placement;
  if (!Array.isArray(placement.spreadConstraints) || placement.spreadConstraints.length === 0 || !spreadConstraintsIgnored(placement)) return [];
  return [
    'spec.placement.spreadConstraints: ignored, as in Karmada, because replicas are divided by static weights (replicaDivisionPreference Weighted without weightPreference.dynamicWeight; Divided alone defaults to it); set weightPreference.dynamicWeight: AvailableReplicas or replicaDivisionPreference: Aggregated for them to limit the clusters',
  ];
}

export function mutatePropagationPolicy(obj: KubeObject, old: KubeObject | undefined, newId: () => string): void {
  const kind = obj.kind === 'ClusterPropagationPolicy' ? 'ClusterPropagationPolicy' : 'PropagationPolicy';
  if (isObj(obj.spec)) defaultPropagationSpec(obj.spec, kind === 'PropagationPolicy' ? obj.metadata.namespace : undefined);
  ensurePermanentId(obj, permanentIdLabelOf(kind), old, newId);
}

/** ValidatePropagationSpec: placement, failover, preemption and suspension rules. */
function validatePropagationSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validatePlacement(spec.placement, 'spec.placement'));
  const failover = objAt(spec.failover);
  if (isObj(failover.application) && spec.propagateDeps !== true) {
    errs.push(invalid('spec.propagateDeps', spec.propagateDeps ?? false, 'application failover is set, propagateDeps must be true'));
  }
  errs.push(...validateFailover(failover, 'spec.failover'));
  if (spec.preemption === 'Always') {
    for (const [rs, i] of itemsAt(spec.resourceSelectors)) {
      if (!strAt(rs.name)) errs.push(invalid(`spec.resourceSelectors[${i}].name`, '', 'name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption'));
    }
  }
  const suspension = objAt(spec.suspension);
  const onClusters = objAt(suspension.dispatchingOnClusters).clusterNames;
  if (suspension.dispatching === true && Array.isArray(onClusters) && onClusters.length > 0) {
    errs.push(invalid('spec.suspension', suspension, 'suspension dispatching cannot co-exist with dispatchingOnClusters.clusterNames'));
  }
  return errs;
}

function validateStatePreservation(v: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [rule, i] of itemsAt(objAt(v).rules)) {
    const alias = strAt(rule.aliasLabelName);
    if (seen.has(alias)) errs.push(invalid(`${path}.rules[${i}].aliasLabelName`, alias, 'aliasLabelName must be unique'));
    seen.add(alias);
    if (!strAt(rule.jsonPath).trim()) errs.push(invalid(`${path}.rules[${i}].jsonPath`, rule.jsonPath ?? '', 'jsonPath must not be empty'));
  }
  return errs;
}

function validateFailover(failover: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const app = failover.application;
  if (isObj(app)) {
    const p = `${path}.application`;
    const toleration = numAt(objAt(app.decisionConditions).tolerationSeconds);
    if (toleration !== undefined && toleration < 0) errs.push(invalid(`${p}.decisionConditions.tolerationSeconds`, toleration, 'must be greater than or equal to 0'));
    const purgeMode = app.purgeMode ?? 'Gracefully';
    const grace = numAt(app.gracePeriodSeconds);
    if (purgeMode !== 'Gracefully' && grace !== undefined) errs.push(invalid(`${p}.gracePeriodSeconds`, grace, 'only takes effect when purgeMode is Gracefully'));
    if (purgeMode === 'Gracefully' && grace === undefined) errs.push(invalid(`${p}.gracePeriodSeconds`, null, 'should not be empty when purgeMode is Gracefully'));
    if (grace !== undefined && grace <= 0) errs.push(invalid(`${p}.gracePeriodSeconds`, grace, 'must be greater than 0'));
    errs.push(...validateStatePreservation(app.statePreservation, `${p}.statePreservation`));
  }
  if (isObj(failover.cluster)) errs.push(...validateStatePreservation(failover.cluster.statePreservation, `${path}.cluster.statePreservation`));
  return errs;
}

export function validatePropagationPolicy(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  // No 63-character limit on the name (Karmada removed it): claimed resources carry the policy's
  // permanent id in labels and its name only in annotations.
  const spec = objAt(obj.spec);
  if (obj.kind !== 'ClusterPropagationPolicy') {
    for (const [rs, i] of itemsAt(spec.resourceSelectors)) {
      if (rs.namespace && rs.namespace !== obj.metadata.namespace) {
        errs.push(invalid(`spec.resourceSelectors[${i}].namespace`, rs.namespace, "must be the same as the PropagationPolicy's namespace"));
      }
    }
  }
  errs.push(...validatePropagationSpec(spec));
  if (old) {
    const before = objAt(old.spec).schedulerName;
    if (before !== undefined && spec.schedulerName !== before) errs.push(invalid('spec.schedulerName', spec.schedulerName ?? '', 'the schedulerName should not be updated'));
  }
  return errs;
}
