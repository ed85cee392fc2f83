// policy.karmada.io/v1alpha1 OverridePolicy and ClusterOverridePolicy: per-cluster changes to a
// resource template as it is rendered into a Work. Field names follow Karmada's Go JSON tags exactly.
import type { KubeObject, LabelSelector, ObjectMeta } from '../../apimachinery/types.js';
import type { ClusterAffinity } from './placement.js';

export const policyGroup = 'policy.karmada.io';
export const policyVersion = 'v1alpha1';
export const policyApiVersion = `${policyGroup}/${policyVersion}`;

export const OverridePolicyKind = 'OverridePolicy';
export const ClusterOverridePolicyKind = 'ClusterOverridePolicy';

/** Work annotation: the OverridePolicies applied to its manifest, JSON, ascending by policy name. */
export const AppliedOverridesAnnotation = 'policy.karmada.io/applied-overrides';
/** Work annotation: the ClusterOverridePolicies applied to its manifest, JSON, ascending by policy name. */
export const AppliedClusterOverridesAnnotation = 'policy.karmada.io/applied-cluster-overrides';

/** Selects resource templates: apiVersion and kind always, optionally namespace, name or labels. */
export interface ResourceSelector {
  apiVersion: string;
  kind: string;
  namespace?: string;
  /** when set, labelSelector is ignored */
  name?: string;
  labelSelector?: LabelSelector;
}

export type OverriderOperator = 'add' | 'remove' | 'replace';
export const overriderOperators: readonly OverriderOperator[] = ['add', 'remove', 'replace'];
/** command and args overriders only add or remove items */
type CommandArgsOperator = 'add' | 'remove';
export const commandArgsOperators: readonly CommandArgsOperator[] = ['add', 'remove'];

type ImageComponent = 'Registry' | 'Repository' | 'Tag';
export const imageComponents: readonly ImageComponent[] = ['Registry', 'Repository', 'Tag'];

/** A JSON-patch style change at `path` (RFC 6901). `value` is any JSON. */
export interface PlaintextOverrider {
  path: string;
  operator: OverriderOperator;
  value?: unknown;
}

interface ImagePredicate {
  /** JSON pointer to the image string, e.g. /spec/template/spec/containers/0/image */
  path: string;
}

export interface ImageOverrider {
  /** absent: every container (and init container) image of a Pod, ReplicaSet, Deployment, DaemonSet, StatefulSet or Job */
  predicate?: ImagePredicate;
  component: ImageComponent;
  operator: OverriderOperator;
  value?: string;
}

export interface CommandArgsOverrider {
  containerName: string;
  operator: CommandArgsOperator;
  value?: string[];
}

export interface LabelAnnotationOverrider {
  operator: OverriderOperator;
  value: Record<string, string>;
}

/** One operation on the document embedded at a FieldOverrider's fieldPath. */
export interface JSONPatchOperation {
  subPath: string;
  operator: OverriderOperator;
  value?: unknown;
}

type YAMLPatchOperation = JSONPatchOperation;

/** Changes inside a string field that holds a JSON or YAML document (e.g. a ConfigMap's data key). */
export interface FieldOverrider {
  fieldPath: string;
  json?: JSONPatchOperation[];
  yaml?: YAMLPatchOperation[];
}

/** Applied in this order: image, command, args, labels, annotations, field, plaintext. */
export interface Overriders {
  plaintext?: PlaintextOverrider[];
  imageOverrider?: ImageOverrider[];
  commandOverrider?: CommandArgsOverrider[];
  argsOverrider?: CommandArgsOverrider[];
  labelsOverrider?: LabelAnnotationOverrider[];
  annotationsOverrider?: LabelAnnotationOverrider[];
  fieldOverrider?: FieldOverrider[];
}

interface RuleWithCluster {
  /** absent: every cluster */
  targetCluster?: ClusterAffinity;
  overriders: Overriders;
}

export interface OverrideSpec {
  /** absent or empty: every resource in the policy's scope */
  resourceSelectors?: ResourceSelector[];
  overrideRules?: RuleWithCluster[];
  /** @deprecated use overrideRules; cannot be combined with it */
  targetCluster?: ClusterAffinity;
  /** @deprecated use overrideRules; cannot be combined with it */
  overriders?: Overriders;
}

export interface OverridePolicy extends KubeObject {
  apiVersion?: typeof policyApiVersion;
  kind?: typeof OverridePolicyKind;
  metadata: ObjectMeta & { name: string; namespace?: string };
  spec: OverrideSpec;
}

export interface ClusterOverridePolicy extends KubeObject {
  apiVersion?: typeof policyApiVersion;
  kind?: typeof ClusterOverridePolicyKind;
  metadata: ObjectMeta & { name: string };
  spec: OverrideSpec;
}

export type AnyOverridePolicy = OverridePolicy | ClusterOverridePolicy;

/** The rules of a policy, turning the deprecated top-level targetCluster/overriders into one rule. */
export function overrideRulesOf(spec: OverrideSpec | undefined): RuleWithCluster[] {
  if (!spec) return [];
  if (spec.overrideRules && spec.overrideRules.length > 0) return spec.overrideRules;
  const rule: RuleWithCluster = { overriders: spec.overriders ?? {} };
  if (spec.targetCluster) rule.targetCluster = spec.targetCluster;
  return [rule];
}
