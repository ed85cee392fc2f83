// What a request asks to do, in authorizer terms (kube-apiserver's RequestInfoFactory and
// authorizer.Attributes), and the 403 kube-apiserver answers when it may not (responsewriters.Forbidden).
import { errors, type StatusError } from '../../apimachinery/errors.js';
import type { UserInfo } from './authenticate.js';
import type { Attributes } from './rbac/rules.js';

const namespaceSubresources = new Set(['status', 'finalize']);

const nonResourceVerb = (method: string) => (method === 'HEAD' ? 'get' : method.toLowerCase());

function truthy(v: string | null): boolean {
  return v === 'true' || v === '1' || v === 'True' || v === 'TRUE' || v === 't' || v === 'T';
}

/** the single name a list or watch is limited to by fieldSelector=metadata.name=X */
function nameFromFieldSelector(q: URLSearchParams): string | undefined {
  const fs = q.get('fieldSelector');
  if (!fs) return undefined;
  const m = /^metadata\.name==?([^,]*)$/.exec(fs.trim());
  return m ? m[1] : undefined;
}

export function requestAttributes(method: string, url: URL, user: UserInfo): Attributes {
  const path = url.pathname;
  const nonResource: Attributes = { user, verb: nonResourceVerb(method), resourceRequest: false, path };
  let parts = path.split('/').filter(Boolean);
  try {
    if (path.includes('%')) parts = parts.map(decodeURIComponent);
  } catch {
    return nonResource;
  }
  let group = '';
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    version = parts[1];
    parts = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    parts = parts.slice(3);
  } else {
    return nonResource;
  }
  let verb = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method.toLowerCase();
  // the deprecated /api/v1/watch/... paths
  if (parts[0] === 'watch') {
    if (verb === 'get') verb = 'watch';
    parts = parts.slice(1);
  }
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !namespaceSubresources.has(parts[2])) parts = parts.slice(2);
  }
  const [resource, name, subresource] = parts;
  const a: Attributes = { user, verb, resourceRequest: true, path, namespace, apiGroup: group, apiVersion: version, resource, name, subresource };
  if (!name) {
    if (verb === 'get') a.verb = truthy(url.searchParams.get('watch')) ? 'watch' : 'list';
    else if (verb === 'delete') a.verb = 'deletecollection';
    if (a.verb === 'list' || a.verb === 'watch') a.name = nameFromFieldSelector(url.searchParams);
  }
  return a;
}

/** kube-apiserver's forbiddenMessage: who, which verb, which resource, where */
export function forbiddenMessage(a: Attributes): string {
  const who = a.user.name;
  if (!a.resourceRequest) return `User "${who}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${who}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup ?? ''}" ${where}`;
}

/** the 403 Status: `deployments.apps is forbidden: User "alice" cannot list resource ...[: reason]` */
export function forbidden(a: Attributes, reason: string): StatusError {
  const why = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  if (!a.resourceRequest) return errors.forbiddenMessage(`forbidden: ${why}`, {});
  return errors.forbidden({ group: a.apiGroup ?? '', resource: a.resource ?? '' }, a.name ?? '', why);
}
