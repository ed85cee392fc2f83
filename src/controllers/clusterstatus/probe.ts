// What the cluster status controller asks a member: is it there (/readyz, or /healthz where
// /readyz is not served), its version, and the APIs it serves.
import { StatusError } from '../../apimachinery/errors.js';
import { splitApiVersion } from '../../apimachinery/types.js';
import type { APIEnablement } from '../../apis/karmada/cluster.js';
import type { KubeClient } from '../../runtime/client.js';

export interface Health {
  /** the member answered */
  online: boolean;
  /** ... with 200 */
  healthy: boolean;
}

async function statusOf(client: KubeClient, path: string, timeoutMs: number, signal?: AbortSignal): Promise<number | undefined> {
  try {
    await client.request('GET', path, { timeoutMs, signal });
    return 200;
  } catch (err) {
    // an answer other than 2xx; anything else (refused, reset, timed out) is no answer
    return err instanceof StatusError ? err.code : undefined;
  }
}

export async function probeHealth(client: KubeClient, timeoutMs: number, signal?: AbortSignal): Promise<Health> {
  let code = await statusOf(client, '/readyz', timeoutMs, signal);
  if (code === 404) code = await statusOf(client, '/healthz', timeoutMs, signal);
  if (code === undefined) return { online: false, healthy: false };
  return { online: true, healthy: code === 200 };
}

export async function kubernetesVersion(client: KubeClient, timeoutMs: number): Promise<string | undefined> {
  const v = await client.request<{ gitVersion?: string }>('GET', '/version', { timeoutMs });
  return v?.gitVersion;
}

/** what discovery tells of a member: its version and APIEnablements */
interface Discovered {
  kubernetesVersion?: string;
  enablements: APIEnablement[];
  /** groupVersions whose discovery failed */
  failed: number;
}

/**
 * The API groups' versions a member serves (/apis). The core group's (/api) is left out: it is v1
 * on every Kubernetes, so asking for it every round would cost a request per member per round
 * and tell nothing (full discovery still reads it).
 */
async function apiGroupVersions(client: KubeClient, timeoutMs: number): Promise<string> {
  const list = await client.request<{ groups?: { versions?: { groupVersion: string }[] }[] }>('GET', '/apis', { timeoutMs });
  return (list.groups ?? []).flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion)).join(',');
}

/**
 * Discovery per cluster, done in full (/version and one request per groupVersion) only when the
 * served API groups' versions change or the last full discovery is older than `maxAgeMs`;
 * otherwise a round costs the one request that lists them.
 */
export class DiscoveryCache {
  private readonly byCluster = new Map<string, Discovered & { groupVersions: string; at: number }>();

  constructor(private readonly maxAgeMs: number) {}

  async get(cluster: string, client: KubeClient, now: number, timeoutMs: number): Promise<Discovered> {
    const groupVersions = await apiGroupVersions(client, timeoutMs);
    const hit = this.byCluster.get(cluster);
    if (hit && hit.groupVersions === groupVersions && now - hit.at < this.maxAgeMs && hit.failed === 0 && hit.kubernetesVersion) return hit;
    const version = await kubernetesVersion(client, timeoutMs).catch(() => undefined);
    const { enablements, failed } = await discoverAPIEnablements(client);
    const entry = { groupVersions, at: now, kubernetesVersion: version, enablements, failed: failed.length };
    this.byCluster.set(cluster, entry);
    return entry;
  }

  forget(cluster: string): void {
    this.byCluster.delete(cluster);
  }
}

/**
 * groupVersions asked at once. Each request in flight holds its own HTTP/1.1 connection (client-go's
 * parallel discovery shares one HTTP/2 connection): asking ~20 at once opened ~20 TLS connections per
 * member, idle and closed again before the next full discovery, ~30 handshakes/s at 100 members.
 * Two is what every round's /api and /apis keep warm.
 */
const discoveryConcurrency = 2;

/**
 * What Karmada records in Cluster.status.apiEnablements: every served groupVersion with its
 * top-level resources (name and kind), sorted. `failed` lists groupVersions whose discovery failed.
 */
export async function discoverAPIEnablements(client: KubeClient): Promise<{ enablements: APIEnablement[]; failed: string[] }> {
  const gvs = await client.groupVersions();
  const failed: string[] = [];
  const enablements: APIEnablement[] = [];
  let next = 0;
  const worker = async () => {
    while (next < gvs.length) {
      const gv = gvs[next++]!;
      const { group, version } = splitApiVersion(gv);
      try {
        const infos = await client.resourcesFor(group, version, true);
        const resources = infos.map((i) => ({ name: i.resource, kind: i.kind })).sort((a, b) => a.name.localeCompare(b.name));
        enablements.push({ groupVersion: gv, resources });
      } catch {
        failed.push(gv);
      }
    }
  };
  await Promise.all(Array.from({ length: discoveryConcurrency }, worker));
  enablements.sort((a, b) => a.groupVersion.localeCompare(b.groupVersion));
  return { enablements, failed: failed.sort() };
}
