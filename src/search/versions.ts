// karmada-search's multi-cluster resourceVersion and continue tokens (pkg/search/proxy/store/util.go):
// a list or watch over many members carries one resourceVersion per member, base64url-encoded JSON
// sorted by cluster name, so clients can hand it back unchanged to resume a list or a watch.

/** per-cluster resourceVersions; `zero` is the client's "0" (any version, served from the cache) */
export interface MultiClusterRV {
  zero: boolean;
  rvs: Map<string, string>;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

/** decodes a resourceVersion a client sent; anything undecodable counts as none, as Karmada's does */
export function parseMultiClusterRV(s: string | null | undefined): MultiClusterRV {
  const m: MultiClusterRV = { zero: false, rvs: new Map() };
  if (!s) return m;
  if (s === '0') return { ...m, zero: true };
  try {
    const parsed = JSON.parse(unb64(s)) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') m.rvs.set(k, v);
    }
  } catch {
    // not one of ours: ignored
  }
  return m;
}

/** the version to ask one member for: "0" when the client said "0", '' when it has none for this cluster */
export function clusterRV(m: MultiClusterRV, cluster: string): string {
  return m.zero ? '0' : (m.rvs.get(cluster) ?? '');
}

export function setClusterRV(m: MultiClusterRV, cluster: string, rv: string): void {
  m.rvs.set(cluster, rv);
  if (rv !== '0') m.zero = false;
}

/** the stable string form: clusters sorted, so equal versions compare equal as strings */
export function formatMultiClusterRV(m: MultiClusterRV): string {
  if (m.zero) return '0';
  if (m.rvs.size === 0) return '';
  const parts = [...m.rvs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([c, rv]) => `${JSON.stringify(c)}:${JSON.stringify(rv)}`);
  return b64(`{${parts.join(',')}}`);
}

export function cloneMultiClusterRV(m: MultiClusterRV): MultiClusterRV {
  return { zero: m.zero, rvs: new Map(m.rvs) };
}

/** a chunked list's position: the list's version, the member to go on with, and that member's own token */
interface MultiClusterContinue {
  rv: string;
  cluster?: string;
  continue?: string;
}

export function parseMultiClusterContinue(s: string | null | undefined): MultiClusterContinue | undefined {
  if (!s) return undefined;
  try {
    const parsed = JSON.parse(unb64(s)) as Partial<MultiClusterContinue>;
    if (!parsed || typeof parsed !== 'object' || typeof parsed.rv !== 'string') return undefined;
    return { rv: parsed.rv, cluster: typeof parsed.cluster === 'string' ? parsed.cluster : undefined, continue: typeof parsed.continue === 'string' ? parsed.continue : undefined };
  } catch {
    return undefined;
  }
}

/** '' when there is no cluster to go on with (the list is complete) */
export function formatMultiClusterContinue(c: MultiClusterContinue): string {
  if (!c.cluster) return '';
  return b64(JSON.stringify({ rv: c.rv, cluster: c.cluster, ...(c.continue ? { continue: c.continue } : {}) }));
}

/** a multi-cluster version in an object a client sends back (an update through the proxy) made the member's own again */
export function memberRV(rv: string | undefined, cluster: string): string | undefined {
  if (!rv || rv === '0') return rv;
  const m = parseMultiClusterRV(rv);
  return m.rvs.size ? (m.rvs.get(cluster) ?? '') : rv;
}
