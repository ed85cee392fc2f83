// corev1 taint/toleration matching (v1helper.TolerationsTolerateTaint, FindMatchingUntoleratedTaint).
import type { Taint } from '../../apis/karmada/cluster.js';
import type { Toleration } from '../../apis/karmada/placement.js';

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/** The first taint (passing `filter`) that no toleration tolerates. */
export function findUntoleratedTaint(taints: Taint[], tolerations: Toleration[], filter: (t: Taint) => boolean): Taint | undefined {
  for (const taint of taints) {
    if (!filter(taint)) continue;
    if (!tolerations.some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}

/** corev1.Taint.ToString(): `key=value:Effect`, or `key:Effect` without a value. */
export function taintToString(t: Taint): string {
  const kv = t.value ? `${t.key}=${t.value}` : t.key;
  return t.effect ? `${kv}:${t.effect}` : kv;
}
