// Deep copy of JSON-shaped objects (what the API machinery stores and serves), as the generated
// DeepCopy functions of Kubernetes types: several times cheaper than structuredClone, which the
// object store paid on every write. Anything that is not a plain object or array (a Date, a Map)
// goes through structuredClone, so the result is what structuredClone would give. Beside it, deep
// equality of such values.

export function deepCopyJson<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = deepCopyJson(v[i]);
    return out as T;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const copy = deepCopyJson((v as Record<string, unknown>)[k]);
    // JSON.parse makes "__proto__" an own key; assigning it would set the prototype instead and lose it
    if (k === '__proto__') Object.defineProperty(out, k, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[k] = copy;
  }
  return out as T;
}

/**
 * deep equality of JSON values; object key order does not matter, an undefined member counts as
 * absent. Loops, no arrays of keys: every unchanged object a restart goes over is compared whole.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  if (isArray) {
    const aa = a as unknown[];
    const bb = b as unknown[];
    if (aa.length !== bb.length) return false;
    for (let i = 0; i < aa.length; i++) if (!jsonEqual(aa[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let defined = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    defined++;
    if (!jsonEqual(v, bo[k])) return false;
  }
  // every defined member of a is in b: equal when b has no more
  for (const k in bo) if (bo[k] !== undefined && --defined < 0) return false;
  return true;
}
