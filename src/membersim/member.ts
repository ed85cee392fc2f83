// A simulated member cluster: its own API server (and credentials) over a store that outlives the
// listener, the configured nodes, and the controllers a real cluster runs (scheduler, kubelets,
// workload controllers, services, metrics). stop() makes the API refuse connections, start() brings
// it back on the same port with its state.
import { join } from 'node:path';
import { ApiServer, type ApiExtension } from '../apiserver/server.js';
import { buildKubeconfig, type KubeconfigEntry } from '../apiserver/auth/kubeconfig.js';
import { rfc3339Now } from '../apimachinery/meta.js';
import { isAlreadyExists } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { createStore, type Store } from '../storage/index.js';
import { SimCluster, type MemberController } from './cluster.js';
import { defaultTiming, type MemberConfig, type SimTiming } from './config.js';
import { buildNodes } from './nodes.js';
import { KubeletController } from './controllers/kubelet.js';
import { NodeController, missingNodes, nodeLifecycleController } from './controllers/nodes.js';
import { SchedulerController } from './controllers/scheduler.js';
import { extraControllers, memberAdmission } from './controllers/index.js';
import { installMemberCRDs } from './crds.js';
import { MemberMetrics } from './controllers/metrics.js';
import { HorizontalPodAutoscalerController } from './controllers/hpa.js';
import { serveMetrics } from '../apiserver/metricsapi/serve.js';
import { serveCustomMetrics } from '../apiserver/metricsapi/custom.js';
import { errors } from '../apimachinery/errors.js';
import { loadKey, parseLoad, type LoadTable } from './load.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { metricsResources } from './metrics.js';
import { podLogs } from './logs.js';
import { podExec } from './exec/index.js';
import { ReplicaSetController } from './workloads/replicaset.js';
import { DeploymentController } from './workloads/deployment.js';

/** the faults a member can be given on demand */
export type MemberFault = { kind: 'nodes-not-ready' | 'nodes-ready'; nodes?: string[] } | { kind: 'image-pull-fail' | 'image-pull-ok'; image: string };

export const memberFaultKinds = ['nodes-not-ready', 'nodes-ready', 'image-pull-fail', 'image-pull-ok'] as const;

export interface MemberOptions {
  /** PKI, admin kubeconfig and (sqlite) the database */
  dataDir: string;
  storage?: 'memory' | 'sqlite';
  /** 0 (default) picks a free port; restarts reuse the port they got */
  port?: number;
  timing?: Partial<SimTiming>;
  /** serve metrics.k8s.io PodMetrics and NodeMetrics (default true) */
  metrics?: boolean;
}

export class SimulatedMember {
  private server?: ApiServer;
  private cluster?: SimCluster;
  private kubelet?: KubeletController;
  private readonly notReady = new Set<string>();
  private readonly unpullable = new Set<string>();
  private port: number;
  private credentials?: { caPem: string; certPem: string; keyPem: string };
  private metricsSource?: MemberMetrics;
  private loads: LoadTable;
  readonly timing: SimTiming;

  private constructor(
    readonly config: MemberConfig,
    private readonly options: MemberOptions,
    private readonly store: Store,
  ) {
    this.port = options.port ?? 0;
    this.timing = { ...defaultTiming, ...options.timing };
    this.loads = readLoads(this.loadFile);
  }

  /** metrics.k8s.io, computed on request from the cache and the load model */
  private readonly metricsServer = (): ApiExtension => ({
    name: 'metrics-server',
    handle: async (req, res, url) => {
      if (this.options.metrics === false) return false;
      const source = this.metricsSource;
      return (await serveMetrics(req, res, url, () => source)) || serveCustomMetrics(req, res, url, () => source && { pods: (ns, metric, selector) => source.custom(ns, metric, selector) });
    },
  });

  private get loadFile(): string {
    return join(this.options.dataDir, 'load.json');
  }

  static async start(config: MemberConfig, options: MemberOptions): Promise<SimulatedMember> {
    const store = await createStore(
      options.storage === 'sqlite'
        ? { backend: 'sqlite', path: join(options.dataDir, 'db', 'state.db'), synchronous: 'NORMAL' }
        : { backend: 'memory', compaction: { intervalMs: 60_000, minRetain: 1000 } },
    );
    const member = new SimulatedMember(config, options, store);
    try {
      await member.start();
    } catch (err) {
      await store.close();
      throw err;
    }
    return member;
  }

  get name(): string {
    return this.config.name;
  }

  get running(): boolean {
    return !!this.server;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** metrics.k8s.io as it would answer now (undefined while stopped) */
  get metrics(): MemberMetrics | undefined {
    return this.metricsSource;
  }

  /** the in-process API server while running (tests and the playground read its object store) */
  get apiServer(): ApiServer | undefined {
    return this.server;
  }

  /** an admin kubeconfig whose cluster, user and context are named `contextName` */
  kubeconfig(contextName = this.config.name): string {
    return buildKubeconfig([this.kubeconfigEntry(contextName)]);
  }

  /** this member as one entry of a kubeconfig with several contexts */
  kubeconfigEntry(contextName = this.config.name): KubeconfigEntry {
    const creds = this.credentials!;
    return { name: contextName, server: this.url, caPem: creds.caPem, user: { clientCertPem: creds.certPem, clientKeyPem: creds.keyPem } };
  }

  /** starts the API server (on the port it had before, if any) and every simulated controller */
  async start(): Promise<void> {
    if (this.server) return;
    const server = await this.listen();
    this.port = Number(new URL(server.url).port);
    this.server = server;
    this.credentials = { caPem: server.caPem, ...server.adminCredentials };
    await installMemberCRDs(server);
    const cluster = new SimCluster(server, this.config.name, this.timing);
    const kubelet = new KubeletController(cluster, this.unpullable);
    // each builds itself on the cluster's manager; they run once the informers have listed and the nodes exist
    const controllers: MemberController[] = [
      new NodeController(cluster, this.notReady),
      new SchedulerController(cluster),
      kubelet,
      new ReplicaSetController(cluster),
      new DeploymentController(cluster),
      ...extraControllers(cluster),
    ];
    if (this.options.metrics !== false) {
      server.registry.setSource('metrics.k8s.io', metricsResources);
      this.metricsSource = new MemberMetrics(cluster, () => this.loads);
      controllers.push(new HorizontalPodAutoscalerController(cluster, () => this.metricsSource, this.timing.hpaSyncMs));
    }
    await cluster.startInformers();
    await this.registerNodes(cluster);
    await cluster.startControllers();
    this.cluster = cluster;
    this.kubelet = kubelet;
  }

  private async listen(): Promise<ApiServer> {
    const opts = { dataDir: this.options.dataDir, port: this.port, storage: { store: this.store }, contextName: this.config.name, admission: memberAdmission(), extensions: [podLogs(() => this.timing.logIntervalMs), podExec, this.metricsServer] };
    for (let attempt = 0; ; attempt++) {
      try {
        return await ApiServer.start(opts);
      } catch (err) {
        // the old listener's port can take a moment to free up after a stop
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private async registerNodes(cluster: SimCluster): Promise<void> {
    const nodes = missingNodes(buildNodes(this.config, rfc3339Now()), (name) => cluster.get('nodes', name));
    const kubernetes: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: this.port }] },
    };
    const objects = [...nodes.map((n) => ['nodes', n] as const), ...(cluster.get('services', 'default/kubernetes') ? [] : [['services', kubernetes] as const])];
    await Promise.all(
      objects.map(([resource, obj]) =>
        cluster.create(resource, obj, resource === 'nodes' ? 'kubelet' : 'kube-apiserver').catch((err) => {
          if (!isAlreadyExists(err)) throw err;
        }),
      ),
    );
  }

  /** the API refuses connections and the cluster's controllers stop; the state stays */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await this.cluster?.stop();
    this.kubelet = undefined;
    this.cluster = undefined;
    this.metricsSource = undefined;
    await server.stop();
  }

  /** stop, then release the store for good */
  async close(): Promise<void> {
    await this.stop();
    await this.store.close();
  }

  /**
   * `member load`: the Deployment's pods share cpu (and memory) of `per pod` × its running pods from
   * now on, whatever its replicas become; undefined resets it to the default usage
   */
  async setLoad(namespace: string, deployment: string, perPod: { cpu?: string; memory?: string; metrics?: string[] } | undefined): Promise<{ pods: number }> {
    const key = loadKey(namespace, deployment);
    const pods = this.metricsSource?.runningPodsOf(namespace, deployment) ?? 0;
    if (perPod) {
      if (!this.cluster?.get('deployments', key)) throw errors.notFound({ group: 'apps', resource: 'deployments' }, deployment);
      this.loads = { ...this.loads, [key]: parseLoad(perPod, pods) };
    } else {
      const { [key]: _gone, ...rest } = this.loads;
      this.loads = rest;
    }
    writeFileSync(this.loadFile, JSON.stringify(this.loads, null, 2));
    return { pods };
  }

  /** a NotReady node: Ready=Unknown, unreachable taints, its pods not ready */
  setNodeReady(name: string, ready: boolean): void {
    if (ready) this.notReady.delete(name);
    else this.notReady.add(name);
    this.cluster?.enqueue(nodeLifecycleController, name);
  }

  /** every node (or the named ones) NotReady, or Ready again; unknown node names are an error */
  setNodesReady(ready: boolean, names: string[] = []): string[] {
    const all = this.nodeNames;
    const unknown = names.filter((n) => !all.includes(n));
    if (unknown.length) throw new Error(`member ${this.name} has no node ${unknown.join(', ')} (nodes: ${all.join(', ')})`);
    const chosen = names.length ? names : all;
    for (const n of chosen) this.setNodeReady(n, ready);
    return chosen;
  }

  /**
   * An image this member cannot pull (or can again): its pods' containers wait in ErrImagePull,
   * then ImagePullBackOff, running ones too (as if restarted on a node without the image).
   */
  setImagePullable(image: string, pullable: boolean): void {
    if (!image.trim()) throw new Error('an image name is required');
    if (pullable) this.unpullable.delete(image);
    else this.unpullable.add(image);
    this.kubelet?.imagesChanged();
  }

  /** the images marked unpullable on this member */
  get unpullableImages(): string[] {
    return [...this.unpullable];
  }

  /** applies one fault command (what `karmada-ts member nodes-not-ready|image-pull-fail ...` send) */
  applyFault(fault: MemberFault): string {
    switch (fault.kind) {
      case 'nodes-ready':
      case 'nodes-not-ready': {
        const nodes = this.setNodesReady(fault.kind === 'nodes-ready', fault.nodes);
        return `${nodes.length} node(s) of ${this.name} ${fault.kind === 'nodes-ready' ? 'Ready' : 'NotReady'}: ${nodes.join(', ')}`;
      }
      case 'image-pull-fail':
      case 'image-pull-ok':
        this.setImagePullable(fault.image, fault.kind === 'image-pull-ok');
        return `image ${fault.image} ${fault.kind === 'image-pull-ok' ? 'pullable again' : 'unpullable'} on ${this.name}`;
    }
  }

  get nodeNames(): string[] {
    return buildNodes(this.config, '').map((n) => n.metadata.name!);
  }

  /** reconcile errors seen so far, by controller (for tests and diagnostics) */
  errors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, err] of this.cluster?.errors() ?? []) out[name] = err instanceof Error ? err.message : String(err);
    return out;
  }
}

function readLoads(file: string): LoadTable {
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LoadTable) : {};
  } catch {
    return {};
  }
}
