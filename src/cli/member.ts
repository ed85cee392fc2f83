// `karmada-ts member`: run one simulated member cluster, or act on the members of a running
// playground (list, stop, start, and faults: nodes NotReady, unpullable images).
import type { Command } from 'commander';
import { resolve, join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';

interface MemberRunOptions {
  name?: string;
  config?: string;
  dataDir?: string;
  port: string;
  storage: 'sqlite' | 'memory';
}

const playgroundDir = '.karmada-ts/playground';

function waitForSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((done) => {
    const onSignal = () => void stop().finally(done);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

async function runMember(opts: MemberRunOptions): Promise<void> {
  const { parse } = await import('yaml');
  const { parseMemberConfig } = await import('../membersim/config.js');
  const { SimulatedMember } = await import('../membersim/member.js');
  let doc: Record<string, unknown> = {};
  if (opts.config) doc = (parse(readFileSync(resolve(opts.config), 'utf8')) as Record<string, unknown>) ?? {};
  if (opts.name) doc = { ...doc, name: opts.name };
  if (!doc.name) throw new Error('a member needs a name: --name NAME (or name: in the --config file)');
  const config = parseMemberConfig(doc);
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number (0-65535)');
  const dataDir = resolve(opts.dataDir ?? join('.karmada-ts', 'members', config.name));
  const member = await SimulatedMember.start(config, { dataDir, storage: opts.storage, port });
  const kubeconfig = join(dataDir, `${config.name}.kubeconfig`);
  writeFileSync(kubeconfig, member.kubeconfig(), { mode: 0o600 });
  process.stdout.write(`member ${config.name} is ready at ${member.url} (${member.nodeNames.length} nodes)\nkubeconfig: ${kubeconfig} (context ${config.name})\n`);
  await waitForSignal(() => member.close());
}

interface MemberList {
  members: { name: string; syncMode: string; url: string; running: boolean; nodes: number }[];
}

export function formatMemberList(list: MemberList): string {
  const rows = [['NAME', 'MODE', 'STATUS', 'NODES', 'URL'], ...list.members.map((m) => [m.name, m.syncMode, m.running ? 'Running' : 'Stopped', String(m.nodes), m.url])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('')).join('\n') + '\n';
}

export function registerMemberCommand(program: Command): void {
  const member = program
    .command('member')
    .description('run a simulated member cluster (--name), or list/stop/start the members of a running playground')
    .option('--name <name>', 'the member cluster name (also its kubeconfig context)')
    .option('--config <file>', 'member config (YAML: region, zones, labels, nodes: [{count, cpu, memory, pods, labels, taints, extendedResources}])')
    .option('--data-dir <dir>', 'state, certificates and kubeconfig (default .karmada-ts/members/NAME)')
    .option('--port <port>', 'HTTPS port on 127.0.0.1 (0 picks one)', '0')
    .option('--storage <backend>', 'sqlite (default) or memory', 'sqlite')
    .action(async (opts: MemberRunOptions) => runMember(opts));

  const dataDirOption = (c: Command) => c.option('--data-dir <dir>', `the playground data dir (default ${playgroundDir})`);
  // `member` has its own --data-dir, which commander may fill instead of the subcommand's
  const dirOf = (opts: { dataDir?: string }) => resolve(opts.dataDir ?? (member.opts() as { dataDir?: string }).dataDir ?? playgroundDir);
  const { controlRequest } = { controlRequest: async (dir: string, method: 'GET' | 'POST', path: string) => (await import('../playground/playground.js')).controlRequest(dir, method, path) };

  dataDirOption(member.command('list').description('the members of the running playground')).action(async (opts: { dataDir?: string }) => {
    process.stdout.write(formatMemberList((await controlRequest(dirOf(opts), 'GET', '/members')) as MemberList));
  });
  dataDirOption(
    member
      .command('load <name>')
      .description("set a Deployment's load in a member: each running pod uses --cpu (and --memory) now, the total then spread over however many pods run; --reset goes back to the default usage")
      .option('-n, --namespace <ns>', 'the Deployment\'s namespace', 'default')
      .requiredOption('--deployment <name>', 'the Deployment whose pods carry the load')
      .option('--cpu <quantity>', 'cpu per pod now, e.g. 800m')
      .option('--memory <quantity>', 'memory per pod now, e.g. 200Mi')
      .option('--metric <name=quantity>', 'a custom metric per pod now, served by custom.metrics.k8s.io (repeatable), e.g. http_requests=100', (v: string, all: string[] = []) => [...all, v])
      .option('--reset', 'remove the load setting'),
  ).action(async (name: string, opts: { dataDir?: string; namespace: string; deployment: string; cpu?: string; memory?: string; metric?: string[]; reset?: boolean }) => {
    if (!opts.reset && opts.cpu === undefined) throw new Error('member load needs --cpu QUANTITY (and optionally --memory), or --reset');
    const q = new URLSearchParams({ namespace: opts.namespace, deployment: opts.deployment });
    if (opts.reset) q.set('reset', 'true');
    else {
      q.set('cpu', opts.cpu!);
      if (opts.memory !== undefined) q.set('memory', opts.memory);
      for (const m of opts.metric ?? []) q.append('metric', m);
    }
    const r = (await controlRequest(dirOf(opts), 'POST', `/members/${encodeURIComponent(name)}/load?${q}`)) as { pods: number };
    const what = `deployment ${opts.namespace}/${opts.deployment} in ${name}`;
    process.stdout.write(opts.reset ? `${what}: load reset\n` : `${what}: ${opts.cpu} cpu${opts.memory ? `, ${opts.memory} memory` : ''} per pod over ${r.pods} running pods\n`);
  });
  for (const verb of ['stop', 'start'] as const) {
    dataDirOption(member.command(`${verb} <name>`).description(verb === 'stop' ? 'stop a member: its API refuses connections, its state stays' : 'start a stopped member again, with its state')).action(
      async (name: string, opts: { dataDir?: string }) => {
        await controlRequest(dirOf(opts), 'POST', `/members/${encodeURIComponent(name)}/${verb}`);
        process.stdout.write(`member ${name} ${verb === 'stop' ? 'stopped' : 'started'}\n`);
      },
    );
  }

  dataDirOption(member.command('nodes-not-ready <name> [nodes...]').description("turn a member's nodes (all, or the named ones) NotReady: Ready=Unknown, unreachable taints, their pods not ready")).action(
    async (name: string, nodes: string[], opts: { dataDir?: string }) => fault(dirOf(opts), name, 'nodes-not-ready', nodes.length ? { nodes: nodes.join(',') } : {}),
  );
  dataDirOption(member.command('nodes-ready <name> [nodes...]').description("make a member's nodes (all, or the named ones) Ready again")).action(async (name: string, nodes: string[], opts: { dataDir?: string }) =>
    fault(dirOf(opts), name, 'nodes-ready', nodes.length ? { nodes: nodes.join(',') } : {}),
  );
  dataDirOption(
    member.command('image-pull-fail <name> <image>').description('the member cannot pull IMAGE (a name without a tag: every tag): its pods wait in ErrImagePull/ImagePullBackOff, running ones too; registry `fake` never pulls'),
  ).action(async (name: string, image: string, opts: { dataDir?: string }) => fault(dirOf(opts), name, 'image-pull-fail', { image }));
  dataDirOption(member.command('image-pull-ok <name> <image>').description('the member can pull IMAGE again')).action(async (name: string, image: string, opts: { dataDir?: string }) =>
    fault(dirOf(opts), name, 'image-pull-ok', { image }),
  );

  async function fault(dir: string, name: string, action: string, query: Record<string, string>): Promise<void> {
    const qs = new URLSearchParams(query).toString();
    const { message } = (await controlRequest(dir, 'POST', `/members/${encodeURIComponent(name)}/${action}${qs ? `?${qs}` : ''}`)) as { message: string };
    process.stdout.write(`${message}\n`);
  }
}
