// `karmada-ts scheduler`: the scheduler as its own process, as karmada-scheduler runs.
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function bool(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError('must be true or false');
}

interface SchedulerCommandOptions {
  kubeconfig: string;
  leaderElect?: boolean;
  leaderElectResourceNamespace: string;
  schedulerName: string;
  plugins: string;
  enableEmptyWorkloadPropagation?: boolean;
  workers: number;
  enableSchedulerEstimator: boolean;
}

export function registerSchedulerCommand(program: Command): Command {
  return program
    .command('scheduler')
    .description('run the Karmada scheduler: assign (Cluster)ResourceBindings to member clusters')
    .requiredOption('--kubeconfig <file>', 'kubeconfig of the Karmada control plane')
    .option('--leader-elect', 'run only while holding the karmada-scheduler Lease (for several replicas)')
    .option('--leader-elect-resource-namespace <ns>', 'namespace of the leader election Lease', 'karmada-system')
    .option('--scheduler-name <name>', 'schedule only bindings whose spec.schedulerName is this', 'default-scheduler')
    .option('--plugins <list>', "filter and score plugins: '*' for all, 'foo' to enable, '-foo' to disable, comma separated", '*')
    .option('--enable-empty-workload-propagation', 'keep clusters that got 0 replicas in the result')
    .option('--workers <n>', 'bindings scheduled concurrently', positiveInt, 4)
    .option('--enable-scheduler-estimator [bool]', "bound each member by what its nodes really hold (watches members' Nodes and Pods)", bool, true)
    .action(async (opts: SchedulerCommandOptions) => {
      const { startScheduler } = await import('./index.js');
      const { componentLogger } = await import('../../runtime/logging.js');
      const handle = await startScheduler({
        kubeconfig: resolve(opts.kubeconfig),
        leaderElect: opts.leaderElect ? { namespace: opts.leaderElectResourceNamespace } : false,
        schedulerName: opts.schedulerName,
        plugins: opts.plugins.split(',').map((p) => p.trim()).filter(Boolean),
        enableEmptyWorkloadPropagation: !!opts.enableEmptyWorkloadPropagation,
        workers: opts.workers,
        accurateEstimator: opts.enableSchedulerEstimator,
        log: componentLogger('karmada-scheduler'),
      });
      process.stdout.write(`karmada-ts scheduler started${opts.leaderElect ? ' (leader election on)' : ''}\n`);
      const onSignal = () => void handle.stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      await handle.done;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
}
