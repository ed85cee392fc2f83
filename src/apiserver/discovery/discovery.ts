// Discovery documents: legacy (/api, /apis, /apis/g, /apis/g/v) and aggregated (apidiscovery.k8s.io
// v2 and v2beta1, chosen from the Accept header), rebuilt only when the served set changes.
import type { ResourceDef } from '../../apis/resource.js';
import { joinApiVersion } from '../../apimachinery/types.js';
import type { ResourceRegistry } from '../registry/resources.js';

const subresourceVerbs = ['get', 'patch', 'update'];

interface SubresourceInfo {
  name: string;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

function subresources(def: ResourceDef, registry: ResourceRegistry): SubresourceInfo[] {
  const out: SubresourceInfo[] = [];
  if (def.subresources.status) out.push({ name: 'status', kind: def.kind, verbs: subresourceVerbs });
  if (def.subresources.scale) out.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: subresourceVerbs });
  if (def.group === '' && def.resource === 'namespaces') out.push({ name: 'finalize', kind: 'Namespace', verbs: ['update'] });
  if (def.group === '' && def.resource === 'pods') out.push({ name: 'binding', kind: 'Binding', verbs: ['create'] });
  out.push(...registry.extraSubresources(def.group, def.resource));
  return out;
}

function legacyResources(defs: ResourceDef[], registry: ResourceRegistry): unknown[] {
  const out: unknown[] = [];
  for (const d of [...defs].sort((a, b) => a.resource.localeCompare(b.resource))) {
    const entry: Record<string, unknown> = {
      name: d.resource,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs,
    };
    if (d.shortNames?.length) entry.shortNames = d.shortNames;
    if (d.categories?.length) entry.categories = d.categories;
    out.push(entry);
    for (const s of subresources(d, registry)) {
      const sub: Record<string, unknown> = { name: `${d.resource}/${s.name}`, singularName: '', namespaced: d.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== undefined) {
        sub.group = s.group;
        sub.version = s.version;
      }
      out.push(sub);
    }
  }
  return out;
}

function aggregatedResources(defs: ResourceDef[], registry: ResourceRegistry): unknown[] {
  return [...defs]
    .sort((a, b) => a.resource.localeCompare(b.resource))
    .map((d) => {
      const entry: Record<string, unknown> = {
        resource: d.resource,
        responseKind: { group: d.group, version: d.version, kind: d.kind },
        scope: d.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: d.singular,
        verbs: d.verbs,
      };
      if (d.shortNames?.length) entry.shortNames = d.shortNames;
      if (d.categories?.length) entry.categories = d.categories;
      const subs = subresources(d, registry);
      if (subs.length) {
        entry.subresources = subs.map((s) => ({
          subresource: s.name,
          responseKind: { group: s.group ?? d.group, version: s.version ?? d.version, kind: s.kind },
          verbs: s.verbs,
        }));
      }
      return entry;
    });
}

export type AggregatedVersion = 'v2' | 'v2beta1';

/** which aggregated discovery format the Accept header asks for, if any */
export function aggregatedFormat(accept: string | undefined): AggregatedVersion | undefined {
  if (!accept || !accept.includes('as=APIGroupDiscoveryList')) return undefined;
  for (const part of accept.split(',')) {
    if (!part.includes('as=APIGroupDiscoveryList') || !part.includes('g=apidiscovery.k8s.io')) continue;
    if (/;\s*v=v2(;|$|\s)/.test(part)) return 'v2';
    if (/;\s*v=v2beta1/.test(part)) return 'v2beta1';
  }
  return undefined;
}

/** whether the first aggregated format the Accept header names is protobuf (kube-apiserver serves both) */
export function aggregatedWantsProtobuf(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',').find((part) => part.includes('as=APIGroupDiscoveryList') && part.includes('g=apidiscovery.k8s.io'));
  return !!first && first.trim().startsWith('application/vnd.kubernetes.protobuf');
}

export function aggregatedContentType(v: AggregatedVersion, protobuf = false): string {
  return `${protobuf ? 'application/vnd.kubernetes.protobuf' : 'application/json'};g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;
}

export class Discovery {
  private cache = new Map<string, string>();
  private cachedGeneration = -1;

  constructor(private readonly registry: ResourceRegistry) {}

  private cached(key: string, build: () => unknown): string {
    if (this.cachedGeneration !== this.registry.generation) {
      this.cache.clear();
      this.cachedGeneration = this.registry.generation;
    }
    let v = this.cache.get(key);
    if (v === undefined) {
      v = JSON.stringify(build());
      this.cache.set(key, v);
    }
    return v;
  }

  /** GET /api */
  apiVersions(serverAddress: string): string {
    return this.cached(`api:${serverAddress}`, () => ({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    }));
  }

  private groupDoc(name: string, versions: string[]): unknown {
    const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: vs, preferredVersion: vs[0] };
  }

  /** GET /apis */
  apiGroupList(): string {
    return this.cached('apis', () => ({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.registry.groups().filter((g) => g.name !== '').map((g) => this.groupDoc(g.name, g.versions)),
    }));
  }

  /** GET /apis/{group} */
  apiGroup(group: string): string | undefined {
    const g = this.registry.groups().find((x) => x.name === group && group !== '');
    if (!g) return undefined;
    return this.cached(`group:${group}`, () => ({ kind: 'APIGroup', apiVersion: 'v1', ...(this.groupDoc(g.name, g.versions) as object) }));
  }

  /** GET /api/v1 or /apis/{group}/{version} */
  resourceList(group: string, version: string): string | undefined {
    const defs = this.registry.resourcesIn(group, version);
    if (!defs.length) return undefined;
    return this.cached(`rl:${group}/${version}`, () => ({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: joinApiVersion(group, version),
      resources: legacyResources(defs, this.registry),
    }));
  }

  /** GET /api or /apis in the aggregated format: core alone at /api, every other group at /apis */
  aggregated(core: boolean, v: AggregatedVersion): string {
    return this.cached(`agg:${core}:${v}`, () => ({
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${v}`,
      metadata: {},
      items: this.registry
        .groups()
        .filter((g) => (core ? g.name === '' : g.name !== ''))
        .map((g) => ({
          metadata: { name: g.name },
          versions: g.versions.map((version) => ({
            version,
            resources: aggregatedResources(this.registry.resourcesIn(g.name, version), this.registry),
            freshness: 'Current',
          })),
        })),
    }));
  }
}
