// The chaos harness's control plane: karmada-apiserver, controller manager, scheduler and each member in its
// own process (the playground's components, see src/playground/component-main.ts), on SQLite or a 3-member
// etcd, with kill -9 and restart of any one of them, as the node or pod dying under a real Karmada would.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKubeconfig } from '../../../src/apiserver/auth/kubeconfig.js';
import { clusterGVR } from '../../../src/apis/karmada/gvr.js';
import { joinCluster } from '../../../src/controllers/cluster/join.js';
import { nodePool, type MemberConfig } from '../../../src/membersim/config.js';
import type { ApiServerArgs, ApiServerReport, ControlPlaneComponentArgs, MemberReport, MembersArgs } from '../../../src/playground/component-main.js';
import { ComponentProcess } from '../../../src/playground/ipc.js';
import { KubeClient } from '../../../src/runtime/client.js';
import { startEtcd, type EtcdCluster } from '../../../src/storage/etcd/local.js';
import type { StoreOptions } from '../../../src/storage/index.js';

export type ChaosStorage = 'sqlite' | 'etcd';

export interface ChaosClusterOptions {
  dir: string;
  storage: ChaosStorage;
  members: number;
}

/** one process the harness can kill: its name and how to bring it back */
interface Killable {
  name: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

/** the components' own logs would drown the run's lines: errors while a peer is down are the expected case */
const quiet = { env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } };

const sigkill = async (proc: ComponentProcess | undefined) => {
  if (!proc) return;
  try {
    process.kill(proc.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await proc.exited;
};

/** retries a component's start: a restarted API server may not answer yet when its clients come up */
async function startWithRetry<T>(what: string, start: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (Date.now() > until) throw new Error(`${what} did not start within ${timeoutMs / 1000}s: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, Math.min(2000, 200 * 2 ** attempt)));
    }
  }
}

export class ChaosCluster {
  etcd?: EtcdCluster;
  apiserver?: ComponentProcess<ApiServerReport>;
  private cm?: ComponentProcess;
  private scheduler?: ComponentProcess;
  private readonly memberProcs = new Map<string, ComponentProcess<MemberReport[]>>();
  readonly memberNames: string[];
  private apiserverArgs!: ApiServerArgs;
  private readonly cpArgs: ControlPlaneComponentArgs;
  private memberReports = new Map<string, MemberReport>();

  private constructor(readonly options: ChaosClusterOptions) {
    this.memberNames = Array.from({ length: options.members }, (_, i) => `member${i + 1}`);
    this.cpArgs = { kubeconfigPath: join(options.dir, 'components.kubeconfig') };
  }

  static async start(options: ChaosClusterOptions): Promise<ChaosCluster> {
    const c = new ChaosCluster(options);
    try {
      await c.boot();
    } catch (err) {
      await c.stop();
      throw err;
    }
    return c;
  }

  private memberConfig(name: string): MemberConfig {
    return { name, syncMode: 'Push', provider: 'karmada-ts', region: 'chaos', zones: ['chaos-a'], labels: {}, nodes: [nodePool({ count: 2, cpu: '8', memory: '32Gi' })] };
  }

  private membersArgs(name: string, port: number | undefined): MembersArgs {
    return { members: [this.memberConfig(name)], dataDirs: { [name]: join(this.options.dir, 'members', name) }, storage: 'sqlite', ports: { [name]: port } };
  }

  private async boot(): Promise<void> {
    mkdirSync(this.options.dir, { recursive: true });
    let storage: StoreOptions;
    if (this.options.storage === 'etcd') {
      this.etcd = await startEtcd({ members: 3, dir: join(this.options.dir, 'etcd') });
      storage = { backend: 'etcd', endpoints: this.etcd.endpoints };
    } else {
      storage = { backend: 'sqlite', path: join(this.options.dir, 'karmada', 'db', 'state.db'), synchronous: 'NORMAL' };
    }
    this.apiserverArgs = { dataDir: join(this.options.dir, 'karmada'), port: 0, storage };
    this.apiserver = await ComponentProcess.start<ApiServerReport>('apiserver', this.apiserverArgs);
    this.apiserverArgs.port = Number(new URL(this.apiserver.info.url).port);
    writeFileSync(this.cpArgs.kubeconfigPath, this.apiserver.info.kubeconfig, { mode: 0o600 });
    const [cm, scheduler, ...members] = await Promise.all([
      ComponentProcess.start('controller-manager', this.cpArgs, quiet),
      ComponentProcess.start('scheduler', this.cpArgs, quiet),
      ...this.memberNames.map((n) => ComponentProcess.start<MemberReport[]>('members', this.membersArgs(n, undefined))),
    ]);
    this.cm = cm;
    this.scheduler = scheduler;
    members.forEach((p, i) => {
      const proc = p as ComponentProcess<MemberReport[]>;
      this.memberProcs.set(this.memberNames[i]!, proc);
      this.memberReports.set(this.memberNames[i]!, proc.info[0]!);
    });
    const client = this.client();
    for (const name of this.memberNames) {
      const r = this.memberReports.get(name)!;
      await joinCluster(client, { name, memberKubeconfig: buildKubeconfig([{ ...r.entry, name }]), provider: 'karmada-ts', region: 'chaos', zones: ['chaos-a'] });
    }
    await this.waitMembersReady(120_000);
  }

  get kubeconfig(): string {
    return this.apiserver!.info.kubeconfig;
  }

  client(): KubeClient {
    return KubeClient.fromKubeconfig(this.kubeconfig);
  }

  memberKubeconfig(name: string): string {
    const r = this.memberReports.get(name)!;
    return buildKubeconfig([{ ...r.entry, name }]);
  }

  /** resolves once every member's Cluster reports Ready=True */
  async waitMembersReady(timeoutMs: number): Promise<void> {
    const client = this.client();
    const until = Date.now() + timeoutMs;
    try {
      for (;;) {
        const list = await client.list(clusterGVR).catch(() => ({ items: [] }));
        const ready = list.items.filter((c) => ((c.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((x) => x.type === 'Ready' && x.status === 'True'));
        if (ready.length === this.memberNames.length) return;
        if (Date.now() > until) throw new Error(`members not Ready after ${timeoutMs / 1000}s (${ready.length}/${this.memberNames.length})`);
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      client.close();
    }
  }

  /** every process the chaos may kill */
  killables(): Killable[] {
    const out: Killable[] = [
      {
        name: 'karmada-apiserver',
        kill: () => sigkill(this.apiserver),
        restart: async () => {
          this.apiserver = await startWithRetry('karmada-apiserver', () => ComponentProcess.start<ApiServerReport>('apiserver', this.apiserverArgs));
        },
      },
      {
        name: 'karmada-controller-manager',
        kill: () => sigkill(this.cm),
        restart: async () => {
          this.cm = await startWithRetry('karmada-controller-manager', () => ComponentProcess.start('controller-manager', this.cpArgs, quiet));
        },
      },
      {
        name: 'karmada-scheduler',
        kill: () => sigkill(this.scheduler),
        restart: async () => {
          this.scheduler = await startWithRetry('karmada-scheduler', () => ComponentProcess.start('scheduler', this.cpArgs, quiet));
        },
      },
      ...this.memberNames.map((name) => ({
        name,
        kill: () => sigkill(this.memberProcs.get(name)),
        restart: async () => {
          const port = Number(new URL(this.memberReports.get(name)!.url).port);
          const proc = await startWithRetry(name, () => ComponentProcess.start<MemberReport[]>('members', this.membersArgs(name, port)));
          this.memberProcs.set(name, proc);
          if (proc.info[0]!.url !== this.memberReports.get(name)!.url) throw new Error(`${name} came back on ${proc.info[0]!.url}, not ${this.memberReports.get(name)!.url}`);
        },
      })),
    ];
    if (this.etcd) {
      const etcd = this.etcd;
      for (let i = 0; i < etcd.endpoints.length; i++) {
        out.push({
          name: `etcd-${i}`,
          kill: () => etcd.kill(i),
          restart: async () => {
            await etcd.restart(i);
            await etcd.waitHealthy(i, 30_000);
          },
        });
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all([this.cm?.stop(5000), this.scheduler?.stop(5000)]);
    await Promise.all([this.apiserver?.stop(5000), ...[...this.memberProcs.values()].map((p) => p.stop(5000))]);
    await this.etcd?.stop();
  }
}
