// Pieces every workload controller shares: pods from templates, pod-template hashes, intstr
// percentages, and the order in which surplus pods are deleted.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, LabelSelector } from '../../apimachinery/types.js';
import { labelSelectorMatches } from '../../apimachinery/labels.js';
import { ownerRef } from '../cluster.js';
import { isReady, nodeNameOf, podStatus } from '../pods.js';

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/**
 * The pod a controller creates from `template`. Its spec is a shallow copy: callers set top-level
 * fields only (hostname, tolerations, affinity) and never change what the template's nested objects
 * hold, and the store deep-copies what it is given to create, so a deep copy here was a second one.
 */
export function podFromTemplate(template: PodTemplate, owner: KubeObject, name: { name?: string; generateName?: string }, extraLabels: Record<string, string> = {}): KubeObject {
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...name,
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}), ...extraLabels },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [ownerRef(owner)],
    },
    spec: { ...template.spec },
  };
}

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** controller.ComputeHash's shape: fnv-32a of the template (and collision count), safely encoded */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = 0x811c9dc5;
  const text = stableJson(template) + (collisionCount ? String(collisionCount) : '');
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return [...String(h)].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join('');
}

/** JSON with sorted keys and no undefined members; built by concatenation, not by arrays per object (it runs once per new ReplicaSet) */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) {
    let s = '[';
    // an undefined element joins as nothing, as Array.prototype.join has it
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + (stableJson(v[i]) ?? '');
    return s + ']';
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    let s = '{';
    for (const k of Object.keys(o).sort()) {
      if (o[k] === undefined) continue;
      s += (s.length > 1 ? ',' : '') + JSON.stringify(k) + ':' + stableJson(o[k]);
    }
    return s + '}';
  }
  return JSON.stringify(v);
}

/** templates equal apart from the pod-template-hash label (EqualIgnoreHash) */
export function templatesEqual(a: PodTemplate | undefined, b: PodTemplate | undefined, hashLabel = 'pod-template-hash'): boolean {
  // shallow: the spec is compared where it lies, not copied first (this runs on every Deployment sync)
  const strip = (t: PodTemplate | undefined): Record<string, unknown> => {
    const { metadata, ...rest } = t ?? {};
    if (!metadata) return rest;
    const { labels, ...meta } = metadata;
    const { [hashLabel]: _hash, ...others } = labels ?? {};
    const m: Record<string, unknown> = Object.keys(others).length ? { ...meta, labels: others } : meta;
    return Object.keys(m).length ? { ...rest, metadata: m } : rest;
  };
  return isDeepStrictEqual(strip(a), strip(b));
}

/** intstr.GetScaledValueFromIntOrPercent */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, fallback: number | string): number {
  const value = v ?? fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function selects(selector: LabelSelector | undefined, obj: KubeObject): boolean {
  return !!selector && labelSelectorMatches(selector, obj.metadata.labels);
}

/** ActivePodsWithRanks' order: the pods to delete first come first */
export function deletionOrder(a: KubeObject, b: KubeObject): number {
  const rank = (p: KubeObject) => [nodeNameOf(p) ? 1 : 0, podStatus(p).phase === 'Pending' ? 0 : podStatus(p).phase === 'Unknown' ? 1 : 2, isReady(p) ? 1 : 0];
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
  // newer pods first
  return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
}

/** Replaces or appends a condition, keeping lastTransitionTime when the status did not change. */
export function setCondition<C extends { type: string; status: string; reason?: string; lastTransitionTime?: string; lastUpdateTime?: string }>(conditions: C[], next: C, keepIfSameReason = true): C[] {
  const cur = conditions.find((c) => c.type === next.type);
  if (cur && keepIfSameReason && cur.status === next.status && cur.reason === next.reason) return conditions;
  const merged = cur && cur.status === next.status ? { ...next, lastTransitionTime: cur.lastTransitionTime ?? next.lastTransitionTime } : next;
  return [...conditions.filter((c) => c.type !== next.type), merged];
}

export async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
