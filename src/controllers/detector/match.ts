// The detector's decisions, as pure functions: which (Cluster)PropagationPolicy claims a resource
// template (explicit priority, then implicit selector priority, then name), whether a policy may
// preempt the current claim, the claim labels and annotations, and the (Cluster)ResourceBinding a
// claim produces (pkg/detector: policy.go, compare.go, preemption.go, claim.go, detector.go).
import { isDeepStrictEqual } from 'node:util';
import { jsonEqual } from '../execution/status.js';
import type { KubeObject, ObjectMeta, OwnerReference } from '../../apimachinery/types.js';
import { type ComponentRequirements, type ResourceBinding, type ResourceBindingSpec, type ReplicaRequirements, bindingApiVersion } from '../../apis/karmada/binding.js';
import { isInterpretationPending } from '../../interpreter/webhook/layer.js';
import { gvkOf, InterpreterOperation, type ResourceInterpreter } from '../../interpreter/types.js';
import { EventReasonGetComponentsFailed, EventReasonGetComponentsSucceed } from '../../interpreter/events.js';
import {
  ClusterPropagationPolicyAnnotation,
  ClusterPropagationPolicyPermanentIDLabel,
  PropagationPolicyNameAnnotation,
  PropagationPolicyNamespaceAnnotation,
  PropagationPolicyPermanentIDLabel,
  type AnyPropagationPolicy,
  type ClusterPropagationPolicy,
  type PropagationPolicy,
} from '../../apis/karmada/policy.js';
import { ImplicitPriority, resourceSelectorPriority } from '../../overrides/order.js';
import { generateBindingName } from '../binding/names.js';
import { BindingControllerFinalizer, ClusterResourceBindingControllerFinalizer } from '../../apis/karmada/wellknown.js';

export const EventReasonApplyPolicySucceed = 'ApplyPolicySucceed';
export const EventReasonApplyPolicyFailed = 'ApplyPolicyFailed';

type PolicyKind = 'PropagationPolicy' | 'ClusterPropagationPolicy';

/** spec.priority, 0 when unset (ExplicitPriority) */
function explicitPriority(policy: AnyPropagationPolicy): number {
  return policy.spec?.priority ?? 0;
}

/** util.ResourceMatchSelectorsPriority: the best priority among the policy's selectors */
function implicitPriority(policy: AnyPropagationPolicy, obj: KubeObject): ImplicitPriority {
  let best: ImplicitPriority = ImplicitPriority.MisMatch;
  for (const rs of policy.spec?.resourceSelectors ?? []) {
    const p = resourceSelectorPriority(obj, rs);
    if (p > best) best = p;
  }
  return best;
}

export function policySelects(policy: AnyPropagationPolicy, obj: KubeObject): boolean {
  return implicitPriority(policy, obj) > ImplicitPriority.MisMatch;
}

/**
 * getHighestPriority(Cluster)PropagationPolicy: among the policies that select obj (and are not
 * being deleted), the highest explicit priority, then the best implicit priority (name > label
 * selector > kind only), then the alphabetically first name.
 */
export function highestPriorityPolicy<P extends AnyPropagationPolicy>(policies: readonly P[], obj: KubeObject): P | undefined {
  let best: { policy: P; explicit: number; implicit: number } | undefined;
  for (const policy of policies) {
    if (policy.metadata.deletionTimestamp) continue;
    const implicit = implicitPriority(policy, obj);
    if (implicit <= ImplicitPriority.MisMatch) continue;
    const explicit = explicitPriority(policy);
    if (
      !best ||
      explicit > best.explicit ||
      (explicit === best.explicit && implicit > best.implicit) ||
      (explicit === best.explicit && implicit === best.implicit && policy.metadata.name < best.policy.metadata.name)
    ) {
      best = { policy, explicit, implicit };
    }
  }
  return best?.policy;
}

export interface Claim {
  kind: PolicyKind;
  namespace?: string;
  name: string;
  id?: string;
}

/** the policy a template is claimed by, read from its claim labels and annotations */
export function claimOf(obj: KubeObject): Claim | undefined {
  const labels = obj.metadata.labels ?? {};
  const annotations = obj.metadata.annotations ?? {};
  const ppName = annotations[PropagationPolicyNameAnnotation];
  const ppNamespace = annotations[PropagationPolicyNamespaceAnnotation];
  if (ppName && ppNamespace && labels[PropagationPolicyPermanentIDLabel] !== undefined) {
    return { kind: 'PropagationPolicy', namespace: ppNamespace, name: ppName, id: labels[PropagationPolicyPermanentIDLabel] };
  }
  const cppName = annotations[ClusterPropagationPolicyAnnotation];
  if (cppName && labels[ClusterPropagationPolicyPermanentIDLabel] !== undefined) {
    return { kind: 'ClusterPropagationPolicy', name: cppName, id: labels[ClusterPropagationPolicyPermanentIDLabel] };
  }
  return undefined;
}

export function policyKindOf(policy: AnyPropagationPolicy): PolicyKind {
  if (policy.kind === 'ClusterPropagationPolicy' || policy.kind === 'PropagationPolicy') return policy.kind;
  return policy.metadata.namespace ? 'PropagationPolicy' : 'ClusterPropagationPolicy';
}

function permanentIdOf(policy: AnyPropagationPolicy): string {
  const label = policyKindOf(policy) === 'PropagationPolicy' ? PropagationPolicyPermanentIDLabel : ClusterPropagationPolicyPermanentIDLabel;
  return policy.metadata.labels?.[label] ?? '';
}

/** whether `claim` names this policy */
export function isClaimedBy(claim: Claim | undefined, policy: AnyPropagationPolicy): boolean {
  if (!claim || claim.kind !== policyKindOf(policy) || claim.name !== policy.metadata.name) return false;
  return claim.kind === 'ClusterPropagationPolicy' || claim.namespace === policy.metadata.namespace;
}

/**
 * preemption.go: a policy with `preemption: Always` takes a template from a PropagationPolicy of
 * lower explicit priority, and a PropagationPolicy always takes it from a ClusterPropagationPolicy;
 * a ClusterPropagationPolicy only takes it from a ClusterPropagationPolicy of lower priority.
 */
function canPreempt(preemptor: AnyPropagationPolicy, claimed: AnyPropagationPolicy): boolean {
  if (preemptor.spec?.preemption !== 'Always') return false;
  const pk = policyKindOf(preemptor);
  const ck = policyKindOf(claimed);
  if (pk === 'ClusterPropagationPolicy' && ck === 'PropagationPolicy') return false;
  if (pk === 'PropagationPolicy' && ck === 'ClusterPropagationPolicy') return true;
  return explicitPriority(preemptor) > explicitPriority(claimed);
}

export interface Decision {
  policy?: AnyPropagationPolicy;
  /** the template's current claim must be removed first (policy gone, or no longer selecting it) */
  releaseClaim: boolean;
  /** the claim `policy` takes the template from by preemption */
  preempted?: Claim;
}

export const EventReasonPreemptPolicySucceed = 'PreemptPolicySucceed';
export const EventReasonPreemptPolicyFailed = 'PreemptPolicyFailed';

/** preemption.go's event messages, for success or for `err` */
export function preemptionMessage(preemptor: AnyPropagationPolicy, claimed: Claim, err?: string): string {
  const who =
    policyKindOf(preemptor) === 'PropagationPolicy'
      ? `Propagation policy(${preemptor.metadata.namespace}/${preemptor.metadata.name})`
      : `Cluster propagation policy(${preemptor.metadata.name})`;
  const whom = claimed.kind === 'PropagationPolicy' ? `propagation policy(${claimed.namespace}/${claimed.name})` : `cluster propagation policy(${claimed.name})`;
  return err === undefined ? `${who} preempted ${whom} successfully` : `${who} failed to preempt ${whom}: ${err}`;
}

/**
 * The policy that should claim obj. A claimed template stays with its policy while the policy
 * exists and still selects it, unless a preempting policy beats it; otherwise the highest-priority
 * PropagationPolicy of its namespace wins, then the highest-priority ClusterPropagationPolicy.
 */
export function decidePolicy(obj: KubeObject, pps: readonly PropagationPolicy[], cpps: readonly ClusterPropagationPolicy[]): Decision {
  const namespace = obj.metadata.namespace;
  const localPPs = namespace ? pps.filter((p) => p.metadata.namespace === namespace && !p.metadata.deletionTimestamp) : [];
  const liveCPPs = cpps.filter((p) => !p.metadata.deletionTimestamp);
  const claim = claimOf(obj);
  let releaseClaim = false;
  if (claim) {
    const current = claim.kind === 'PropagationPolicy' ? localPPs.find((p) => isClaimedBy(claim, p)) : liveCPPs.find((p) => isClaimedBy(claim, p));
    if (current && policySelects(current, obj)) {
      const preemptors = [highestPriorityPolicy(localPPs.filter((p) => p !== current && canPreempt(p, current)), obj), highestPriorityPolicy(liveCPPs.filter((p) => p !== current && canPreempt(p, current)), obj)];
      const preemptor = preemptors.find((p) => p !== undefined);
      return preemptor ? { policy: preemptor, releaseClaim: false, preempted: claim } : { policy: current, releaseClaim: false };
    }
    releaseClaim = true;
  }
  return { policy: highestPriorityPolicy(localPPs, obj) ?? highestPriorityPolicy(liveCPPs, obj), releaseClaim };
}

// ---- claim metadata (claim.go) ----

const ppClaimLabels = [PropagationPolicyPermanentIDLabel];
const ppClaimAnnotations = [PropagationPolicyNamespaceAnnotation, PropagationPolicyNameAnnotation];
const cppClaimLabels = [ClusterPropagationPolicyPermanentIDLabel];
const cppClaimAnnotations = [ClusterPropagationPolicyAnnotation];

function without(map: Record<string, string> | undefined, keys: readonly string[]): Record<string, string> | undefined {
  if (!map) return map;
  const out = { ...map };
  for (const k of keys) delete out[k];
  return out;
}

/** metadata with every claim (PP and CPP) removed */
export function withoutClaims(meta: ObjectMeta, kinds: readonly PolicyKind[] = ['PropagationPolicy', 'ClusterPropagationPolicy']): ObjectMeta {
  const labels = kinds.flatMap((k) => (k === 'PropagationPolicy' ? ppClaimLabels : cppClaimLabels));
  const annotations = kinds.flatMap((k) => (k === 'PropagationPolicy' ? ppClaimAnnotations : cppClaimAnnotations));
  return { ...meta, labels: without(meta.labels, labels), annotations: without(meta.annotations, annotations) };
}

/**
 * The update only claimed the template (the detector's own write, which it follows with the binding
 * at once): nothing but claim labels and annotations changed, and there was no claim before. Status
 * and the fields specOf drops are not compared here; the caller filters those.
 */
export function onlyClaimAdded(obj: KubeObject, old: KubeObject): boolean {
  if (claimOf(old) || !claimOf(obj)) return false;
  const strip = (o: KubeObject) => {
    const { status: _s, ...rest } = o;
    const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = withoutClaims(o.metadata);
    return { ...rest, metadata: { ...meta, labels: meta.labels ?? {}, annotations: meta.annotations ?? {} } };
  };
  return isDeepStrictEqual(strip(obj), strip(old));
}

/**
 * AddPPClaimMetadata / AddCPPClaimMetadata. A PropagationPolicy's claim also drops a
 * ClusterPropagationPolicy's (excludeClusterPolicy); a ClusterPropagationPolicy never displaces one.
 */
export function withClaim(meta: ObjectMeta, policy: AnyPropagationPolicy): ObjectMeta {
  const id = permanentIdOf(policy);
  if (policyKindOf(policy) === 'PropagationPolicy') {
    const base = withoutClaims(meta, ['ClusterPropagationPolicy']);
    return {
      ...base,
      labels: { ...base.labels, [PropagationPolicyPermanentIDLabel]: id },
      annotations: { ...base.annotations, [PropagationPolicyNamespaceAnnotation]: policy.metadata.namespace ?? '', [PropagationPolicyNameAnnotation]: policy.metadata.name },
    };
  }
  const base = withoutClaims(meta, ['PropagationPolicy']);
  return { ...base, labels: { ...base.labels, [ClusterPropagationPolicyPermanentIDLabel]: id }, annotations: { ...base.annotations, [ClusterPropagationPolicyAnnotation]: policy.metadata.name } };
}

/** whether the claim metadata on `meta` already says `policy` */
export function hasClaim(meta: ObjectMeta, policy: AnyPropagationPolicy): boolean {
  const claimed = withClaim(meta, policy);
  return sameMap(claimed.labels, meta.labels) && sameMap(claimed.annotations, meta.annotations);
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => a![k] === b?.[k]);
}

// ---- the binding (BuildResourceBinding / BuildClusterResourceBinding) ----

export interface ReplicaInterpretation {
  replicas?: number;
  replicaRequirements?: ReplicaRequirements;
  /** from InterpretComponent (gate MultiplePodTemplatesScheduling); replaces replicas and replicaRequirements */
  components?: ComponentRequirements[];
  /** from the policy's schedulePriority (the PriorityClass value) */
  schedulePriority?: { priority: number };
  /** from the policy's workloadAffinity and the template's labels (gate WorkloadAffinity) */
  workloadAffinityGroups?: { affinityGroup?: string; antiAffinityGroup?: string };
}

/** records an event on the resource template (EventRecorder.Event) */
type TemplateEventRecorder = (template: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) => void;

/**
 * The components half of BuildResourceBinding's replica interpretation (gate
 * MultiplePodTemplatesScheduling): undefined when no interpreter layer has a componentResource rule
 * for the kind (the caller falls back to GetReplicas); a failure is a Warning GetComponentsFailed
 * on the template and is thrown, so the binding stays as it was.
 */
export function interpretComponents(interpreter: ResourceInterpreter, template: KubeObject, record: TemplateEventRecorder): ComponentRequirements[] | undefined {
  if (!interpreter.getComponents || !interpreter.hookEnabled(gvkOf(template), InterpreterOperation.InterpretComponent)) return undefined;
  let components: ComponentRequirements[];
  try {
    components = interpreter.getComponents(template);
  } catch (err) {
    if (!isInterpretationPending(err)) record(template, 'Warning', EventReasonGetComponentsFailed, err instanceof Error ? err.message : String(err));
    throw err;
  }
  record(template, 'Normal', EventReasonGetComponentsSucceed, 'Get components of resource template successfully.');
  return components;
}

/** getWorkloadAffinityGroups: `<groupByLabelKey>=<the template's value>` for each term whose label the template has */
export function workloadAffinityGroupsFor(template: KubeObject, policy: AnyPropagationPolicy): { affinityGroup?: string; antiAffinityGroup?: string } | undefined {
  const wa = policy.spec?.placement?.workloadAffinity;
  if (!wa) return undefined;
  const labels = template.metadata.labels ?? {};
  const group = (key: string | undefined) => (key !== undefined && Object.prototype.hasOwnProperty.call(labels, key) ? `${key}=${labels[key]}` : undefined);
  const affinityGroup = group(wa.affinity?.groupByLabelKey);
  const antiAffinityGroup = group(wa.antiAffinity?.groupByLabelKey);
  if (!affinityGroup && !antiAffinityGroup) return undefined;
  return { ...(affinityGroup ? { affinityGroup } : {}), ...(antiAffinityGroup ? { antiAffinityGroup } : {}) };
}

/**
 * BuildResourceBinding's schedulePriority: the value of the Kubernetes PriorityClass the policy
 * names; the other sources are refused as Karmada refuses them. `priorityClassValue` fails (e.g.
 * NotFound) when the class does not exist, which holds the binding back.
 */
export async function schedulePriorityFor(
  policy: AnyPropagationPolicy,
  priorityClassValue: (name: string) => Promise<number>,
): Promise<{ priority: number } | undefined> {
  const sp = policy.spec?.schedulePriority;
  if (!sp) return undefined;
  switch (sp.priorityClassSource) {
    case 'KubePriorityClass':
      return { priority: await priorityClassValue(sp.priorityClassName) };
    case 'PodPriorityClass':
      throw new Error('priority class source is PodPriorityClass, but PodPriorityClass is not supported yet');
    case 'FederatedPriorityClass':
      throw new Error('priority class source is FederatedPriorityClass, but FederatedPriorityClass is not supported yet');
    default:
      throw new Error('unsupported priority class source');
  }
}

function gvkOwnerRef(obj: KubeObject): OwnerReference {
  return { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '', name: obj.metadata.name ?? '', uid: obj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** the binding a claim produces; namespaced templates get a ResourceBinding even from a CPP */
export function buildBinding(template: KubeObject, policy: AnyPropagationPolicy, interpreted: ReplicaInterpretation): ResourceBinding {
  const namespaced = !!template.metadata.namespace;
  const spec = policy.spec ?? { resourceSelectors: [] };
  const bindingSpec: ResourceBindingSpec = {
    resource: {
      apiVersion: template.apiVersion ?? '',
      kind: template.kind ?? '',
      ...(namespaced ? { namespace: template.metadata.namespace } : {}),
      name: template.metadata.name ?? '',
      uid: template.metadata.uid,
      resourceVersion: template.metadata.resourceVersion,
    },
    ...(namespaced && spec.propagateDeps !== undefined ? { propagateDeps: spec.propagateDeps } : {}),
    ...(interpreted.replicaRequirements ? { replicaRequirements: interpreted.replicaRequirements } : {}),
    ...(interpreted.replicas ? { replicas: interpreted.replicas } : {}),
    ...(interpreted.components && interpreted.components.length > 0 ? { components: interpreted.components.map((c) => structuredClone(c)) } : {}),
    placement: spec.placement ?? {},
    ...(spec.schedulerName !== undefined ? { schedulerName: spec.schedulerName } : {}),
    ...(spec.failover !== undefined ? { failover: spec.failover as Record<string, unknown> } : {}),
    ...(spec.conflictResolution !== undefined ? { conflictResolution: spec.conflictResolution } : {}),
    ...(spec.preserveResourcesOnDeletion !== undefined ? { preserveResourcesOnDeletion: spec.preserveResourcesOnDeletion } : {}),
    ...(spec.suspension !== undefined ? { suspension: { ...spec.suspension } } : {}),
    ...(interpreted.schedulePriority ? { schedulePriority: { ...interpreted.schedulePriority } } : {}),
    ...(namespaced && interpreted.workloadAffinityGroups ? { workloadAffinityGroups: { ...interpreted.workloadAffinityGroups } } : {}),
  };
  const meta = withClaim(
    {
      name: generateBindingName(template.kind ?? '', template.metadata.name ?? ''),
      ...(namespaced ? { namespace: template.metadata.namespace } : {}),
      ownerReferences: [gvkOwnerRef(template)],
      finalizers: [namespaced ? BindingControllerFinalizer : ClusterResourceBindingControllerFinalizer],
    },
    policy,
  );
  return { apiVersion: bindingApiVersion, kind: namespaced ? 'ResourceBinding' : 'ClusterResourceBinding', metadata: meta, spec: bindingSpec };
}

/** spec fields the detector owns; spec.clusters and the rest belong to the scheduler and others */
const detectorSpecFields = [
  'resource',
  'replicaRequirements',
  'replicas',
  'components',
  'propagateDeps',
  'schedulerName',
  'placement',
  'failover',
  'conflictResolution',
  'preserveResourcesOnDeletion',
  'schedulePriority',
  'suspension',
  'workloadAffinityGroups',
] as const;

/**
 * The existing binding updated as ApplyPolicy's CreateOrUpdate mutate function does: labels,
 * annotations and finalizers merged, owner references replaced, the detector's spec fields
 * replaced, everything else (spec.clusters, requiredBy, status) kept.
 */
/** the merged binding differs from the existing one only in the template's resourceVersion */
export function onlyTemplateVersionMoved(merged: ResourceBinding, existing: ResourceBinding): boolean {
  if (merged.spec.resource?.resourceVersion === existing.spec.resource?.resourceVersion) return false;
  const same = { ...merged, spec: { ...merged.spec, resource: { ...merged.spec.resource, resourceVersion: existing.spec.resource?.resourceVersion } } };
  return jsonEqual(same, existing);
}

export function mergeBinding(existing: ResourceBinding, desired: ResourceBinding, policy: AnyPropagationPolicy): ResourceBinding {
  let meta: ObjectMeta = {
    ...existing.metadata,
    labels: { ...existing.metadata.labels, ...desired.metadata.labels },
    annotations: { ...existing.metadata.annotations, ...desired.metadata.annotations },
    finalizers: [...new Set([...(existing.metadata.finalizers ?? []), ...(desired.metadata.finalizers ?? [])])],
    ownerReferences: desired.metadata.ownerReferences,
  };
  if (policyKindOf(policy) === 'PropagationPolicy') meta = withoutClaims(meta, ['ClusterPropagationPolicy']);
  const spec: ResourceBindingSpec = { ...existing.spec };
  const fromDesired = desired.spec as unknown as Record<string, unknown>;
  const target = spec as unknown as Record<string, unknown>;
  for (const f of detectorSpecFields) {
    if (f === 'suspension') continue;
    if (fromDesired[f] === undefined) delete target[f];
    else target[f] = fromDesired[f];
  }
  // util.MergePolicySuspension: the policy decides dispatching; the binding keeps its own `scheduling`
  const scheduling = existing.spec.suspension?.scheduling;
  const suspension = { ...(desired.spec.suspension ?? {}), ...(scheduling !== undefined ? { scheduling } : {}) };
  if (Object.keys(suspension).length > 0) spec.suspension = suspension;
  else delete spec.suspension;
  return { ...existing, metadata: meta, spec };
}
