// The local playground (Karmada's local-up): a control-plane API server, the controller manager, the
// scheduler, the configured simulated members and the Pull members' karmada-agents, as child
// processes of `karmada-ts up` (layout 'processes', so they use every core) or in this process
// ('in-process', for tests that reach into the members); kubeconfigs for both (Karmada's local-up
// names), state kept in the data dir across restarts, and a loopback control endpoint for
// `karmada-ts member list|stop|start`.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildKubeconfig, type KubeconfigEntry } from '../apiserver/auth/kubeconfig.js';
import { isNotFound } from '../apimachinery/errors.js';
import { ControlPlane } from '../controlplane/index.js';
import { joinCluster } from '../controllers/cluster/join.js';
import { startAgent, type AgentHandle } from '../agent/index.js';
import { issueAgentKubeconfig } from '../agent/identity.js';
import { ensurePki } from '../apiserver/auth/certs.js';
import { KubeClient } from '../runtime/client.js';
import { userAgent } from '../runtime/user-agent.js';
import type { StoreOptions } from '../storage/index.js';
import { startEtcd, type EtcdCluster } from '../storage/etcd/local.js';
import type { MemberConfig, SimTiming } from '../membersim/config.js';
import type { ClusterStatusOptions } from '../controllers/clusterstatus/index.js';
import type { FailoverOptions } from '../controllers/context.js';
import { SimulatedMember, memberFaultKinds, type MemberFault } from '../membersim/member.js';
import { defaultPlaygroundConfig, playgroundFeatureGates, type PlaygroundConfig } from './config.js';
import { clusterGVR } from '../apis/karmada/gvr.js';
import type { AgentArgs, AgentsArgs, ControlPlaneComponentArgs, MemberReport, MembersArgs } from './component-main.js';
import { ComponentProcess, processUsage, type ProcessUsage } from './ipc.js';
import { startOnPort } from './ports.js';

/** a hundred simulated members take a while to report Ready on a busy 2-core machine */
function readyTimeoutFor(members: number): number {
  return 120_000 + Math.max(0, members - 60) * 2_000;
}

export interface PlaygroundOptions {
  config?: PlaygroundConfig;
  dataDir: string;
  kubeconfigDir: string;
  /** sqlite (default) keeps state across restarts; etcd uses --etcd-servers or starts a local etcd */
  storage?: 'sqlite' | 'memory' | 'etcd';
  etcdServers?: string[];
  /** how long to wait for every member to be joined and Ready (default 2 minutes, 2 s more per member past 60) */
  readyTimeoutMs?: number;
  timing?: Partial<SimTiming>;
  /** the cluster status controller's interval and Ready thresholds (Karmada's defaults: 10s, 30s, 30s) */
  clusterStatus?: ClusterStatusOptions;
  /** one line per component as it comes up */
  onProgress?: (line: string) => void;
  /**
   * 'processes': controller manager, scheduler, members and the Pull members' agents each in a child
   * process, the API server in this one (what `karmada-ts up` runs); 'in-process' (default):
   * everything on this event loop
   */
  layout?: 'processes' | 'in-process';
  /** with layout 'processes': how many processes share the members (default 1, 2 past 20 members) */
  memberProcesses?: number;
  /** the controller manager's --horizontal-pod-autoscaler-* settings */
  autoscaling?: { syncPeriodMs?: number; downscaleStabilizationSeconds?: number };
  /** the controller manager's --eviction-rate (and the other failover flags) */
  failover?: FailoverOptions;
}

/** a member cluster of the playground, in this process or in a members process */
interface PlaygroundMember {
  readonly name: string;
  readonly config: MemberConfig;
  readonly url: string;
  readonly running: boolean;
  kubeconfig(contextName?: string): string;
  kubeconfigEntry(contextName?: string): KubeconfigEntry;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** a fault on demand (nodes NotReady, an unpullable image); returns what was done */
  applyFault(fault: MemberFault): Promise<string> | string;
  /** `member load`: a Deployment's load (undefined resets it); answers the running pods sharing it */
  setLoad(namespace: string, deployment: string, perPod: { cpu?: string; memory?: string; metrics?: string[] } | undefined): Promise<{ pods: number }>;
}

/** a component's process, as GET /components of the control endpoint reports it */
export interface ComponentUsage extends ProcessUsage {
  name: string;
  /** its own /metrics, when it serves one apart from the API server's */
  metricsUrl?: string;
  restarts: number;
}

/** what `karmada-ts member` reads to find a running playground */
interface PlaygroundState {
  pid: number;
  controlUrl: string;
  token: string;
  karmadaConfig: string;
  membersConfig: string;
}

/** the playground's own requests (joining members, waiting for them) carry its name, as each component's carry theirs */
const asPlayground = { userAgent: userAgent('karmada-ts-playground') };

const existingCluster = (client: KubeClient, name: string) =>
  client.get(clusterGVR, name).catch((err) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });

/** a member as the playground reports it (and as the join step will consume it) */
export interface MemberInfo {
  name: string;
  syncMode: 'Push' | 'Pull';
  url: string;
  running: boolean;
  nodes: number;
  /** the member's admin kubeconfig, context named after the member */
  kubeconfig: string;
}

interface Ports {
  karmada?: number;
  members?: Record<string, number>;
}

const stateFile = (dataDir: string) => join(dataDir, 'playground.json');

/** a child process the playground keeps running: restarted when it dies, stopped in order */
class Supervised<Info> {
  proc?: ComponentProcess<Info>;
  restarts = 0;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly spawn: () => Promise<ComponentProcess<Info>>,
    /** after a restart, before it counts as running again (members re-stop what was stopped) */
    private readonly onRestart: (proc: ComponentProcess<Info>) => Promise<void> = async () => {},
  ) {}

  async start(): Promise<this> {
    this.proc = await this.spawn();
    this.watch(this.proc);
    return this;
  }

  private watch(proc: ComponentProcess<Info>): void {
    void proc.exited.then(async (e) => {
      if (proc.isStopping || this.closed) return;
      process.stderr.write(`${this.name} (pid ${proc.pid}) exited (${e.signal ?? `code ${e.code}`}); restarting it\n`);
      for (let attempt = 0; !this.closed; attempt++) {
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
        if (this.closed) return;
        try {
          const next = await this.spawn();
          if (this.closed) {
            await next.stop();
            return;
          }
          this.restarts++;
          this.proc = next;
          this.watch(next);
          await this.onRestart(next);
          return;
        } catch (err) {
          process.stderr.write(`${this.name}: restart failed: ${(err as Error).message}\n`);
        }
      }
    });
  }

  async usage(): Promise<ComponentUsage> {
    const u = await this.proc!.call<ProcessUsage>('usage');
    return { name: this.name, ...u, metricsUrl: (this.proc!.info as { metricsUrl?: string } | undefined)?.metricsUrl, restarts: this.restarts };
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.proc?.stop();
  }
}

/** a member served by a members process, driven over IPC */
class RemoteMember implements PlaygroundMember {
  constructor(
    readonly config: MemberConfig,
    private readonly group: Supervised<MemberReport[]>,
    private report: MemberReport,
  ) {}

  get name(): string {
    return this.config.name;
  }

  get url(): string {
    return this.report.url;
  }

  get running(): boolean {
    return this.report.running;
  }

  /** what the members process says after a restart (the state a stop left stays on disk) */
  update(report: MemberReport): void {
    this.report = report;
  }

  kubeconfig(contextName = this.config.name): string {
    return buildKubeconfig([this.kubeconfigEntry(contextName)]);
  }

  kubeconfigEntry(contextName = this.config.name): KubeconfigEntry {
    return { ...this.report.entry, name: contextName };
  }

  async start(): Promise<void> {
    this.report = await this.group.proc!.call<MemberReport>('start', { name: this.name });
  }

  async stop(): Promise<void> {
    this.report = await this.group.proc!.call<MemberReport>('stop', { name: this.name });
  }

  async applyFault(fault: MemberFault): Promise<string> {
    return this.group.proc!.call<string>('fault', { name: this.name, fault });
  }

  setLoad(namespace: string, deployment: string, perPod: { cpu?: string; memory?: string; metrics?: string[] } | undefined): Promise<{ pods: number }> {
    return this.group.proc!.call<{ pods: number }>('load', { name: this.name, namespace, deployment, perPod });
  }
}

export class Playground {
  private control?: Server;
  private etcd?: EtcdCluster;
  /** layout 'processes': controller manager, scheduler, then the member groups */
  private components: Supervised<unknown>[] = [];
  /** layout 'in-process': karmada-agent of each Pull member, on this event loop */
  private agents: AgentHandle[] = [];
  /** layout 'processes': every Pull member's karmada-agent in one child process, apart from the API server */
  private agentProcess?: Supervised<unknown>;
  private constructor(
    readonly controlPlane: ControlPlane,
    readonly members: Map<string, PlaygroundMember>,
    private readonly options: PlaygroundOptions,
    private readonly token: string,
  ) {}

  static async start(options: PlaygroundOptions): Promise<Playground> {
    const config = options.config ?? defaultPlaygroundConfig();
    const progress = options.onProgress ?? (() => {});
    const split = options.layout === 'processes';
    mkdirSync(options.dataDir, { recursive: true });
    mkdirSync(options.kubeconfigDir, { recursive: true });
    const portsFile = join(options.dataDir, 'ports.json');
    const ports: Ports = existsSync(portsFile) ? (JSON.parse(readFileSync(portsFile, 'utf8')) as Ports) : {};
    const storage = options.storage ?? 'sqlite';
    let t = Date.now();
    const took = () => {
      const s = ((Date.now() - t) / 1000).toFixed(1);
      t = Date.now();
      return `${s}s`;
    };
    const karmadaDir = join(options.dataDir, 'karmada');
    let etcd: EtcdCluster | undefined;
    let controlPlaneStorage: StoreOptions;
    if (storage === 'etcd') {
      let endpoints = options.etcdServers;
      if (!endpoints?.length) {
        etcd = await startEtcd({ dir: join(options.dataDir, 'etcd') });
        endpoints = etcd.endpoints;
        progress(`✓ etcd                ${endpoints.join(',')}   (${took()})`);
      }
      controlPlaneStorage = { backend: 'etcd', endpoints };
    } else {
      // NORMAL, as the members: a commit survives kill -9 of any component; only power loss can take the last ones.
      // FULL fsyncs on the API server's event loop and cost it a quarter of its CPU time in the burst benchmark.
      controlPlaneStorage = storage === 'sqlite' ? { backend: 'sqlite', path: join(karmadaDir, 'db', 'state.db'), synchronous: 'NORMAL' } : { backend: 'memory' };
    }
    let controlPlane: ControlPlane;
    try {
      controlPlane = await startOnPort(ports.karmada, (port) => ControlPlane.start({ dataDir: karmadaDir, port, contextName: 'karmada-apiserver', storage: controlPlaneStorage, components: !split, allowNoExecuteTaintPolicy: true, autoscaling: options.autoscaling, clusterStatus: options.clusterStatus, failover: options.failover, featureGates: playgroundFeatureGates }));
    } catch (err) {
      await etcd?.stop();
      throw err;
    }
    progress(`✓ karmada-apiserver   ${controlPlane.url}   (${took()})`);
    const members = new Map<string, PlaygroundMember>();
    const pg = new Playground(controlPlane, members, options, randomBytes(16).toString('hex'));
    pg.etcd = etcd;
    const memberStorage = storage === 'memory' ? 'memory' : 'sqlite';
    const memberDir = (name: string) => join(options.dataDir, 'members', name);
    const memberLine = (mc: MemberConfig, url: string) => {
      const nodes = mc.nodes.reduce((s, p) => s + p.count, 0);
      const pullNote = mc.syncMode === 'Pull' ? ' (through karmada-agent)' : '';
      return `✓ ${mc.name.padEnd(18)}  ${url}   ${nodes} nodes, ${mc.syncMode}${pullNote}`;
    };
    try {
      if (split) {
        await pg.startComponents(config.members, (groupMembers) => ({
          members: groupMembers,
          dataDirs: Object.fromEntries(groupMembers.map((m) => [m.name, memberDir(m.name)])),
          storage: memberStorage,
          ports: Object.fromEntries(groupMembers.map((m) => [m.name, ports.members?.[m.name]])),
          timing: options.timing,
        }));
        progress(`✓ karmada-controller-manager, karmada-scheduler   (pids ${pg.components.slice(0, 2).map((c) => c.proc!.pid).join(', ')})`);
        for (const mc of config.members) progress(memberLine(mc, members.get(mc.name)!.url));
        progress(`  (members in ${pg.components.length - 2} process${pg.components.length === 3 ? '' : 'es'}; ${took()})`);
      } else {
        progress(`✓ karmada-controller-manager, karmada-scheduler`);
        for (const mc of config.members) {
          const member = await startOnPort(ports.members?.[mc.name], (port) => SimulatedMember.start(mc, { dataDir: memberDir(mc.name), storage: memberStorage, port, timing: options.timing }));
          members.set(mc.name, member);
          progress(`${memberLine(mc, member.url)}   (${took()})`);
        }
      }
      writeFileSync(portsFile, JSON.stringify({ karmada: Number(new URL(controlPlane.url).port), members: Object.fromEntries([...members].map(([n, m]) => [n, Number(new URL(m.url).port)])) } satisfies Ports, null, 2));
      pg.writeKubeconfigs();
      await pg.joinMembers(config.members, progress);
      await pg.waitReady(options.readyTimeoutMs ?? readyTimeoutFor(config.members.length));
      progress(`✓ every member is joined and Ready   (${took()})`);
      await pg.startControl();
    } catch (err) {
      await pg.stop();
      throw err;
    }
    return pg;
  }

  /** the controller manager, the scheduler and the member groups, each forked and started together */
  private async startComponents(memberConfigs: MemberConfig[], membersArgs: (group: MemberConfig[]) => MembersArgs): Promise<void> {
    const kubeconfigPath = join(this.options.dataDir, 'karmada', 'components.kubeconfig');
    writeFileSync(kubeconfigPath, this.controlPlane.kubeconfig('karmada-apiserver'), { mode: 0o600 });
    const cpArgs: ControlPlaneComponentArgs = { kubeconfigPath, autoscaling: this.options.autoscaling, clusterStatus: this.options.clusterStatus, failover: this.options.failover };
    const groupCount = Math.max(1, Math.min(memberConfigs.length, this.options.memberProcesses ?? (memberConfigs.length > 20 ? 2 : 1)));
    const groups = Array.from({ length: groupCount }, (_, g) => memberConfigs.filter((_m, i) => i % groupCount === g));
    const byName = new Map(memberConfigs.map((m) => [m.name, m]));
    const supervised: Supervised<unknown>[] = [
      new Supervised('karmada-controller-manager', () => ComponentProcess.start('controller-manager', cpArgs)),
      new Supervised('karmada-scheduler', () => ComponentProcess.start('scheduler', cpArgs)),
      ...groups
        .filter((g) => g.length)
        .map((group, g) => {
          // a restarted members process comes back on the same ports with its stopped members stopped again
          const spawn = () => ComponentProcess.start<MemberReport[]>('members', { ...membersArgs(group), ports: Object.fromEntries(group.map((m) => [m.name, this.members.get(m.name) ? Number(new URL(this.members.get(m.name)!.url).port) : membersArgs(group).ports[m.name]])) });
          const sup: Supervised<MemberReport[]> = new Supervised(groupCount === 1 ? 'members' : `members-${g + 1}`, spawn, async (proc) => {
            for (const report of proc.info) {
              const m = this.members.get(report.name) as RemoteMember;
              const wasRunning = m.running;
              m.update(report);
              if (!wasRunning) await m.stop();
            }
          });
          return sup as Supervised<unknown>;
        }),
    ];
    this.components = supervised;
    const started = await Promise.allSettled(supervised.map((s) => s.start()));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const sup of supervised.slice(2) as unknown as Supervised<MemberReport[]>[]) {
      for (const report of sup.proc!.info) this.members.set(report.name, new RemoteMember(byName.get(report.name)!, sup, report));
    }
    // the map in config order, as the in-process layout fills it
    const ordered = memberConfigs.map((m) => [m.name, this.members.get(m.name)!] as const);
    this.members.clear();
    for (const [n, m] of ordered) this.members.set(n, m);
  }

  /** CPU and memory of every process of the playground, this one (the API server) first */
  async componentUsage(): Promise<ComponentUsage[]> {
    const self: ComponentUsage = { name: this.components.length ? 'karmada-apiserver' : 'karmada-ts up (everything)', ...processUsage(), restarts: 0 };
    const others = await Promise.all([...this.components, ...(this.agentProcess ? [this.agentProcess] : [])].map((c) => c.usage().catch(() => undefined)));
    return [self, ...others.filter((u): u is ComponentUsage => !!u)];
  }

  get karmadaConfigPath(): string {
    return join(this.options.kubeconfigDir, 'karmada.config');
  }

  get membersConfigPath(): string {
    return join(this.options.kubeconfigDir, 'members.config');
  }

  /** joins each member as `karmadactl join` does, unless a Cluster of that name is already there (a restart) */
  private async joinMembers(configs: PlaygroundConfig['members'], progress: (line: string) => void): Promise<void> {
    const client = KubeClient.fromKubeconfig(this.controlPlane.kubeconfig(), asPlayground);
    const agents: AgentArgs[] = [];
    for (const mc of configs) {
      if (mc.syncMode === 'Pull') {
        const agent = await this.pullAgentArgs(client, mc);
        if (this.options.layout === 'processes') agents.push(agent);
        else {
          this.agents.push(await startAgent({ ...agent, logLevel: process.env.LOG_LEVEL ?? 'warn' }));
          await this.labelPullCluster(client, mc);
          progress(`✓ joined ${mc.name} in Pull mode (karmada-agent)`);
        }
        continue;
      }
      const existing = await client.get(clusterGVR, mc.name).catch((err) => {
        if (isNotFound(err)) return undefined;
        throw err;
      });
      if (existing) continue;
      await joinCluster(client, {
        name: mc.name,
        memberKubeconfig: this.member(mc.name).kubeconfig(),
        provider: mc.provider,
        region: mc.region,
        zones: mc.zones,
        labels: mc.labels,
      });
      progress(`✓ joined ${mc.name}`);
    }
    if (!agents.length) return;
    // one process, restarted with the same identities if it dies (they are renewed through CSRs as they age)
    const args: AgentsArgs = { agents };
    this.agentProcess = await new Supervised('karmada-agent', () => ComponentProcess.start('agents', args)).start();
    for (const mc of configs.filter((m) => m.syncMode === 'Pull')) await this.labelPullCluster(client, mc);
    progress(`✓ joined ${agents.map((a) => a.clusterName).join(', ')} in Pull mode (karmada-agent, pid ${this.agentProcess.proc!.pid})`);
  }

  /** what a Pull member's agent starts with: its own identity (as `karmadactl register` leaves it) and the member's kubeconfig */
  private async pullAgentArgs(admin: KubeClient, mc: PlaygroundConfig['members'][number]): Promise<AgentArgs> {
    // a data dir from before pull mode existed holds this member joined in Push mode: hand it to its agent
    const existing = await existingCluster(admin, mc.name);
    if (existing && (existing.spec as { syncMode?: string } | undefined)?.syncMode !== 'Pull') await admin.patch(clusterGVR, mc.name, { spec: { syncMode: 'Pull' } }, { type: 'merge' });
    const pki = await ensurePki(join(this.options.dataDir, 'karmada'));
    const karmadaKubeconfig = await issueAgentKubeconfig(admin, pki.ca, this.controlPlane.url, mc.name);
    return { karmadaKubeconfig, memberKubeconfig: this.member(mc.name).kubeconfig(), clusterName: mc.name, provider: mc.provider, region: mc.region, zones: mc.zones };
  }

  /** the config's labels on a Pull member's Cluster (its agent registered it as it started) */
  private async labelPullCluster(admin: KubeClient, mc: PlaygroundConfig['members'][number]): Promise<void> {
    if (Object.keys(mc.labels ?? {}).length) await admin.patch(clusterGVR, mc.name, { metadata: { labels: mc.labels } }, { type: 'merge' });
  }

  /** resolves once every member's Cluster reports Ready=True */
  private async waitReady(timeoutMs: number): Promise<void> {
    const client = KubeClient.fromKubeconfig(this.controlPlane.kubeconfig(), asPlayground);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = await client.list(clusterGVR);
      const ready = new Set(
        list.items.filter((c) => ((c.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((x) => x.type === 'Ready' && x.status === 'True')).map((c) => c.metadata.name),
      );
      const waiting = [...this.members.keys()].filter((n) => !ready.has(n));
      if (!waiting.length) return;
      if (Date.now() > deadline) throw new Error(`members not Ready after ${timeoutMs / 1000}s: ${waiting.join(', ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private writeKubeconfigs(): void {
    writeFileSync(this.karmadaConfigPath, this.controlPlane.kubeconfig('karmada-apiserver'), { mode: 0o600 });
    writeFileSync(this.membersConfigPath, buildKubeconfig([...this.members.values()].map((m) => m.kubeconfigEntry())), { mode: 0o600 });
  }

  /** the started members with their kubeconfigs: what joining them to the control plane needs */
  memberInfo(): MemberInfo[] {
    return [...this.members.values()].map((m) => ({
      name: m.name,
      syncMode: m.config.syncMode,
      url: m.url,
      running: m.running,
      nodes: m.config.nodes.reduce((s, p) => s + p.count, 0),
      kubeconfig: m.kubeconfig(),
    }));
  }

  async stopMember(name: string): Promise<void> {
    await this.member(name).stop();
  }

  async startMember(name: string): Promise<void> {
    await this.member(name).start();
  }

  private member(name: string): PlaygroundMember {
    const m = this.members.get(name);
    if (!m) throw new Error(`no member named ${JSON.stringify(name)} (members: ${[...this.members.keys()].join(', ')})`);
    return m;
  }

  private async startControl(): Promise<void> {
    const server = createServer((req, res) => {
      const reply = (code: number, body: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${this.token}`) return reply(401, { error: 'unauthorized' });
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/components') {
        if (req.method !== 'GET') return reply(405, { error: 'method not allowed' });
        this.componentUsage().then(
          (components) => reply(200, { components }),
          (err: Error) => reply(500, { error: err.message }),
        );
        return;
      }
      const load = /^\/members\/([^/]+)\/load$/.exec(url.pathname);
      if (load) {
        if (req.method !== 'POST') return reply(405, { error: 'method not allowed' });
        const name = decodeURIComponent(load[1]);
        const q = url.searchParams;
        const perPod = q.get('reset') === 'true' ? undefined : { cpu: q.get('cpu') ?? undefined, memory: q.get('memory') ?? undefined, metrics: q.getAll('metric') };
        Promise.resolve()
          .then(() => this.member(name).setLoad(q.get('namespace') ?? 'default', q.get('deployment') ?? '', perPod))
          .then(
            (r) => reply(200, { name, ...r }),
            (err: Error & { code?: number }) => reply(!this.members.has(name) || / not found$/.test(err.message) ? 404 : typeof err.code === 'number' ? err.code : 400, { error: err.message }),
          );
        return;
      }
      const m = /^\/members(?:\/([^/]+)\/([a-z-]+))?$/.exec(url.pathname);
      if (!m) return reply(404, { error: 'not found' });
      if (!m[1]) {
        if (req.method !== 'GET') return reply(405, { error: 'method not allowed' });
        return reply(200, { members: this.memberInfo().map(({ kubeconfig: _k, ...rest }) => rest) });
      }
      if (req.method !== 'POST') return reply(405, { error: 'method not allowed' });
      const name = decodeURIComponent(m[1]);
      if (m[2] !== 'stop' && m[2] !== 'start') {
        const fault = faultFromQuery(m[2], url.searchParams);
        if (!fault) return reply(404, { error: `unknown member action ${m[2]} (stop, start, ${memberFaultKinds.join(', ')})` });
        Promise.resolve()
          .then(() => this.member(name).applyFault(fault))
          .then(
            (message) => reply(200, { name, message }),
            (err: Error) => reply(this.members.has(name) ? 400 : 404, { error: err.message }),
          );
        return;
      }
      const act = m[2] === 'stop' ? this.stopMember(name) : this.startMember(name);
      act.then(
        () => reply(200, { name, running: this.members.get(name)!.running }),
        (err: Error) => reply(this.members.has(name) ? 500 : 404, { error: err.message }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.control = server;
    const state: PlaygroundState = {
      pid: process.pid,
      controlUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: this.token,
      karmadaConfig: this.karmadaConfigPath,
      membersConfig: this.membersConfigPath,
    };
    writeFileSync(stateFile(this.options.dataDir), JSON.stringify(state, null, 2), { mode: 0o600 });
  }

  async stop(): Promise<void> {
    if (this.control) {
      const c = this.control;
      this.control = undefined;
      await new Promise<void>((r) => {
        c.close(() => r());
        c.closeAllConnections();
      });
      rmSync(stateFile(this.options.dataDir), { force: true });
    }
    // controllers first, so nothing acts on a half-stopped control plane or member
    const [cm, scheduler, ...memberGroups] = this.components;
    this.components = [];
    const agents = this.agents;
    this.agents = [];
    const agentProcess = this.agentProcess;
    this.agentProcess = undefined;
    await Promise.all([...agents.map((a) => a.stop().catch(() => {})), agentProcess?.stop()]);
    await Promise.all([cm?.stop(), scheduler?.stop()]);
    await Promise.all([this.controlPlane.stop(), ...memberGroups.map((g) => g.stop()), ...[...this.members.values()].map((m) => (m instanceof SimulatedMember ? m.close() : undefined))]);
    await this.etcd?.stop();
  }
}

/** a member fault from the control endpoint's action and query (`?nodes=a,b`, `?image=fake/x:1`) */
export function faultFromQuery(action: string, query: URLSearchParams): MemberFault | undefined {
  if (action === 'nodes-not-ready' || action === 'nodes-ready') {
    const nodes = (query.get('nodes') ?? '').split(',').filter(Boolean);
    return { kind: action, ...(nodes.length ? { nodes } : {}) };
  }
  if (action === 'image-pull-fail' || action === 'image-pull-ok') return { kind: action, image: query.get('image') ?? '' };
  return undefined;
}

/** reads the running playground's control details, or explains why there is none */
function readPlaygroundState(dataDir: string): PlaygroundState {
  const file = stateFile(dataDir);
  if (!existsSync(file)) throw new Error(`no running playground found in ${dataDir} (start one with: karmada-ts up --data-dir ${dataDir})`);
  return JSON.parse(readFileSync(file, 'utf8')) as PlaygroundState;
}

/** calls the running playground's control endpoint */
export async function controlRequest(dataDir: string, method: 'GET' | 'POST', path: string): Promise<unknown> {
  const state = readPlaygroundState(dataDir);
  let res: Response;
  try {
    res = await fetch(`${state.controlUrl}${path}`, { method, headers: { authorization: `Bearer ${state.token}` } });
  } catch {
    throw new Error(`the playground in ${dataDir} does not answer at ${state.controlUrl} (is karmada-ts up still running?)`);
  }
  const body = (await res.json()) as { error?: string };
  if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body;
}
