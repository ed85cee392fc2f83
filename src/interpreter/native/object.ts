// Tolerant readers over plain JSON objects: a missing or mistyped field reads as Go's zero value,
// the way Karmada's typed conversion treats absent fields.
import { deepCopyJson } from '../../apimachinery/clone.js';
import { isDeepStrictEqual } from 'node:util';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at `path`, or an empty object (not attached) when absent. */
export function objAt(root: unknown, ...path: string[]): JsonObject {
  let cur: unknown = root;
  for (const key of path) {
    if (!isObject(cur)) return {};
    cur = cur[key];
  }
  return isObject(cur) ? cur : {};
}

export function valueAt(root: unknown, ...path: string[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function arrAt(root: unknown, ...path: string[]): unknown[] {
  const v = valueAt(root, ...path);
  return Array.isArray(v) ? v : [];
}

export function objectsAt(root: unknown, ...path: string[]): JsonObject[] {
  return arrAt(root, ...path).filter(isObject);
}

export function strAt(root: unknown, ...path: string[]): string {
  const v = valueAt(root, ...path);
  return typeof v === 'string' ? v : '';
}

/** An integer field; absent, non-numeric or non-integral values read as 0. */
export function intAt(root: unknown, ...path: string[]): number {
  return toInt(valueAt(root, ...path));
}

function toInt(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  return 0;
}

/** An optional integer field: undefined when absent (Go's *int32 == nil). */
export function optionalIntAt(root: unknown, ...path: string[]): number | undefined {
  const v = valueAt(root, ...path);
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined;
}

export function stringMapAt(root: unknown, ...path: string[]): Record<string, string> | undefined {
  const v = valueAt(root, ...path);
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

export const clone = deepCopyJson;

/** Equality of two JSON values as they would serialise (undefined members ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalize(a), normalize(b));
}

function normalize(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

/** Go's omitempty for an int: set when non-zero, removed otherwise. Mutates obj. */
export function setCount(obj: JsonObject, key: string, value: number, keepZero = false): void {
  if (value !== 0 || keepZero) obj[key] = value;
  else delete obj[key];
}

/** RFC 3339 timestamps compare by instant; unparsable ones compare as the zero time. */
export function timeValue(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? 0 : t;
}
