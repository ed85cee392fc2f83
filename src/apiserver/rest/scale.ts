// The scale subresource: an autoscaling/v1 Scale view of any object with a scale spec.
import type { ResourceDef } from '../../apis/resource.js';
import { labelSelectorString } from '../../apimachinery/labels.js';
import type { KubeObject, LabelSelector } from '../../apimachinery/types.js';

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    if (!cur[part] || typeof cur[part] !== 'object') cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

export function scaleOf(def: ResourceDef, obj: KubeObject): KubeObject {
  const paths = def.subresources.scale!;
  const selector = paths.labelSelectorPath ? getPath(obj, paths.labelSelectorPath) : undefined;
  // built-in workloads keep the selector as an object in spec; Scale wants the string form
  const selectorString =
    typeof selector === 'string' ? selector : !def.strategicMergePatch ? undefined : labelSelectorString((obj.spec as { selector?: LabelSelector } | undefined)?.selector);
  const status: Record<string, unknown> = { replicas: (getPath(obj, paths.statusReplicasPath) as number | undefined) ?? 0 };
  if (selectorString) status.selector = selectorString;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: (getPath(obj, paths.specReplicasPath) as number | undefined) ?? 0 },
    status,
  };
}

export function setScaleReplicas(def: ResourceDef, obj: KubeObject, replicas: number): KubeObject {
  setPath(obj as Record<string, unknown>, def.subresources.scale!.specReplicasPath, replicas);
  return obj;
}
