// The webhook layer of the interpreter chain (Karmada's customized/webhook CustomizedInterpreter):
// ResourceInterpreterWebhookConfigurations say which kinds and operations a webhook answers, and
// the first relevant hook (by "<configuration>/<webhook>") is called with a ResourceInterpreterContext.
//
// Why answers are fetched ahead and cached: the interpreter contract is synchronous (Lua, native and
// third-party rules are plain calls, and they run inside pure functions such as the binding
// controller's render and the work status builder), while a webhook is an HTTPS round trip. Making
// every caller async would thread a Promise through pure code for one layer. Instead, an answer is
// keyed by what was sent (hook, operation, object, observed object, replicas, member statuses):
// - a cached answer is returned at once (an error answer is thrown, see below);
// - otherwise the call starts and InterpretationPending is thrown. Callers treat it as any failed
//   interpretation (the previous one stays in force) but without a Failed event, and their
//   reconcile is retried with the queue's backoff (5 ms, 10 ms, ...), by which time the answer is
//   cached. Callers that can await call prefetch() first and never see Pending.
// - A failed call (unreachable, timeout, bad response, successful: false) is remembered for
//   failureTTL, so the retry reports that error (event, condition); after it, the webhook is called
//   again. Answers are dropped when the configurations change, and the oldest beyond maxEntries.
import { createHash, randomUUID } from 'node:crypto';
import type { GroupVersionKind, KubeObject } from '../../apimachinery/types.js';
import type { AggregatedStatusItem, ComponentRequirements } from '../../apis/karmada/binding.js';
import {
  gvkOf,
  InterpreterError,
  type DependentObjectReference,
  type InterpreterLayer,
  type InterpreterOperation,
  type ReflectedStatus,
  type ReplicaResult,
  type RequestAttributes,
  type ResourceHealth,
} from '../types.js';
import { postContext, type ServiceResolver } from './call.js';
import {
  applyResponsePatch,
  buildContext,
  hooksOf,
  relevantHook,
  verifyResponse,
  type ResourceInterpreterResponse,
  type ResourceInterpreterWebhookConfiguration,
  type WebhookHook,
} from './context.js';

/** The webhook's answer is on its way: not a failure of the webhook, just not yet known. */
export class InterpretationPending extends InterpreterError {
  override name = 'InterpretationPending';
}

export function isInterpretationPending(err: unknown): boolean {
  return err instanceof InterpretationPending;
}

export interface WebhookLayerOptions {
  resolveService?: ServiceResolver;
  /** how long a failed call's error is the answer before the webhook is asked again */
  failureTTLMs?: number;
  maxEntries?: number;
  /** the HTTPS call; tests of the cache replace it */
  post?: (hook: WebhookHook, body: unknown) => Promise<unknown>;
}

type Entry =
  | { state: 'pending'; done: Promise<void> }
  | { state: 'ok'; response: ResourceInterpreterResponse }
  | { state: 'failed'; message: string; at: number };

export class WebhookInterpreterLayer implements InterpreterLayer {
  private hooks: WebhookHook[] = [];
  private synced = false;
  private readonly answers = new Map<string, Entry>();
  private readonly failureTTLMs: number;
  private readonly maxEntries: number;
  private readonly post: (hook: WebhookHook, body: unknown) => Promise<unknown>;

  constructor(opts: WebhookLayerOptions = {}) {
    this.failureTTLMs = opts.failureTTLMs ?? 1000;
    this.maxEntries = opts.maxEntries ?? 1024;
    this.post = opts.post ?? ((hook, body) => postContext(hook, body, { resolveService: opts.resolveService }));
  }

  /** Replaces the configurations (the informer's list); cached answers are forgotten. */
  setConfigurations(configs: readonly ResourceInterpreterWebhookConfiguration[]): void {
    this.hooks = hooksOf(configs);
    this.synced = true;
    this.answers.clear();
  }

  get hasHooks(): boolean {
    return this.hooks.length > 0;
  }

  hookEnabled(gvk: GroupVersionKind, operation: InterpreterOperation): boolean {
    return this.synced && relevantHook(this.hooks, gvk, operation) !== undefined;
  }

  /** Calls the webhook for these attributes unless its answer is known; never rejects. */
  async prefetch(a: RequestAttributes): Promise<void> {
    const found = this.lookup(a);
    if (!found) return;
    const entry = this.current(found.key) ?? this.start(found.key, found.hook, a);
    if (entry.state === 'pending') await entry.done;
  }

  /** the entry for a question, a failure older than failureTTL counting as none */
  private current(key: string): Entry | undefined {
    const entry = this.answers.get(key);
    return entry?.state === 'failed' && Date.now() - entry.at >= this.failureTTLMs ? undefined : entry;
  }

  private lookup(a: RequestAttributes): { hook: WebhookHook; key: string } | undefined {
    const hook = relevantHook(this.hooks, gvkOf(a.object), a.operation);
    if (!hook) return undefined;
    const key = createHash('sha256')
      .update(JSON.stringify([hook.uid, a.operation, a.object, a.observedObject ?? null, a.desiredReplicas ?? 0, a.aggregatedStatus ?? null]))
      .digest('base64');
    return { hook, key };
  }

  private start(key: string, hook: WebhookHook, a: RequestAttributes): Entry {
    const uid = randomUUID();
    const pending: Entry & { state: 'pending' } = { state: 'pending', done: Promise.resolve() };
    this.answers.set(key, pending);
    const settle = (entry: Entry) => {
      // a configuration change in the meantime dropped this question
      if (this.answers.get(key) !== pending) return;
      this.answers.delete(key);
      this.answers.set(key, entry);
      while (this.answers.size > this.maxEntries) this.answers.delete(this.answers.keys().next().value as string);
    };
    pending.done = (async () => {
      try {
        const body = buildContext(hook.webhook.interpreterContextVersions, uid, a, gvkOf(a.object));
        const reply = await this.post(hook, body);
        settle({ state: 'ok', response: verifyResponse(uid, a.operation, reply) });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        settle({ state: 'failed', message: message.startsWith('failed calling webhook') ? message : `failed calling webhook "${hook.uid}": ${message}`, at: Date.now() });
      }
    })();
    return pending;
  }

  /** The webhook's verified response for these attributes, or a thrown InterpreterError / InterpretationPending. */
  private interpret(a: RequestAttributes): ResourceInterpreterResponse {
    const found = this.lookup(a);
    if (!found) throw new InterpreterError(`no webhook answers ${a.operation} for ${a.object.apiVersion}/${a.object.kind}`, a.operation);
    const entry = this.current(found.key) ?? this.start(found.key, found.hook, a);
    if (entry.state === 'pending') throw new InterpretationPending(`${a.operation}: waiting for webhook "${found.hook.uid}"`, a.operation);
    if (entry.state === 'failed') throw new InterpreterError(entry.message, a.operation);
    return entry.response;
  }

  getReplicas(obj: KubeObject): ReplicaResult {
    const r = this.interpret({ operation: 'InterpretReplica', object: obj });
    const out: ReplicaResult = { replicas: r.replicas ?? 0 };
    if (r.replicaRequirements) out.requirements = r.replicaRequirements;
    return out;
  }

  reviseReplica(obj: KubeObject, replicas: number): KubeObject {
    return this.patched('ReviseReplica', { operation: 'ReviseReplica', object: obj, desiredReplicas: replicas });
  }

  retain(desired: KubeObject, observed: KubeObject): KubeObject {
    return this.patched('Retain', { operation: 'Retain', object: desired, observedObject: observed });
  }

  aggregateStatus(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
    return this.patched('AggregateStatus', { operation: 'AggregateStatus', object: obj, aggregatedStatus: items });
  }

  reflectStatus(obj: KubeObject): ReflectedStatus | undefined {
    const r = this.interpret({ operation: 'InterpretStatus', object: obj });
    return r.rawStatus ?? undefined;
  }

  interpretHealth(obj: KubeObject): ResourceHealth {
    return this.interpret({ operation: 'InterpretHealth', object: obj }).healthy ? 'Healthy' : 'Unhealthy';
  }

  getDependencies(obj: KubeObject): DependentObjectReference[] {
    return this.interpret({ operation: 'InterpretDependency', object: obj }).dependencies ?? [];
  }

  getComponents(obj: KubeObject): ComponentRequirements[] {
    return this.interpret({ operation: 'InterpretComponent', object: obj }).components ?? [];
  }

  private patched(operation: InterpreterOperation, a: RequestAttributes): KubeObject {
    const r = this.interpret(a);
    try {
      return applyResponsePatch(a.object, r);
    } catch (e) {
      throw new InterpreterError(`${operation}: the webhook's patch does not apply: ${e instanceof Error ? e.message : String(e)}`, operation);
    }
  }
}
