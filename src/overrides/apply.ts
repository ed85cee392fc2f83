// Renders one resource template for one cluster: every matching ClusterOverridePolicy, then every
// matching OverridePolicy (each list in Karmada's order), rule by rule. Pure: a rule that cannot
// apply is reported in `failures` and leaves the manifest as it was before that rule.
import type { ClusterOverridePolicy, OverridePolicy, Overriders, AnyOverridePolicy } from '../apis/karmada/override.js';
import { ClusterOverridePolicyKind, OverridePolicyKind, overrideRulesOf } from '../apis/karmada/override.js';
import type { ClusterAffinity } from '../apis/karmada/placement.js';
import type { Cluster } from '../apis/karmada/cluster.js';
import type { KubeObject } from '../apimachinery/types.js';
import { deepCopyJson } from '../apimachinery/clone.js';
import type { AppliedOverrideRecord } from './applied.js';
import { orderPolicies, policyInScope, policySelectsResource } from './order.js';
import { applyImageOverrider } from './overriders/image.js';
import { applyCommandOverrider } from './overriders/command.js';
import { applyArgsOverrider } from './overriders/args.js';
import { applyLabelsOverrider } from './overriders/labels.js';
import { applyAnnotationsOverrider } from './overriders/annotations.js';
import { applyFieldOverrider } from './overriders/field.js';
import { applyPlaintextOverriders } from './overriders/plaintext.js';

/** Event reasons Karmada uses on the object the overrides were applied for. */
export const EventReasonApplyOverridePolicySucceed = 'ApplyOverridePolicySucceed';
export const EventReasonApplyOverridePolicyFailed = 'ApplyOverridePolicyFailed';

export interface OverrideFailure {
  kind: typeof ClusterOverridePolicyKind | typeof OverridePolicyKind;
  policy: string;
  /** set for OverridePolicy */
  namespace?: string;
  /** index in spec.overrideRules; 0 for the deprecated top-level targetCluster/overriders */
  rule: number;
  /** the failing part of the policy, e.g. spec.overrideRules[1].overriders.imageOverrider[0] */
  field: string;
  message: string;
}

export interface ApplyOverridesInput<C = Cluster> {
  manifest: KubeObject;
  cluster: C;
  clusterOverridePolicies: readonly ClusterOverridePolicy[];
  /** may hold policies of any namespace; only those in the manifest's namespace apply */
  overridePolicies: readonly OverridePolicy[];
  matchesCluster: (cluster: C, affinity: ClusterAffinity) => boolean;
}

export interface ApplyOverridesResult {
  manifest: KubeObject;
  /** OverridePolicy rules applied, for the policy.karmada.io/applied-overrides annotation */
  appliedOverrides: AppliedOverrideRecord;
  /** ClusterOverridePolicy rules applied, for policy.karmada.io/applied-cluster-overrides */
  appliedClusterOverrides: AppliedOverrideRecord;
  failures: OverrideFailure[];
}

class StepError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function list<T>(x: readonly T[] | undefined): readonly T[] {
  return Array.isArray(x) ? x : [];
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Karmada's order within one rule: image, command, args, labels, annotations, field, plaintext. */
function applyOverriders(obj: KubeObject, o: Overriders, fieldPrefix = 'overriders'): KubeObject {
  let cur = obj;
  const step = (field: string, fn: (doc: KubeObject) => KubeObject) => {
    try {
      cur = fn(cur);
    } catch (e) {
      throw new StepError(`${fieldPrefix}.${field}`, messageOf(e));
    }
  };
  list(o.imageOverrider).forEach((x, i) => step(`imageOverrider[${i}]`, (d) => applyImageOverrider(d, x)));
  list(o.commandOverrider).forEach((x, i) => step(`commandOverrider[${i}]`, (d) => applyCommandOverrider(d, x)));
  list(o.argsOverrider).forEach((x, i) => step(`argsOverrider[${i}]`, (d) => applyArgsOverrider(d, x)));
  list(o.labelsOverrider).forEach((x, i) => step(`labelsOverrider[${i}]`, (d) => applyLabelsOverrider(d, x)));
  list(o.annotationsOverrider).forEach((x, i) => step(`annotationsOverrider[${i}]`, (d) => applyAnnotationsOverrider(d, x)));
  list(o.fieldOverrider).forEach((x, i) => step(`fieldOverrider[${i}]`, (d) => applyFieldOverrider(d, x)));
  if (list(o.plaintext).length > 0) step('plaintext', (d) => applyPlaintextOverriders(d, list(o.plaintext)));
  return cur;
}

function applyPolicies<C>(
  manifest: KubeObject,
  policies: readonly AnyOverridePolicy[],
  kind: OverrideFailure['kind'],
  input: ApplyOverridesInput<C>,
  failures: OverrideFailure[],
): { manifest: KubeObject; applied: AppliedOverrideRecord } {
  let cur = manifest;
  const applied: AppliedOverrideRecord = [];
  for (const policy of orderPolicies(policies, manifest)) {
    const legacy = !(policy.spec?.overrideRules && policy.spec.overrideRules.length > 0);
    overrideRulesOf(policy.spec).forEach((rule, index) => {
      const prefix = legacy ? 'spec' : `spec.overrideRules[${index}]`;
      const fail = (field: string, message: string) =>
        failures.push({ kind, policy: policy.metadata.name, ...(kind === OverridePolicyKind ? { namespace: policy.metadata.namespace } : {}), rule: index, field, message });
      try {
        if (rule.targetCluster && !input.matchesCluster(input.cluster, rule.targetCluster)) return;
      } catch (e) {
        fail(`${prefix}.targetCluster`, `cannot match the cluster: ${messageOf(e)}`);
        return;
      }
      const overriders = rule.overriders ?? {};
      try {
        cur = applyOverriders(cur, overriders, `${prefix}.overriders`);
        applied.push({ policyName: policy.metadata.name, overriders });
      } catch (e) {
        if (e instanceof StepError) fail(e.field, e.message);
        else fail(`${prefix}.overriders`, messageOf(e));
      }
    });
  }
  return { manifest: cur, applied };
}

/** Applies the override policies for one cluster; never throws for a policy that cannot apply. */
export function applyOverrides<C = Cluster>(input: ApplyOverridesInput<C>): ApplyOverridesResult {
  const failures: OverrideFailure[] = [];
  const start = deepCopyJson(input.manifest);
  const cluster = applyPolicies(start, input.clusterOverridePolicies, ClusterOverridePolicyKind, input, failures);
  let manifest = cluster.manifest;
  let appliedOverrides: AppliedOverrideRecord = [];
  // OverridePolicies only for namespaced resources, and only those of the resource's namespace.
  if (manifest.metadata?.namespace) {
    const inScope = input.overridePolicies.filter((p) => policyInScope(p, manifest, true));
    const namespaced = applyPolicies(manifest, inScope, OverridePolicyKind, input, failures);
    manifest = namespaced.manifest;
    appliedOverrides = namespaced.applied;
  }
  return { manifest, appliedOverrides, appliedClusterOverrides: cluster.applied, failures };
}

/**
 * Whether a change to this policy can change how `resource` renders: the binding controller
 * re-renders the Works of every binding whose template this is true for (on create, update and delete).
 */
export function policyAffectsResource(policy: AnyOverridePolicy, resource: KubeObject): boolean {
  const namespaced = policy.kind === OverridePolicyKind || (policy.kind === undefined && !!policy.metadata.namespace);
  return policyInScope(policy, resource, namespaced) && policySelectsResource(policy, resource);
}

/** One line for a condition message or a Warning event. */
export function describeFailure(f: OverrideFailure, clusterName: string): string {
  const name = f.namespace ? `${f.namespace}/${f.policy}` : f.policy;
  return `Apply ${f.kind === ClusterOverridePolicyKind ? 'cluster override' : 'override'} policy(${name}) for cluster(${clusterName}) failed at ${f.field}: ${f.message}`;
}
