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
  /** --horizontal-pod-autoscaler-sync-period and -downscale-stabilization (FederatedHPA) */
  autoscaling?: { syncPeriodMs?: number; downscaleStabilizationSeconds?: number };
}

export type RegisterControllers = (ctx: ControllerContext) => void | Promise<void>;
