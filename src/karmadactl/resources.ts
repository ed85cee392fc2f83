// Resource type arguments as kubectl reads them (`deploy`, `deployments.apps`, `deployments.v1.apps`,
// `rs,svc`, `deploy/web`): kubectl's ResourceTypeOrNameArgs and its RESTMapper over discovery.
import { StatusError } from '../apimachinery/errors.js';
import type { KubeClient, ResourceInfo } from '../runtime/client.js';

interface TypeAndNames {
  type: string;
  names: string[];
}

/** `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...`, as kubectl get, describe and delete take them */
export function parseTypeArgs(args: string[]): TypeAndNames[] {
  if (args.length === 0) throw new Error('You must specify the type of resource to get. Use "karmadactl api-resources" for a complete list of supported resources.');
  if (args.some((a) => a.includes('/'))) {
    const out: TypeAndNames[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash <= 0 || slash === a.length - 1) throw new Error(`arguments in resource/name form must have a single resource and name: ${JSON.stringify(a)}`);
      const type = a.slice(0, slash);
      const name = a.slice(slash + 1);
      if (name.includes('/')) throw new Error(`arguments in resource/name form must have a single resource and name: ${JSON.stringify(a)}`);
      const last = out.find((t) => t.type === type);
      if (last) last.names.push(name);
      else out.push({ type, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const list = types!.split(',').filter(Boolean);
  if (names.length > 0 && list.length > 1) throw new Error('you must specify only one resource type when naming resources: use TYPE/NAME for several');
  return list.map((type) => ({ type, names }));
}

/** every served resource: each group's preferred version first, core first */
export async function discoverResources(client: KubeClient): Promise<ResourceInfo[]> {
  const groups = await client.request<{ groups?: { name: string; preferredVersion?: { version: string }; versions: { version: string }[] }[] }>('GET', '/apis');
  const gvs: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
  for (const g of groups.groups ?? []) {
    const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
    for (const v of [preferred, ...g.versions.map((x) => x.version).filter((x) => x !== preferred)]) if (v) gvs.push({ group: g.name, version: v });
  }
  const lists = await Promise.all(gvs.map((gv) => client.resourcesFor(gv.group, gv.version).catch(() => [] as ResourceInfo[])));
  return lists.flat();
}

/** finds the resource a type argument names; NotFound-style error as kubectl's */
export function resolveType(type: string, resources: ResourceInfo[]): ResourceInfo {
  const t = type.toLowerCase();
  const matches = (r: ResourceInfo, name: string) => r.resource === name || r.kind.toLowerCase() === name || r.shortNames.includes(name);
  // bare names first (core group wins), then resource.group and resource.version.group
  let found = resources.find((r) => matches(r, t));
  if (!found && t.includes('.')) {
    const [name, ...rest] = t.split('.');
    const suffix = rest.join('.');
    found = resources.find((r) => matches(r, name!) && r.group === suffix) ?? resources.find((r) => matches(r, name!) && `${r.version}.${r.group}` === suffix);
  }
  if (!found) throw new Error(`the server doesn't have a resource type "${type}"`);
  return found;
}

/** `Error from server (NotFound): ...` as kubectl prints a StatusError */
export function describeError(err: unknown): string {
  if (err instanceof StatusError) return `Error from server (${err.status.reason || 'Unknown'}): ${err.status.message}`;
  return err instanceof Error ? err.message : String(err);
}
