// Impersonation headers (kube-apiserver's WithImpersonation filter): Impersonate-User, -Group,
// -Uid and -Extra-<key> turn the caller into another user, each part allowed only by RBAC's
// `impersonate` verb on users, groups, serviceaccounts, uids or userextras.
import type { IncomingHttpHeaders } from 'node:http';
import { errors } from '../../apimachinery/errors.js';
import type { UserInfo } from './authenticate.js';
import { serviceAccountPrefix, type Attributes } from './rbac/rules.js';

export interface ImpersonationCheck {
  /** the attributes the caller must be allowed, verb `impersonate` */
  resource: string;
  apiGroup: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  subresource?: string;
}

export interface Impersonation {
  user: UserInfo;
  checks: ImpersonationCheck[];
}

const extraPrefix = 'impersonate-extra-';

function values(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** reads the headers; undefined when the request impersonates no one, 400 for groups, uid or extras without a user */
export function parseImpersonation(headers: IncomingHttpHeaders): Impersonation | undefined {
  const userName = values(headers['impersonate-user'])[0];
  const groupValues = values(headers['impersonate-group']).flatMap((g) => g.split(',').map((s) => s.trim()).filter(Boolean));
  const uid = values(headers['impersonate-uid'])[0];
  const extra: Record<string, string[]> = {};
  for (const [h, v] of Object.entries(headers)) {
    if (!h.startsWith(extraPrefix)) continue;
    let key = h.slice(extraPrefix.length);
    try {
      key = decodeURIComponent(key);
    } catch {
      throw errors.badRequest(`invalid impersonation header ${JSON.stringify(h)}: the key is not a valid escape`);
    }
    extra[key] = values(v).flatMap((x) => x.split(',').map((s) => s.trim()).filter(Boolean));
  }
  if (userName === undefined && !groupValues.length && uid === undefined && !Object.keys(extra).length) return undefined;
  if (userName === undefined) {
    const what = [...groupValues.map((g) => `{Group ${g}}`), ...(uid !== undefined ? [`{UID ${uid}}`] : []), ...Object.keys(extra).map((k) => `{UserExtra ${k}}`)];
    throw errors.badRequest(`requested [${what.join(' ')}] without impersonating a user`);
  }
  const checks: ImpersonationCheck[] = [];
  const groups: string[] = [];
  const name = userName;
  if (userName.startsWith(serviceAccountPrefix) && userName.split(':').length === 4) {
    const [, , namespace, sa] = userName.split(':');
    checks.push({ resource: 'serviceaccounts', apiGroup: '', apiVersion: 'v1', namespace, name: sa });
    if (!groupValues.length) groups.push('system:serviceaccounts', `system:serviceaccounts:${namespace}`);
  } else {
    checks.push({ resource: 'users', apiGroup: '', apiVersion: 'v1', name: userName });
  }
  for (const g of groupValues) {
    checks.push({ resource: 'groups', apiGroup: '', apiVersion: 'v1', name: g });
    groups.push(g);
  }
  for (const [key, vs] of Object.entries(extra)) for (const v of vs) checks.push({ resource: 'userextras', subresource: key, apiGroup: 'authentication.k8s.io', apiVersion: 'v1', name: v });
  if (uid !== undefined) checks.push({ resource: 'uids', apiGroup: 'authentication.k8s.io', apiVersion: 'v1', name: uid });
  if (name === 'system:anonymous') {
    if (!groups.includes('system:unauthenticated')) groups.push('system:unauthenticated');
  } else if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
  const user: UserInfo = { name, groups };
  if (uid !== undefined) user.uid = uid;
  if (Object.keys(extra).length) user.extra = extra;
  return { user, checks };
}

export function impersonationAttributes(requestor: UserInfo, c: ImpersonationCheck, path: string): Attributes {
  return { user: requestor, verb: 'impersonate', resourceRequest: true, path, ...c };
}

/** the headers are consumed here: nothing downstream (the cluster proxy) may see them */
export function dropImpersonationHeaders(headers: IncomingHttpHeaders): void {
  for (const h of Object.keys(headers)) if (h.startsWith('impersonate-')) delete headers[h];
}
