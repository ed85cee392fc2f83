// Small metadata helpers the API server needs: generated names, UIDs, Kubernetes time formats,
// list continue tokens (apiserver's storage/continue.go format) and a kubectl-style JSONPath.
import { randomInt, randomUUID } from 'node:crypto';
import { errors } from './errors.js';

/** apimachinery's utilrand alphabet: no vowels (no words) and no look-alikes (0/o, 1/l, 3/e). */
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
const maxNameLength = 63;
const randomSuffixLength = 5;

/** Five random characters from `bcdfghjklmnpqrstvwxz2456789`. */
export function generateNameSuffix(): string {
  let out = '';
  for (let i = 0; i < randomSuffixLength; i++) out += suffixAlphabet[randomInt(suffixAlphabet.length)];
  return out;
}

/** names.SimpleNameGenerator: the base cut to 58 characters plus the random suffix. */
export function generateName(base: string): string {
  const maxBase = maxNameLength - randomSuffixLength;
  return `${base.length > maxBase ? base.slice(0, maxBase) : base}${generateNameSuffix()}`;
}

/** A random (v4) UUID, as metadata.uid. */
export function newUid(): string {
  return randomUUID();
}

let formattedSecond = NaN;
let formatted = '';

/**
 * metav1.Time: RFC 3339 in seconds, UTC, `Z` (`2006-01-02T15:04:05Z`). Formatted once per second:
 * every write stamps a time (managed fields, conditions), many in the same second.
 */
export function rfc3339Now(date?: Date): string {
  const ms = date ? date.getTime() : Date.now();
  const second = Math.floor(ms / 1000);
  if (second !== formattedSecond) {
    // an invalid date (NaN) never matches and throws here, as toISOString does
    formatted = `${new Date(ms).toISOString().slice(0, 19)}Z`;
    formattedSecond = second;
  }
  return formatted;
}

/** metav1.MicroTime: `2006-01-02T15:04:05.000000Z` (JS clocks have milliseconds; the rest is 0). */
export function microTime(date: Date = new Date()): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}

/**
 * Compares two resourceVersions as this project's stores write them (decimal revisions): below,
 * at or above zero as a is older, the same or newer. undefined when either is not one: to clients
 * of other API servers a resourceVersion is opaque.
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): number | undefined {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- continue tokens ---------------------------------------------------------------------------

interface ContinueToken {
  /** the store revision the first page was read at */
  rv: number;
  /** the key to start from, relative to the resource's key prefix (apiserver appends "\u0000" to the last key) */
  start: string;
}

/** Go's encoding/json escapes these in strings; doing the same keeps tokens byte-identical. */
function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** base64url (no padding) of `{"v":"meta.k8s.io/v1","rv":N,"start":"…"}`. */
export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(goJson({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start }), 'utf8').toString('base64url');
}

function invalidContinue(why: string) {
  return errors.badRequest(`invalid continue token: continue key is not valid: ${why}`);
}

/** Normalizes like Go's path.Clean for an absolute path. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** Decodes and checks a continue token; any defect → 400 `invalid continue token: …`. */
export function decodeContinue(value: string): ContinueToken {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) throw invalidContinue('illegal base64 data');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch (e) {
    throw invalidContinue((e as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidContinue('not a JSON object');
  const c = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (c.v !== 'meta.k8s.io/v1') throw invalidContinue(`server does not recognize this encoded version ${JSON.stringify(String(c.v ?? ''))}`);
  if (typeof c.rv !== 'number' || !Number.isInteger(c.rv) || c.rv === 0) {
    throw invalidContinue('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof c.start !== 'string' || c.start.length === 0) throw invalidContinue('encoded start key empty (version meta.k8s.io/v1)');
  // no climbing out of the key prefix ("../other-namespace/…")
  const key = c.start.startsWith('/') ? c.start : `/${c.start}`;
  if (cleanPath(key) !== key) throw invalidContinue(c.start);
  return { rv: c.rv, start: key.slice(1) };
}

// ---- JSONPath ----------------------------------------------------------------------------------

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'recursive'; name: string }
  | { kind: 'keys'; names: string[] }
  | { kind: 'indices'; indices: number[] }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'filter'; left: Operand; op?: string; right?: Operand };

type Operand = { path: Step[] } | { literal: unknown };

function jsonPathError(expr: string, why: string) {
  return errors.badRequest(`unrecognized JSONPath ${JSON.stringify(expr)}: ${why}`);
}

/** Finds the index of the `]` that closes the bracket opened before `from`, skipping quotes and parentheses. */
function closingBracket(s: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ']' && depth === 0) return i;
  }
  return -1;
}

function parseLiteral(raw: string): unknown {
  const s = raw.trim();
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) return s.slice(1, -1);
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (s !== '' && !Number.isNaN(Number(s))) return Number(s);
  return s;
}

function parseOperand(raw: string, expr: string): Operand {
  const s = raw.trim();
  if (s.startsWith('@')) return { path: parsePath(s.slice(1), expr) };
  return { literal: parseLiteral(s) };
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === sep) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

function parseBracket(inner: string, expr: string): Step {
  const s = inner.trim();
  if (s === '*') return { kind: 'wildcard' };
  if (s.startsWith('?(') && s.endsWith(')')) {
    const body = s.slice(2, -1);
    let quote = '';
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (quote) {
        if (c === quote) quote = '';
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        continue;
      }
      const op = ['==', '!=', '<=', '>=', '<', '>'].find((o) => body.startsWith(o, i));
      if (op) return { kind: 'filter', left: parseOperand(body.slice(0, i), expr), op, right: parseOperand(body.slice(i + op.length), expr) };
    }
    return { kind: 'filter', left: parseOperand(body, expr) };
  }
  const parts = splitOutsideQuotes(s, ',').map((p) => p.trim());
  if (parts.every((p) => /^(['"]).*\1$/.test(p))) return { kind: 'keys', names: parts.map((p) => p.slice(1, -1)) };
  if (parts.length === 1 && s.includes(':')) {
    const [a, b, c] = s.split(':').map((x) => (x.trim() === '' ? undefined : Number(x)));
    if ([a, b, c].some((x) => x !== undefined && !Number.isInteger(x))) throw jsonPathError(expr, `bad slice [${inner}]`);
    return { kind: 'slice', start: a, end: b, step: c };
  }
  const indices = parts.map(Number);
  if (indices.some((n) => !Number.isInteger(n))) throw jsonPathError(expr, `bad index [${inner}]`);
  return { kind: 'indices', indices };
}

function readName(s: string, i: number): [string, number] {
  let name = '';
  while (i < s.length && s[i] !== '.' && s[i] !== '[') {
    if (s[i] === '\\' && i + 1 < s.length) {
      name += s[i + 1];
      i += 2;
    } else name += s[i++];
  }
  return [name, i];
}

function parsePath(s: string, expr: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('..', i)) {
      const [name, next] = readName(s, i + 2);
      steps.push({ kind: 'recursive', name });
      i = next;
    } else if (s[i] === '.') {
      const [name, next] = readName(s, i + 1);
      if (name === '*') steps.push({ kind: 'wildcard' });
      else if (name !== '') steps.push({ kind: 'field', name });
      i = next;
    } else if (s[i] === '[') {
      const end = closingBracket(s, i + 1);
      if (end < 0) throw jsonPathError(expr, 'unclosed [');
      steps.push(parseBracket(s.slice(i + 1, end), expr));
      i = end + 1;
    } else {
      const [name, next] = readName(s, i);
      steps.push({ kind: 'field', name });
      i = next;
    }
  }
  return steps;
}

/** Parses a kubectl/CRD JSONPath (`.spec.x`, `{.items[0].metadata.name}`, `$.a[*].b`). */
function parseJsonPath(expr: string): Step[] {
  let s = expr.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  return parsePath(s, expr);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.values(v);
  return [];
}

function descendants(v: unknown, name: string, out: unknown[]): void {
  if (isObject(v) && name in v) out.push(v[name]);
  for (const c of children(v)) descendants(c, name, out);
}

function compare(a: unknown, op: string, b: unknown): boolean {
  if (op === '==') return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
  if (op === '!=') return !compare(a, '==', b);
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
}

function operandValue(o: Operand, item: unknown): unknown {
  if ('literal' in o) return o.literal;
  return evaluate([item], o.path)[0];
}

function applyStep(v: unknown, step: Step): unknown[] {
  switch (step.kind) {
    case 'field':
      return isObject(v) && Object.prototype.hasOwnProperty.call(v, step.name) ? [v[step.name]] : [];
    case 'wildcard':
      return children(v);
    case 'recursive': {
      const out: unknown[] = [];
      descendants(v, step.name, out);
      return out;
    }
    case 'keys':
      return isObject(v) ? step.names.filter((n) => n in v).map((n) => v[n]) : [];
    case 'indices': {
      if (!Array.isArray(v)) return [];
      return step.indices.map((i) => (i < 0 ? v.length + i : i)).filter((i) => i >= 0 && i < v.length).map((i) => v[i]);
    }
    case 'slice': {
      if (!Array.isArray(v)) return [];
      const stepBy = step.step ?? 1;
      const norm = (i: number) => Math.min(Math.max(i < 0 ? v.length + i : i, 0), v.length);
      const start = norm(step.start ?? 0);
      const end = norm(step.end ?? v.length);
      const out: unknown[] = [];
      for (let i = start; i < end; i += stepBy > 0 ? stepBy : 1) out.push(v[i]);
      return out;
    }
    case 'filter': {
      const items = children(v);
      return items.filter((item) => {
        if (!step.op || !step.right) {
          if ('literal' in step.left) return Boolean(step.left.literal);
          return evaluate([item], step.left.path).length > 0;
        }
        return compare(operandValue(step.left, item), step.op, operandValue(step.right, item));
      });
    }
  }
}

function evaluate(values: unknown[], steps: Step[]): unknown[] {
  let cur = values;
  for (const step of steps) cur = cur.flatMap((v) => applyStep(v, step));
  return cur;
}

/** Every value `expr` selects in `obj` (missing keys select nothing, as with AllowMissingKeys). */
export function jsonPathFind(obj: unknown, expr: string): unknown[] {
  return evaluate([obj], parseJsonPath(expr));
}

/** The first value `expr` selects, or undefined: `jsonPathGet(obj, '.status.replicas')`. */
export function jsonPathGet(obj: unknown, expr: string): unknown {
  return jsonPathFind(obj, expr)[0];
}
