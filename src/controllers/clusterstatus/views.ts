// What the cluster status controller's member informers keep of each Pod and Node: the fields the
// node and resource summaries read, as Karmada's fedinformer PodTransformFunc / NodeTransformFunc
// keep (a member's pods, cached whole, were most of a controller manager's memory at scale).
import type { KubeObject, ObjectMeta } from '../../apimachinery/types.js';

type Container = { name?: string; resources?: { requests?: Record<string, unknown> } };

function meta(m: ObjectMeta, extra: (keyof ObjectMeta)[]): ObjectMeta {
  const out: ObjectMeta = { name: m.name };
  for (const k of ['namespace', 'uid', 'resourceVersion', 'labels', 'deletionTimestamp', ...extra] as const) if (m[k] !== undefined) (out as Record<string, unknown>)[k] = m[k];
  return out;
}

function containers(list: Container[] | undefined): Container[] | undefined {
  return list?.map((c) => (c.resources?.requests ? { name: c.name, resources: { requests: c.resources.requests } } : { name: c.name }));
}

/** a Pod as the summaries read it: where it runs, what its containers request, its phase */
export function podSummaryView(pod: KubeObject): KubeObject {
  const spec = (pod.spec ?? {}) as { nodeName?: string; containers?: Container[]; initContainers?: Container[]; overhead?: unknown };
  const out: Record<string, unknown> = {};
  if (spec.nodeName !== undefined) out.nodeName = spec.nodeName;
  const c = containers(spec.containers);
  if (c) out.containers = c;
  const init = containers(spec.initContainers);
  if (init) out.initContainers = init;
  if (spec.overhead !== undefined) out.overhead = spec.overhead;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return { apiVersion: pod.apiVersion, kind: pod.kind, metadata: meta(pod.metadata, []), spec: out, status: phase === undefined ? {} : { phase } };
}

/** a Node as the summaries read it: its allocatable and its conditions */
export function nodeSummaryView(node: KubeObject): KubeObject {
  const status = (node.status ?? {}) as { allocatable?: unknown; conditions?: unknown };
  const out: Record<string, unknown> = {};
  if (status.allocatable !== undefined) out.allocatable = status.allocatable;
  if (status.conditions !== undefined) out.conditions = status.conditions;
  return { apiVersion: node.apiVersion, kind: node.kind, metadata: meta(node.metadata, []), status: out };
}
