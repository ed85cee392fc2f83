// Parses a request path the way kube-apiserver's RequestInfoFactory does.
//   /api/v1/{resource}[/{name}[/{sub}]]
//   /api/v1/namespaces/{ns}/{resource}[/{name}[/{sub}]]
//   /apis/{group}/{version}/...   (same shapes)

export interface ResourceRequest {
  kind: 'resource';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

export interface OtherRequest {
  kind: 'discovery-root' | 'discovery-group' | 'discovery-version' | 'other';
  group?: string;
  version?: string;
}

export type RequestInfo = ResourceRequest | OtherRequest;

export function parseRequestPath(pathname: string): RequestInfo {
  let parts = pathname.split('/').filter(Boolean);
  if (pathname.includes('%')) parts = parts.map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'discovery-root', group: '' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'discovery-root' };
    if (parts.length === 2) return { kind: 'discovery-group', group: parts[1] };
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { kind: 'other' };
  }
  if (rest.length === 0) return { kind: 'discovery-version', group, version };
  // namespaces/{ns}/{resource}... except the namespace object itself: namespaces/{name}[/status|finalize]
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    const [, namespace, resource, name, subresource, ...extra] = rest;
    if (extra.length) return { kind: 'other' };
    return { kind: 'resource', group, version, namespace, resource, name, subresource };
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length) return { kind: 'other' };
  return { kind: 'resource', group, version, resource, name, subresource };
}
