// What the detector watches (lifted.GetDeletableResources + SkippedResourceConfig): the preferred
// version of every group, resources that can be listed, watched and deleted, minus what Karmada skips
// by default (its own groups, events, coordination.k8s.io/v1).
import { isSkippedByDefault } from '../../apis/karmada/skipped.js';
import type { KubeClient } from '../../runtime/client.js';

export interface WatchedResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  apiVersion: string;
  namespaced: boolean;
}

interface APIGroupList {
  groups?: { name: string; preferredVersion?: { groupVersion: string; version: string }; versions: { groupVersion: string; version: string }[] }[];
}


export async function discoverPropagatableResources(client: KubeClient): Promise<WatchedResource[]> {
  const groups = await client.request<APIGroupList>('GET', '/apis');
  const versions: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
  for (const g of groups.groups ?? []) {
    const v = g.preferredVersion?.version ?? g.versions[0]?.version;
    if (v) versions.push({ group: g.name, version: v });
  }
  const out: WatchedResource[] = [];
  await Promise.all(
    versions.map(async ({ group, version }) => {
      let infos;
      try {
        infos = await client.resourcesFor(group, version, true);
      } catch {
        return;
      }
      for (const info of infos) {
        const verbs = new Set(info.verbs);
        if (!verbs.has('list') || !verbs.has('watch') || !verbs.has('delete')) continue;
        if (isSkippedByDefault(group, version, info.kind)) continue;
        out.push({ group, version, resource: info.resource, kind: info.kind, apiVersion: group ? `${group}/${version}` : version, namespaced: info.namespaced });
      }
    }),
  );
  return out.sort((a, b) => a.apiVersion.localeCompare(b.apiVersion) || a.resource.localeCompare(b.resource));
}
