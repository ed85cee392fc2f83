// Kubernetes Events on the control plane with Karmada's reasons, so `kubectl describe` tells the
// story of a template, a binding or a cluster. Repeats of the same event within a window bump the
// count of the existing Event instead of creating a new one, as client-go's recorder does; similar
// events (same object, type and reason, other messages) past ten in ten minutes become one
// "(combined from similar events)" Event, as client-go's EventAggregator makes them (an object
// propagated to a hundred clusters gets one such Event, not a hundred). As client-go's broadcaster,
// recording never waits for the API: events queue (bounded; past the bound they are dropped, logged
// and counted, Normal ones before Warnings) and are written in the background, a few at a time; while
// the component's own work is waiting they yield to it: one at a time, at most `busyPerSecond` a second
// (an event costs the API server a write like the pipeline's own, and a hundred clusters make hundreds per
// workload). A repeat of an event still waiting adds to its count.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../apimachinery/types.js';
import { rfc3339Now } from '../apimachinery/meta.js';
import { resourcePath, type KubeClient } from './client.js';
import { eventGVR } from '../apis/builtin/gvr.js';

/** core/v1 events, always served: their paths need no discovery */
const eventsInfo = { ...eventGVR, namespaced: true };

export type EventType = 'Normal' | 'Warning';

/** events remembered for count patches; past this the least recently written are forgotten */
const maxRecent = 5000;

/** client-go's EventAggregator: distinct messages per similar-event key before they are combined, and over how long */
export const aggregateMaxEvents = 10;
const aggregateIntervalMs = 600_000;
const aggregatePrefix = '(combined from similar events): ';

/**
 * The key and message an event is written under (EventAggregator.EventAggregate): its own until
 * `aggregateMaxEvents` distinct messages of the same object, type and reason were seen within the
 * interval, then one combined key whose message is the latest one, prefixed.
 */
export function aggregate(
  seen: Map<string, { messages: Set<string>; at: number }>,
  similarKey: string,
  message: string,
  now: number,
): { key: string; message: string } {
  let entry = seen.get(similarKey);
  if (!entry || now - entry.at > aggregateIntervalMs) entry = { messages: new Set(), at: now };
  seen.delete(similarKey);
  seen.set(similarKey, entry);
  entry.at = now;
  for (const k of seen.keys()) {
    if (seen.size <= maxRecent) break;
    seen.delete(k);
  }
  if (entry.messages.has(message) || entry.messages.size < aggregateMaxEvents - 1) {
    entry.messages.add(message);
    return { key: `${similarKey}|${message}`, message };
  }
  return { key: `${similarKey}|(combined)`, message: `${aggregatePrefix}${message}` };
}

/** one event waiting to be written, with the repeats that arrived while it waited */
interface Pending {
  key: string;
  obj: KubeObject;
  type: EventType;
  reason: string;
  message: string;
  count: number;
}

export interface EventRecorderOptions {
  /** events written at once (client-go's broadcaster writes one at a time) */
  concurrency?: number;
  /** events waiting beyond this are dropped, as client-go's broadcaster drops when its queue is full */
  maxQueued?: number;
  /** a repeat within this long of the event's last write waits out the rest of it (default 1000 ms) */
  repeatDelayMs?: number;
  /** true while the component's own work waits (its workqueues): events then yield to it (busyPerSecond) */
  busy?: () => boolean;
  /** while busy, events written per second at most, one at a time (default 10; Karmada's whole controller manager gets 40 requests a second) */
  busyPerSecond?: number;
  /** where a dropped event is reported */
  log?: { warn(obj: object, msg: string): void };
}

/** dropped events are logged at most this often (the counter counts every one) */
const dropLogIntervalMs = 1000;

export class EventRecorder {
  private readonly recent = new Map<string, { name: string; namespace: string; count: number; at: number }>();
  /** similar events (object, type, reason) and the messages seen of each, for aggregation */
  private readonly similar = new Map<string, { messages: Set<string>; at: number }>();
  private readonly queue: Pending[] = [];
  private readonly waiting = new Map<string, Pending>();
  /** writes under way by key: a repeat waits for the first write to know whether to patch it */
  private readonly writing = new Map<string, Promise<void>>();
  private active = 0;
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly repeatDelayMs: number;
  private readonly busy: () => boolean;
  private readonly log?: EventRecorderOptions['log'];
  private lastDropLog = -Infinity;
  private droppedAtLastLog = 0;
  private yielding = false;
  /** while busy: the earliest time (performance.now()) the next event may start, and the timer waiting for it */
  private nextBusyStart = 0;
  private paced?: NodeJS.Timeout;
  private readonly busyGapMs: number;
  /** events dropped because the queue was full */
  dropped = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    opts: EventRecorderOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 4;
    this.maxQueued = opts.maxQueued ?? 1000;
    this.repeatDelayMs = opts.repeatDelayMs ?? 1000;
    this.busy = opts.busy ?? (() => false);
    this.busyGapMs = 1000 / (opts.busyPerSecond ?? 10);
    this.log = opts.log;
  }

  /** events recorded and not written yet (queued, or waiting out a repeat's delay) */
  get queued(): number {
    return this.waiting.size;
  }

  /**
   * Records an event in the background: a few writes at a time, so events never hold up the
   * controllers' own writes, and a repeat of an event still waiting only adds to its count.
   * Failures are swallowed (events are best effort, as in client-go).
   */
  record(obj: KubeObject, type: EventType, reason: string, eventMessage: string): void {
    // a full queue drops before the aggregation, as client-go's broadcaster drops before its correlator
    // (a restart's backlog records far more events than the queue holds: their keys cost it CPU for nothing)
    if (this.waiting.size >= this.maxQueued && !(type === 'Warning' && this.dropOldestNormal())) return this.drop(obj, type, reason, eventMessage);
    const { key, message } = aggregate(this.similar, `${obj.metadata.uid}|${type}|${reason}`, eventMessage, Date.now());
    const waiting = this.waiting.get(key);
    if (waiting) {
      waiting.count++;
      waiting.message = message;
      return;
    }
    const pending = { key, obj, type, reason, message, count: 1 };
    this.waiting.set(key, pending);
    // a repeat of an event just written waits a moment, so a burst of repeats is one count patch
    const sinceWritten = Date.now() - (this.recent.get(key)?.at ?? -Infinity);
    if (sinceWritten < this.repeatDelayMs) {
      setTimeout(() => {
        this.queue.push(pending);
        this.pump();
      }, this.repeatDelayMs - sinceWritten).unref();
      return;
    }
    this.queue.push(pending);
    this.pump();
  }

  /** makes room for a Warning in a full queue: the oldest Normal event waiting its turn goes (and is counted as dropped) */
  private dropOldestNormal(): boolean {
    const i = this.queue.findIndex((p) => p.type === 'Normal');
    if (i < 0) return false;
    const [gone] = this.queue.splice(i, 1);
    this.waiting.delete(gone!.key);
    this.drop(gone!.obj, gone!.type, gone!.reason, gone!.message);
    return true;
  }

  private drop(obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.dropped++;
    const now = Date.now();
    if (!this.log || now - this.lastDropLog < dropLogIntervalMs) return;
    const since = this.dropped - this.droppedAtLastLog;
    this.lastDropLog = now;
    this.droppedAtLastLog = this.dropped;
    const involved = `${obj.kind ?? ''}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name ?? ''}`;
    this.log.warn({ component: this.component, dropped: this.dropped, droppedSinceLastLog: since, queued: this.waiting.size }, `unable to record event: too many queued events, dropped event ${type} ${reason} on ${involved}: ${message}`);
  }

  /** resolves once every event recorded so far has been written (or failed) */
  async flush(): Promise<void> {
    while (this.waiting.size > 0 || this.queue.length > 0 || this.active > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private pump(): void {
    if (!this.busy()) return this.fill(this.concurrency);
    // the pipeline has work waiting: one event at a time, busyGapMs apart, and only after the requests
    // that work issues in this turn of the event loop have gone out
    if (this.active > 0 || this.queue.length === 0 || this.yielding || this.paced) return;
    const wait = this.nextBusyStart - performance.now();
    if (wait > 0) {
      this.paced = setTimeout(() => {
        this.paced = undefined;
        this.pump();
      }, wait);
      this.paced.unref();
      return;
    }
    this.yielding = true;
    setImmediate(() => {
      this.yielding = false;
      if (!this.busy()) return this.fill(this.concurrency);
      if (this.active > 0) return;
      this.nextBusyStart = performance.now() + this.busyGapMs;
      this.start();
    });
  }

  private fill(lane: number): void {
    while (this.active < lane && this.queue.length > 0) this.start();
  }

  private start(): void {
    const next = this.queue.shift();
    if (!next) return;
    this.waiting.delete(next.key);
    this.active++;
    const before = this.writing.get(next.key);
    const done: Promise<void> = (before ? before.then(() => this.write(next)) : this.write(next)).catch(() => {});
    this.writing.set(next.key, done);
    void done.finally(() => {
      if (this.writing.get(next.key) === done) this.writing.delete(next.key);
      this.active--;
      this.pump();
    });
  }

  private async write({ key, obj, type, reason, message, count }: Pending): Promise<void> {
    const namespace = obj.metadata.namespace || 'default';
    const now = Date.now();
    const seen = this.recent.get(key);
    if (seen && now - seen.at < 10 * 60_000) {
      seen.count += count;
      seen.at = now;
      // most recently written last, so the oldest are the first to forget
      this.recent.delete(key);
      this.recent.set(key, seen);
      // the message too: a combined event shows the latest of the messages it stands for (the answer is not decoded: nobody reads it)
      await this.client.request<void>('PATCH', resourcePath(eventsInfo, seen.namespace, seen.name), {
        body: { count: seen.count, lastTimestamp: rfc3339Now(), message },
        contentType: 'application/merge-patch+json',
        decode: false,
      });
      return;
    }
    const name = `${obj.metadata.name}.${randomBytes(8).toString('hex')}`;
    const ts = rfc3339Now();
    await this.client.request<void>('POST', resourcePath(eventsInfo, namespace), {
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace: obj.metadata.namespace,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        source: { component: this.component },
        reportingComponent: this.component,
        reportingInstance: '',
        firstTimestamp: ts,
        lastTimestamp: ts,
        eventTime: null,
        count,
      },
      decode: false,
    });
    this.recent.delete(key);
    this.recent.set(key, { name, namespace, count, at: now });
    // forget the least recently written (not a scan of all of them per write)
    for (const k of this.recent.keys()) {
      if (this.recent.size <= maxRecent) break;
      this.recent.delete(k);
    }
  }
}
