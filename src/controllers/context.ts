// What every Karmada controller gets: the shared manager (informers, queues, metrics), the control
// plane's client, member clients, an event recorder and the resource interpreter. Each controller
// folder exports `register(ctx)` that adds its controllers to ctx.manager.
import type { Manager, Logger } from '../runtime/controller.js';
import type { KubeClient } from '../runtime/client.js';
import type { MemberClients } from '../runtime/member-clients.js';
import type { EventRecorder } from '../runtime/events.js';
import type { FeatureGates } from './features.js';

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
}

export interface FailoverOptions {
  /** --eviction-rate: bindings one failed cluster may have evicted per second (0: no limit; default 10) */
  evictionRate?: number;
  /** --no-execute-taint-eviction-purge-mode: Gracefully (default) or Directly, when the policy says nothing */
  noExecuteTaintEvictionPurgeMode?: 'Gracefully' | 'Directly';
  /** --graceful-eviction-timeout: longest an evicted copy stays waiting for the new one (default 10m) */
  gracefulEvictionTimeoutMs?: number;
}

export type RegisterControllers = (ctx: ControllerContext) => void | Promise<void>;
