// Entry point of one playground component in its own process (karmada-apiserver,
// karmada-controller-manager, karmada-scheduler, a group of simulated members, or the karmada-agents
// of the Pull members), forked by `karmada-ts up` and the chaos harness (see ipc.ts).
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { KubeconfigEntry } from '../apiserver/auth/kubeconfig.js';
import type { MemberConfig, SimTiming } from '../membersim/config.js';
import type { StoreOptions } from '../storage/index.js';
import type { ClusterStatusOptions } from '../controllers/clusterstatus/index.js';
import type { FailoverOptions } from '../controllers/context.js';
import type { MemberFault, SimulatedMember } from '../membersim/member.js';
import { serveMetrics } from '../runtime/metrics-endpoint.js';
import { serveComponent } from './ipc.js';
import { startOnPort } from './ports.js';
import { playgroundFeatureGates } from './config.js';

/** a component started on a registry of its own, that registry's /metrics served beside it until it stops */
async function withMetrics(start: (registry: Registry) => Promise<{ stop(): Promise<void> }>, info: object = {}) {
  const registry = new Registry();
  const component = await start(registry);
  const metrics = await serveMetrics(registry).catch(async (err: unknown) => {
    await component.stop();
    throw err;
  });
  return {
    info: { ...info, metricsUrl: metrics.url },
    async stop() {
      await component.stop();
      await metrics.close();
    },
  };
}

export interface ControlPlaneComponentArgs {
  kubeconfigPath: string;
  controllers?: string[];
  /** FederatedHPA sync period and downscale stabilisation */
  autoscaling?: { syncPeriodMs?: number; downscaleStabilizationSeconds?: number };
  /** the cluster status controller's interval and Ready thresholds */
  clusterStatus?: ClusterStatusOptions;
  /** --eviction-rate and the other failover flags */
  failover?: FailoverOptions;
}

export interface MembersArgs {
  members: MemberConfig[];
  /** data dir per member name */
  dataDirs: Record<string, string>;
  storage: 'memory' | 'sqlite';
  /** the port each member had last time, when known */
  ports: Record<string, number | undefined>;
  timing?: Partial<SimTiming>;
}

/** one Pull member's karmada-agent: the identity `up` issued it and the member it serves */
export interface AgentArgs {
  clusterName: string;
  karmadaKubeconfig: string;
  memberKubeconfig: string;
  provider?: string;
  region?: string;
  zones?: string[];
}

export interface AgentsArgs {
  agents: AgentArgs[];
}

export interface ApiServerArgs {
  dataDir: string;
  /** 0 for any; a restart passes the port it had, so the kubeconfigs written before stay valid */
  port: number;
  storage: StoreOptions;
}

/** what the apiserver process reports once it listens */
export interface ApiServerReport {
  url: string;
  /** admin kubeconfig, context karmada-apiserver */
  kubeconfig: string;
}

/** a member as the members process reports it */
export interface MemberReport {
  name: string;
  url: string;
  running: boolean;
  entry: KubeconfigEntry;
}

serveComponent({
  async apiserver(raw) {
    const args = raw as ApiServerArgs;
    const { ControlPlane } = await import('../controlplane/index.js');
    // after a kill -9 the old socket is gone at once; a port still held by someone else stays an error
    const cp = await ControlPlane.start({ dataDir: args.dataDir, port: args.port, contextName: 'karmada-apiserver', storage: args.storage, components: false, featureGates: playgroundFeatureGates });
    return {
      info: { url: cp.url, kubeconfig: cp.kubeconfig('karmada-apiserver') } satisfies ApiServerReport,
      stop: () => cp.stop(),
    };
  },

  async 'controller-manager'(raw) {
    const args = raw as ControlPlaneComponentArgs;
    const { startControllerManager } = await import('../controllermanager/index.js');
    return withMetrics((registry) =>
      startControllerManager({ kubeconfig: args.kubeconfigPath, controllers: args.controllers, featureGates: playgroundFeatureGates, autoscaling: args.autoscaling, clusterStatus: args.clusterStatus, failover: args.failover, registry, logLevel: process.env.LOG_LEVEL ?? 'warn' }),
    );
  },

  async scheduler(raw) {
    const args = raw as ControlPlaneComponentArgs;
    const { startScheduler } = await import('../scheduler/component/index.js');
    return withMetrics((registry) => startScheduler({ kubeconfig: args.kubeconfigPath, registry }));
  },

  // every Pull member's agent in one process apart from the API server, as each runs beside its member and not in the control plane
  async agents(raw) {
    const args = raw as AgentsArgs;
    const { startAgent } = await import('../agent/index.js');
    // one /metrics for the process: its agents' controllers and queues counted together, as one agent's would be
    return withMetrics(async (registry) => {
      const handles: { stop(): Promise<void> }[] = [];
      const stopAll = () => Promise.all(handles.map((h) => h.stop().catch(() => {}))).then(() => undefined);
      try {
        for (const a of args.agents) handles.push(await startAgent({ ...a, registry, logLevel: process.env.LOG_LEVEL ?? 'warn' }));
      } catch (err) {
        await stopAll();
        throw err;
      }
      return { stop: stopAll };
    }, { clusters: args.agents.map((a) => a.clusterName) });
  },

  async members(raw) {
    const args = raw as MembersArgs;
    const { SimulatedMember: Member } = await import('../membersim/member.js');
    const members = new Map<string, SimulatedMember>();
    const report = (m: SimulatedMember): MemberReport => ({ name: m.name, url: m.url, running: m.running, entry: m.kubeconfigEntry() });
    try {
      for (const mc of args.members) {
        const dataDir = args.dataDirs[mc.name] ?? join('.karmada-ts', 'members', mc.name);
        members.set(mc.name, await startOnPort(args.ports[mc.name], (port) => Member.start(mc, { dataDir, storage: args.storage, port, timing: args.timing })));
      }
    } catch (err) {
      await Promise.all([...members.values()].map((m) => m.close()));
      throw err;
    }
    const member = (name: string) => {
      const m = members.get(name);
      if (!m) throw new Error(`no member named ${JSON.stringify(name)} in this process`);
      return m;
    };
    return {
      info: [...members.values()].map(report),
      async call(op, a) {
        const { name, fault } = a as { name: string; fault?: MemberFault };
        if (op === 'fault') return member(name).applyFault(fault!);
        if (op === 'stop') await member(name).stop();
        else if (op === 'start') await member(name).start();
        else if (op === 'load') {
          const l = a as { namespace: string; deployment: string; perPod?: { cpu?: string; memory?: string; metrics?: string[] } };
          return member(name).setLoad(l.namespace, l.deployment, l.perPod);
        }
        else throw new Error(`unknown operation ${op}`);
        return report(member(name));
      },
      async stop() {
        await Promise.all([...members.values()].map((m) => m.close()));
      },
    };
  },
});
