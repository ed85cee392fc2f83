// karmadactl: the user CLI for Karmada's own operations (join, unjoin, ...).
import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../runtime/client.js';
import { joinCluster, unjoinCluster } from '../controllers/cluster/join.js';
import { explainLiveBinding, renderExplanation } from '../karmadactl/explain.js';

/** --kubeconfig, else $KUBECONFIG, else ~/.kube/karmada.config (written by `karmada-ts up`), else ~/.kube/config */
export function controlPlaneKubeconfig(flag?: string): string {
  if (flag) return flag;
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG.split(':')[0];
  const karmada = join(homedir(), '.kube', 'karmada.config');
  return existsSync(karmada) ? karmada : join(homedir(), '.kube', 'config');
}

function client(opts: { kubeconfig?: string; karmadaContext?: string }): KubeClient {
  return KubeClient.fromFile(controlPlaneKubeconfig(opts.kubeconfig), { context: opts.karmadaContext });
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('karmadactl').description('karmadactl controls a Karmada control plane').showHelpAfterError();
  const global = (cmd: Command) =>
    cmd.option('--kubeconfig <file>', 'kubeconfig of the Karmada control plane').option('--karmada-context <name>', 'context in that kubeconfig');

  global(program.command('join <cluster>'))
    .description('register a member cluster in Push mode')
    .requiredOption('--cluster-kubeconfig <file>', 'kubeconfig of the member cluster')
    .option('--cluster-context <name>', 'context in the member kubeconfig')
    .option('--cluster-provider <provider>', 'cloud provider of the member')
    .option('--cluster-region <region>', 'region of the member')
    .option('--cluster-zones <zones>', 'zones of the member, comma separated')
    .action(async (name: string, opts: { kubeconfig?: string; karmadaContext?: string; clusterKubeconfig: string; clusterContext?: string; clusterProvider?: string; clusterRegion?: string; clusterZones?: string }) => {
      await joinCluster(client(opts), {
        name,
        memberKubeconfig: readFileSync(opts.clusterKubeconfig, 'utf8'),
        memberContext: opts.clusterContext,
        provider: opts.clusterProvider,
        region: opts.clusterRegion,
        zones: opts.clusterZones?.split(',').map((z) => z.trim()).filter(Boolean),
      });
      process.stdout.write(`cluster(${name}) is joined successfully\n`);
    });

  global(program.command('unjoin <cluster>'))
    .description('remove a Push-mode member cluster')
    .action(async (name: string, opts: { kubeconfig?: string; karmadaContext?: string }) => {
      await unjoinCluster(client(opts), name);
      process.stdout.write(`cluster(${name}) is unjoined successfully\n`);
    });

  global(program.command('schedule <binding>'))
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
    .action(async (ref: string, opts: { kubeconfig?: string; karmadaContext?: string; namespace?: string; output?: string; accurate: boolean; schedulerName: string }) => {
      if (opts.output !== undefined && opts.output !== 'yaml' && opts.output !== 'json') throw new Error(`unknown output format ${JSON.stringify(opts.output)}: use yaml or json`);
      const x = await explainLiveBinding(client(opts), ref, { namespace: opts.namespace, accurate: opts.accurate, schedulerName: opts.schedulerName });
      process.stdout.write(renderExplanation(x, opts.output));
      if (!x.result.ok) process.exitCode = 1;
    });

  await program.parseAsync(argv);
}
