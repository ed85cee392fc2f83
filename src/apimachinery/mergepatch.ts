// RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, everything else (arrays
// included) replaces. Used for `application/merge-patch+json` and as the base of CR patches.
import { deepCopyJson } from './clone.js';

type JsonObject = Record<string, unknown>;

function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns the patched document; neither argument is modified. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return deepCopyJson(patch);
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** The merge patch that turns `from` into `to` (the inverse of applyMergePatch), as kubectl computes it. */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isJsonObject(from) || !isJsonObject(to)) return deepCopyJson(to);
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    if (!(key in from)) {
      patch[key] = deepCopyJson(value);
      continue;
    }
    const old = from[key];
    if (isJsonObject(old) && isJsonObject(value)) {
      const sub = createMergePatch(old, value);
      if (isJsonObject(sub) && Object.keys(sub).length > 0) patch[key] = sub;
    } else if (JSON.stringify(old) !== JSON.stringify(value)) {
      patch[key] = deepCopyJson(value);
    }
  }
  return patch;
}
