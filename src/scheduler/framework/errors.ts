// The errors a scheduling attempt ends with; each maps to a reason of the Scheduled condition.
import type { FilterResult } from './types.js';

/** No cluster passed the filters (condition reason NoClusterFit). */
export class FitError extends Error {
  constructor(
    readonly numAllClusters: number,
    readonly diagnosis: Map<string, FilterResult>,
  ) {
    super(fitErrorMessage(numAllClusters, diagnosis));
    this.name = 'FitError';
  }
}

/** Not enough capacity for the replicas (condition reason Unschedulable). */
export class UnschedulableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnschedulableError';
  }
}

/**
 * Wraps a cause with context, keeping the cause reachable so the condition reason can be found
 * (Go's fmt.Errorf("...: %w", err)).
 */
class WrappedError extends Error {
  constructor(
    context: string,
    readonly inner: Error,
  ) {
    super(`${context}: ${inner.message}`);
    this.name = 'WrappedError';
  }
}

export function wrap(context: string, err: unknown): WrappedError {
  return new WrappedError(context, err instanceof Error ? err : new Error(String(err)));
}

/** errors.As: the first error of type `ctor` in the wrap chain. */
export function findCause<T extends Error>(err: unknown, ctor: new (...args: never[]) => T): T | undefined {
  let e: unknown = err;
  while (e instanceof Error) {
    if (e instanceof ctor) return e;
    e = e instanceof WrappedError ? e.inner : undefined;
  }
  return undefined;
}

/** `0/3 clusters are available: 1 cluster(s) had untolerated taint {...}, 2 cluster(s) did not match ....` */
function fitErrorMessage(numAllClusters: number, diagnosis: Map<string, FilterResult>): string {
  if (numAllClusters === 0 || diagnosis.size === 0) return `0/${numAllClusters} clusters are available: no cluster exists.`;
  const histogram = new Map<string, number>();
  for (const result of diagnosis.values()) {
    for (const reason of result.reasons) histogram.set(reason, (histogram.get(reason) ?? 0) + 1);
  }
  const parts = [...histogram].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${numAllClusters} clusters are available: ${parts.join(', ')}.`;
}
