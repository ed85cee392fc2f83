// Kubernetes Events on the control plane with Karmada's reasons, so `kubectl describe` tells the
// story of a template, a binding or a cluster. Repeats of the same event within a window bump the
// count of the existing Event instead of creating a new one, as client-go's recorder does. Writes
// happen in the background, a few at a time; a repeat of an event still waiting adds to its count.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../apimachinery/types.js';
import { rfc3339Now } from '../apimachinery/meta.js';
import type { KubeClient } from './client.js';
import { eventGVR } from '../apis/builtin/gvr.js';

export type EventType = 'Normal' | 'Warning';

/** events remembered for count patches; past this the least recently written are forgotten */
const maxRecent = 5000;

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
}

export class EventRecorder {
  private readonly recent = new Map<string, { name: string; namespace: string; count: number; at: number }>();
  private readonly queue: Pending[] = [];
  private readonly waiting = new Map<string, Pending>();
  /** writes under way by key: a repeat waits for the first write to know whether to patch it */
  private readonly writing = new Map<string, Promise<void>>();
  private active = 0;
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly repeatDelayMs: number;
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
  }

  /**
   * Records an event in the background: a few writes at a time, so events never hold up the
   * controllers' own writes, and a repeat of an event still waiting only adds to its count.
   * Failures are swallowed (events are best effort, as in client-go).
   */
  record(obj: KubeObject, type: EventType, reason: string, message: string): void {
    const key = `${obj.metadata.uid}|${type}|${reason}|${message}`;
    const waiting = this.waiting.get(key);
    if (waiting) {
      waiting.count++;
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.dropped++;
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

  /** resolves once every event recorded so far has been written (or failed) */
  async flush(): Promise<void> {
    while (this.waiting.size > 0 || this.queue.length > 0 || this.active > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const next = this.queue.shift()!;
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
      await this.client.patch(eventGVR, seen.name, { count: seen.count, lastTimestamp: rfc3339Now() }, { namespace: seen.namespace, type: 'merge' });
      return;
    }
    const name = `${obj.metadata.name}.${randomBytes(8).toString('hex')}`;
    const ts = rfc3339Now();
    await this.client.create(
      {
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
      } as unknown as KubeObject,
      { namespace },
    );
    this.recent.delete(key);
    this.recent.set(key, { name, namespace, count, at: now });
    // forget the least recently written (not a scan of all of them per write)
    for (const k of this.recent.keys()) {
      if (this.recent.size <= maxRecent) break;
      this.recent.delete(k);
    }
  }
}
