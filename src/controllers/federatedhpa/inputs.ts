// What the HPA calculator is fed, from Kubernetes objects: pods (phase, readiness, start, requests)
// and PodMetrics (usage, window), keyed cluster/name so pods of several members never collide.
import type { KubeObject } from '../../apimachinery/types.js';
import { resourceAmount } from '../../apimachinery/quantity.js';
import type { CalcPod } from './replicas.js';

/** milli units of a resource quantity (cpu millicores, memory millibytes), as MilliValue() */
export function milli(resource: string, q: string | number | undefined): number {
  const v = resourceAmount(resource, q);
  return resource === 'cpu' ? v : v * 1000;
}

export function formatMilli(resource: string, m: number): string {
  if (resource === 'cpu') return `${Math.round(m)}m`;
  const bytes = m / 1000;
  return bytes >= 2 ** 20 ? `${Math.round(bytes / 2 ** 20)}Mi` : `${Math.round(bytes)}`;
}

const ageMs = (t: string | undefined, now: number) => (t ? now - Date.parse(t) : undefined);

/** a member's pods as the calculator sees them, keyed cluster/name */
export function calcPods(cluster: string, pods: KubeObject[], resource: string, container: string | undefined, windows: Map<string, number>, now: number): CalcPod[] {
  return pods.map((p) => {
    const status = (p.status ?? {}) as { phase?: string; startTime?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    const containers = ((p.spec as { containers?: { name: string; resources?: { requests?: Record<string, string> } }[] })?.containers ?? []).filter((c) => !container || c.name === container);
    const missingRequest = containers.length === 0 || containers.some((c) => c.resources?.requests?.[resource] === undefined);
    const key = `${cluster}/${p.metadata.name}`;
    return {
      key,
      phase: status.phase ?? 'Pending',
      ready: ready?.status === 'True',
      deleting: !!p.metadata.deletionTimestamp,
      startedAgoMs: ageMs(status.startTime, now),
      readyChangedAgoMs: ageMs(ready?.lastTransitionTime, now),
      metricWindowMs: windows.get(key),
      request: missingRequest ? undefined : containers.reduce((s, c) => s + milli(resource, c.resources!.requests![resource]), 0),
    };
  });
}

/** PodMetrics → key → usage of the resource (milli), and each sample's window */
export function metricValues(cluster: string, items: KubeObject[], resource: string, container?: string): { values: Map<string, number>; windows: Map<string, number> } {
  const values = new Map<string, number>();
  const windows = new Map<string, number>();
  for (const m of items) {
    const key = `${cluster}/${m.metadata.name}`;
    const cs = ((m.containers ?? []) as { name: string; usage?: Record<string, string> }[]).filter((c) => !container || c.name === container);
    if (cs.length === 0) continue;
    values.set(key, cs.reduce((s, c) => s + milli(resource, c.usage?.[resource] ?? '0'), 0));
    const w = /^(\d+(?:\.\d+)?)s$/.exec(String(m.window ?? ''));
    if (w) windows.set(key, Number(w[1]) * 1000);
  }
  return { values, windows };
}

