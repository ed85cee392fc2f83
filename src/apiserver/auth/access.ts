// The authorization gate every authenticated request passes before it is served (kube-apiserver's
// WithImpersonation then WithAuthorization filters): impersonation first, then the request itself
// is authorized as the (possibly impersonated) user; a refusal is kube-apiserver's 403.
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from './authenticate.js';
import { forbidden, requestAttributes } from './attributes.js';
import { dropImpersonationHeaders, impersonationAttributes, parseImpersonation } from './impersonation.js';
import { authorize, type Decision, type RbacObjects } from './rbac/authorizer.js';
import type { Attributes } from './rbac/rules.js';

export interface Authorizer {
  authorize(a: Attributes): Decision;
}

/** --authorization-mode=AlwaysAllow: what the server did before RBAC (benchmarks compare against it) */
export const alwaysAllow: Authorizer = { authorize: () => ({ allowed: true, reason: '' }) };

export function rbacAuthorizer(objects: RbacObjects): Authorizer {
  return { authorize: (a) => authorize(objects, a) };
}

/** what the request asks, in the name of the user it acts as (`user`), once authorized; or a thrown 400/403 Status */
export function admit(authorizer: Authorizer, req: IncomingMessage, url: URL, user: UserInfo): Attributes {
  let acting = user;
  const impersonation = parseImpersonation(req.headers);
  if (impersonation) {
    for (const check of impersonation.checks) {
      const a = impersonationAttributes(user, check, url.pathname);
      const d = authorizer.authorize(a);
      if (!d.allowed) throw forbidden(a, d.reason);
    }
    dropImpersonationHeaders(req.headers);
    acting = impersonation.user;
  }
  const a = requestAttributes(req.method ?? 'GET', url, acting);
  const d = authorizer.authorize(a);
  if (!d.allowed) throw forbidden(a, d.reason);
  return a;
}
