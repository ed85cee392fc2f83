// The karmadactl commands that are kubectl's (pkg/karmadactl/{create,delete,edit,label,annotate,patch,
// explain,apiresources,describe,logs,exec,attach}): which cluster each one aims at, from Karmada's
// --operation-scope and --cluster flags, and the kubectl arguments left to run there.
import { flagValue, operationScope, splitFlags, type FlagSpec, type OperationScope } from './args.js';

interface WrappedCommand {
  /** scopes Karmada's command accepts; absent: control plane only */
  scopes?: OperationScope[];
  /** the member flag: `--cluster` (with -C for describe and logs) */
  clusterShort?: boolean;
  /** logs: a member cluster is required (Karmada: "must specify a cluster") */
  requiresCluster?: boolean;
  summary: string;
}

export const wrappedCommands: Record<string, WrappedCommand> = {
  create: { summary: 'Create a resource from a file or from stdin' },
  delete: { summary: 'Delete resources by file names, stdin, resources and names, or by resources and label selector' },
  edit: { summary: 'Edit a resource on the server' },
  label: { summary: 'Update the labels on a resource' },
  annotate: { summary: 'Update the annotations on a resource' },
  patch: { summary: 'Update fields of a resource' },
  explain: { scopes: ['karmada', 'members'], summary: 'Get documentation for a resource' },
  'api-resources': { scopes: ['karmada', 'members'], summary: 'Print the supported API resources on the server' },
  'api-versions': { scopes: ['karmada', 'members'], summary: 'Print the supported API versions on the server, in the form of "group/version"' },
  describe: { scopes: ['karmada', 'members'], clusterShort: true, summary: 'Show details of a specific resource or group of resources in a cluster' },
  exec: { scopes: ['karmada', 'members'], summary: 'Execute a command in a container in a cluster' },
  attach: { scopes: ['karmada', 'members'], summary: 'Attach to a running container' },
  logs: { requiresCluster: true, clusterShort: true, summary: 'Print the logs for a container in a pod in a cluster' },
};

interface WrappedPlan {
  /** undefined: the control plane */
  cluster?: string;
  kubectlArgs: string[];
  kubeconfig?: string;
  karmadaContext?: string;
}

/** where a wrapped command runs and with which kubectl arguments (Karmada's flag rules and messages) */
export function planWrapped(name: string, args: string[]): WrappedPlan {
  const cmd = wrappedCommands[name];
  if (!cmd) throw new Error(`unknown command "${name}" for "karmadactl"`);
  const specs: FlagSpec[] = [
    { name: 'kubeconfig', value: true },
    { name: 'karmada-context', value: true },
    ...(cmd.scopes ? [{ name: 'operation-scope', short: 's', value: true }] : []),
    ...(cmd.scopes || cmd.requiresCluster ? [{ name: 'cluster', ...(cmd.clusterShort ? { short: 'C' } : {}), value: true }] : []),
  ];
  const s = splitFlags(args, specs);
  const base = { kubeconfig: flagValue(s, 'kubeconfig'), karmadaContext: flagValue(s, 'karmada-context') };
  const cluster = flagValue(s, 'cluster');
  if (cmd.requiresCluster) {
    if (!cluster) throw new Error('must specify a cluster');
    return { ...base, cluster, kubectlArgs: [name, ...s.rest] };
  }
  if (!cmd.scopes) return { ...base, kubectlArgs: [name, ...s.rest] };
  const scope = operationScope(flagValue(s, 'operation-scope'), cmd.scopes);
  if (scope === 'members') {
    if (!cluster) throw new Error(`must specify a member cluster with --cluster when the operation scope is members`);
    return { ...base, cluster, kubectlArgs: [name, ...s.rest] };
  }
  return { ...base, kubectlArgs: [name, ...s.rest] };
}
