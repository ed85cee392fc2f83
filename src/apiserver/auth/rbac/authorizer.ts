// The RBAC authorizer (kube-apiserver's rbac.RBACAuthorizer behind the system:masters privileged-group
// authorizer): walks the ClusterRoleBindings, then the RoleBindings of the request's namespace,
// and allows on the first rule of a bound role that matches. Pure over an RbacObjects view.
import type { UserInfo } from '../authenticate.js';
import { describeSubject, ruleAllows, subjectMatches, type Attributes, type PolicyRule, type RoleRef, type Subject } from './rules.js';

export interface RoleObject {
  metadata: { name?: string; namespace?: string; labels?: Record<string, string> };
  rules?: PolicyRule[] | null;
}

export interface BindingObject {
  metadata: { name?: string; namespace?: string };
  subjects?: Subject[] | null;
  roleRef: RoleRef;
}

/** what the authorizer reads: a watch-fed cache in the API server, plain maps in tests */
export interface RbacObjects {
  clusterRole(name: string): RoleObject | undefined;
  role(namespace: string, name: string): RoleObject | undefined;
  clusterRoleBindings(): Iterable<BindingObject>;
  roleBindings(namespace: string): Iterable<BindingObject>;
}

export interface Decision {
  allowed: boolean;
  reason: string;
  /** what went wrong on the way (a binding to a missing role), as kube's evaluationError */
  evaluationError?: string;
}

const privilegedGroup = 'system:masters';

function notFound(kind: 'clusterrole' | 'role', name: string): string {
  return `${kind}.rbac.authorization.k8s.io "${name}" not found`;
}

/** the rules a binding grants, or why they cannot be read */
function boundRules(objects: RbacObjects, binding: BindingObject, namespace: string | undefined): { rules: PolicyRule[]; error?: string } {
  const ref = binding.roleRef;
  if (ref.kind === 'ClusterRole') {
    const role = objects.clusterRole(ref.name);
    return role ? { rules: role.rules ?? [] } : { rules: [], error: notFound('clusterrole', ref.name) };
  }
  if (ref.kind === 'Role' && namespace) {
    const role = objects.role(namespace, ref.name);
    return role ? { rules: role.rules ?? [] } : { rules: [], error: notFound('role', ref.name) };
  }
  return { rules: [], error: `unsupported role reference kind: "${ref.kind}"` };
}

type Visitor = (source: string, rule: PolicyRule) => boolean;

/** visits every rule bound to the user for the namespace (cluster-wide first); stops when the visitor returns false */
function visitRulesFor(objects: RbacObjects, user: UserInfo, namespace: string | undefined, visit: Visitor, errors: string[]): void {
  for (const b of objects.clusterRoleBindings()) {
    const subject = (b.subjects ?? []).find((s) => subjectMatches(user, s, undefined));
    if (!subject) continue;
    const { rules, error } = boundRules(objects, b, undefined);
    if (error) errors.push(error);
    const source = `ClusterRoleBinding "${b.metadata.name}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, undefined)}`;
    for (const r of rules) if (!visit(source, r)) return;
  }
  if (!namespace) return;
  for (const b of objects.roleBindings(namespace)) {
    const subject = (b.subjects ?? []).find((s) => subjectMatches(user, s, namespace));
    if (!subject) continue;
    const { rules, error } = boundRules(objects, b, namespace);
    if (error) errors.push(error);
    const source = `RoleBinding "${b.metadata.name}/${namespace}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, namespace)}`;
    for (const r of rules) if (!visit(source, r)) return;
  }
}

function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}

export function authorize(objects: RbacObjects, a: Attributes): Decision {
  if (a.user.groups.includes(privilegedGroup)) return { allowed: true, reason: '' };
  const errors: string[] = [];
  let allowedBy: string | undefined;
  visitRulesFor(
    objects,
    a.user,
    a.resourceRequest ? a.namespace || undefined : undefined,
    (source, rule) => {
      if (!ruleAllows(a, rule)) return true;
      allowedBy = source;
      return false;
    },
    errors,
  );
  if (allowedBy) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}` };
  const evaluationError = errors.length ? aggregate(errors) : undefined;
  return { allowed: false, reason: evaluationError ? `RBAC: ${evaluationError}` : '', evaluationError };
}

/** every rule bound to the user in the namespace (SelfSubjectRulesReview), with what could not be read */
export function rulesFor(objects: RbacObjects, user: UserInfo, namespace: string | undefined): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  if (user.groups.includes(privilegedGroup)) {
    rules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] });
  }
  visitRulesFor(objects, user, namespace, (_s, r) => (rules.push(r), true), errors);
  return { rules, errors };
}
