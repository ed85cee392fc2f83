// A control plane with Karmada's APIs and a few member clusters, joined in Push mode, for tests of
// controllers. Members are bare API servers unless the test passes its own (e.g. simulated ones).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer } from '../../src/apiserver/server.js';
import { karmadaAdmission } from '../../src/apiserver/admission/karmada.js';
import { installKarmadaAPIs } from '../../src/controlplane/install-crds.js';
import { joinCluster } from '../../src/controllers/cluster/join.js';
import { clusterProxy } from '../../src/aggregated/cluster-proxy.js';
import { KubeClient } from '../../src/runtime/client.js';
import type { Manager } from '../../src/runtime/controller.js';
import { EventRecorder } from '../../src/runtime/events.js';
import { MemberClients } from '../../src/runtime/member-clients.js';
import type { ControllerContext } from '../../src/controllers/context.js';
import { startTestServer, type TestServer } from './apiserver.js';
import { Kubectl } from './kubectl.js';
import { SimulatedMember } from '../../src/membersim/member.js';
import { memberConfig, nodePool, type MemberConfig, type NodePoolConfig, type SimTiming } from '../../src/membersim/config.js';

export interface TestMember {
  name: string;
  kubeconfig: string;
  client: KubeClient;
  kubectl: Kubectl;
  stop(): Promise<void>;
}

export interface Testbed {
  controlPlane: TestServer;
  /** client of the control plane */
  client: KubeClient;
  /** kubectl on the control plane */
  kubectl: Kubectl;
  members: TestMember[];
  member(name: string): TestMember;
  stop(): Promise<void>;
}

/** a bare API server as a member cluster: it stores what it is given, nothing more */
export async function startBareMember(name: string): Promise<TestMember> {
  const dataDir = mkdtempSync(join(tmpdir(), `member-${name}-`));
  const server = await ApiServer.start({ dataDir, port: 0, storage: { backend: 'memory' }, contextName: name });
  const kubeconfig = server.adminKubeconfig(name);
  const kubectl = new Kubectl(kubeconfig);
  return {
    name,
    kubeconfig,
    client: KubeClient.fromKubeconfig(kubeconfig),
    kubectl,
    async stop() {
      await server.stop();
      kubectl.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** a simulated member (nodes, pods, workload controllers); `nodes` defaults to two 4-CPU nodes */
export async function startSimulatedMember(
  name: string,
  opts: { nodes?: Partial<NodePoolConfig>[]; config?: Partial<MemberConfig>; timing?: Partial<SimTiming> } = {},
): Promise<TestMember & { sim: SimulatedMember }> {
  const dataDir = mkdtempSync(join(tmpdir(), `sim-${name}-`));
  const nodes = (opts.nodes ?? [{ count: 2, cpu: '4', memory: '8Gi' }]).map((n) => nodePool(n));
  const sim = await SimulatedMember.start(memberConfig(name, { ...opts.config, nodes }), { dataDir, timing: { podStartupMs: 100, ...opts.timing } });
  const kubeconfig = sim.kubeconfig();
  const kubectl = new Kubectl(kubeconfig);
  return {
    name,
    sim,
    kubeconfig,
    client: KubeClient.fromKubeconfig(kubeconfig),
    kubectl,
    async stop() {
      await sim.close();
      kubectl.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestbedOptions {
  members?: string[];
  startMember?: (name: string) => Promise<TestMember>;
  /** extra labels / topology per member */
  clusterInfo?: Record<string, { provider?: string; region?: string; zones?: string[]; labels?: Record<string, string> }>;
}

export async function startTestbed(opts: TestbedOptions = {}): Promise<Testbed> {
  const controlPlane = await startTestServer({ admission: karmadaAdmission(), extensions: [clusterProxy] });
  const members: TestMember[] = [];
  const stopAll = async () => {
    for (const m of members) await m.stop().catch(() => {});
    await controlPlane.stop();
  };
  try {
    await installKarmadaAPIs(controlPlane.server);
    const client = KubeClient.fromKubeconfig(controlPlane.server.adminKubeconfig());
    for (const name of opts.members ?? ['member1', 'member2']) {
      const m = await (opts.startMember ?? startBareMember)(name);
      members.push(m);
      await joinCluster(client, { name, memberKubeconfig: m.kubeconfig, ...(opts.clusterInfo?.[name] ?? {}) });
    }
    return {
      controlPlane,
      client,
      kubectl: controlPlane.kubectl,
      members,
      member(name) {
        const m = members.find((x) => x.name === name);
        if (!m) throw new Error(`no member ${name}`);
        return m;
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** what the controller manager hands its controllers, over the testbed's control plane, quiet logs */
export function controllerContext(tb: Testbed, manager: Manager): ControllerContext {
  return {
    manager,
    client: tb.client,
    members: new MemberClients(tb.client),
    events: new EventRecorder(tb.client, 'karmada-controller-manager'),
    log: { error: () => {}, info: () => {} },
    signal: new AbortController().signal,
  };
}
