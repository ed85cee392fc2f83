// The local playground: a control-plane API server and the configured simulated members in one
// process, kubeconfigs for both (Karmada's local-up names), state kept in the data dir across
// restarts, and a loopback control endpoint for `karmada-ts member list|stop|start`.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildKubeconfig } from '../apiserver/auth/kubeconfig.js';
import { isStatusError } from '../apimachinery/errors.js';
import { ControlPlane } from '../controlplane/index.js';
import { joinCluster } from '../controllers/cluster/join.js';
import { KubeClient } from '../runtime/client.js';
import type { StoreOptions } from '../storage/index.js';
import { startEtcd, type EtcdCluster } from '../storage/etcd/local.js';
import type { SimTiming } from '../membersim/config.js';
import { SimulatedMember } from '../membersim/member.js';
import { defaultPlaygroundConfig, type PlaygroundConfig } from './config.js';
import { clusterGVR } from '../apis/karmada/gvr.js';

export interface PlaygroundOptions {
  config?: PlaygroundConfig;
  dataDir: string;
  kubeconfigDir: string;
  /** sqlite (default) keeps state across restarts; etcd uses --etcd-servers or starts a local etcd */
  storage?: 'sqlite' | 'memory' | 'etcd';
  etcdServers?: string[];
  /** how long to wait for every member to be joined and Ready */
  readyTimeoutMs?: number;
  timing?: Partial<SimTiming>;
  /** one line per component as it comes up */
  onProgress?: (line: string) => void;
}

/** what `karmada-ts member` reads to find a running playground */
export interface PlaygroundState {
  pid: number;
  controlUrl: string;
  token: string;
  karmadaConfig: string;
  membersConfig: string;
}

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

export const stateFile = (dataDir: string) => join(dataDir, 'playground.json');

export class Playground {
  private control?: Server;
  private etcd?: EtcdCluster;
  private constructor(
    readonly controlPlane: ControlPlane,
    readonly members: Map<string, SimulatedMember>,
    private readonly options: PlaygroundOptions,
    private readonly token: string,
  ) {}

  static async start(options: PlaygroundOptions): Promise<Playground> {
    const config = options.config ?? defaultPlaygroundConfig();
    const progress = options.onProgress ?? (() => {});
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
      controlPlaneStorage = storage === 'sqlite' ? { backend: 'sqlite', path: join(karmadaDir, 'db', 'state.db') } : { backend: 'memory' };
    }
    let controlPlane: ControlPlane;
    try {
      controlPlane = await startOnPort(ports.karmada, (port) => ControlPlane.start({ dataDir: karmadaDir, port, contextName: 'karmada-apiserver', storage: controlPlaneStorage }));
    } catch (err) {
      await etcd?.stop();
      throw err;
    }
    progress(`✓ karmada-apiserver   ${controlPlane.url}   (${took()})`);
    progress(`✓ karmada-controller-manager, karmada-scheduler`);
    const members = new Map<string, SimulatedMember>();
    const pg = new Playground(controlPlane, members, options, randomBytes(16).toString('hex'));
    pg.etcd = etcd;
    const memberStorage = storage === 'memory' ? 'memory' : 'sqlite';
    try {
      for (const mc of config.members) {
        const dataDir = join(options.dataDir, 'members', mc.name);
        const member = await startOnPort(ports.members?.[mc.name], (port) => SimulatedMember.start(mc, { dataDir, storage: memberStorage, port, timing: options.timing }));
        members.set(mc.name, member);
        const nodes = mc.nodes.reduce((s, p) => s + p.count, 0);
        const pullNote = mc.syncMode === 'Pull' ? ' (Pull requested; joined in Push mode until pull mode exists)' : '';
        progress(`✓ ${mc.name.padEnd(18)}  ${member.url}   ${nodes} nodes, ${mc.syncMode}${pullNote}   (${took()})`);
      }
      writeFileSync(portsFile, JSON.stringify({ karmada: Number(new URL(controlPlane.url).port), members: Object.fromEntries([...members].map(([n, m]) => [n, Number(new URL(m.url).port)])) } satisfies Ports, null, 2));
      pg.writeKubeconfigs();
      await pg.joinMembers(config.members, progress);
      await pg.waitReady(options.readyTimeoutMs ?? 120_000);
      progress(`✓ every member is joined and Ready   (${took()})`);
      await pg.startControl();
    } catch (err) {
      await pg.stop();
      throw err;
    }
    return pg;
  }

  get karmadaConfigPath(): string {
    return join(this.options.kubeconfigDir, 'karmada.config');
  }

  get membersConfigPath(): string {
    return join(this.options.kubeconfigDir, 'members.config');
  }

  /** joins each member as `karmadactl join` does, unless a Cluster of that name is already there (a restart) */
  private async joinMembers(configs: PlaygroundConfig['members'], progress: (line: string) => void): Promise<void> {
    const client = KubeClient.fromKubeconfig(this.controlPlane.kubeconfig());
    for (const mc of configs) {
      const existing = await client.get(clusterGVR, mc.name).catch((err) => {
        if (isStatusError(err, 'NotFound')) return undefined;
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
  }

  /** resolves once every member's Cluster reports Ready=True */
  private async waitReady(timeoutMs: number): Promise<void> {
    const client = KubeClient.fromKubeconfig(this.controlPlane.kubeconfig());
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

  private member(name: string): SimulatedMember {
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
      const m = /^\/members(?:\/([^/]+)\/(stop|start))?$/.exec(url.pathname);
      if (!m) return reply(404, { error: 'not found' });
      if (!m[1]) {
        if (req.method !== 'GET') return reply(405, { error: 'method not allowed' });
        return reply(200, { members: this.memberInfo().map(({ kubeconfig: _k, ...rest }) => rest) });
      }
      if (req.method !== 'POST') return reply(405, { error: 'method not allowed' });
      const name = decodeURIComponent(m[1]);
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
    await this.controlPlane.stop();
    await Promise.all([...this.members.values()].map((m) => m.close()));
    await this.etcd?.stop();
  }
}

/** starts on the port used last time when it is free, else on a new one */
async function startOnPort<T>(port: number | undefined, start: (port: number) => Promise<T>): Promise<T> {
  if (port) {
    try {
      return await start(port);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  return start(0);
}

/** reads the running playground's control details, or explains why there is none */
export function readPlaygroundState(dataDir: string): PlaygroundState {
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
