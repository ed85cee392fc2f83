// What every Karmada controller gets: the shared manager (informers, queues, metrics), the control
// plane's client, member clients, an event recorder and the resource interpreter. Each controller
// folder exports `register(ctx)` that adds its controllers to ctx.manager.
import type { Manager, Logger } from '../runtime/controller.js';
import type { KubeClient } from '../runtime/client.js';
import type { MemberClients } from '../runtime/member-clients.js';
import type { EventRecorder } from '../runtime/events.js';
import type { FeatureGates } from './features.js';
import { executionSpaceName } from '../apis/karmada/work.js';

export interface ControllerContext {
  manager: Manager;
  /** the control plane (karmada-apiserver) */
  client: KubeClient;
  members: MemberClients;
  events: EventRecorder;
  log: Logger & { info(obj: object, msg?: string): void };
  /** stops with the controller manager (or when leadership is lost) */
  signal: AbortSignal;
  /** --feature-gates (defaults when absent) */
  features?: FeatureGates;
  /** failover flags (taint manager, graceful eviction); defaults when absent */
  failover?: FailoverOptions;
  /**
   * Set in karmada-agent: the one Pull cluster this context serves. Its controllers then watch only
   * that cluster's execution space and reach the member through ctx.members' own client; without
   * it (the controller manager) they serve Push clusters and leave Pull ones to their agents.
   */
  pullCluster?: string;
  /** --horizontal-pod-autoscaler-sync-period and -downscale-stabilization (FederatedHPA) */
  autoscaling?: { syncPeriodMs?: number; downscaleStabilizationSeconds?: number };
  /** --federated-resource-quota-sync-period (FederatedQuotaEnforcement's periodic recount) */
  quota?: { syncPeriodMs?: number };
}

export interface FailoverOptions {
  /** --eviction-rate: bindings one failed cluster may have evicted per second (0: no limit; default 10) */
  evictionRate?: number;
  /** --no-execute-taint-eviction-purge-mode: Gracefully (default) or Directly, when the policy says nothing */
  noExecuteTaintEvictionPurgeMode?: 'Gracefully' | 'Directly';
  /** --graceful-eviction-timeout: longest an evicted copy stays waiting for the new one (default 10m) */
  gracefulEvictionTimeoutMs?: number;
}

/** whether this context's controllers act on the cluster (its Works, its status) */
export function servesCluster(ctx: Pick<ControllerContext, 'pullCluster'>, cluster: { metadata: { name?: string }; spec?: { syncMode?: string } }): boolean {
  if (ctx.pullCluster !== undefined) return cluster.metadata.name === ctx.pullCluster;
  return cluster.spec?.syncMode !== 'Pull';
}

/** the execution space(s) this context watches: its own in an agent, all namespaces otherwise */
export function watchedNamespace(ctx: Pick<ControllerContext, 'pullCluster'>): string | undefined {
  return ctx.pullCluster === undefined ? undefined : executionSpaceName(ctx.pullCluster);
}

export type RegisterControllers = (ctx: ControllerContext) => void | Promise<void>;
