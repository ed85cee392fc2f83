// A whole Karmada control plane in one process: the API server with Karmada's APIs, admission and
// clusters/proxy, then the controller manager and the scheduler talking to it through its API,
// exactly as they would as separate processes.
import { Registry } from 'prom-client';
import { ApiServer, type ApiServerOptions } from '../apiserver/server.js';
import { karmadaAdmission } from '../apiserver/admission/karmada.js';
import { installKarmadaAPIs } from './install-crds.js';
import { installPullModeBootstrap } from './pull-mode.js';
import { clusterProxy } from '../aggregated/cluster-proxy.js';
import { metricsAdapter } from '../aggregated/metrics-adapter.js';
import { karmadaSearch } from '../search/serve.js';
import { startControllerManager, type ControllerManagerHandle } from '../controllermanager/index.js';
import { startScheduler, type SchedulerHandle } from '../scheduler/component/index.js';
import { isAlreadyExists } from '../apimachinery/errors.js';
import type { ClusterStatusOptions } from '../controllers/clusterstatus/index.js';
import type { FailoverOptions } from '../controllers/context.js';
import { internalContext } from '../apiserver/rest/context.js';
import { FederatedQuotaAdmission } from '../apiserver/admission/federated-quota.js';
import { parseFeatureGates } from '../controllers/features.js';

interface ControlPlaneOptions extends Omit<ApiServerOptions, 'admission' | 'extensions'> {
  /** run the controller manager and the scheduler in-process (default true) */
  components?: boolean;
  /** --controllers for the controller manager */
  controllers?: string[];
  /** the cluster status controller's interval and Ready thresholds (shortened in tests) */
  clusterStatus?: ClusterStatusOptions;
  /** Karmada webhook's --allow-no-execute-taint-policy: admit ClusterTaintPolicies with NoExecute taints */
  allowNoExecuteTaintPolicy?: boolean;
  /** the controller manager's --horizontal-pod-autoscaler-* settings */
  autoscaling?: { syncPeriodMs?: number; downscaleStabilizationSeconds?: number };
  /** the controller manager's --eviction-rate and the other failover flags */
  failover?: FailoverOptions;
  /**
   * --feature-gates of karmada-webhook (here the API server's admission: FederatedQuotaEnforcement)
   * and of the in-process controller manager
   */
  featureGates?: string;
}

export class ControlPlane {
  private constructor(
    readonly apiserver: ApiServer,
    readonly controllerManager?: ControllerManagerHandle,
    private readonly scheduler?: SchedulerHandle,
  ) {}

  static async start(opts: ControlPlaneOptions): Promise<ControlPlane> {
    const gates = parseFeatureGates(opts.featureGates);
    const apiserver = await ApiServer.start({ ...opts, admission: karmadaAdmission({ allowNoExecuteTaintPolicy: opts.allowNoExecuteTaintPolicy }), extensions: [clusterProxy, metricsAdapter, karmadaSearch] });
    if (gates.FederatedQuotaEnforcement) apiserver.objects.admission.push(new FederatedQuotaAdmission(apiserver.objects, apiserver.registry));
    let cm: ControllerManagerHandle | undefined;
    let scheduler: SchedulerHandle | undefined;
    try {
      await installKarmadaAPIs(apiserver);
      await ensureNamespaces(apiserver, ['karmada-system', 'karmada-cluster']);
      await installPullModeBootstrap(apiserver);
      if (opts.components !== false) {
        const kubeconfig = apiserver.adminKubeconfig('karmada-apiserver');
        const registry = new Registry();
        cm = await startControllerManager({ kubeconfig, controllers: opts.controllers, featureGates: opts.featureGates, autoscaling: opts.autoscaling, clusterStatus: opts.clusterStatus, failover: opts.failover, registry, logLevel: process.env.LOG_LEVEL ?? 'warn' });
        scheduler = await startScheduler({ client: cm.client, registry: new Registry() });
      }
    } catch (err) {
      await cm?.stop().catch(() => {});
      await scheduler?.stop().catch(() => {});
      await apiserver.stop();
      throw err;
    }
    return new ControlPlane(apiserver, cm, scheduler);
  }

  get url(): string {
    return this.apiserver.url;
  }

  kubeconfig(contextName = 'karmada-apiserver'): string {
    return this.apiserver.adminKubeconfig(contextName);
  }

  async stop(): Promise<void> {
    await this.scheduler?.stop().catch(() => {});
    await this.controllerManager?.stop().catch(() => {});
    await this.apiserver.stop();
  }
}

async function ensureNamespaces(apiserver: ApiServer, names: string[]): Promise<void> {
  const def = apiserver.registry.versionsOf('', 'namespaces')[0];
  for (const name of names) {
    try {
      await apiserver.objects.create(def, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, internalContext('karmada-ts'));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
