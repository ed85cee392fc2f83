// karmada-controller-manager: builds the shared ControllerContext (manager, control-plane client,
// member clients, event recorder, interpreter) and registers the controllers selected with
// --controllers ('*' for all, 'name' to enable, '-name' to disable, as Karmada's flag), optionally
// under leader election over a Lease in karmada-system.
import { secretGVR } from '../apis/builtin/gvr.js';
import { ClusterSecretNamespace } from '../apis/karmada/wellknown.js';
import { goDurationFlag } from '../apimachinery/duration.js';
import type { Command } from 'commander';
import { defaultFeatureGates, parseFeatureGates } from '../controllers/features.js';
import { componentLogger } from '../runtime/logging.js';
import type { Registry } from 'prom-client';
import { createDefaultInterpreter, type ResourceInterpreter } from '../interpreter/index.js';
import type { KubeClient } from '../runtime/client.js';
import { loadClient } from '../runtime/load-client.js';
import { Manager } from '../runtime/controller.js';
import { runComponent } from '../runtime/component.js';
import type { ControllerContext, FailoverOptions, RegisterControllers } from '../controllers/context.js';
import { EventRecorder } from '../runtime/events.js';
import { MemberClients } from '../runtime/member-clients.js';
import { register as registerDetector } from '../controllers/detector/index.js';
import { register as registerBinding } from '../controllers/binding/index.js';
import { register as registerNamespace } from '../controllers/namespace/index.js';
import { register as registerDependencies } from '../controllers/dependencies/index.js';
import { register as registerCluster } from '../controllers/cluster/index.js';
import { register as registerClusterStatus, type ClusterStatusOptions } from '../controllers/clusterstatus/index.js';
import { register as registerExecution } from '../controllers/execution/index.js';
import { register as registerWorkStatus } from '../controllers/workstatus/index.js';
import { register as registerBindingStatus } from '../controllers/bindingstatus/index.js';
import { installThirdParty, recordHealthEvents, watchCustomizations } from '../controllers/interpreter/customizations.js';
import { watchWebhookConfigurations } from '../controllers/interpreter/webhooks.js';
import { register as registerClusterTaintPolicy } from '../controllers/clustertaintpolicy/index.js';
import { register as registerTaintManager } from '../controllers/taintmanager/index.js';
import { register as registerGracefulEviction } from '../controllers/gracefuleviction/index.js';
import { register as registerApplicationFailover } from '../controllers/applicationfailover/index.js';
import { register as registerWorkloadRebalancer } from '../controllers/workloadrebalancer/index.js';
import { register as registerAgentCsrApproving } from '../controllers/agentcsr/index.js';
import { register as registerFederatedHPA } from '../controllers/federatedhpa/index.js';
import { register as registerCronFederatedHPA } from '../controllers/cronfederatedhpa/index.js';
import { register as registerHpaScaleTargetMarker } from '../controllers/hpascaletargetmarker/index.js';
import { register as registerDeploymentReplicasSyncer } from '../controllers/deploymentreplicassyncer/index.js';
import { registerEnforcement as registerFRQEnforcement, registerStatus as registerFRQStatus, registerSync as registerFRQSync } from '../controllers/federatedresourcequota/index.js';
import { registerEndpointSlice, registerServiceExport, registerServiceImport } from '../controllers/mcs/index.js';
import { register as registerRemedy } from '../controllers/remedy/index.js';
import { registerEndpointSliceCollect, registerEndpointSliceDispatch, registerMultiClusterService } from '../controllers/multiclusterservice/index.js';

const Component = 'karmada-controller-manager';

/**
 * Every controller this manager can run, by Karmada's --controllers name. The lead extends this
 * list as more controller folders land (taint manager, graceful eviction, failover, HPA, ...).
 */
const controllerRegistry: Record<string, RegisterControllers> = {
  cluster: registerCluster,
  clusterStatus: registerClusterStatus,
  detector: registerDetector,
  binding: registerBinding,
  execution: registerExecution,
  workStatus: registerWorkStatus,
  bindingStatus: registerBindingStatus,
  namespace: registerNamespace,
  dependencies: registerDependencies,
  clusterTaintPolicy: registerClusterTaintPolicy,
  taintManager: registerTaintManager,
  gracefulEviction: registerGracefulEviction,
  applicationFailover: registerApplicationFailover,
  workloadRebalancer: registerWorkloadRebalancer,
  agentcsrapproving: registerAgentCsrApproving,
  federatedHorizontalPodAutoscaler: registerFederatedHPA,
  cronFederatedHorizontalPodAutoscaler: registerCronFederatedHPA,
  hpaScaleTargetMarker: registerHpaScaleTargetMarker,
  deploymentReplicasSyncer: registerDeploymentReplicasSyncer,
  federatedResourceQuotaSync: registerFRQSync,
  federatedResourceQuotaStatus: registerFRQStatus,
  federatedResourceQuotaEnforcement: registerFRQEnforcement,
  serviceExport: (ctx) => registerServiceExport(ctx),
  endpointSlice: registerEndpointSlice,
  serviceImport: registerServiceImport,
  multiclusterservice: registerMultiClusterService,
  endpointsliceCollect: registerEndpointSliceCollect,
  endpointsliceDispatch: registerEndpointSliceDispatch,
  remedy: registerRemedy,
};

/** what '*' leaves out, as Karmada's controllersDisabledByDefault */
const controllersDisabledByDefault: ReadonlySet<string> = new Set(['hpaScaleTargetMarker', 'deploymentReplicasSyncer']);

/** Karmada's --controllers semantics: '*' enables all (but the disabled-by-default ones), 'foo' enables foo, '-foo' disables foo */
export function selectControllers(flags: readonly string[], all: readonly string[] = Object.keys(controllerRegistry), disabledByDefault: ReadonlySet<string> = controllersDisabledByDefault): string[] {
  const byLower = new Map(all.map((n) => [n.toLowerCase(), n]));
  const name = (raw: string) => {
    const n = byLower.get(raw.toLowerCase());
    if (!n) throw new Error(`unknown controller "${raw}"; known: ${all.join(', ')}`);
    return n;
  };
  const enabled = new Set<string>();
  const disabled = new Set<string>();
  let star = false;
  for (const raw of flags.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean)) {
    if (raw === '*') star = true;
    else if (raw.startsWith('-')) disabled.add(name(raw.slice(1)));
    else enabled.add(name(raw));
  }
  return all.filter((n) => !disabled.has(n) && ((star && !disabledByDefault.has(n)) || enabled.has(n)));
}

interface ControllerManagerOptions {
  /** kubeconfig of the control plane: its text, or a path to it */
  kubeconfig: string;
  /** --controllers (default ['*']) */
  controllers?: string[];
  leaderElect?: boolean;
  /** Lease namespace and name (default karmada-system / karmada-controller-manager) */
  leaderElectionNamespace?: string;
  /** the program named in the User-Agent (default karmada-controller-manager; karmada-descheduler) */
  userAgentComponent?: string;
  registry?: Registry;
  signal?: AbortSignal;
  interpreter?: ResourceInterpreter;
  /** extra or replacement controllers, by name */
  extraControllers?: Record<string, RegisterControllers>;
  logLevel?: string;
  /** --horizontal-pod-autoscaler-sync-period / -downscale-stabilization */
  autoscaling?: { syncPeriodMs?: number; downscaleStabilizationSeconds?: number };
  /** --feature-gates, e.g. WorkloadAffinity=true */
  featureGates?: string;
  /** --eviction-rate, --no-execute-taint-eviction-purge-mode, --graceful-eviction-timeout */
  failover?: FailoverOptions;
  /** --cluster-status-update-frequency, --cluster-success-threshold, --cluster-failure-threshold */
  clusterStatus?: ClusterStatusOptions;
  /** --federated-resource-quota-sync-period */
  quota?: { syncPeriodMs?: number };
}

export interface ControllerManagerHandle {
  manager: Manager;
  client: KubeClient;
  /** the controllers registered */
  controllers: string[];
  stop(): Promise<void>;
  readonly done: Promise<void>;
}


export async function startControllerManager(opts: ControllerManagerOptions): Promise<ControllerManagerHandle> {
  // controllers never read managedFields: answers drop them as the informers do
  const client = loadClient(opts.kubeconfig, opts.userAgentComponent ?? Component, { dropManagedFields: true });
  const log = componentLogger(Component, opts.logLevel);
  const clusterStatus = opts.clusterStatus;
  const registry: Record<string, RegisterControllers> = {
    ...controllerRegistry,
    ...(clusterStatus ? { clusterStatus: (ctx: ControllerContext) => registerClusterStatus(ctx, clusterStatus) } : {}),
    ...(opts.extraControllers ?? {}),
  };
  const selected = selectControllers(opts.controllers ?? ['*'], Object.keys(registry));
  const features = parseFeatureGates(opts.featureGates);
  /** a manager with every selected controller registered, for one term (the signal ends it) */
  const build = async (signal: AbortSignal): Promise<Manager> => {
    const manager = new Manager({ registry: opts.registry });
    const members = new MemberClients(client);
    members.useSecretInformer(ClusterSecretNamespace, manager.informer(client, { ...secretGVR, namespace: ClusterSecretNamespace }));
    members.onReplaced((_name, old) => manager.removeClient(old));
    const ctx: ControllerContext & { interpreter: ResourceInterpreter } = {
      manager,
      client,
      members,
      events: new EventRecorder(client, Component, { busy: () => manager.busy(), log }),
      log,
      signal,
      features,
      failover: opts.failover,
      autoscaling: opts.autoscaling,
      quota: opts.quota,
      interpreter: opts.interpreter ?? createDefaultInterpreter(),
    };
    await installThirdParty(ctx, ctx.interpreter);
    await watchCustomizations(ctx, ctx.interpreter);
    await watchWebhookConfigurations(ctx, ctx.interpreter);
    recordHealthEvents(ctx, ctx.interpreter);
    for (const name of selected) await registry[name]!(ctx);
    return manager;
  };

  const component = await runComponent({
    name: Component,
    client,
    leaderElect: opts.leaderElect ? { namespace: opts.leaderElectionNamespace } : false,
    build,
    signal: opts.signal,
    log,
  });
  return {
    get manager() {
      return component.manager ?? new Manager();
    },
    client,
    controllers: selected,
    done: component.done,
    stop: () => component.stop(),
  };
}

/** --eviction-rate (also on `karmada-ts up`): bindings per second, 0 for no limit */
export function parseEvictionRate(value: string): number {
  const rate = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(rate) || rate < 0) throw new Error(`--eviction-rate must be a number of bindings per second, 0 or more (got ${JSON.stringify(value)})`);
  return rate;
}

/** the failover flags, checked: a bad value fails before anything starts */
export function parseFailoverFlags(o: { evictionRate: string; noExecuteTaintEvictionPurgeMode: string; gracefulEvictionTimeout: string }): FailoverOptions {
  const evictionRate = parseEvictionRate(o.evictionRate);
  const mode = o.noExecuteTaintEvictionPurgeMode;
  if (mode !== 'Gracefully' && mode !== 'Directly') throw new Error(`--no-execute-taint-eviction-purge-mode must be Gracefully or Directly (got ${JSON.stringify(mode)})`);
  const gracefulEvictionTimeoutMs = goDurationFlag(o.gracefulEvictionTimeout, 'graceful-eviction-timeout');
  return { evictionRate, noExecuteTaintEvictionPurgeMode: mode, gracefulEvictionTimeoutMs };
}

/** --horizontal-pod-autoscaler-sync-period and -downscale-stabilization (Go durations); a bad one fails before anything starts */
export function autoscalingFlags(syncPeriod: string | undefined, downscale: string | undefined): { syncPeriodMs?: number; downscaleStabilizationSeconds?: number } {
  const parse = (v: string | undefined, flag: string) => (v === undefined ? undefined : goDurationFlag(v, flag));
  const sync = parse(syncPeriod, 'horizontal-pod-autoscaler-sync-period');
  const down = parse(downscale, 'horizontal-pod-autoscaler-downscale-stabilization');
  return { syncPeriodMs: sync, downscaleStabilizationSeconds: down === undefined ? undefined : down / 1000 };
}

/** the cluster status flags (Karmada's --cluster-status-update-frequency, --cluster-success-threshold, --cluster-failure-threshold) */
export function parseClusterStatusFlags(o: { clusterStatusUpdateFrequency: string; clusterSuccessThreshold: string; clusterFailureThreshold: string }): ClusterStatusOptions {
  return {
    statusUpdateIntervalMs: goDurationFlag(o.clusterStatusUpdateFrequency, 'cluster-status-update-frequency'),
    successThresholdMs: goDurationFlag(o.clusterSuccessThreshold, 'cluster-success-threshold'),
    failureThresholdMs: goDurationFlag(o.clusterFailureThreshold, 'cluster-failure-threshold'),
  };
}

/** `karmada-ts controller-manager --kubeconfig FILE [--controllers a,b,-c] [--leader-elect]` */
export function registerControllerManagerCommand(program: Command): Command {
  return program
    .command('controller-manager')
    .description('run the Karmada controllers (detector, binding, execution, status, cluster, namespace, dependencies)')
    .requiredOption('--kubeconfig <file>', 'kubeconfig of the karmada control plane')
    .option('--controllers <list>', "controllers to run: '*' for all, 'foo' to enable, '-foo' to disable", '*')
    .option('--leader-elect', 'run under leader election (a Lease in karmada-system)', false)
    .option('--leader-elect-resource-namespace <ns>', 'namespace of the leader election Lease', 'karmada-system')
    .option('--horizontal-pod-autoscaler-sync-period <duration>', 'how often FederatedHPAs are synced', '15s')
    .option('--horizontal-pod-autoscaler-downscale-stabilization <duration>', 'how long a FederatedHPA without behavior waits before scaling down', '5m0s')
    .option('--feature-gates <gates>', `feature gates, e.g. WorkloadAffinity=true (known: ${Object.entries(defaultFeatureGates).map(([k, v]) => `${k}=${v}`).join(', ')})`)
    .option('--eviction-rate <n>', 'bindings one failed cluster may have evicted per second (0: no limit)', '10')
    .option('--no-execute-taint-eviction-purge-mode <mode>', 'purgeMode of taint evictions when the policy sets none: Gracefully or Directly', 'Gracefully')
    .option('--graceful-eviction-timeout <duration>', 'longest an evicted copy waits for its replacement to be healthy (e.g. 10m, 30s)', '10m')
    .option('--cluster-status-update-frequency <duration>', 'how often each cluster\'s status is collected', '10s')
    .option('--cluster-success-threshold <duration>', 'how long a recovered cluster must stay healthy before it is Ready again', '30s')
    .option('--cluster-failure-threshold <duration>', 'how long a cluster must fail before it is no longer Ready', '30s')
    .option('--federated-resource-quota-sync-period <duration>', 'how often FederatedResourceQuota usage is recounted from bindings (FederatedQuotaEnforcement)', '5m0s')
    .action(async (o: { federatedResourceQuotaSyncPeriod: string; kubeconfig: string; controllers: string; leaderElect: boolean; leaderElectResourceNamespace: string; featureGates?: string; evictionRate: string; noExecuteTaintEvictionPurgeMode: string; gracefulEvictionTimeout: string; clusterStatusUpdateFrequency: string; clusterSuccessThreshold: string; clusterFailureThreshold: string; horizontalPodAutoscalerSyncPeriod: string; horizontalPodAutoscalerDownscaleStabilization: string }) => {
      parseFeatureGates(o.featureGates); // a bad flag fails before anything starts
      const failover = parseFailoverFlags(o);
      const clusterStatus = parseClusterStatusFlags(o);
      const autoscaling = autoscalingFlags(o.horizontalPodAutoscalerSyncPeriod, o.horizontalPodAutoscalerDownscaleStabilization);
      const quota = { syncPeriodMs: goDurationFlag(o.federatedResourceQuotaSyncPeriod, 'federated-resource-quota-sync-period') };
      const cm = await startControllerManager({ quota, kubeconfig: o.kubeconfig, controllers: o.controllers.split(','), leaderElect: o.leaderElect, leaderElectionNamespace: o.leaderElectResourceNamespace, featureGates: o.featureGates, failover, autoscaling, clusterStatus });
      const stop = () => void cm.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await cm.done;
    });
}
