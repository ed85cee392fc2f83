// Kubernetes Events on the control plane with Karmada's reasons, so `kubectl describe` tells the
// story of a template, a binding or a cluster. Repeats of the same event within a window bump the
// count of the existing Event instead of creating a new one, as client-go's recorder does.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { KubeClient } from '../../runtime/client.js';

const eventsGVR = { group: '', version: 'v1', resource: 'events' } as const;

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  private readonly recent = new Map<string, { name: string; namespace: string; count: number; at: number }>();

  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
  ) {}

  /** records an event; failures are swallowed (events are best effort, as in client-go) */
  record(obj: KubeObject, type: EventType, reason: string, message: string): void {
    void this.write(obj, type, reason, message).catch(() => {});
  }

  private async write(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = obj.metadata.namespace || 'default';
    const key = `${obj.metadata.uid}|${type}|${reason}|${message}`;
    const now = Date.now();
    const seen = this.recent.get(key);
    if (seen && now - seen.at < 10 * 60_000) {
      seen.count++;
      seen.at = now;
      await this.client.patch(eventsGVR, seen.name, { count: seen.count, lastTimestamp: rfc3339Now() }, { namespace: seen.namespace, type: 'merge' });
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
        count: 1,
      } as unknown as KubeObject,
      { namespace },
    );
    this.recent.set(key, { name, namespace, count: 1, at: now });
    if (this.recent.size > 5000) {
      for (const [k, v] of this.recent) if (now - v.at > 10 * 60_000) this.recent.delete(k);
    }
  }
}
