// Dividing replicas by weights (Karmada's helper.Dispenser), with deterministic tie-breaks.
import type { TargetCluster } from '../../apis/karmada/binding.js';

export interface ClusterWeight {
  name: string;
  weight: number;
  /** replicas the cluster had in the previous result: among equal weights, keep the remainder where it was */
  lastReplicas: number;
}

/**
 * Order for handing out remainders: heavier first, then more previous replicas. Karmada breaks the
 * remaining ties at random; we break them by name so a result is reproducible.
 */
export function compareWeights(a: ClusterWeight, b: ClusterWeight): number {
  if (a.weight !== b.weight) return b.weight - a.weight;
  if (a.lastReplicas !== b.lastReplicas) return b.lastReplicas - a.lastReplicas;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function share(weight: number, replicas: number, sum: number): number {
  const product = weight * replicas;
  if (Number.isSafeInteger(product)) return Math.floor(product / sum);
  return Number((BigInt(weight) * BigInt(replicas)) / BigInt(sum));
}

/** util.MergeTargetClusters: add `next` replicas onto `prev` by name, appending new names. */
export function mergeTargetClusters(prev: TargetCluster[], next: TargetCluster[]): TargetCluster[] {
  if (prev.length === 0) return next;
  if (next.length === 0) return prev;
  const out = prev.map((c) => ({ ...c }));
  const index = new Map(out.map((c, i) => [c.name, i]));
  for (const c of next) {
    const i = index.get(c.name);
    if (i === undefined) {
      index.set(c.name, out.length);
      out.push({ ...c });
    } else {
      out[i].replicas = (out[i].replicas ?? 0) + (c.replicas ?? 0);
    }
  }
  return out;
}

/**
 * Dispenser.TakeByWeight: each cluster gets floor(weight * n / sum); the remainder goes one by one
 * in weight order. The result is merged onto `init` (the replicas that stay where they are).
 */
export function takeByWeight(replicas: number, weights: ClusterWeight[], init: TargetCluster[] = []): TargetCluster[] {
  if (replicas === 0 && init.length > 0) return init.map((c) => ({ ...c }));
  let sum = 0;
  for (const w of weights) sum += w.weight;
  if (sum === 0) return init.map((c) => ({ ...c }));
  const sorted = [...weights].sort(compareWeights);
  const result: TargetCluster[] = new Array(sorted.length);
  let remain = replicas;
  for (let i = 0; i < sorted.length; i++) {
    const r = share(sorted[i].weight, replicas, sum);
    result[i] = { name: sorted[i].name, replicas: r };
    remain -= r;
  }
  for (let i = 0; i < result.length && remain > 0; i++) {
    result[i].replicas = (result[i].replicas ?? 0) + 1;
    remain--;
  }
  return mergeTargetClusters(init.map((c) => ({ ...c })), result);
}
