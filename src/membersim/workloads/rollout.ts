// The Deployment controller's arithmetic (pkg/controller/deployment/rolling.go), as pure functions.
import { scaledValue } from './common.js';

export interface RSState {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both zero means one unavailable */
export function fenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, replicas: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, replicas, true, '25%');
  let unavailable = scaledValue(maxUnavailable, replicas, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** NewRSNewReplicas for RollingUpdate */
export function newRSReplicas(replicas: number, surge: number, all: RSState[], newRS: RSState): number {
  if (newRS.replicas === replicas) return replicas;
  if (newRS.replicas > replicas) return replicas;
  const current = all.reduce((s, rs) => s + rs.replicas, 0);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return newRS.replicas;
  return newRS.replicas + Math.min(maxTotal - current, replicas - newRS.replicas);
}

/**
 * reconcileOldReplicaSets: first scale down old pods that are not available, then old available
 * ones as far as maxUnavailable allows. Returns the new spec.replicas of the old ReplicaSets
 * (oldest first in `old`) that change.
 */
export function scaleDownOld(replicas: number, unavailable: number, newRS: RSState, old: RSState[]): Map<string, number> {
  const out = new Map<string, number>();
  const all = [...old, newRS];
  const allPods = all.reduce((s, rs) => s + rs.replicas, 0);
  const minAvailable = replicas - unavailable;
  const newUnavailable = Math.max(0, newRS.replicas - newRS.available);
  let budget = allPods - minAvailable - newUnavailable;
  if (budget <= 0) return out;
  const next = new Map(old.map((rs) => [rs.name, rs.replicas]));
  for (const rs of old) {
    if (budget <= 0) break;
    const cur = next.get(rs.name)!;
    const unhealthy = Math.max(0, cur - rs.available);
    const down = Math.min(unhealthy, budget);
    if (down > 0) {
      next.set(rs.name, cur - down);
      budget -= down;
    }
  }
  const available = all.reduce((s, rs) => s + rs.available, 0);
  let total = available - minAvailable;
  for (const rs of old) {
    if (total <= 0) break;
    const cur = next.get(rs.name)!;
    const down = Math.min(cur, total);
    if (down > 0) {
      next.set(rs.name, cur - down);
      total -= down;
    }
  }
  for (const rs of old) if (next.get(rs.name) !== rs.replicas) out.set(rs.name, next.get(rs.name)!);
  return out;
}
