// Where the pod spec sits in the workload kinds Karmada's image, command and args overriders know.
import type { KubeObject } from '../../apimachinery/types.js';

const podSpecPointer: Record<string, string> = {
  Pod: '/spec',
  ReplicaSet: '/spec/template/spec',
  Deployment: '/spec/template/spec',
  DaemonSet: '/spec/template/spec',
  StatefulSet: '/spec/template/spec',
  Job: '/spec/template/spec',
};

/** JSON pointer of the pod spec for this object's kind, or undefined for kinds without one. */
export function podSpecPointerOf(obj: KubeObject): string | undefined {
  return obj.kind === undefined ? undefined : podSpecPointer[obj.kind];
}

type ContainerList = 'containers' | 'initContainers';

/** The containers of one list in the pod spec at `pointer`, as JSON objects (non-objects are skipped). */
export function containersAt(obj: KubeObject, pointer: string, list: ContainerList): { index: number; container: Record<string, unknown> }[] {
  let cur: unknown = obj;
  for (const t of pointer.slice(1).split('/')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return [];
    cur = (cur as Record<string, unknown>)[t];
  }
  if (cur === null || typeof cur !== 'object') return [];
  const items = (cur as Record<string, unknown>)[list];
  if (!Array.isArray(items)) return [];
  return items.flatMap((c: unknown, index) => (c !== null && typeof c === 'object' && !Array.isArray(c) ? [{ index, container: c as Record<string, unknown> }] : []));
}
