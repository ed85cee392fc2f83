// The dashboard's client-side routes: which page a path is, and the path of each page.
export type Route =
  | { page: 'clusters' }
  | { page: 'workloads' }
  | { page: 'workload'; group: string; version: string; kind: string; namespace: string; name: string }
  | { page: 'policies' }
  | { page: 'failover' }
  | { page: 'notfound'; path: string };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'clusters')) return { page: 'clusters' };
  if (parts[0] === 'workloads' && parts.length === 1) return { page: 'workloads' };
  if (parts[0] === 'workloads' && parts.length === 6) {
    const [, group, version, kind, ns, name] = parts;
    return { page: 'workload', group, version, kind, namespace: ns === '_' ? '' : ns, name };
  }
  if (parts.length === 1 && parts[0] === 'policies') return { page: 'policies' };
  if (parts.length === 1 && parts[0] === 'failover') return { page: 'failover' };
  return { page: 'notfound', path: pathname };
}

/** the server's detail endpoint for a workload route */
export function workloadApi(r: Extract<Route, { page: 'workload' }>): string {
  return `/ui/v1/workloads/${[r.group, r.version, r.kind, r.namespace || '_', r.name].map(encodeURIComponent).join('/')}`;
}
