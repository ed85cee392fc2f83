// Dividing replicas by weights (Karmada's helper.Dispenser and SpreadReplicasByTargetClusters): the
// Webster method, with ties broken in a direction chosen by the binding's resource UID.
import type { TargetCluster } from '../../apis/karmada/binding.js';
import { allocateWebsterSeats, type Party, type TieBreaker, type WebsterRound } from './webster.js';

export interface ClusterWeight {
  name: string;
  weight: number;
}

/** FNV-1a, 32 bits, over the UTF-8 bytes of `s` (Go's hash/fnv New32a). */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Fewer seats first; then names ascending, or descending when the UID hashes odd, so equal-weight
 * ties do not always favour the same cluster across workloads, yet stay stable for one workload.
 */
export function tieBreakerByUID(uid: string | undefined): TieBreaker {
  const descending = !!uid && (fnv32a(uid) & 1) === 1;
  return (a: Party, b: Party) => {
    if (a.seats !== b.seats) return a.seats < b.seats;
    return descending ? a.name > b.name : a.name < b.name;
  };
}

/**
 * util.MergeTargetClusters: `next` in its order with `prev`'s replicas added by name, then the
 * clusters only `prev` has.
 */
export function mergeTargetClusters(prev: TargetCluster[], next: TargetCluster[]): TargetCluster[] {
  if (prev.length === 0) return next;
  if (next.length === 0) return prev;
  const old = new Map(prev.map((c) => [c.name, c.replicas ?? 0]));
  const out = next.map((c) => {
    const had = old.get(c.name);
    if (had === undefined) return { ...c };
    old.delete(c.name);
    return { ...c, replicas: (c.replicas ?? 0) + had };
  });
  for (const c of prev) if (old.has(c.name)) out.push({ ...c });
  return out;
}

/**
 * NewDispenser(replicas, init, uid).AllocateByWeight(weights): `replicas` more seats on top of `init`
 * by Webster over the weights; every weighted or initial cluster is in the result, sorted by name.
 */
export function dispenseByWeight(
  replicas: number,
  weights: ClusterWeight[],
  init: TargetCluster[],
  uid: string | undefined,
  rounds?: WebsterRound[],
): TargetCluster[] {
  if (replicas === 0 && init.length > 0) return init.map((c) => ({ ...c }));
  let sum = 0;
  for (const w of weights) sum += w.weight;
  if (sum === 0) return init.map((c) => ({ ...c }));
  const initial = new Map(init.map((c) => [c.name, c.replicas ?? 0]));
  const votes = new Map(weights.map((w) => [w.name, w.weight]));
  return allocateWebsterSeats(replicas, votes, initial, tieBreakerByUID(uid), rounds).map((p) => ({ name: p.name, replicas: p.seats }));
}
