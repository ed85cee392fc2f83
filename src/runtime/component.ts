// Runs one component's controllers (karmada-controller-manager, karmada-scheduler) the way
// controller-runtime's manager does with --leader-elect: without election, one Manager for the whole
// run; with it, a fresh Manager per leadership term over a Lease, stopped before the lease can be
// taken. Components only say how to build their Manager for one term.
import { isAlreadyExists, isStatusError } from '../apimachinery/errors.js';
import type { KubeClient } from './client.js';
import type { Logger, Manager } from './controller.js';
import { defaultIdentity, runLeaderElection } from './leaderelection.js';

export interface LeaderElectOptions {
  /** Lease namespace (default karmada-system) */
  namespace?: string;
  /** Lease name (default the component's name) */
  name?: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

interface ComponentOptions {
  /** the component's name: the Lease's default name */
  name: string;
  /** the control plane (holds the Lease) */
  client: KubeClient;
  leaderElect?: boolean | LeaderElectOptions;
  /** the Manager for one term, its controllers registered; the signal aborts when the term ends */
  build(signal: AbortSignal): Manager | Promise<Manager>;
  signal?: AbortSignal;
  log?: Logger & { info?(obj: object, msg?: string): void };
}

export interface ComponentHandle {
  /** the current term's Manager (undefined before the first term starts) */
  readonly manager: Manager | undefined;
  /** leading (always true without leader election, until stopped) */
  isLeader(): boolean;
  /** resolves once the component has stopped: stop(), the signal, or lost leadership */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  try {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (err) {
    // present already, or not ours to create: the election reports a missing namespace itself
    if (!isAlreadyExists(err) && !isStatusError(err, 'Forbidden')) throw err;
  }
}

/** Starts the component; resolves once it runs (without election: once its first Manager is built). */
export async function runComponent(opts: ComponentOptions): Promise<ComponentHandle> {
  const stopper = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stopper.signal]) : stopper.signal;
  let manager: Manager | undefined;

  if (!opts.leaderElect) {
    manager = await opts.build(signal);
    let leading = true;
    const done = manager.run(signal).finally(() => (leading = false));
    return {
      get manager() {
        return manager;
      },
      isLeader: () => leading,
      done,
      async stop() {
        stopper.abort();
        await done;
      },
    };
  }

  const le = typeof opts.leaderElect === 'object' ? opts.leaderElect : {};
  const namespace = le.namespace ?? 'karmada-system';
  await ensureNamespace(opts.client, namespace);
  const elector = runLeaderElection({
    client: opts.client,
    namespace,
    name: le.name ?? opts.name,
    identity: le.identity ?? defaultIdentity(),
    leaseDurationMs: le.leaseDurationMs,
    renewDeadlineMs: le.renewDeadlineMs,
    retryPeriodMs: le.retryPeriodMs,
    onStartedLeading: async (term) => {
      const termSignal = AbortSignal.any([term, signal]);
      manager = await opts.build(termSignal);
      await manager.run(termSignal);
    },
    onStoppedLeading: () => opts.log?.info?.({ component: opts.name }, 'leadership lost'),
    onError: (err) => opts.log?.error({ err, component: opts.name }, 'leader election'),
  });
  const onAbort = () => void elector.stop();
  signal.addEventListener('abort', onAbort, { once: true });
  const done = elector.done.finally(() => signal.removeEventListener('abort', onAbort));
  return {
    get manager() {
      return manager;
    },
    isLeader: () => elector.isLeader(),
    done,
    async stop() {
      stopper.abort();
      await elector.stop();
      await done;
    },
  };
}
