// The set of resources this server serves: built-ins plus whatever established CRDs add.
// Discovery, OpenAPI and routing all read it; `generation` changes whenever the set does.
import type { ResourceDef } from '../../apis/resource.js';

const gvrKey = (group: string, version: string, resource: string) => `${group}/${version}/${resource}`;

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first, then others by name. */
function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return { kind: 0, major: 0, minor: 0 };
    const kind = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return { kind, major: Number(m[1]), minor: m[3] ? Number(m[3]) : 0 };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa.kind !== pb.kind) return pb.kind - pa.kind;
  if (pa.kind === 0) return a < b ? -1 : a > b ? 1 : 0;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}

export interface GroupInfo {
  name: string;
  /** served versions, preferred first */
  versions: string[];
}

/** a subresource served by an extension (e.g. Karmada's clusters/proxy), shown in discovery */
export interface ExtraSubresource {
  name: string;
  kind: string;
  verbs: string[];
  /** when the subresource's kind is of another group/version (serviceaccounts/token: authentication.k8s.io/v1 TokenRequest) */
  group?: string;
  version?: string;
}

export class ResourceRegistry {
  private readonly defs = new Map<string, ResourceDef>();
  private readonly extras = new Map<string, ExtraSubresource[]>();
  private readonly sources = new Map<string, string[]>();
  private listeners: (() => void)[] = [];
  /** bumps on every change to the served set */
  generation = 0;

  /** Adds (or replaces) the resources owned by `source` ("builtin", or a CRD's name). */
  setSource(source: string, defs: ResourceDef[]): void {
    for (const key of this.sources.get(source) ?? []) this.defs.delete(key);
    const keys = defs.map((d) => gvrKey(d.group, d.version, d.resource));
    defs.forEach((d, i) => this.defs.set(keys[i], d));
    if (keys.length) this.sources.set(source, keys);
    else this.sources.delete(source);
    this.changed();
  }

  removeSource(source: string): void {
    this.setSource(source, []);
  }

  /** declares a subresource that an extension serves for group/resource */
  addExtraSubresource(group: string, resource: string, sub: ExtraSubresource): void {
    const key = `${group}/${resource}`;
    this.extras.set(key, [...(this.extras.get(key) ?? []), sub]);
    this.changed();
  }

  extraSubresources(group: string, resource: string): ExtraSubresource[] {
    return this.extras.get(`${group}/${resource}`) ?? [];
  }

  onChange(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private changed(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }

  get(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.defs.get(gvrKey(group, version, resource));
  }

  all(): ResourceDef[] {
    return [...this.defs.values()];
  }

  /** every version served for a group/resource, preferred first */
  versionsOf(group: string, resource: string): ResourceDef[] {
    return this.all()
      .filter((d) => d.group === group && d.resource === resource)
      .sort((a, b) => compareVersions(a.version, b.version));
  }

  /** the preferred-version definition of a kind's resource */
  byKind(group: string, kind: string): ResourceDef | undefined {
    return this.all()
      .filter((d) => d.group === group && d.kind === kind)
      .sort((a, b) => compareVersions(a.version, b.version))[0];
  }

  groups(): GroupInfo[] {
    const byGroup = new Map<string, Set<string>>();
    for (const d of this.defs.values()) {
      if (!byGroup.has(d.group)) byGroup.set(d.group, new Set());
      byGroup.get(d.group)!.add(d.version);
    }
    const groups = [...byGroup.entries()].map(([name, versions]) => ({ name, versions: [...versions].sort(compareVersions) }));
    // core first, then the order kube-apiserver uses: built-in groups before custom ones, each alphabetical
    return groups.sort((a, b) => (a.name === '' ? -1 : b.name === '' ? 1 : a.name.localeCompare(b.name)));
  }

  resourcesIn(group: string, version: string): ResourceDef[] {
    return this.all().filter((d) => d.group === group && d.version === version);
  }

  /** all namespaced resources, one definition per stored resource (used to empty a namespace) */
  namespacedStorages(): ResourceDef[] {
    const seen = new Map<string, ResourceDef>();
    for (const d of this.defs.values()) {
      if (!d.namespaced) continue;
      const k = `${d.storage.group}/${d.storage.resource}`;
      const cur = seen.get(k);
      if (!cur || d.version === d.storage.version) seen.set(k, d);
    }
    return [...seen.values()];
  }
}
