// Reading plain JSON objects without `any`: built-in kinds arrive as untyped JSON, and printers,
// defaults and validation only need a few typed views of them.

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a chain of keys, or undefined as soon as one is missing. */
export function at(v: unknown, ...keys: (string | number)[]): unknown {
  let cur = v;
  for (const k of keys) {
    if (typeof k === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[k];
    } else {
      if (!isObject(cur)) return undefined;
      cur = cur[k];
    }
  }
  return cur;
}

export function obj(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

export function int(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** The object at `key` of `parent`, created empty when absent (for defaulting in place). */
export function child(parent: JsonObject, key: string): JsonObject {
  const v = parent[key];
  if (isObject(v)) return v;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

/** Sets `key` only when it is absent (undefined or null), as Kubernetes' defaulters do for nil pointers. */
export function setDefault(target: JsonObject, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

/** Sets `key` when absent or the empty string: the defaulting rule for string enums. */
export function setDefaultString(target: JsonObject, key: string, value: string): void {
  if (target[key] === undefined || target[key] === null || target[key] === '') target[key] = value;
}
