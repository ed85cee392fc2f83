// The karmada-ts command: every component, runnable alone or together.
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import type { StoreOptions } from '../storage/index.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

function storageOptions(opts: { storage?: string; etcdServers?: string; dataDir: string }): StoreOptions {
  const backend = opts.storage ?? 'sqlite';
  if (backend === 'sqlite') return { backend: 'sqlite', path: resolve(opts.dataDir, 'db', 'state.db') };
  if (backend === 'memory') return { backend: 'memory' };
  if (backend === 'etcd') {
    if (!opts.etcdServers) throw new InvalidArgumentError('--storage etcd needs --etcd-servers URL[,URL...]');
    return { backend: 'etcd', endpoints: opts.etcdServers.split(',').map((s) => s.trim()).filter(Boolean) };
  }
  throw new InvalidArgumentError(`unknown storage backend ${JSON.stringify(backend)}: use sqlite, etcd or memory`);
}

/** waits for SIGINT/SIGTERM, then runs stop once */
export function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((done) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) return;
      stopping = true;
      void stop().finally(done);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('karmada-ts').description('A multi-cluster Kubernetes control plane, compatible with Karmada').showHelpAfterError();
  const { registerUpCommand } = await import('./up.js');
  const { registerMemberCommand } = await import('./member.js');
  const { registerControllerManagerCommand } = await import('../controllermanager/index.js');
  const { registerSchedulerCommand } = await import('../scheduler/component/cli.js');
  registerUpCommand(program);
  registerMemberCommand(program);
  const { registerAgentCommand } = await import('../agent/index.js');
  registerAgentCommand(program);
  const { registerCertsCommand } = await import('./certs.js');
  registerCertsCommand(program);

  program
    .command('apiserver')
    .description('run the Kubernetes-compatible API server')
    .option('--data-dir <dir>', 'where state, certificates and admin.kubeconfig live', '.karmada-ts/apiserver')
    .option('--port <port>', 'HTTPS port on 127.0.0.1 (0 picks one)', port, 6443)
    .option('--storage <backend>', 'sqlite (default), etcd or memory', 'sqlite')
    .option('--etcd-servers <urls>', 'etcd client URLs, comma separated (with --storage etcd)')
    .option('--token-auth-file <file>', 'static bearer tokens: token,user,uid,"group1,group2"')
    .option('--max-requests-inflight <n>', 'concurrent read-only requests before 429 (watches do not count)', positiveInt, 400)
    .option('--max-mutating-requests-inflight <n>', 'concurrent mutating requests before 429', positiveInt, 200)
    .option('--authorization-mode <mode>', 'RBAC (default) or AlwaysAllow', 'RBAC')
    .option('--anonymous-auth', 'requests without credentials act as system:anonymous (RBAC decides) instead of getting 401')
    .action(async (opts: { dataDir: string; port: number; storage: string; etcdServers?: string; tokenAuthFile?: string; maxRequestsInflight: number; maxMutatingRequestsInflight: number; authorizationMode: string; anonymousAuth?: boolean }) => {
      if (opts.authorizationMode !== 'RBAC' && opts.authorizationMode !== 'AlwaysAllow') throw new InvalidArgumentError('--authorization-mode must be RBAC or AlwaysAllow');
      const { ApiServer } = await import('../apiserver/server.js');
      const dataDir = resolve(opts.dataDir);
      const server = await ApiServer.start({
        dataDir,
        port: opts.port,
        storage: storageOptions({ ...opts, dataDir }),
        tokenAuthFile: opts.tokenAuthFile,
        maxRequestsInflight: opts.maxRequestsInflight,
        maxMutatingRequestsInflight: opts.maxMutatingRequestsInflight,
        authorizationMode: opts.authorizationMode,
        anonymousAuth: opts.anonymousAuth,
      });
      process.stdout.write(`karmada-ts apiserver listening on ${server.url}\nadmin kubeconfig: ${server.kubeconfigPath}\n`);
      await untilSignal(() => server.stop());
    });

  registerControllerManagerCommand(program);
  registerSchedulerCommand(program);
  (await import('./descheduler.js')).registerDeschedulerCommand(program);
  (await import('../dashboard/cli.js')).registerDashboardCommand(program, untilSignal);

  program
    .command('schedule')
    .description('run the real scheduler offline on Cluster and ResourceBinding files, and print the result')
    .requiredOption('--clusters <file>', 'Cluster objects (spec and status), as YAML documents or a List')
    .requiredOption('--binding <file>', 'a ResourceBinding (spec.replicas, replicaRequirements, placement, optionally spec.clusters)')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .option('--explain', 'add, per cluster, each filter verdict, the scores and the available replicas')
    .action(async (opts: { clusters: string; binding: string; output: string; explain?: boolean }) => {
      if (opts.output !== 'yaml' && opts.output !== 'json') throw new InvalidArgumentError('--output must be yaml or json');
      const { runScheduleCommand } = await import('./schedule.js');
      process.exitCode = await runScheduleCommand({ clusters: opts.clusters, binding: opts.binding, output: opts.output, explain: opts.explain }, process.stdout);
    });

  await program.parseAsync(argv);
}
