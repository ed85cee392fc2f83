// The /ui/v1 endpoints: each path names a view, the resources it depends on and how to compute it.
import { errors } from '../apimachinery/errors.js';
import type { Cluster } from '../apis/karmada/cluster.js';
import type { LiveState } from './live.js';
import type { Endpoint } from './sse.js';
import type { ResourceBinding } from '../apis/karmada/binding.js';
import { templateResources, type Resource } from './live.js';
import { clustersDoc } from './views/clusters.js';
import { pageRows, parseWorkloadQuery, workloadRows, type WorkloadRow } from './views/workloads.js';

const workloadDeps: Resource[] = [...templateResources, 'resourcebindings', 'clusterresourcebindings'];

/** every template's row, from the caches */
export function allRows(live: LiveState): WorkloadRow[] {
  const templates = templateResources.flatMap((r) => live.list(r));
  const bindings = [...live.list<ResourceBinding>('resourcebindings'), ...live.list<ResourceBinding>('clusterresourcebindings')];
  return workloadRows(templates, bindings);
}

async function whoami(live: LiveState): Promise<{ user: string; groups: string[] }> {
  const review = await live.client.request<{ status?: { userInfo?: { username?: string; groups?: string[] } } }>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  return { user: review.status?.userInfo?.username ?? '', groups: review.status?.userInfo?.groups ?? [] };
}

export function route(live: LiveState, url: URL): Endpoint {
  const path = url.pathname.replace(/\/+$/, '');
  let parts: string[];
  try {
    parts = path.split('/').slice(3).map((p) => decodeURIComponent(p));
  } catch {
    throw errors.badRequest(`${url.pathname}: malformed percent-encoding`);
  }
  if (!path.startsWith('/ui/v1/')) throw notFound(url);
  const ready = <T>(fn: () => T | Promise<T>) => async () => {
    await live.ready();
    return fn();
  };
  switch (parts[0]) {
    case 'whoami':
      if (parts.length === 1) return { deps: [], compute: () => whoami(live) };
      break;
    case 'clusters':
      if (parts.length === 1) return { deps: ['clusters'], compute: ready(() => clustersDoc(live.list<Cluster>('clusters'), live.readyTransitions)) };
      break;
    case 'workloads':
      if (parts.length === 1) {
        const query = parseWorkloadQuery(url.searchParams);
        return { deps: workloadDeps, compute: ready(() => pageRows(allRows(live), query)) };
      }
      break;
  }
  throw notFound(url);
}

function notFound(url: URL) {
  const err = errors.pathNotFound();
  err.status.message = `${url.pathname} is not a dashboard endpoint: use /ui/v1/whoami, /ui/v1/clusters, /ui/v1/workloads[/GROUP/VERSION/KIND/NAMESPACE/NAME], /ui/v1/policies or /ui/v1/failover/whatif?cluster=NAME`;
  return err;
}
