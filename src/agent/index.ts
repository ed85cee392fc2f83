// karmada-agent (Karmada cmd/agent) for one Pull-mode member: registers the Cluster (syncMode Pull),
// renews its Lease in karmada-cluster, and runs the same execution, work status and cluster status
// controllers as the controller manager, scoped to this one cluster (ControllerContext.pullCluster):
// Works of karmada-es-<cluster> applied to the member with the member's own kubeconfig, their
// status and the cluster's status reported back. The control plane never dials the member: the
// cluster proxy reaches it through the tunnel the agent dials out (tunnel.ts).
import type { Command } from 'commander';
import { Registry } from 'prom-client';
import { isConflict, isNotFound, isStatusError } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { leaseGVR, namespaceGVR } from '../apis/builtin/gvr.js';
import type { ControllerContext } from '../controllers/context.js';
import { register as registerClusterStatus, type ClusterStatusOptions } from '../controllers/clusterstatus/index.js';
import { register as registerExecution } from '../controllers/execution/index.js';
import { register as registerWorkStatus } from '../controllers/workstatus/index.js';
import { loadClient } from '../runtime/load-client.js';
import { createDefaultInterpreter } from '../interpreter/index.js';
import type { KubeClient } from '../runtime/client.js';
import { runComponent } from '../runtime/component.js';
import { Manager } from '../runtime/controller.js';
import { EventRecorder } from '../runtime/events.js';
import { componentLogger } from '../runtime/logging.js';
import { MemberClients } from '../runtime/member-clients.js';
import { parseMetricsBindAddress, serveMetrics } from '../runtime/metrics-endpoint.js';
import { ensureCluster, reportImpersonatorSecret, type ClusterRegistration } from './cluster.js';
import { runTunnel } from './tunnel.js';
import { DefaultCertRotationCheckpointMs, DefaultCertRotationRemainingTimeThreshold, runCertRotation } from './cert-rotation.js';
import { goDurationFlag } from '../apimachinery/duration.js';
import { ClusterLeaseNamespace, DefaultLeaseDurationSeconds, DefaultRenewIntervalFraction, renewedLease } from './lease.js';

const AgentComponent = 'karmada-agent';

export interface AgentOptions {
  /** the control plane's kubeconfig (text or path), with the agent's own identity */
  karmadaKubeconfig: string;
  /** the member's kubeconfig (text or path) */
  memberKubeconfig: string;
  clusterName: string;
  /** --cluster-api-endpoint (default: the member kubeconfig's server) */
  apiEndpoint?: string;
  provider?: string;
  region?: string;
  zones?: string[];
  leaseDurationSeconds?: number;
  clusterStatus?: ClusterStatusOptions;
  /** --cert-rotation-checkpoint (default 5m) */
  certRotationCheckpointMs?: number;
  /** --cert-rotation-remaining-time-threshold (default 0.2) */
  certRotationRemainingTimeThreshold?: number;
  registry?: Registry;
  signal?: AbortSignal;
  logLevel?: string;
}

export interface AgentHandle {
  client: KubeClient;
  member: KubeClient;
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((r) => {
    const onAbort = () => (clearTimeout(t), r());
    const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), r()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** the member's kube-system uid: Karmada's cluster id */
async function memberId(member: KubeClient, signal: AbortSignal): Promise<string | undefined> {
  try {
    return (await member.get(namespaceGVR, 'kube-system', { signal })).metadata.uid;
  } catch {
    return undefined;
  }
}

/** renews karmada-cluster/<cluster> every leaseDuration*fraction until the signal aborts */
async function renewLease(client: KubeClient, cluster: { name: string; uid?: string }, durationSeconds: number, signal: AbortSignal, log: { warn(o: object, m: string): void }): Promise<void> {
  const intervalMs = durationSeconds * 1000 * DefaultRenewIntervalFraction;
  while (!signal.aborted) {
    try {
      let existing: KubeObject | undefined;
      try {
        existing = await client.get(leaseGVR, cluster.name, { namespace: ClusterLeaseNamespace, signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      const lease = renewedLease(existing, cluster, durationSeconds, Date.now());
      if (existing) await client.replace(lease, { signal });
      else await client.create(lease, { signal });
    } catch (err) {
      if (signal.aborted) return;
      if (!isConflict(err)) log.warn({ err: (err as Error).message }, 'failed to renew the cluster lease');
    }
    await sleep(intervalMs, signal);
  }
}

export async function startAgent(opts: AgentOptions): Promise<AgentHandle> {
  const client = loadClient(opts.karmadaKubeconfig, 'karmada-agent', { dropManagedFields: true });
  const member = loadClient(opts.memberKubeconfig, 'karmada-agent', { dropManagedFields: true });
  const log = componentLogger(AgentComponent, opts.logLevel);
  const stopping = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stopping.signal]) : stopping.signal;
  const name = opts.clusterName;

  const registration: ClusterRegistration = { name, apiEndpoint: opts.apiEndpoint ?? member.server, provider: opts.provider, region: opts.region, zones: opts.zones, id: await memberId(member, signal) };
  // the control plane may not answer yet: keep trying, but a refusal (403, a Push cluster of that name) ends the agent
  let cluster;
  for (;;) {
    try {
      cluster = await ensureCluster(client, registration, signal);
      break;
    } catch (err) {
      const fatal = !(err as { code?: string }).code && !isStatusError(err, 'ServiceUnavailable') && !isStatusError(err, 'InternalError') && !isStatusError(err, 'Timeout');
      if (signal.aborted || fatal) throw new Error(`failed to register cluster ${name}: ${(err as Error).message}`);
      log.warn({ err: (err as Error).message }, 'control plane not reachable yet');
      await sleep(1000, signal);
    }
  }
  log.info({ cluster: name }, 'cluster registered in Pull mode');
  await reportImpersonatorSecret(client, name, member.kubeConfig, signal).catch((err) => log.warn({ err: (err as Error).message }, 'failed to report the impersonator secret: the cluster proxy cannot reach this member'));
  const lease = renewLease(client, { name, uid: cluster.metadata.uid }, opts.leaseDurationSeconds ?? DefaultLeaseDurationSeconds, signal, log);
  const tunnel = runTunnel(client, name, member.server, signal, log);
  const rotation = runCertRotation(client, {
    cluster: name,
    checkpointMs: opts.certRotationCheckpointMs,
    threshold: opts.certRotationRemainingTimeThreshold,
    member,
    kubeconfigPath: isKubeconfigText(opts.karmadaKubeconfig) ? undefined : opts.karmadaKubeconfig,
    signal,
    log,
  });

  const interpreter = createDefaultInterpreter();
  const build = async (termSignal: AbortSignal): Promise<Manager> => {
    const manager = new Manager({ registry: opts.registry });
    const ctx: ControllerContext = {
      manager,
      client,
      members: MemberClients.own(client, name, member),
      events: new EventRecorder(client, AgentComponent),
      log,
      signal: termSignal,
      pullCluster: name,
    };
    registerExecution(ctx, { interpreter });
    registerWorkStatus(ctx, { interpreter });
    registerClusterStatus(ctx, opts.clusterStatus);
    return manager;
  };
  const component = await runComponent({ name: AgentComponent, client, leaderElect: false, build, signal, log });
  const done = Promise.all([component.done, lease, tunnel, rotation]).then(() => undefined);
  return {
    client,
    member,
    done,
    stop: async () => {
      stopping.abort();
      await component.stop();
      await lease;
      await tunnel;
      await rotation;
    },
  };
}

const isKubeconfigText = (v: string) => v.includes('\n') || v.trimStart().startsWith('apiVersion') || v.trimStart().startsWith('{');

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** `karmada-ts agent --karmada-kubeconfig F --kubeconfig MEMBER --cluster-name N`, Karmada's karmada-agent flags */
export function registerAgentCommand(program: Command): Command {
  return program
    .command('agent')
    .description('run karmada-agent beside a member cluster: register it in Pull mode and apply its Works')
    .requiredOption('--karmada-kubeconfig <file>', 'kubeconfig of the karmada control plane (the agent identity)')
    .requiredOption('--kubeconfig <file>', 'kubeconfig of the member cluster')
    .requiredOption('--cluster-name <name>', 'name of the member cluster in the control plane')
    .option('--cluster-api-endpoint <url>', 'API endpoint of the member cluster (default: the kubeconfig server)')
    .option('--cluster-provider <p>', 'provider of the member cluster')
    .option('--cluster-region <r>', 'region of the member cluster')
    .option('--cluster-zones <zones>', 'zones of the member cluster, comma separated', list)
    .option('--cluster-lease-duration <seconds>', 'lease duration in seconds', (v) => Number(v), DefaultLeaseDurationSeconds)
    .option('--cluster-status-update-frequency <seconds>', 'how often the cluster status is reported', (v) => Number(v), 10)
    .option('--cert-rotation-checkpoint <duration>', 'how often the agent checks whether its certificate needs rotating', '5m')
    .option('--cert-rotation-remaining-time-threshold <ratio>', 'rotate once the remaining share of the certificate lifetime is at or below this (0..1)', String(DefaultCertRotationRemainingTimeThreshold))
    .option('--metrics-bind-address <address>', 'where /metrics is served (HOST:PORT, :PORT on loopback, port 0 for a free one); 0 serves none', '127.0.0.1:0')
    .action(async (o: { karmadaKubeconfig: string; kubeconfig: string; clusterName: string; clusterApiEndpoint?: string; clusterProvider?: string; clusterRegion?: string; clusterZones?: string[]; clusterLeaseDuration: number; clusterStatusUpdateFrequency: number; certRotationCheckpoint: string; certRotationRemainingTimeThreshold: string; metricsBindAddress: string }) => {
      const checkpointMs = goDurationFlag(o.certRotationCheckpoint, 'cert-rotation-checkpoint');
      const threshold = Number(o.certRotationRemainingTimeThreshold);
      if (!(threshold > 0 && threshold < 1)) throw new Error(`--cert-rotation-remaining-time-threshold must be a number between 0 and 1 (got ${JSON.stringify(o.certRotationRemainingTimeThreshold)})`);
      const metricsAt = parseMetricsBindAddress(o.metricsBindAddress);
      const registry = new Registry();
      const metrics = metricsAt ? await serveMetrics(registry, metricsAt) : undefined;
      if (metrics) componentLogger(AgentComponent).info({ url: metrics.url }, 'serving metrics');
      try {
        const agent = await startAgent({
          karmadaKubeconfig: o.karmadaKubeconfig,
          memberKubeconfig: o.kubeconfig,
          clusterName: o.clusterName,
          apiEndpoint: o.clusterApiEndpoint,
          provider: o.clusterProvider,
          region: o.clusterRegion,
          zones: o.clusterZones,
          leaseDurationSeconds: o.clusterLeaseDuration,
          clusterStatus: { statusUpdateIntervalMs: o.clusterStatusUpdateFrequency * 1000 },
          certRotationCheckpointMs: checkpointMs || DefaultCertRotationCheckpointMs,
          certRotationRemainingTimeThreshold: threshold,
          registry,
        });
        const stop = () => void agent.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await agent.done;
      } finally {
        await metrics?.close();
      }
    });
}
