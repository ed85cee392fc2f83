// Deep copy of JSON-shaped objects (what the API machinery stores and serves), as the generated
// DeepCopy functions of Kubernetes types: several times cheaper than structuredClone, which the
// object store paid on every write. Anything that is not a plain object or array (a Date, a Map)
// goes through structuredClone, so the result is what structuredClone would give.

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
