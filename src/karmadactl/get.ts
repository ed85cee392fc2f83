// `karmadactl get` (pkg/karmadactl/get): resources of the control plane and, with --operation-scope
// members|all and --clusters, of member clusters through the cluster proxy, printed as one table per
// type with CLUSTER and ADOPTION columns. Other output formats (-o yaml|json|name|jsonpath...) are
// kubectl's own, run once per cluster; --watch runs them together, merged (watch.ts).
import { isNotFound } from '../apimachinery/errors.js';
import type { Table } from '../apis/tables/table.js';
import { clusterGVR } from '../apis/karmada/gvr.js';
import type { KubeClient, ResourceInfo } from '../runtime/client.js';
import { flagList, flagValue, operationScope, splitFlags, type FlagSpec, type OperationScope } from './args.js';
import { memberProxyServer, runKubectl, type KubectlTarget } from './kubectl.js';
import { controlPlaneClusterName, formatClusterTables, tabulate, type ClusterTable } from './print.js';
import { watchClusters } from './watch.js';
import { describeError, discoverResources, parseTypeArgs, resolveType } from './resources.js';
import { getTable } from './tables.js';

export interface CommandContext {
  kubeconfig: string;
  context?: string;
  client: KubeClient;
  out: (s: string) => void;
  err: (s: string) => void;
}

/** flags karmadactl itself reads; the rest belongs to kubectl */
const karmadaFlags: FlagSpec[] = [
  { name: 'kubeconfig', value: true },
  { name: 'karmada-context', value: true },
  { name: 'operation-scope', short: 's', value: true },
  { name: 'clusters', short: 'C', value: true },
];

const tableFlags: FlagSpec[] = [
  { name: 'namespace', short: 'n', value: true },
  { name: 'all-namespaces', short: 'A', value: false },
  { name: 'labels', short: 'l', value: true },
  { name: 'selector', value: true },
  { name: 'field-selector', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'no-headers', value: false },
  { name: 'show-labels', value: false },
  { name: 'label-columns', short: 'L', value: true },
  { name: 'v', short: 'v', value: true },
  { name: 'ignore-not-found', value: false },
  { name: 'watch', short: 'w', value: false },
  { name: 'watch-only', value: false },
];

/** the member clusters a command with --operation-scope/--clusters reaches (Karmada's HandleClusterScopeFlags) */
export async function targetClusters(client: KubeClient, scope: OperationScope, clusters: string[]): Promise<string[]> {
  if (scope === 'karmada') return [];
  const all = (await client.list(clusterGVR)).items.map((c) => c.metadata.name!);
  if (clusters.length === 0) return all;
  const missing = clusters.filter((c) => !all.includes(c));
  if (missing.length) throw new Error(`clusters don't exist: ${missing.join(',')}`);
  return clusters;
}

/** kubectl aimed at the control plane, or at a member through the proxy */
export function targetFor(ctx: CommandContext, cluster?: string): KubectlTarget {
  return { kubeconfig: ctx.kubeconfig, context: ctx.context, ...(cluster ? { server: memberProxyServer(ctx.client.server, cluster) } : {}) };
}

function isTableOutput(output: string | undefined): boolean {
  return output === undefined || output === '' || output === 'wide';
}

export async function runGet(ctx: CommandContext, args: string[]): Promise<number> {
  const own = splitFlags(args, karmadaFlags);
  const scope = operationScope(flagValue(own, 'operation-scope'));
  const members = await targetClusters(ctx.client, scope, flagList(own, 'clusters'));
  const withControlPlane = scope !== 'members';
  const parsed = splitFlags(own.rest, tableFlags);
  const output = flagValue(parsed, 'output');
  const watching = !!(parsed.flags.watch || parsed.flags['watch-only']);

  if (!isTableOutput(output) || watching) {
    if (watching && members.length > 0) {
      const targets = [...(withControlPlane ? [{ cluster: controlPlaneClusterName, target: targetFor(ctx) }] : []), ...members.map((m) => ({ cluster: m, target: targetFor(ctx, m) }))];
      return watchClusters(targets, ['get', ...own.rest], isTableOutput(output), ctx.out, ctx.err);
    }
    let code = 0;
    if (withControlPlane) code = (await runKubectl(targetFor(ctx), ['get', ...own.rest])).code || code;
    for (const m of members) code = (await runKubectl(targetFor(ctx, m), ['get', ...own.rest])).code || code;
    return code;
  }
  const unknown = parsed.rest.find((a) => a.startsWith('-'));
  if (unknown) throw new Error(`karmadactl get's table output does not support ${unknown} here; use -o yaml|json|jsonpath=... (kubectl's printers)`);

  const types = parseTypeArgs(parsed.rest);
  const allNamespaces = !!parsed.flags['all-namespaces'];
  const namespace = flagValue(parsed, 'namespace') ?? ctx.client.defaultNamespace;
  const query = {
    labelSelector: flagValue(parsed, 'labels') ?? flagValue(parsed, 'selector'),
    fieldSelector: flagValue(parsed, 'field-selector'),
  };
  const ignoreNotFound = !!parsed.flags['ignore-not-found'];
  const targets: { cluster: string; controlPlane: boolean; base: string }[] = [
    ...(withControlPlane ? [{ cluster: controlPlaneClusterName, controlPlane: true, base: ctx.client.server }] : []),
    ...members.map((m) => ({ cluster: m, controlPlane: false, base: memberProxyServer(ctx.client.server, m) })),
  ];
  const errors: string[] = [];
  const fail = (t: { cluster: string; controlPlane: boolean }, err: unknown) =>
    errors.push(t.controlPlane ? describeError(err) : `cluster(${t.cluster}): ${describeError(err).replace(/^Error from server \(\w+\): /, '')}`);

  // resolve the types once per cluster (members may serve other resources)
  const resolved = await Promise.all(
    targets.map(async (t) => {
      let resources: ResourceInfo[];
      try {
        resources = t.controlPlane ? await discoverResources(ctx.client) : await discoverMember(ctx.client, t.cluster);
      } catch (err) {
        if (t.controlPlane) fail(t, err);
        else errors.push(`basic connection test to cluster(${t.cluster}) failed, please check authorization or network: ${describeError(err)}`);
        return undefined;
      }
      return types.map((ty) => {
        try {
          return resolveType(ty.type, resources);
        } catch (err) {
          fail(t, err);
          return undefined;
        }
      });
    }),
  );

  const blocks: string[] = [];
  const withKind = types.length > 1;
  for (let i = 0; i < types.length; i++) {
    const perCluster: ClusterTable[] = [];
    let info: ResourceInfo | undefined;
    await Promise.all(
      targets.map(async (t, ti) => {
        const r = resolved[ti]?.[i];
        if (!r) return;
        info ??= r;
        const tables = await fetchTables(ctx.client, t.base, r, types[i]!.names, allNamespaces ? undefined : namespace, query, ignoreNotFound, (err) => fail(t, err));
        for (const table of tables) perCluster.push({ cluster: t.cluster, controlPlane: t.controlPlane, table });
      }),
    );
    perCluster.sort((a, b) => targets.findIndex((t) => t.cluster === a.cluster) - targets.findIndex((t) => t.cluster === b.cluster));
    if (!info || perCluster.every((c) => c.table.rows.length === 0)) continue;
    const kindPrefix = withKind ? (info.group ? `${info.kind.toLowerCase()}.${info.group}` : info.kind.toLowerCase()) : undefined;
    const lines = formatClusterTables(perCluster, {
      wide: output === 'wide',
      allNamespaces: allNamespaces && info.namespaced,
      withKind: kindPrefix,
      noHeaders: !!parsed.flags['no-headers'],
      showLabels: !!parsed.flags['show-labels'],
      labelColumns: flagList(parsed, 'label-columns'),
      pods: info.group === '' && info.resource === 'pods',
    });
    blocks.push(tabulate(lines));
  }
  if (blocks.length) ctx.out(blocks.join('\n'));
  else if (errors.length === 0 && !ignoreNotFound) ctx.err(allNamespaces ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
  for (const e of errors) ctx.err(`${e}\n`);
  return errors.length ? 1 : 0;
}

async function discoverMember(client: KubeClient, cluster: string): Promise<ResourceInfo[]> {
  // the member's discovery, read through the control plane's proxy with the control plane's client
  const prefix = `/apis/cluster.karmada.io/v1alpha1/clusters/${encodeURIComponent(cluster)}/proxy`;
  const core = await client.request<{ resources: { name: string; kind: string; namespaced: boolean; shortNames?: string[]; verbs?: string[] }[] }>('GET', `${prefix}/api/v1`);
  const groups = await client.request<{ groups?: { name: string; preferredVersion?: { groupVersion: string } }[] }>('GET', `${prefix}/apis`);
  const lists = await Promise.all(
    [{ gv: 'v1', list: core }, ...(groups.groups ?? []).map((g) => ({ gv: g.preferredVersion?.groupVersion ?? '', list: undefined }))].map(async ({ gv, list }) => {
      if (!gv) return [];
      const l = list ?? (await client.request<typeof core>('GET', `${prefix}/apis/${gv}`).catch(() => ({ resources: [] })));
      const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
      return (l.resources ?? [])
        .filter((r) => !r.name.includes('/'))
        .map((r): ResourceInfo => ({ group: group!, version: version!, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [], shortNames: r.shortNames ?? [], subresources: [] }));
    }),
  );
  return lists.flat();
}

function resourceUrl(r: ResourceInfo, namespace: string | undefined, name?: string): string {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${prefix}${ns}/${r.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

async function fetchTables(
  client: KubeClient,
  base: string,
  r: ResourceInfo,
  names: string[],
  namespace: string | undefined,
  query: { labelSelector?: string; fieldSelector?: string },
  ignoreNotFound: boolean,
  fail: (err: unknown) => void,
): Promise<Table[]> {
  if (names.length === 0) {
    try {
      return [await getTable(client, base, resourceUrl(r, namespace), query)];
    } catch (err) {
      fail(err);
      return [];
    }
  }
  const out: Table[] = [];
  for (const name of names) {
    try {
      out.push(await getTable(client, base, resourceUrl(r, namespace ?? (r.namespaced ? 'default' : undefined), name)));
    } catch (err) {
      if (ignoreNotFound && isNotFound(err)) continue;
      fail(err);
    }
  }
  return out;
}
