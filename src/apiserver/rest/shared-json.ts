// The JSON of objects many readers get unchanged (a watch event's shared decode, a write's result that
// is also handed to watchers), made once per object version: kube-apiserver's cachingObject.
const texts = new WeakMap<object, string>();
const readOnly = new WeakSet<object>();

// KARMADA_TS_FREEZE_SHARED=1 (for tests): shared objects are frozen, so a write to one throws where it happens
const freezeShared = process.env.KARMADA_TS_FREEZE_SHARED === '1';

/** marks an object no one changes any more, so its JSON may be made once and reused */
export function markReadOnly(obj: object): void {
  readOnly.add(obj);
  if (freezeShared) deepFreeze(obj);
}

function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
}

/** JSON.stringify(value), made once for an object marked read-only (or already cached) */
export function jsonOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let text = texts.get(value);
  if (text !== undefined) return text;
  text = JSON.stringify(value);
  if (readOnly.has(value)) texts.set(value, text);
  return text;
}

/** JSON.stringify(object) cached on the object whatever it is: for callers that never change what they encode */
export function cachedJson(object: object): string {
  let text = texts.get(object);
  if (text === undefined) {
    text = JSON.stringify(object);
    texts.set(object, text);
  }
  return text;
}

/**
 * Whether JSON.parse(JSON.stringify(value)) is deep-strict-equal to value: only null, booleans,
 * strings, finite numbers (not -0), arrays and plain objects, with no undefined anywhere. An object
 * that passes can stand for its decode (whose copies are compared with isDeepStrictEqual).
 * `known`: a value known to pass (a decode, or the object an update replaces): the parts value
 * shares with it at the same place (===) are not walked.
 */
export function isPlainJson(value: unknown, known?: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null || value === known) return true;
      const k = typeof known === 'object' && known !== null ? (known as Record<string, unknown>) : undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], k?.[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key], k?.[key])) return false;
      return true;
    }
    default:
      return false;
  }
}
