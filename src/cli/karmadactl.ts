// karmadactl: the user CLI for a Karmada control plane, with Karmada's command set and flags
// (karmada-io/karmada cmd/karmadactl, pkg/karmadactl). Flags may come before the command name, as
// cobra allows. The commands Karmada takes from kubectl (create, delete, edit, label, annotate, patch,
// explain, api-resources, api-versions, describe, logs, exec, attach, and apply) run the installed
// kubectl against the control plane, or a member through the cluster proxy, as Karmada's do.
import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { homedir, platform, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNotFound } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { clusterGVR } from '../apis/karmada/gvr.js';
import { KubeClient } from '../runtime/client.js';
import { userAgent } from '../runtime/user-agent.js';
import { joinCluster, unjoinCluster } from '../controllers/cluster/join.js';
import { explainLiveBinding, renderExplanation } from '../karmadactl/explain.js';
import { flagList, flagValue, hoistGlobalFlags, splitFlags } from '../karmadactl/args.js';
import { goDurationFlag } from '../apimachinery/duration.js';
import { runGet, targetFor, type CommandContext } from '../karmadactl/get.js';
import { memberProxyServer, runKubectl } from '../karmadactl/kubectl.js';
import { cordonTaints, parseTaints, updateTaints, type Taint } from '../karmadactl/taint.js';
import { planWrapped, wrappedCommands } from '../karmadactl/wrapped.js';
import { checkSortBy, formatTopNodes, formatTopPods, nodeUsages, podUsages } from '../karmadactl/top.js';
import { applyStream, fetchRemote, loadDocuments, loadManifests, propagationPolicyFor } from '../karmadactl/apply.js';
import type { AggregatedStatusItem } from '../apis/karmada/binding.js';
import { notFoundToUndefined, promotionPolicy, templateFromMember } from '../karmadactl/promote.js';
import { asCustomization, checkCustomizations, executeBuiltinRule, executeRule, findRule, formatResults } from '../karmadactl/interpret.js';
import { completionOutput, completionScript, completionTarget } from '../karmadactl/completion.js';
import { registerFailoverCommand } from '../karmadactl/failover.js';
import { discoverResources, resolveType } from '../karmadactl/resources.js';
import { stringify } from 'yaml';
import { nodeGVR, nodeMetricsGVR, podMetricsGVR, secretGVR } from '../apis/builtin/gvr.js';

const cli = 'karmadactl';

/** --kubeconfig, else $KUBECONFIG, else ~/.kube/karmada.config (written by `karmada-ts up`), else ~/.kube/config */
function controlPlaneKubeconfig(flag?: string): string {
  if (flag) return flag;
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG.split(':')[0]!;
  const karmada = join(homedir(), '.kube', 'karmada.config');
  return existsSync(karmada) ? karmada : join(homedir(), '.kube', 'config');
}

interface GlobalOpts {
  kubeconfig?: string;
  karmadaContext?: string;
}

/** karmadactl's User-Agent on every request, to the control plane and to members */
const karmadactlAgent = userAgent('karmadactl');

function client(opts: GlobalOpts): KubeClient {
  const file = controlPlaneKubeconfig(opts.kubeconfig);
  if (!existsSync(file)) throw new Error(`the control plane kubeconfig ${file} does not exist: pass --kubeconfig or set KUBECONFIG`);
  return KubeClient.fromFile(file, { context: opts.karmadaContext, userAgent: karmadactlAgent });
}

function context(opts: GlobalOpts): CommandContext {
  return {
    kubeconfig: controlPlaneKubeconfig(opts.kubeconfig),
    context: opts.karmadaContext,
    client: client(opts),
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  };
}

function packageVersion(): string {
  try {
    const here = dirname(fileURLToPath(import.meta.url));
    return (JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Karmada's version.Info printed with %#v */
function versionLine(): string {
  const info = `version.Info{GitVersion:"v${packageVersion()}-karmada-ts", GitCommit:"", GitTreeState:"", BuildDate:"", GoVersion:"node${process.versions.node}", Compiler:"tsc", Platform:"${platform()}/${arch()}"}`;
  return `${cli} version: ${info}\n`;
}

const kubeconfigFlags = (cmd: Command) =>
  cmd
    .option('--kubeconfig <file>', 'Path to the kubeconfig file to use for CLI requests.')
    .option('--karmada-context <name>', 'The name of the kubeconfig context to use')
    .addOption(new Option('-v, --v <level>', 'number for the log level verbosity').hideHelp());

const kubectlNote = `Runs the installed kubectl (1.27 or newer; KARMADACTL_KUBECTL names another binary) against the Karmada control plane, or with --operation-scope members --cluster NAME against that member through /apis/cluster.karmada.io/v1alpha1/clusters/NAME/proxy, as Karmada's karmadactl embeds kubectl. Every kubectl flag of the command works.`;

async function runWrapped(name: string, args: string[]): Promise<number> {
  const plan = planWrapped(name, args);
  const ctx = context(plan);
  if (plan.cluster) {
    await ctx.client.get(clusterGVR, plan.cluster);
  }
  const r = await runKubectl(targetFor(ctx, plan.cluster), plan.kubectlArgs);
  return r.code;
}

async function runApply(args: string[]): Promise<number> {
  const own = splitFlags(args, [
    { name: 'kubeconfig', value: true },
    { name: 'karmada-context', value: true },
    { name: 'all-clusters', value: false },
    { name: 'cluster', short: 'C', value: true },
  ]);
  const ctx = context({ kubeconfig: flagValue(own, 'kubeconfig'), karmadaContext: flagValue(own, 'karmada-context') });
  const allClusters = !!own.flags['all-clusters'];
  const clusters = flagList(own, 'cluster');
  if (allClusters && clusters.length) throw new Error('--all-clusters and --cluster cannot be used together');
  if (!allClusters && clusters.length === 0) return (await runKubectl(targetFor(ctx), ['apply', ...own.rest])).code;
  if (clusters.length) {
    const known = new Set((await ctx.client.list(clusterGVR)).items.map((c) => c.metadata.name));
    const missing = clusters.filter((c) => !known.has(c));
    if (missing.length) throw new Error(missing.map((c) => `cluster ${c} does not exist`).join(', '));
  }
  const files = splitFlags(own.rest, [
    { name: 'filename', short: 'f', value: true },
    { name: 'recursive', short: 'R', value: false },
    { name: 'namespace', short: 'n', value: true },
    { name: 'kustomize', short: 'k', value: true },
  ]);
  if (files.flags.kustomize) throw new Error('-k is not supported with --all-clusters or --cluster by karmada-ts: render it first (kubectl kustomize DIR > f.yaml) and apply -f');
  const filenames = files.flags.filename ?? [];
  if (filenames.length === 0) throw new Error('must specify --filename (-f) with --all-clusters or --cluster');
  const namespace = flagValue(files, 'namespace') ?? ctx.client.defaultNamespace;
  const resources = await discoverResources(ctx.client);
  const objects: KubeObject[] = [];
  const fetched = await fetchRemote(filenames);
  for (const { objects: objs } of loadManifests(filenames, { recursive: !!files.flags.recursive, fetched })) {
    for (const obj of objs) {
      const info = resolveType(obj.kind!, resources.filter((r) => (r.group ? `${r.group}/${r.version}` : r.version) === obj.apiVersion));
      const ns = info.namespaced ? obj.metadata?.namespace || namespace : '';
      objects.push(obj, propagationPolicyFor(obj, ns, allClusters ? { allClusters: true } : { clusters }));
    }
  }
  const passthrough = [...(flagValue(files, 'namespace') ? ['-n', flagValue(files, 'namespace')!] : []), ...files.rest];
  return (await runKubectl(targetFor(ctx), ['apply', '-f', '-', ...passthrough], { input: applyStream(objects) })).code;
}

function commandFlags(cmd: Command): string[] {
  return cmd.options.filter((o) => !o.hidden).map((o) => o.long ?? o.short ?? '').filter(Boolean);
}

function buildProgram(): Command {
  const program = new Command(cli).description(`${cli} controls a Kubernetes Cluster Federation.`).showHelpAfterError();

  // ---- Basic Commands, Troubleshooting and Settings from kubectl: listed here, run by runWrapped ----
  for (const [name, w] of Object.entries(wrappedCommands)) {
    program
      .command(name)
      .summary(`${w.summary} (runs kubectl)`)
      .description(`${w.summary}. ${kubectlNote}`)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]');
  }
  program
    .command('get')
    .summary('Display one or many resources in Karmada control plane and member clusters.')
    .description(
      'Display one or many resources in Karmada control plane and member clusters. --operation-scope (-s) karmada|members|all and --clusters (-C) a,b choose the clusters; ' +
        'tables gain a CLUSTER column (Karmada for the control plane) and ADOPTION (Y: managed by Karmada, N: not, -: control plane; pods only with -o wide). Other -o formats and --watch are kubectl\'s, per cluster.',
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]');
  program
    .command('apply')
    .summary('Apply a configuration to a resource by file name or stdin, with --all-clusters or --cluster propagating it (runs kubectl)')
    .description(`Apply a configuration to a resource by file name or stdin. --all-clusters, or --cluster (-C) a,b, also applies a PropagationPolicy (ClusterPropagationPolicy for cluster-scoped kinds) per object, placing it on every member or on those. ${kubectlNote}`)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]');

  // ---- Cluster Registration Commands ----
  kubeconfigFlags(program.command('join <cluster>'))
    .description('Register a cluster to Karmada control plane with Push mode.')
    .requiredOption('--cluster-kubeconfig <file>', 'Path of the cluster\'s kubeconfig.')
    .option('--cluster-context <name>', 'Name of cluster context in kubeconfig. The current context is used by default.')
    .option('--cluster-namespace <ns>', 'Namespace in the control plane where member cluster secrets are stored.', 'karmada-cluster')
    .option('--cluster-provider <provider>', 'Provider of the joining cluster.')
    .option('--cluster-region <region>', 'The region of the joining cluster.')
    .option('--cluster-zones <zones>', 'The zones of the joining cluster, comma separated.')
    .option('--dry-run', 'Run the command in dry-run mode, without making any server requests.')
    .option('--karmada-as <user>', 'Username to impersonate for the operation in Karmada control plane (not supported by karmada-ts yet)')
    .option('--karmada-as-group <group>', 'Group to impersonate (not supported by karmada-ts yet)')
    .option('--karmada-as-uid <uid>', 'UID to impersonate (not supported by karmada-ts yet)')
    .action(async (name: string, opts: GlobalOpts & { clusterKubeconfig: string; clusterContext?: string; clusterNamespace: string; clusterProvider?: string; clusterRegion?: string; clusterZones?: string; dryRun?: boolean; karmadaAs?: string; karmadaAsGroup?: string; karmadaAsUid?: string }) => {
      if (opts.karmadaAs || opts.karmadaAsGroup || opts.karmadaAsUid) throw new Error('--karmada-as, --karmada-as-group and --karmada-as-uid (impersonation) are not supported by karmada-ts yet: use a kubeconfig user with the rights needed');
      if (opts.clusterNamespace !== 'karmada-cluster') throw new Error('karmada-ts keeps member credentials in karmada-cluster: --cluster-namespace cannot change it yet');
      const memberKubeconfig = readFileSync(opts.clusterKubeconfig, 'utf8');
      if (!opts.dryRun) {
        await joinCluster(client(opts), {
          name,
          memberKubeconfig,
          memberContext: opts.clusterContext,
          provider: opts.clusterProvider,
          region: opts.clusterRegion,
          zones: opts.clusterZones?.split(',').map((z) => z.trim()).filter(Boolean),
        });
      }
      process.stdout.write(`cluster(${name}) is joined successfully\n`);
    });

  kubeconfigFlags(program.command('unjoin <cluster>'))
    .summary('Remove a cluster from Karmada control plane')
    .description(
      'Remove a Push-mode cluster from Karmada control plane: deletes the Cluster, waits for its finalizers (its Works and execution namespace cleaned up), then its credentials. ' +
        'karmada-ts\'s join creates nothing in the member, so --cluster-kubeconfig is only checked.',
    )
    .option('--cluster-kubeconfig <file>', 'Path of the cluster\'s kubeconfig.')
    .option('--cluster-context <name>', 'Context name of cluster in kubeconfig.')
    .option('--cluster-namespace <ns>', 'Namespace in the control plane where member cluster secrets are stored.', 'karmada-cluster')
    .option('--wait <duration>', 'wait for the unjoin command execution process (default 60s); A timeout error occurs if it fails to complete within the period.', '60s')
    .option('--force', 'When the cluster cannot be deleted in time, remove the finalizers of its Works, execution namespace and Cluster (resources may remain in the member).')
    .option('--dry-run', 'Run the command in dry-run mode, without making any server requests.')
    .action(async (name: string, opts: GlobalOpts & { clusterKubeconfig?: string; clusterContext?: string; clusterNamespace: string; wait: string; force?: boolean; dryRun?: boolean }) => {
      const waitMs = goDurationFlag(opts.wait, 'wait');
      if (waitMs <= 0) throw new Error(` --wait ${opts.wait}  must be a positive duration, e.g. 1m0s `);
      if (opts.clusterKubeconfig) {
        const kc = KubeClient.fromFile(opts.clusterKubeconfig, { context: opts.clusterContext, userAgent: karmadactlAgent });
        if (!kc.server) throw new Error(`the cluster kubeconfig ${opts.clusterKubeconfig} has no server for context ${opts.clusterContext ?? '(current)'}`);
      }
      await unjoinCluster(client(opts), name, { waitMs, force: opts.force, dryRun: opts.dryRun, clusterNamespace: opts.clusterNamespace });
      process.stdout.write(`cluster(${name}) is unjoined successfully\n`);
    });

  const zonesOf = (z?: string) => z?.split(',').map((x) => x.trim()).filter(Boolean);
  program
    .command('register <karmada-apiserver-endpoint>')
    .summary('Register a cluster to Karmada control plane with Pull mode')
    .description('Register a cluster to Karmada control plane with Pull mode: token-based discovery of the control plane, certificates for karmada-agent through auto-approved CSRs, then karmada-agent started beside the member (for karmada-ts: a process, its files under $KARMADA_TS_AGENT_DIR or ~/.karmada-ts/agents/<cluster>).')
    .option('--kubeconfig <file>', 'Path to the kubeconfig file of member cluster.')
    .option('--context <name>', 'Name of the cluster context in kubeconfig file.')
    .option('--cluster-name <name>', 'The name of member cluster in the control plane, if not specified, the cluster of current-context is used by default.')
    .option('--cluster-provider <provider>', 'Provider of the joining cluster.')
    .option('--cluster-region <region>', 'The region of the joining cluster.')
    .option('--cluster-zones <zones>', 'The zones of the joining cluster, comma separated.')
    .option('--token <token>', 'For token-based discovery, the token used to validate cluster information fetched from the API server.')
    .option('--discovery-token-ca-cert-hash <hash>', 'For token-based discovery, validate that the root CA public key matches this hash (format: "<type>:<value>").', (v: string, prev: string[] = []) => [...prev, ...v.split(',')])
    .option('--discovery-token-unsafe-skip-ca-verification', 'For token-based discovery, allow joining without --discovery-token-ca-cert-hash pinning.')
    .option('--discovery-timeout <duration>', 'The timeout to discovery karmada apiserver client.', '5m0s')
    .action(async (endpoint: string, opts: { kubeconfig?: string; context?: string; clusterName?: string; clusterProvider?: string; clusterRegion?: string; clusterZones?: string; token?: string; discoveryTokenCaCertHash?: string[]; discoveryTokenUnsafeSkipCaVerification?: boolean; discoveryTimeout: string }) => {
      if (!opts.token) throw new Error('token is required');
      if (!opts.discoveryTokenUnsafeSkipCaVerification && !opts.discoveryTokenCaCertHash?.length) throw new Error('need to verify CACertHashes, or set --discovery-token-unsafe-skip-ca-verification=true');
      const file = opts.kubeconfig ?? process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config');
      if (!existsSync(file)) throw new Error(`failed to read kubeconfig file ${file}: it does not exist`);
      const memberClient = KubeClient.fromFile(file, { context: opts.context, userAgent: karmadactlAgent });
      const clusterName = opts.clusterName ?? memberClient.kubeConfig.getCurrentCluster()?.name ?? '';
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(clusterName) || clusterName.length > 48) throw new Error(`invalid cluster name(${clusterName}): must be no more than 48 characters of lower case alphanumerics or '-', starting and ending with an alphanumeric`);
      const { register } = await import('../karmadactl/register.js');
      await register({
        endpoint: endpoint.replace(/^https?:\/\//, ''),
        token: opts.token,
        caCertHashes: opts.discoveryTokenCaCertHash ?? [],
        unsafeSkipCAVerification: opts.discoveryTokenUnsafeSkipCaVerification,
        clusterName,
        memberKubeconfig: memberClient.kubeConfig.exportConfig(),
        provider: opts.clusterProvider,
        region: opts.clusterRegion,
        zones: zonesOf(opts.clusterZones),
        timeoutMs: goDurationFlag(opts.discoveryTimeout, 'discovery-timeout'),
        out: (line) => process.stdout.write(`${line}\n`),
      });
    });

  program
    .command('unregister <cluster>')
    .summary('Remove a pull-mode cluster from Karmada control plane')
    .description('Remove a Pull-mode cluster: deletes its Cluster (waiting for its Works to be cleaned up by its agent), stops the agent, removes its RBAC and the karmada-kubeconfig secret in the member.')
    .option('--cluster-kubeconfig <file>', 'Path of the cluster\'s kubeconfig.')
    .option('--cluster-context <name>', 'Context name of cluster in kubeconfig.')
    .option('--karmada-config <file>', 'Path of the Karmada control plane kubeconfig (default: the agent kubeconfig kept in the member).')
    .option('--karmada-context <name>', 'Context in the Karmada control plane kubeconfig.')
    .option('--wait <duration>', 'wait for the unregister to finish', '60s')
    .action(async (name: string, opts: { clusterKubeconfig?: string; clusterContext?: string; karmadaConfig?: string; karmadaContext?: string; wait: string }) => {
      const { unregister } = await import('../karmadactl/register.js');
      const memberKubeconfig = opts.clusterKubeconfig ? KubeClient.fromFile(opts.clusterKubeconfig, { context: opts.clusterContext, userAgent: karmadactlAgent }).kubeConfig.exportConfig() : undefined;
      const controlPlane = opts.karmadaConfig ? KubeClient.fromFile(opts.karmadaConfig, { context: opts.karmadaContext, userAgent: karmadactlAgent }) : undefined;
      await unregister({ clusterName: name, controlPlane, memberKubeconfig, timeoutMs: goDurationFlag(opts.wait, 'wait'), out: (line) => process.stdout.write(`${line}\n`) });
    });

  const token = program.command('token').summary('Manage bootstrap tokens').description('Manage bootstrap tokens: bootstrap.kubernetes.io/token Secrets in kube-system that let `karmadactl register` reach the control plane.');
  kubeconfigFlags(token.command('create'))
    .description('Create bootstrap tokens on the server')
    .option('--print-register-command', 'Instead of printing only the token, print the full \'karmadactl register\' flag needed to register the member cluster using the token.')
    .option('--ttl <duration>', 'The duration before the token is automatically deleted (e.g. 1s, 2m, 3h). If set to \'0\', the token will never expire', '24h0m0s')
    .option('--description <text>', 'A human friendly description of how this token is used.')
    .option('--usages <list>', 'Describes the ways in which this token can be used.', 'signing,authentication')
    .option('--groups <list>', 'Extra groups that this token will authenticate as when used for authentication.', 'system:bootstrappers:karmada:default-cluster-token')
    .action(async (opts: GlobalOpts & { printRegisterCommand?: boolean; ttl: string; description?: string; usages: string; groups: string }) => {
      const t = await import('../karmadactl/token.js');
      const ttlMs = opts.ttl === '0' ? 0 : goDurationFlag(opts.ttl, 'ttl');
      const value = t.generateToken();
      const secret = t.tokenSecret(value, { ttlMs, description: opts.description, usages: zonesOf(opts.usages), groups: zonesOf(opts.groups) }, Date.now());
      const c = client(opts);
      await c.create(secret);
      if (!opts.printRegisterCommand) return void process.stdout.write(`${value}\n`);
      const ca = c.kubeConfig.getCurrentCluster()?.caData;
      const caPem = ca ? Buffer.from(ca, 'base64').toString('utf8') : c.kubeConfig.getCurrentCluster()?.caFile ? readFileSync(c.kubeConfig.getCurrentCluster()!.caFile!, 'utf8') : undefined;
      if (!caPem) throw new Error('the control plane kubeconfig has no certificate authority: cannot compute --discovery-token-ca-cert-hash');
      process.stdout.write(`${t.registerCommandLine(c.server, value, t.caCertHash(caPem))}\n`);
    });
  kubeconfigFlags(token.command('list'))
    .description('List bootstrap tokens on the server')
    .action(async (opts: GlobalOpts) => {
      const t = await import('../karmadactl/token.js');
      const { bootstrapTokenType } = await import('../apiserver/auth/bootstrap/tokens.js');
      const list = await client(opts).list(secretGVR, { namespace: 'kube-system' });
      const tokens = list.items.filter((s) => s.type === bootstrapTokenType);
      if (!tokens.length) return void process.stdout.write('No resources found.\n');
      process.stdout.write(t.formatTokenList(tokens, Date.now()));
    });
  kubeconfigFlags(token.command('delete <token-values...>'))
    .description('Delete bootstrap tokens on the server')
    .action(async (values: string[], opts: GlobalOpts) => {
      const t = await import('../karmadactl/token.js');
      const c = client(opts);
      for (const v of values) {
        const id = t.tokenIdOf(v);
        try {
          await c.delete(secretGVR, `bootstrap-token-${id}`, { namespace: 'kube-system' });
        } catch (err) {
          if (isNotFound(err)) throw new Error(`bootstrap token "${id}" not found`);
          throw err;
        }
        process.stdout.write(`bootstrap token "${id}" deleted\n`);
      }
    });
  // Karmada's installation commands: karmada-ts has nothing to install, each says what to run instead
  const installedOtherwise = (name: string, summary: string, description: string, instead: string) =>
    program
      .command(name)
      .summary(summary)
      .description(description)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action(() => {
        throw new Error(`${name}: ${instead}`);
      });
  installedOtherwise(
    'init',
    'Install the Karmada control plane: with karmada-ts, run `karmada-ts up`',
    'Install the Karmada control plane. In karmada-ts the control plane is one process: run `karmada-ts up` (playground with members) or `karmada-ts apiserver|controller-manager|scheduler`.',
    'karmada-ts does not install into a host cluster; start the control plane with `karmada-ts up` (writes ~/.kube/karmada.config), or `karmada-ts apiserver --data-dir DIR --port N` plus `karmada-ts controller-manager` and `karmada-ts scheduler`',
  );
  installedOtherwise(
    'deinit',
    'Remove the Karmada control plane: with karmada-ts, stop `karmada-ts up`',
    'Remove the Karmada control plane. In karmada-ts: stop `karmada-ts up` (Ctrl-C) and delete its --data-dir.',
    'karmada-ts runs as processes, not in a host cluster; stop `karmada-ts up` (Ctrl-C) and remove its --data-dir to delete its state',
  );
  installedOtherwise(
    'addons',
    'Enable or disable Karmada addons: none are separate in karmada-ts',
    'Enable or disable Karmada addons (descheduler, scheduler-estimator, search, metrics-adapter). In karmada-ts the estimators run inside the scheduler, karmada-search and karmada-metrics-adapter inside the API server, and the descheduler is `karmada-ts descheduler`.',
    'karmada-ts has no separate addons; the scheduler estimators (general and accurate) are built into `karmada-ts scheduler`, karmada-search and karmada-metrics-adapter are served by the API server, and the descheduler runs as `karmada-ts descheduler`',
  );

  registerFailoverCommand(program, kubeconfigFlags, client);

  // ---- Cluster Management Commands ----
  for (const cordon of [true, false]) {
    const name = cordon ? 'cordon' : 'uncordon';
    kubeconfigFlags(program.command(`${name} <cluster>`))
      .description(cordon ? 'Mark cluster as unschedulable (adds the cluster.karmada.io/unschedulable:NoSchedule taint)' : 'Mark cluster as schedulable')
      .option('--dry-run', 'Run the command in dry-run mode, without making any server requests.')
      .action(async (clusterName: string, opts: GlobalOpts & { dryRun?: boolean }) => {
        const c = client(opts);
        const cluster = await c.get(clusterGVR, clusterName);
        const taints = cordonTaints(((cluster.spec as { taints?: Taint[] })?.taints ?? []), cordon);
        if (!taints) {
          process.stdout.write(`${clusterName} cluster already ${name}ed\n`);
          return;
        }
        if (!opts.dryRun) await c.patch(clusterGVR, clusterName, { spec: { taints: taints.length ? taints : null } }, { type: 'merge' });
        process.stdout.write(`${clusterName} cluster ${name}ed\n`);
      });
  }

  kubeconfigFlags(program.command('taint'))
    .summary('Update the taints on one or more clusters')
    .description('Update the taints on one or more clusters: taint clusters NAME... KEY[=VALUE]:EFFECT (add), KEY[:EFFECT]- (remove). The effect must be NoSchedule, PreferNoSchedule or NoExecute.')
    .argument('<args...>', 'cluster(s) NAME... then taint changes')
    .option('--overwrite', 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.')
    .option('--dry-run', 'Run the command in dry-run mode, without making any server requests.')
    .action(async (args: string[], opts: GlobalOpts & { overwrite?: boolean; dryRun?: boolean }) => {
      const resources: string[] = [];
      const specs: string[] = [];
      for (const a of args) {
        const isTaint = a.includes('=') || a.includes(':') || a.endsWith('-');
        if (isTaint) specs.push(a);
        else if (specs.length) throw new Error(`all resources must be specified before taint changes: ${a}`);
        else resources.push(a);
      }
      if (resources.length < 1) throw new Error('one or more resources must be specified as <resource> <name>');
      if (specs.length < 1) throw new Error('at least one taint update is required');
      const { add, remove } = parseTaints(specs);
      const type = resources[0]!.toLowerCase();
      if (type !== 'cluster' && type !== 'clusters') throw new Error(`invalid resource type ${resources[0]}, only ["cluster" "clusters"] are supported`);
      if (resources.length < 2) throw new Error('at least one resource name must be specified');
      const c = client(opts);
      for (const name of resources.slice(1)) {
        const cluster = await c.get(clusterGVR, name);
        const { taints, operation } = updateTaints(name, (cluster.spec as { taints?: Taint[] })?.taints ?? [], add, remove, !!opts.overwrite);
        if (!opts.dryRun) await c.patch(clusterGVR, name, { spec: { taints: taints.length ? taints : null } }, { type: 'merge' });
        process.stdout.write(`cluster/${name} ${operation}\n`);
      }
    });

  // ---- Troubleshooting and Debugging / Advanced ----
  kubeconfigFlags(program.command('interpret'))
    .summary('Validate and test interpreter customization before applying it to the control plane')
    .description('Validate (--check) or run (--operation) the Lua rules of a ResourceInterpreterCustomization file with karmada-ts\'s interpreter, locally. Without -f, --operation runs karmada-ts\'s built-in interpretation (third-party and native) of the given object.')
    .option('-f, --filename <file>', 'Filename of the ResourceInterpreterCustomization(s)')
    .option('--operation <op>', 'The interpret operation to use. One of: (Retain,InterpretReplica,InterpretComponent,ReviseReplica,InterpretStatus,AggregateStatus,InterpretHealth,InterpretDependency)')
    .option('--check', 'Validates the given ResourceInterpreterCustomization configuration(s)')
    .option('--desired-file <file>', 'The resource to use as desiredObj argument in rule script.')
    .option('--observed-file <file>', 'The resource to use as observedObj argument in rule script.')
    .option('--status-file <file>', 'The AggregatedStatusItems to use as statusItems argument in rule script (- for stdin).')
    .option('--desired-replica <n>', 'The desiredReplica argument in rule script.', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new Error(`invalid argument "${v}" for "--desired-replica" flag: not an integer`);
      return n;
    })
    .option('--edit', 'Edit customizations (not supported by karmada-ts: edit the file)')
    .action(async (opts: GlobalOpts & { filename?: string; operation?: string; check?: boolean; desiredFile?: string; observedFile?: string; statusFile?: string; desiredReplica?: number; edit?: boolean }) => {
      if (opts.edit) throw new Error('--edit is not supported by karmada-ts: edit the customization file and run --check');
      const loaded = opts.filename ? loadManifests([opts.filename]).flatMap((f) => f.objects.map((obj) => ({ source: f.source, obj }))) : [];
      if (opts.check && !opts.filename) throw new Error('must specify -f (the ResourceInterpreterCustomization file) to check');
      if (opts.check) {
        const r = await checkCustomizations(loaded);
        process.stdout.write(r.text);
        if (r.failed) process.exitCode = 1;
        return;
      }
      if (!opts.operation) throw new Error('operation is not set for executing');
      findRule(opts.operation);
      if (loaded.length > 1) throw new Error(`get ${loaded.length} objects, expect one at most`);
      const one = (file?: string) => (file ? loadManifests([file]).flatMap((f) => f.objects)[0] : undefined);
      const status = opts.statusFile ? (loadDocuments(opts.statusFile) as AggregatedStatusItem[]) : undefined;
      try {
        const args = { desired: one(opts.desiredFile), observed: one(opts.observedFile), status, replica: opts.desiredReplica };
        // without -f: what karmada-ts's own (third-party and native) interpretation says
        const results = loaded.length > 0 ? await executeRule(asCustomization(loaded[0]!.obj), opts.operation, args) : await executeBuiltinRule(opts.operation, args);
        process.stdout.write(formatResults(results));
      } catch (err) {
        process.stderr.write(`Execute ${findRule(opts.operation).name} error: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    });

  kubeconfigFlags(program.command('promote <type> <name>'))
    .summary('Promote resources from legacy clusters to Karmada control plane')
    .description(
      'Promote a resource from a legacy cluster to Karmada control plane: its copy becomes the resource template (conflict-resolution overwrite) and a PropagationPolicy ' +
        '(ClusterPropagationPolicy for cluster-scoped kinds) places it on that cluster with conflictResolution Overwrite, so Karmada adopts the running object without recreating it.',
    )
    .option('-n, --namespace <ns>', 'If present, the namespace scope for this CLI request.')
    .option('-C, --cluster <name>', 'Name of the legacy cluster (e.g. -C=member1)')
    .option('--cluster-kubeconfig <file>', 'Path of the cluster\'s kubeconfig (default: reach it through the cluster proxy).')
    .option('--cluster-context <name>', 'Context name of legacy cluster in kubeconfig.')
    .option('--auto-create-policy', 'Automatically create a PropagationPolicy for namespace-scoped resources or ClusterPropagationPolicy for cluster-scoped resources.', true)
    .option('--no-auto-create-policy', 'Only create the resource template.')
    .option('--policy-name <name>', 'The name of the PropagationPolicy(or ClusterPropagationPolicy) that is automatically created after promotion.')
    .option('-o, --output <format>', 'Output format. One of: json|yaml')
    .option('-d, --dependencies', 'Promote resource with its dependencies automatically: the ConfigMaps, Secrets, PVCs and ServiceAccounts it uses become templates too, and the policy propagates them with it (propagateDeps)')
    .option('--dry-run', 'Run the command in dry-run mode, without making any server requests.')
    .action(async (type: string, name: string, opts: GlobalOpts & { namespace?: string; cluster?: string; clusterKubeconfig?: string; clusterContext?: string; autoCreatePolicy: boolean; policyName?: string; output?: string; dependencies?: boolean; dryRun?: boolean }) => {
      if (!opts.cluster) throw new Error('the cluster cannot be empty');
      if (opts.output && opts.output !== 'yaml' && opts.output !== 'json') throw new Error('invalid output format: supported formats are json and yaml');
      const cp = client(opts);
      const namespace = opts.namespace ?? cp.defaultNamespace;
      const member = opts.clusterKubeconfig
        ? KubeClient.fromFile(opts.clusterKubeconfig, { context: opts.clusterContext || opts.cluster, userAgent: karmadactlAgent })
        : memberThroughProxy(cp, opts, opts.cluster);
      if (!opts.clusterKubeconfig) await cp.get(clusterGVR, opts.cluster);
      let info;
      let obj: KubeObject;
      try {
        info = resolveType(type, await discoverResources(member));
        obj = await member.get({ group: info.group, version: info.version, resource: info.resource }, name, { namespace: info.namespaced ? namespace : undefined });
      } catch (err) {
        throw new Error(`failed to get resource in cluster(${opts.cluster}). err: ${err instanceof Error ? err.message : String(err)}`);
      }
      const gvr = `${info.group ? `${info.group}/` : ''}${info.version}, Resource=${info.resource}`;
      const where = info.namespaced ? `${namespace}/${name}` : name;
      const template = templateFromMember(obj);
      const policy = promotionPolicy(info, name, namespace, opts.cluster, { policyName: opts.policyName, deps: opts.dependencies });
      if (opts.output) {
        const print = (o: KubeObject) => (opts.output === 'json' ? `${JSON.stringify(o, null, 4)}\n` : stringify(o));
        process.stdout.write(print(template) + (opts.autoCreatePolicy ? (opts.output === 'yaml' ? '---\n' : '') + print(policy) : ''));
        return;
      }
      if (opts.dryRun) return;
      const existing = await cp.get({ group: info.group, version: info.version, resource: info.resource }, name, { namespace: info.namespaced ? namespace : undefined }).catch(notFoundToUndefined);
      if (existing) {
        process.stderr.write(`Resource "${gvr}"(${where}) already exist in karmada control plane, you can edit PropagationPolicy and OverridePolicy to propagate it\n`);
        return;
      }
      await cp.create(template, { namespace: info.namespaced ? namespace : undefined }).catch((err) => {
        throw new Error(`failed to create resource "${gvr}"(${where}) in control plane: ${err instanceof Error ? err.message : String(err)}`);
      });
      process.stdout.write(`ResourceTemplate (${namespace}/${name}) is created successfully\n`);
      if (opts.autoCreatePolicy) {
        const policyGVR = { group: 'policy.karmada.io', version: 'v1alpha1', resource: info.namespaced ? 'propagationpolicies' : 'clusterpropagationpolicies' };
        const pname = policy.metadata.name!;
        const there = await cp.get(policyGVR, pname, { namespace: info.namespaced ? namespace : undefined }).catch(notFoundToUndefined);
        if (there) throw new Error(info.namespaced ? `the PropagationPolicy(${namespace}/${pname}) already exist, please edit it to propagate resource` : `the ClusterPropagationPolicy(${pname}) already exist, please edit it to propagate resource`);
        await cp.create(policy, { namespace: info.namespaced ? namespace : undefined });
        process.stdout.write(info.namespaced ? `PropagationPolicy (${namespace}/${pname}) is created successfully\n` : `ClusterPropagationPolicy ${pname} is created successfully\n`);
      }
      process.stdout.write(`Resource "${gvr}"(${where}) is promoted successfully\n`);
      if (!opts.dependencies) return;
      // each dependency becomes a template of its own; the policy's propagateDeps places it with the workload
      const { createDefaultInterpreter } = await import('../interpreter/index.js');
      const memberResources = await discoverResources(member);
      for (const dep of createDefaultInterpreter().getDependencies(obj)) {
        if (!dep.name) continue;
        const depInfo = resolveType(dep.kind.toLowerCase(), memberResources.filter((r) => (r.group ? `${r.group}/${r.version}` : r.version) === dep.apiVersion));
        const depGVR = { group: depInfo.group, version: depInfo.version, resource: depInfo.resource };
        const depWhere = `${dep.namespace ?? namespace}/${dep.name}`;
        const depObj = await member.get(depGVR, dep.name, { namespace: dep.namespace ?? namespace }).catch(notFoundToUndefined);
        if (!depObj) {
          process.stderr.write(`dependency ${dep.kind}(${depWhere}) does not exist in cluster(${opts.cluster}), skipped\n`);
          continue;
        }
        if (await cp.get(depGVR, dep.name, { namespace: dep.namespace ?? namespace }).catch(notFoundToUndefined)) {
          process.stderr.write(`Resource "${depInfo.group ? `${depInfo.group}/` : ''}${depInfo.version}, Resource=${depInfo.resource}"(${depWhere}) already exist in karmada control plane, you can edit PropagationPolicy and OverridePolicy to propagate it\n`);
          continue;
        }
        await cp.create(templateFromMember(depObj), { namespace: dep.namespace ?? namespace });
        process.stdout.write(`ResourceTemplate (${depWhere}) is created successfully\nResource "${depInfo.group ? `${depInfo.group}/` : ''}${depInfo.version}, Resource=${depInfo.resource}"(${depWhere}) is promoted successfully\n`);
      }
    });

  const top = program.command('top').description('Display resource (CPU/memory) usage of member clusters (metrics.k8s.io, through the cluster proxy).');
  kubeconfigFlags(top.command('node [name]'))
    .description('Display resource (CPU/memory) usage of nodes in member clusters.')
    .option('-C, --clusters <names>', 'Used to specify target member clusters, for example: --clusters=member1,member2')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--sort-by <field>', "If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'.")
    .option('--no-headers', 'If present, print output without headers')
    .action(async (name: string | undefined, opts: GlobalOpts & { clusters?: string; selector?: string; sortBy?: string; headers: boolean }) => {
      const sortBy = checkSortBy(opts.sortBy);
      const cp = client(opts);
      const clusters = await memberTargets(cp, opts.clusters);
      const usages = [];
      const errors: string[] = [];
      for (const c of clusters) {
        const m = memberThroughProxy(cp, opts, c);
        try {
          const nodes = name ? [await m.get(nodeGVR, name)] : (await m.list(nodeGVR, { labelSelector: opts.selector })).items;
          const metrics = name
            ? [await m.get(nodeMetricsGVR, name)]
            : (await m.list(nodeMetricsGVR, { labelSelector: opts.selector })).items;
          usages.push(...nodeUsages(c, metrics, nodes));
        } catch (err) {
          if (name && isNotFound(err)) continue;
          errors.push(`cluster(${c}): ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (name && usages.length === 0 && errors.length === 0) errors.push(`nodes "${name}" not found`);
      process.stdout.write(formatTopNodes(usages, { noHeaders: !opts.headers, sortBy }));
      for (const e of errors) process.stderr.write(`error: ${e}\n`);
      if (errors.length) process.exitCode = 1;
    });
  kubeconfigFlags(top.command('pod [name]'))
    .description('Display resource (CPU/memory) usage of pods in member clusters.')
    .option('-n, --namespace <ns>', 'If present, the namespace scope for this CLI request.')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces.')
    .option('-C, --clusters <names>', '-C=member1,member2')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on')
    .option('--sort-by <field>', "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'.")
    .option('--containers', 'If present, print usage of containers within a pod.')
    .option('--sum', 'Print the sum of the resource usage')
    .option('--no-headers', 'If present, print output without headers.')
    .action(async (name: string | undefined, opts: GlobalOpts & { namespace?: string; allNamespaces?: boolean; clusters?: string; selector?: string; fieldSelector?: string; sortBy?: string; containers?: boolean; sum?: boolean; headers: boolean }) => {
      const sortBy = checkSortBy(opts.sortBy);
      const cp = client(opts);
      const clusters = await memberTargets(cp, opts.clusters);
      const namespace = opts.allNamespaces ? undefined : (opts.namespace ?? cp.defaultNamespace);
      const usages = [];
      const errors: string[] = [];
      for (const c of clusters) {
        const m = memberThroughProxy(cp, opts, c);
        try {
          const items = name ? [await m.get(podMetricsGVR, name, { namespace })] : (await m.list(podMetricsGVR, { namespace, labelSelector: opts.selector, fieldSelector: opts.fieldSelector })).items;
          usages.push(...podUsages(c, items));
        } catch (err) {
          if (name && isNotFound(err)) continue;
          errors.push(`cluster(${c}): ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (name && usages.length === 0 && errors.length === 0) errors.push(`pods "${name}" not found`);
      if (!name && usages.length === 0 && errors.length === 0) process.stderr.write(namespace ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
      process.stdout.write(formatTopPods(usages, { noHeaders: !opts.headers, sortBy, allNamespaces: !!opts.allNamespaces, containers: opts.containers, sum: opts.sum }));
      for (const e of errors) process.stderr.write(`error: ${e}\n`);
      if (errors.length) process.exitCode = 1;
    });

  kubeconfigFlags(program.command('schedule <binding>'))
    .summary('Explain what the scheduler would do with a live binding now, and why (karmada-ts)')
    .description(
      'show what the scheduler would do with a live binding now, and why, without changing anything: ' +
        'the trigger, the would-be clusters and per cluster the filters, scores and estimated replicas ' +
        '(general estimator from the resource summary, accurate one from the members\' Nodes and Pods). ' +
        'BINDING is rb/NAME (ResourceBinding) or crb/NAME (ClusterResourceBinding). Exits 1 when the binding would not fit.',
    )
    .option('-n, --namespace <ns>', 'namespace of a ResourceBinding (default: the context\'s, else default)')
    .option('-o, --output <format>', 'yaml or json instead of the table')
    .option('--no-accurate', "leave the members' Nodes and Pods out (general estimator only)")
    .option('--scheduler-name <name>', 'the scheduler to judge the trigger for', 'default-scheduler')
    .action(async (ref: string, opts: GlobalOpts & { namespace?: string; output?: string; accurate: boolean; schedulerName: string }) => {
      if (opts.output !== undefined && opts.output !== 'yaml' && opts.output !== 'json') throw new Error(`unknown output format ${JSON.stringify(opts.output)}: use yaml or json`);
      const x = await explainLiveBinding(client(opts), ref, { namespace: opts.namespace, accurate: opts.accurate, schedulerName: opts.schedulerName });
      process.stdout.write(renderExplanation(x, opts.output));
      if (!x.result.ok) process.exitCode = 1;
    });

  // ---- Settings and Other ----
  program
    .command('completion <shell>')
    .addOption(new Option('-v, --v <level>', 'number for the log level verbosity').hideHelp())
    .description('Output shell completion code for the specified shell (bash or zsh).')
    .action((shell: string) => {
      const cmds = program.commands.map((c) => ({ name: c.name(), flags: commandFlags(c) }));
      process.stdout.write(completionScript(shell, cli, cmds));
    });
  program
    .command('options')
    .description('Print the list of flags inherited by all commands')
    .action(() => {
      process.stdout.write(
        'The following options can be passed to any command:\n\n' +
          '    --kubeconfig=\'\':\n\tPath to the kubeconfig file to use for CLI requests (default: $KUBECONFIG, ~/.kube/karmada.config, ~/.kube/config).\n\n' +
          '    --karmada-context=\'\':\n\tThe name of the kubeconfig context to use.\n\n' +
          '    -v, --v=0:\n\tnumber for the log level verbosity (accepted for compatibility).\n',
      );
    });
  program
    .command('version')
    .addOption(new Option('-v, --v <level>', 'number for the log level verbosity').hideHelp())
    .description('Print the version information')
    .action(() => {
      process.stdout.write(versionLine());
    });

  return program;
}

/** a client for a member, through the control plane's cluster proxy with the control plane's credentials */
function memberThroughProxy(cp: KubeClient, opts: GlobalOpts, cluster: string): KubeClient {
  const kc = client(opts).kubeConfig;
  const current = kc.getCurrentCluster();
  if (!current) throw new Error('the control plane kubeconfig has no current cluster');
  const server = memberProxyServer(cp.server, cluster).replace(/\/$/, '');
  const clusters = kc.clusters.map((c) => (c.name === current.name ? { ...c, server } : c));
  kc.loadFromOptions({ clusters, users: kc.users, contexts: kc.contexts, currentContext: kc.getCurrentContext() });
  return new KubeClient(kc, { userAgent: karmadactlAgent });
}

async function memberTargets(cp: KubeClient, flag: string | undefined): Promise<string[]> {
  const all = (await cp.list(clusterGVR)).items.map((c) => c.metadata.name!);
  const wanted = (flag ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (wanted.length === 0) return all;
  const missing = wanted.filter((c) => !all.includes(c));
  if (missing.length) throw new Error(`clusters don't exist: ${missing.join(',')}`);
  return wanted;
}

/** cobra's hidden `__complete WORDS...`: resource types, names and clusters from the control plane; nothing when it cannot be reached */
async function complete(words: string[]): Promise<string> {
  const { target, prefix } = completionTarget(words);
  const flags = splitFlags(words.slice(0, -1), [
    { name: 'kubeconfig', value: true },
    { name: 'karmada-context', value: true },
  ]);
  const list = async (): Promise<string[]> => {
    if (target.kind === 'words') return target.words;
    if (target.kind === 'none') return [];
    const c = client({ kubeconfig: flagValue(flags, 'kubeconfig'), karmadaContext: flagValue(flags, 'karmada-context') });
    if (target.kind === 'clusters') return (await c.list(clusterGVR)).items.map((o) => o.metadata.name!);
    const resources = await discoverResources(c);
    if (target.kind === 'types') return resources.filter((r) => !r.resource.includes('/') && r.verbs.includes('list')).map((r) => r.resource);
    const r = resolveType(target.type, resources);
    const items = (await c.list(r, { namespace: r.namespaced ? (target.namespace ?? 'default') : undefined })).items;
    return items.map((o) => `${target.slashPrefix ?? ''}${o.metadata.name}`);
  };
  return completionOutput(await list().catch(() => []), prefix);
}

export async function main(argv: string[]): Promise<void> {
  const args = hoistGlobalFlags(argv.slice(2));
  const [name, ...rest] = args;
  const dashdash = rest.indexOf('--');
  const own = dashdash < 0 ? rest : rest.slice(0, dashdash);
  const help = own.includes('--help') || own.includes('-h');
  if (name && wrappedCommands[name] && !help) {
    process.exitCode = await runWrapped(name, rest);
    return;
  }
  if (name === '__complete') {
    process.stdout.write(await complete(rest));
    return;
  }
  if (name === 'get' && !help) {
    const flags = splitFlags(rest, [
      { name: 'kubeconfig', value: true },
      { name: 'karmada-context', value: true },
    ]);
    process.exitCode = await runGet(context({ kubeconfig: flagValue(flags, 'kubeconfig'), karmadaContext: flagValue(flags, 'karmada-context') }), rest);
    return;
  }
  if (name === 'apply' && !help) {
    process.exitCode = await runApply(rest);
    return;
  }
  const program = buildProgram();
  if (name && help && (wrappedCommands[name] || name === 'get' || name === 'apply')) {
    const cmd = program.commands.find((c) => c.name() === name)!;
    process.stdout.write(`${cli} ${name}: ${cmd.description()}\n\nkubectl ${name}'s own help follows.\n\n`);
    const r = await runKubectl({ kubeconfig: controlPlaneKubeconfig() }, [name, '--help'], { capture: true }).catch(() => undefined);
    process.stdout.write(r?.stdout ?? '');
    return;
  }
  await program.parseAsync(['node', cli, ...args]);
}
