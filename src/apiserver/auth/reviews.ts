// authorization.k8s.io and authentication.k8s.io reviews, answered and never stored:
// SelfSubjectAccessReview (`kubectl auth can-i`), SubjectAccessReview, LocalSubjectAccessReview,
// SelfSubjectRulesReview (`kubectl auth can-i --list`) and SelfSubjectReview (`kubectl auth whoami`).
import { errors, type FieldError } from '../../apimachinery/errors.js';
import type { UserInfo } from './authenticate.js';
import type { Authorizer } from './access.js';
import { rulesFor, type RbacObjects } from './rbac/authorizer.js';
import type { Attributes } from './rbac/rules.js';

type Obj = Record<string, any>;

interface ReviewSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string } | null;
  nonResourceAttributes?: { path?: string; verb?: string } | null;
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

const authorizationGroup = 'authorization.k8s.io';

function invalid(kind: string, causes: FieldError[]): never {
  throw errors.invalid(kind, authorizationGroup, '', causes);
}

function specOf(kind: string, body: Obj): ReviewSpec {
  const spec = body.spec;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) invalid(kind, [{ type: 'FieldValueRequired', field: 'spec', detail: 'spec is required' }]);
  return spec as ReviewSpec;
}

function checkAttributes(kind: string, spec: ReviewSpec): void {
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    invalid(kind, [{ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', value: spec.nonResourceAttributes, detail: 'cannot be specified in combination with resourceAttributes' }]);
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    invalid(kind, [{ type: 'FieldValueInvalid', field: 'spec.resourceAttributes', value: 'null', detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
  }
}

/** the attributes a review asks about, as the SubjectAccessReview REST storage builds them */
export function reviewAttributes(spec: ReviewSpec, user: UserInfo): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return { user, verb: r.verb ?? '', resourceRequest: true, path: '', namespace: r.namespace || undefined, apiGroup: r.group ?? '', apiVersion: r.version, resource: r.resource ?? '', subresource: r.subresource || undefined, name: r.name || undefined };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, verb: n.verb ?? '', resourceRequest: false, path: n.path ?? '' };
}

function answer(body: Obj, kind: string, authorizer: Authorizer, a: Attributes): Obj {
  const d = authorizer.authorize(a);
  const status: Obj = { allowed: d.allowed };
  if (d.reason) status.reason = d.reason;
  return { apiVersion: `${authorizationGroup}/v1`, kind, metadata: { ...(body.metadata ?? {}), creationTimestamp: null }, spec: body.spec, status };
}

export function selfSubjectAccessReview(body: Obj, user: UserInfo, authorizer: Authorizer): Obj {
  const kind = 'SelfSubjectAccessReview';
  const spec = specOf(kind, body);
  checkAttributes(kind, spec);
  return answer(body, kind, authorizer, reviewAttributes(spec, user));
}

export function subjectAccessReview(body: Obj, authorizer: Authorizer): Obj {
  const kind = 'SubjectAccessReview';
  const spec = specOf(kind, body);
  checkAttributes(kind, spec);
  if (!spec.user && !spec.groups?.length) invalid(kind, [{ type: 'FieldValueInvalid', field: 'spec.user', value: '', detail: 'at least one of user or group must be specified' }]);
  const user: UserInfo = { name: spec.user ?? '', groups: spec.groups ?? [], uid: spec.uid, extra: spec.extra };
  return answer(body, kind, authorizer, reviewAttributes(spec, user));
}

export function localSubjectAccessReview(body: Obj, namespace: string, authorizer: Authorizer): Obj {
  const kind = 'LocalSubjectAccessReview';
  const spec = specOf(kind, body);
  if (spec.nonResourceAttributes) invalid(kind, [{ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', value: spec.nonResourceAttributes, detail: 'disallowed on this kind of request' }]);
  checkAttributes(kind, spec);
  if ((spec.resourceAttributes!.namespace ?? '') !== namespace) {
    invalid(kind, [{ type: 'FieldValueInvalid', field: 'spec.resourceAttributes.namespace', value: spec.resourceAttributes!.namespace ?? '', detail: 'must match metadata.namespace' }]);
  }
  if (!spec.user && !spec.groups?.length) invalid(kind, [{ type: 'FieldValueInvalid', field: 'spec.user', value: '', detail: 'at least one of user or group must be specified' }]);
  const user: UserInfo = { name: spec.user ?? '', groups: spec.groups ?? [], uid: spec.uid, extra: spec.extra };
  const out = answer(body, kind, authorizer, reviewAttributes(spec, user));
  out.metadata.namespace = namespace;
  return out;
}

export function selfSubjectRulesReview(body: Obj, user: UserInfo, objects: RbacObjects | undefined): Obj {
  const namespace = (body.spec?.namespace as string | undefined) || undefined;
  const status: Obj = { resourceRules: [], nonResourceRules: [], incomplete: false };
  if (!objects) {
    // AlwaysAllow: everything is allowed, and kube's AlwaysAllow rule resolver says so
    status.resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    status.nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
  } else {
    const { rules, errors: problems } = rulesFor(objects, user, namespace);
    for (const r of rules) {
      if (r.nonResourceURLs?.length) status.nonResourceRules.push({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs });
      else {
        const rule: Obj = { verbs: r.verbs ?? [], apiGroups: r.apiGroups ?? [], resources: r.resources ?? [] };
        if (r.resourceNames?.length) rule.resourceNames = r.resourceNames;
        status.resourceRules.push(rule);
      }
    }
    if (problems.length) {
      status.incomplete = true;
      status.evaluationError = problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`;
    }
  }
  return { apiVersion: `${authorizationGroup}/v1`, kind: 'SelfSubjectRulesReview', metadata: { creationTimestamp: null }, spec: body.spec ?? {}, status };
}

export function userInfoStatus(user: UserInfo): Obj {
  const info: Obj = { username: user.name, groups: user.groups };
  if (user.uid) info.uid = user.uid;
  if (user.extra && Object.keys(user.extra).length) info.extra = user.extra;
  return info;
}

export function selfSubjectReview(user: UserInfo): Obj {
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { creationTimestamp: null }, status: { userInfo: userInfoStatus(user) } };
}
