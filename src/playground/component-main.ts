// Entry point of one playground component in its own process (karmada-controller-manager,
// karmada-scheduler, or a group of simulated members), forked by `karmada-ts up` (see ipc.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { KubeconfigEntry } from '../apiserver/auth/kubeconfig.js';
import type { MemberConfig, SimTiming } from '../membersim/config.js';
import type { ClusterStatusOptions } from '../controllers/clusterstatus/index.js';
import type { MemberFault, SimulatedMember } from '../membersim/member.js';
import { serveComponent } from './ipc.js';
import { startOnPort } from './ports.js';

/** `/metrics` of a component on loopback (Karmada's components serve theirs on --metrics-bind-address) */
async function serveMetrics(registry: Registry): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export interface ControlPlaneComponentArgs {
  kubeconfigPath: string;
  controllers?: string[];
  clusterStatus?: ClusterStatusOptions;
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

/** a member as the members process reports it */
export interface MemberReport {
  name: string;
  url: string;
  running: boolean;
  entry: KubeconfigEntry;
}

serveComponent({
  async 'controller-manager'(raw) {
    const args = raw as ControlPlaneComponentArgs;
    const { startControllerManager } = await import('../controllermanager/index.js');
    const registry = new Registry();
    const cm = await startControllerManager({ kubeconfig: args.kubeconfigPath, controllers: args.controllers, registry, logLevel: process.env.LOG_LEVEL ?? 'warn', clusterStatus: args.clusterStatus });
    const metrics = await serveMetrics(registry);
    return {
      info: { metricsUrl: metrics.url },
      async stop() {
        await cm.stop();
        await metrics.close();
      },
    };
  },

  async scheduler(raw) {
    const args = raw as ControlPlaneComponentArgs;
    const { startScheduler } = await import('../scheduler/component/index.js');
    const registry = new Registry();
    const scheduler = await startScheduler({ kubeconfig: args.kubeconfigPath, registry });
    const metrics = await serveMetrics(registry);
    return {
      info: { metricsUrl: metrics.url },
      async stop() {
        await scheduler.stop();
        await metrics.close();
      },
    };
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
        else throw new Error(`unknown operation ${op}`);
        return report(member(name));
      },
      async stop() {
        await Promise.all([...members.values()].map((m) => m.close()));
      },
    };
  },
});
