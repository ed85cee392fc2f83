// Status writes the way Karmada's controllers make them: conditions set with
// meta.SetStatusCondition's rules, and read-modify-write on the status subresource that retries
// on a conflict with a fresh read (retry.RetryOnConflict).
import { rfc3339Now } from '../../apimachinery/meta.js';
import { isConflict, isNotFound } from '../../apimachinery/errors.js';
import type { Condition, KubeObject } from '../../apimachinery/types.js';
import { deepCopyJson } from '../../apimachinery/clone.js';
import type { KubeClient, ResourceRef } from '../../runtime/client.js';
import { recentWritesPerClient } from '../../runtime/recent-writes.js';

/**
 * conditions with c set: lastTransitionTime moves only when the status changes; reason, message
 * and observedGeneration follow c. Returns a new array.
 */
export function setCondition(conditions: readonly Condition[] | undefined, c: Condition, now: string = rfc3339Now()): Condition[] {
  const out = [...(conditions ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  if (i < 0) {
    out.push({ ...c, lastTransitionTime: c.lastTransitionTime ?? now });
    return out;
  }
  const old = out[i];
  out[i] = { ...old, ...c, lastTransitionTime: old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : (c.lastTransitionTime ?? now) };
  return out;
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export { jsonEqual } from '../../apimachinery/clone.js';

/** the answers of recent status writes per client, by object uid */
const recentWrites = recentWritesPerClient<KubeObject>();

/**
 * The freshest copy we know: the informer's, or what one of our own writes returned when the
 * informer has not seen that write yet (two controllers writing one Work's status back to back
 * would otherwise meet 409s on every second write).
 */
export function freshest<T extends KubeObject>(client: KubeClient, known: T): T {
  const uid = known.metadata.uid;
  return uid ? (recentWrites(client).freshest(uid, known) as T) : known;
}

/** true when obj is what our own last write of it returned (an informer's echo of that write) */
export function isOwnLastWrite(client: KubeClient, obj: KubeObject): boolean {
  const uid = obj.metadata.uid;
  return !!uid && recentWrites(client).get(uid)?.metadata.resourceVersion === obj.metadata.resourceVersion;
}

/** records what a write of ours returned, for freshest() to offer while the informer catches up */
export function remember(client: KubeClient, obj: KubeObject): void {
  if (obj.metadata.uid) recentWrites(client).remember(obj.metadata.uid, obj);
}

/** a copy to change the status of: the status copied, the rest (spec, manifests) shared, not deep-copied */
export function withOwnStatus<T extends KubeObject>(obj: T): T {
  const status = (obj as { status?: unknown }).status;
  return { ...obj, metadata: { ...obj.metadata }, ...(status === undefined ? {} : { status: deepCopyJson(status) }) };
}

/**
 * The body of a status write: the object without its spec. Every status strategy sets the spec
 * back to the stored one (kube's customResourceStatusStrategy and the built-ins' PrepareForUpdate),
 * so sending it (a Work's manifests) only costs encoding and decoding on both sides.
 */
export function statusWriteBody<T extends KubeObject>(obj: T): T {
  if ((obj as { spec?: unknown }).spec === undefined) return obj;
  // a loop, not a rest pattern: V8's object rest with an excluded key takes a slow runtime path
  const out: Record<string, unknown> = {};
  for (const k in obj) if (k !== 'spec') out[k] = obj[k];
  return out as T;
}

/**
 * Reads the object, lets mutate change it, and writes its status when mutate says it changed;
 * a 409 starts over with a fresh read. Returns the written object, or undefined when the object is
 * gone or nothing changed.
 *
 * `known` (an informer's copy, or what the last write returned) saves the read when it already
 * needs a write: the write carries its resourceVersion, so a stale copy only costs a 409 and a
 * fresh read. When the copy needs no write the live object decides, as a copy a write behind could
 * hide a change; unless `opts.trustKnown`: the caller runs again whenever what it compares changes
 * in its cache, so a copy a write behind is put right when the cache catches up (controller-runtime's
 * way, and one GET less per reconcile that changes nothing).
 *
 * mutate gets a copy of `known` whose status is its own and the rest shared with the cache: it may
 * replace or change status, and must not change anything else in place.
 */
export async function updateStatus<T extends KubeObject>(
  client: KubeClient,
  ref: ResourceRef,
  name: string,
  namespace: string | undefined,
  mutate: (obj: T) => boolean,
  signal?: AbortSignal,
  known?: T,
  opts: { trustKnown?: boolean } = {},
): Promise<T | undefined> {
  let candidate = known?.metadata.resourceVersion ? withOwnStatus(freshest(client, known)) : undefined;
  if (candidate && !mutate(candidate)) {
    if (opts.trustKnown) return undefined;
    candidate = undefined;
  }
  for (let attempt = 0; ; attempt++) {
    let obj: T;
    if (candidate) {
      obj = candidate;
      candidate = undefined;
    } else {
      try {
        obj = await client.get<T>(ref, name, { namespace, signal });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
      if (!mutate(obj)) return undefined;
    }
    try {
      // remembered for freshest(): read-only, as the informer's copy it stands in for
      const written = await client.updateStatus(statusWriteBody(obj), { signal, shareAnswer: true });
      remember(client, written);
      return written;
    } catch (err) {
      if (attempt < 4 && isConflict(err)) continue;
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}
