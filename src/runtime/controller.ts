// Controllers the way controller-runtime runs them: informer handlers only enqueue keys, N workers
// take keys from a de-duplicating queue and reconcile them level-triggered; a failure retries with
// backoff, { requeueAfter } schedules the next look. A Manager owns the informers controllers share
// (one per client + resource + namespace + selectors), starts them, waits for their caches, then
// runs the controllers, and stops everything cleanly (no timers or sockets left behind).
import { Registry } from 'prom-client';
import type { KubeObject } from '../apimachinery/types.js';
import { isConflict } from '../apimachinery/errors.js';
import type { KubeClient } from './client.js';
import { Informer, type InformerOptions, type ListWatchSource } from './informer.js';
import { controllerMetrics, type ControllerMetrics, type QueueProbe } from './metrics.js';
import { httpSource, type HttpSourceOptions } from './sources.js';
import { WorkQueue, runWorkers, type WorkQueueOptions } from './workqueue.js';

export type ReconcileResult = void | { requeueAfter: number };
/** reconciles one key; the signal aborts when the controller stops (or loses leadership) */
export type Reconciler = (key: string, signal: AbortSignal) => Promise<ReconcileResult>;

export interface Logger {
  error(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

interface ControllerOptions {
  name: string;
  reconcile: Reconciler;
  /** concurrent workers (default 1) */
  workers?: number;
  queue?: WorkQueueOptions;
  /** Prometheus registry for controller and workqueue metrics */
  registry?: Registry;
  logger?: Logger;
}

/** A WorkQueue that feeds the workqueue_* metrics. */
class MeteredQueue extends WorkQueue<string> {
  private readonly addedAt = new Map<string, number>();
  constructor(
    private readonly controller: string,
    private readonly metrics: ControllerMetrics | undefined,
    opts?: WorkQueueOptions,
  ) {
    super(opts);
  }

  override add(key: string, priority?: number): void {
    this.metrics?.queueAdds.inc({ name: this.controller, controller: this.controller });
    if (!this.addedAt.has(key)) this.addedAt.set(key, performance.now());
    super.add(key, priority);
  }

  override addRateLimited(key: string): void {
    this.metrics?.queueRetries.inc({ name: this.controller, controller: this.controller });
    super.addRateLimited(key);
  }

  override async get(): Promise<string | undefined> {
    const key = await super.get();
    if (key !== undefined) {
      const at = this.addedAt.get(key);
      this.addedAt.delete(key);
      if (at !== undefined) this.metrics?.queueDuration.observe({ name: this.controller, controller: this.controller }, (performance.now() - at) / 1000);
    }
    return key;
  }
}

export interface OwnerMatch {
  kind: string;
  /** API group of the owner ('' for core); unset: any group */
  group?: string;
  /** whether the owner is namespaced (its key is then `<namespace of the dependent>/<name>`); default true */
  namespaced?: boolean;
}

/** keys of the owners of obj that match (by ownerReferences) */
export function ownerKeys(obj: KubeObject, owner: OwnerMatch): string[] {
  const keys: string[] = [];
  for (const ref of obj.metadata?.ownerReferences ?? []) {
    if (ref.kind !== owner.kind) continue;
    if (owner.group !== undefined) {
      const slash = ref.apiVersion.indexOf('/');
      const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
      if (group !== owner.group) continue;
    }
    const namespaced = owner.namespaced ?? true;
    keys.push(namespaced && obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name);
  }
  return keys;
}

/** the key named by labels on obj (Karmada marks derived objects with their origin's name/namespace labels) */
export function labelKey(obj: KubeObject, nameLabel: string, namespaceLabel?: string): string | undefined {
  const labels = obj.metadata?.labels ?? {};
  const name = labels[nameLabel];
  if (!name) return undefined;
  const ns = namespaceLabel ? labels[namespaceLabel] : undefined;
  return ns ? `${ns}/${name}` : name;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  readonly workers: number;
  private readonly reconcile: Reconciler;
  private readonly metrics?: ControllerMetrics;
  private readonly probe: QueueProbe;
  private readonly logger?: Logger;
  private readonly abort = new AbortController();
  private running?: Promise<void>;
  private stopped = false;
  private readonly reconcileWaiters = new Map<string, (() => void)[]>();

  constructor(opts: ControllerOptions) {
    this.name = opts.name;
    this.reconcile = opts.reconcile;
    this.workers = Math.max(1, opts.workers ?? 1);
    this.logger = opts.logger;
    this.metrics = opts.registry ? controllerMetrics(opts.registry) : undefined;
    this.queue = new MeteredQueue(this.name, this.metrics, opts.queue);
    this.probe = { name: this.name, depth: () => this.queue.length };
    this.metrics?.queues.add(this.probe);
  }

  get started(): boolean {
    return this.running !== undefined;
  }

  enqueue(key: string, priority?: number): void {
    this.queue.add(key, priority);
  }

  enqueueAfter(key: string, delayMs: number): void {
    this.queue.addAfter(key, delayMs);
  }

  /** Runs the workers. A controller runs once: after stop() it cannot start again. */
  start(): void {
    if (this.running || this.stopped) return;
    this.metrics?.maxConcurrentReconciles.set({ controller: this.name }, this.workers);
    this.running = runWorkers(this.queue, this.workers, (key) => this.reconcileOne(key), (key, err) => {
      // a reconcile cut short by stop() (or lost leadership) is not a failure worth reporting
      if (this.abort.signal.aborted) return;
      // a conflict only means the object moved on: the retry reads the new version, nothing failed
      if (isConflict(err)) this.logger?.debug?.({ controller: this.name, key, reason: 'Conflict' }, 'reconcile retried after a conflict');
      else this.logger?.error({ controller: this.name, key, err }, 'reconcile failed');
    });
  }

  /** Stops taking keys, aborts the signal given to reconcilers, and waits for in-flight reconciles. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.queue.shutdown();
    await this.running;
    this.metrics?.queues.delete(this.probe);
  }

  /**
   * Resolves once `key` has next been reconciled, whatever the outcome: the signal a test waits on
   * to assert that a look at an object changed nothing, instead of sleeping.
   */
  nextReconcile(key: string): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.reconcileWaiters.get(key);
      if (waiting) waiting.push(resolve);
      else this.reconcileWaiters.set(key, [resolve]);
    });
  }

  private async reconcileOne(key: string): Promise<number | void> {
    const labels = { controller: this.name };
    const started = performance.now();
    this.metrics?.activeWorkers.inc(labels);
    try {
      const result = await this.reconcile(key, this.abort.signal);
      if (result && typeof result.requeueAfter === 'number' && result.requeueAfter > 0) {
        this.metrics?.reconcileTotal.inc({ ...labels, result: 'requeue_after' });
        return result.requeueAfter;
      }
      this.metrics?.reconcileTotal.inc({ ...labels, result: 'success' });
    } catch (err) {
      this.metrics?.reconcileTotal.inc({ ...labels, result: 'error' });
      this.metrics?.reconcileErrors.inc(labels);
      throw err;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.metrics?.activeWorkers.dec(labels);
      this.metrics?.reconcileTime.observe(labels, seconds);
      this.metrics?.workDuration.observe({ name: this.name, controller: this.name }, seconds);
      const waiting = this.reconcileWaiters.get(key);
      if (waiting) {
        this.reconcileWaiters.delete(key);
        for (const resolve of waiting) resolve();
      }
    }
  }
}

export type InformerRequest = Omit<HttpSourceOptions, 'pageSize' | 'minWatchTimeoutSeconds'>;

interface ManagerOptions {
  registry?: Registry;
  /** informer retry delay after a failed list or watch */
  retryDelayMs?: number;
  /** controller and workqueue metrics in the registry (default true); the member simulator serves none and saves their cost */
  metrics?: boolean;
}

/**
 * Owns shared informers and the controllers built on them. start(): informers first, then (once
 * every cache has synced) controllers. Informers and controllers added later start at once.
 */
export class Manager {
  readonly registry: Registry;
  private readonly informers = new Map<string, Informer>();
  private readonly controllers: Controller[] = [];
  private readonly clientIds = new WeakMap<KubeClient, number>();
  private nextClientId = 1;
  private state: 'new' | 'starting' | 'running' | 'stopped' = 'new';
  private readonly retryDelayMs?: number;
  private readonly metrics: boolean;

  constructor(opts: ManagerOptions = {}) {
    this.registry = opts.registry ?? new Registry();
    this.retryDelayMs = opts.retryDelayMs;
    this.metrics = opts.metrics ?? true;
  }

  private clientId(client: KubeClient): number {
    let id = this.clientIds.get(client);
    if (id === undefined) {
      id = this.nextClientId++;
      this.clientIds.set(client, id);
    }
    return id;
  }

  /** the shared informer under `key`, made with `source()` the first time */
  sharedInformer(key: string, source: () => ListWatchSource, opts: Omit<InformerOptions, 'retryDelayMs'> = {}): Informer {
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer(source(), { ...opts, retryDelayMs: this.retryDelayMs });
      this.informers.set(key, inf);
      if (this.state === 'running' || this.state === 'starting') void inf.start();
    }
    return inf;
  }

  /**
   * the shared HTTP informer for a resource (+namespace, +selectors) of one cluster. `view`: a cache
   * keeping only part of each object (its `transform`), shared only with users of the same view name
   */
  informer(client: KubeClient, req: InformerRequest, view?: { name: string; transform: (obj: KubeObject) => KubeObject }): Informer {
    const key = informerKey(this.clientId(client), req, view);
    return this.sharedInformer(key, () => httpSource(client, req), view ? { transform: view.transform } : {});
  }

  /**
   * stops and forgets one informer made by informer(), leaving the client's others running: the
   * user of a view it alone reads is done with it (removeClient would stop other users' informers too)
   */
  removeInformer(client: KubeClient, req: InformerRequest, view?: { name: string }): void {
    const id = this.clientIds.get(client);
    if (id === undefined) return;
    const key = informerKey(id, req, view);
    this.informers.get(key)?.stop();
    this.informers.delete(key);
  }

  /** the shared HTTP informer for a resource when one was made already (never starts a new watch) */
  existingInformer(client: KubeClient, req: InformerRequest): Informer | undefined {
    const id = this.clientIds.get(client);
    return id === undefined ? undefined : this.informers.get(informerKey(id, req));
  }

  /** stops and forgets the informers of one client (a member cluster that left) */
  removeClient(client: KubeClient): void {
    const prefix = `${this.clientId(client)}|`;
    for (const [key, inf] of this.informers) {
      if (key.startsWith(prefix)) {
        inf.stop();
        this.informers.delete(key);
      }
    }
  }

  /** a controller using this manager's registry (unless metrics are off) */
  controller(opts: Omit<ControllerOptions, 'registry'>): Controller {
    return this.add(new Controller({ ...opts, registry: this.metrics ? this.registry : undefined }));
  }

  /** the controller registered under `name`, if any */
  controllerNamed(name: string): Controller | undefined {
    return this.controllers.find((c) => c.name === name);
  }

  add(c: Controller): Controller {
    this.controllers.push(c);
    if (this.state === 'running') c.start();
    return c;
  }

  /** true while a controller has keys queued or in hand (what a lower-priority lane waits behind) */
  busy(): boolean {
    return this.controllers.some((c) => c.queue.length > 0 || c.queue.active > 0);
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** resolves once informers have synced and controllers run; stop() during the wait ends it early */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'starting';
    signal?.addEventListener('abort', () => void this.stop(), { once: true });
    const informers = [...this.informers.values()];
    // not awaiting start(): a list that never answers must not outlive stop(), which ends waitForSync
    for (const i of informers) void i.start();
    await Promise.all(informers.map((i) => i.waitForSync()));
    if (this.state !== 'starting') return;
    this.state = 'running';
    for (const c of this.controllers) c.start();
  }

  /**
   * start(), then run until the signal aborts, then stop(): resolves only once every controller has
   * finished. Made for leader election: `onStartedLeading: (signal) => manager.run(signal)`.
   */
  async run(signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
    await Promise.race([this.start(), aborted]);
    await aborted;
    await this.stop();
  }

  /** every informer has listed once */
  get hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced);
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await Promise.all(this.controllers.map((c) => c.stop()));
    for (const inf of this.informers.values()) inf.stop();
  }
}

function informerKey(clientId: number, req: InformerRequest, view?: { name: string }): string {
  const key = [clientId, req.group, req.version, req.resource, req.namespace ?? '', req.labelSelector ?? '', req.fieldSelector ?? ''].join('|');
  return view ? `${key}|view=${view.name}` : key;
}
