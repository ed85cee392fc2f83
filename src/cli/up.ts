// `karmada-ts up`: the local playground (control plane and simulated members, one process per
// component) until Ctrl-C.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

interface UpOptions {
  config?: string;
  kubeconfigDir: string;
  dataDir: string;
  storage: 'sqlite' | 'memory' | 'etcd';
  etcdServers?: string;
  /** run everything on one event loop instead of one process per component */
  inProcess?: boolean;
  horizontalPodAutoscalerSyncPeriod?: string;
  horizontalPodAutoscalerDownscaleStabilization?: string;
  clusterStatusUpdateFrequency: string;
  clusterSuccessThreshold: string;
  clusterFailureThreshold: string;
  evictionRate: string;
  /** commander's --no-dashboard: false skips the dashboard */
  dashboard?: boolean;
  dashboardPort?: string;
}

/** waits for SIGINT/SIGTERM, then runs stop once */
function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((done) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write('\nstopping...\n');
      void stop().finally(done);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

function readyMessage(opts: { kubeconfigDir: string; dataDir: string; members: string[]; dashboard?: string }): string {
  const karmada = join(opts.kubeconfigDir, 'karmada.config');
  const members = join(opts.kubeconfigDir, 'members.config');
  const first = opts.members[0] ?? 'member1';
  return [
    '',
    'karmada-ts is ready',
    '',
    'Control plane (context karmada-apiserver):',
    `  export KUBECONFIG=${karmada}`,
    '',
    `Member clusters (contexts ${opts.members.join(', ')}):`,
    `  kubectl --kubeconfig ${members} --context ${first} get nodes`,
    '',
    'Faults and status:',
    `  karmada-ts member list --data-dir ${opts.dataDir}`,
    `  karmada-ts member stop ${first} --data-dir ${opts.dataDir}`,
    `  karmada-ts member start ${first} --data-dir ${opts.dataDir}`,
    '',
    ...(opts.dashboard ? [opts.dashboard, ''] : []),
    'Press Ctrl-C to stop everything; state stays in the data dir for the next `karmada-ts up`.',
    '',
  ].join('\n');
}

async function runUp(opts: UpOptions): Promise<void> {
  const { Playground } = await import('../playground/playground.js');
  const { defaultPlaygroundConfig, loadPlaygroundConfig } = await import('../playground/config.js');
  // every controller-manager flag is checked before anything starts
  const { autoscalingFlags, parseClusterStatusFlags, parseEvictionRate } = await import('../controllermanager/index.js');
  const clusterStatus = parseClusterStatusFlags(opts);
  const failover = { evictionRate: parseEvictionRate(opts.evictionRate) };
  const autoscaling = autoscalingFlags(opts.horizontalPodAutoscalerSyncPeriod, opts.horizontalPodAutoscalerDownscaleStabilization);
  const config = opts.config ? loadPlaygroundConfig(resolve(opts.config)) : defaultPlaygroundConfig();
  const dataDir = resolve(opts.dataDir);
  const kubeconfigDir = resolve(opts.kubeconfigDir);
  process.stdout.write(`starting karmada-ts (data in ${dataDir})\n`);
  const etcdServers = opts.etcdServers?.split(',').map((u) => u.trim()).filter(Boolean);
  const pg = await Playground.start({ config, dataDir, kubeconfigDir, storage: opts.storage, etcdServers, layout: opts.inProcess ? 'in-process' : 'processes', clusterStatus, autoscaling, failover, onProgress: (line) => process.stdout.write(`  ${line}\n`) });
  let dashboard: { stop(): Promise<void> } | undefined;
  let dashboardLineText: string | undefined;
  if (opts.dashboard !== false) {
    const { DashboardServer } = await import('../dashboard/server.js');
    const { dashboardLine } = await import('../dashboard/cli.js');
    try {
      const d = await DashboardServer.start({ kubeconfig: readFileSync(pg.karmadaConfigPath, 'utf8'), port: Number(opts.dashboardPort ?? 0) });
      dashboard = d;
      dashboardLineText = `${dashboardLine(d)}   (read-only, as the admin kubeconfig; --no-dashboard skips it)`;
    } catch (err) {
      dashboardLineText = `Dashboard: not started: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  process.stdout.write(readyMessage({ kubeconfigDir, dataDir, members: [...pg.members.keys()], dashboard: dashboardLineText }));
  await untilSignal(async () => {
    await dashboard?.stop();
    await pg.stop();
  });
}

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('start a local playground: the control plane and simulated member clusters')
    .option('--config <file>', 'members to simulate (YAML or JSON: members: [{name, syncMode, region, zones, labels, nodes}])')
    .option('--kubeconfig-dir <dir>', 'where karmada.config and members.config are written', join(homedir(), '.kube'))
    .option('--data-dir <dir>', 'where state is kept across restarts', '.karmada-ts/playground')
    .option('--storage <backend>', 'sqlite (default, persistent), etcd or memory', 'sqlite')
    .option('--etcd-servers <urls>', 'with --storage etcd: etcd client URLs, comma separated (default: start a local etcd from PATH)')
    .option('--no-dashboard', 'do not start the dashboard')
    .option('--dashboard-port <port>', "the dashboard's port on 127.0.0.1 (default: any free one)")
    .option('--in-process', 'run the controller manager, scheduler and members in this process instead of one process each')
    .option('--horizontal-pod-autoscaler-sync-period <duration>', "the controller manager's FederatedHPA sync period (default 15s)")
    .option('--horizontal-pod-autoscaler-downscale-stabilization <duration>', "the controller manager's downscale stabilisation window (default 5m0s)")
    .option('--cluster-status-update-frequency <duration>', "the controller manager's: how often each cluster's status is collected", '10s')
    .option('--cluster-success-threshold <duration>', "the controller manager's: how long a recovered member must stay healthy before it is Ready again", '30s')
    .option('--cluster-failure-threshold <duration>', "the controller manager's: how long a member must fail before it is no longer Ready (shorten both to see failover sooner)", '30s')
    .option('--eviction-rate <n>', "the controller manager's: bindings one failed member may have evicted per second (0: no limit)", '10')
    .action(async (opts: UpOptions) => {
      if (!['sqlite', 'memory', 'etcd'].includes(opts.storage)) throw new Error(`unknown --storage ${JSON.stringify(opts.storage)}: use sqlite, etcd or memory`);
      if (opts.etcdServers && opts.storage !== 'etcd') throw new Error('--etcd-servers needs --storage etcd');
      if (opts.dashboardPort !== undefined && (!/^\d{1,5}$/.test(opts.dashboardPort) || Number(opts.dashboardPort) > 65535)) throw new Error(`--dashboard-port must be a port number (0-65535), got ${JSON.stringify(opts.dashboardPort)}`);
      await runUp(opts);
    });
}
