// What to cache where (karmada-search's proxy controller reconcile): every ResourceRegistry's
// selectors resolved to resources of the control plane, merged per member over the Ready clusters
// its targetCluster matches, skipping a resource the member reports it does not serve.
import type { Cluster } from '../apis/karmada/cluster.js';
import { ClusterConditionCompleteAPIEnablements, ClusterConditionReady } from '../apis/karmada/cluster.js';
import { clusterMatches } from '../apis/karmada/clusteraffinity.js';
import type { ResourceRegistry } from '../apis/karmada/search.js';
import { gvrKey, type WantedCaches, type WantedResource } from './multi-cluster-cache.js';

/** apiVersion + kind to the control plane's resource, or undefined when it serves no such kind */
export type KindResolver = (group: string, version: string, kind: string) => { resource: string } | undefined;

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

const condition = (c: Cluster, type: string) => c.status?.conditions?.find((x) => x.type === type)?.status;

/** Cluster.APIEnablement: listed is enabled; unlisted is disabled only once the member reported every API */
export function apiDisabled(cluster: Cluster, apiVersion: string, kind: string): boolean {
  const gv = cluster.status?.apiEnablements?.find((e) => e.groupVersion === apiVersion);
  if (gv?.resources?.some((r) => r.kind === kind)) return false;
  return condition(cluster, ClusterConditionCompleteAPIEnablements) === 'True';
}

interface WantedResult {
  wanted: WantedCaches;
  /** gvrKeys some registry names: the proxy serves them from the cache even where no member has them yet */
  registered: Set<string>;
  /** selectors that name no resource, per registry */
  unresolved: Map<string, string[]>;
}

/** pure: the caches every member should hold */
export function wantedCaches(registries: ResourceRegistry[], clusters: Cluster[], resolve: KindResolver): WantedResult {
  const wanted: WantedCaches = new Map();
  const registered = new Set<string>();
  const unresolved = new Map<string, string[]>();
  for (const rr of registries) {
    if (rr.metadata.deletionTimestamp) continue;
    // resource -> namespaces ('' anywhere makes it every namespace)
    const matched = new Map<string, { w: WantedResource; all: boolean; namespaces: Set<string> }>();
    for (const sel of rr.spec?.resourceSelectors ?? []) {
      const { group, version } = splitApiVersion(sel.apiVersion ?? '');
      const r = resolve(group, version, sel.kind ?? '');
      if (!r) {
        unresolved.set(rr.metadata.name!, [...(unresolved.get(rr.metadata.name!) ?? []), `${sel.apiVersion}, Kind=${sel.kind}`]);
        continue;
      }
      const gvr = { group, version, resource: r.resource };
      const key = gvrKey(gvr);
      registered.add(key);
      let m = matched.get(key);
      if (!m) matched.set(key, (m = { w: { gvr, apiVersion: sel.apiVersion, kind: sel.kind }, all: false, namespaces: new Set() }));
      if (!sel.namespace) m.all = true;
      else m.namespaces.add(sel.namespace);
    }
    if (matched.size === 0) continue;
    for (const cluster of clusters) {
      if (!clusterMatches(cluster, rr.spec.targetCluster ?? {})) continue;
      if (condition(cluster, ClusterConditionReady) !== 'True') continue;
      const name = cluster.metadata.name!;
      let mine = wanted.get(name);
      for (const [key, m] of matched) {
        if (apiDisabled(cluster, m.w.apiVersion, m.w.kind)) continue;
        if (!mine) wanted.set(name, (mine = new Map()));
        const have = mine.get(key);
        const namespaces = m.all || (have && !have.namespaces) ? undefined : new Set([...(have?.namespaces ?? []), ...m.namespaces]);
        mine.set(key, { ...m.w, namespaces });
      }
    }
  }
  return { wanted, registered, unresolved };
}
