// A JSONPath evaluator good enough for CRD printer columns (client-go's jsonpath subset):
// `.a.b`, `['a.b']`, `[0]`, `[-1]`, `[*]`, `.*`, `..name`, `[?(@.type=="Ready")]` with == != < > <= >=,
// and `[?(@.x)]` for existence. Private copy: src/apimachinery/meta.ts had no jsonPathGet yet.
import { isObject } from './json.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'recursive'; name: string }
  | { kind: 'filter'; path: Step[]; op?: string; literal?: unknown };

export class JsonPathError extends Error {}

/** Every value the path selects, in document order; [] when nothing matches (missing keys are allowed). */
export function jsonPathFind(root: unknown, expression: string): unknown[] {
  let current: unknown[] = [root];
  for (const step of parseJsonPath(expression)) current = current.flatMap((v) => applyStep(v, step));
  return current.filter((v) => v !== undefined);
}

/** The first value the path selects, or undefined. */
export function jsonPathGet(root: unknown, expression: string): unknown {
  return jsonPathFind(root, expression)[0];
}

export function parseJsonPath(expression: string): Step[] {
  let src = expression.trim();
  if (src.startsWith('{') && src.endsWith('}')) src = src.slice(1, -1).trim();
  if (src.startsWith('$')) src = src.slice(1);
  const steps: Step[] = [];
  let i = 0;
  const readName = (): string => {
    const start = i;
    while (i < src.length && /[^.[\]]/.test(src[i]!)) i++;
    return src.slice(start, i);
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '.') {
      if (src[i + 1] === '.') {
        i += 2;
        const name = readName();
        if (!name) throw new JsonPathError(`invalid recursive descent in ${expression}`);
        steps.push({ kind: 'recursive', name });
        continue;
      }
      i++;
      if (src[i] === '*') {
        i++;
        steps.push({ kind: 'wildcard' });
        continue;
      }
      const name = readName();
      if (name) steps.push({ kind: 'field', name });
      continue;
    }
    if (c === '[') {
      const end = findClosingBracket(src, i);
      const inner = src.slice(i + 1, end).trim();
      i = end + 1;
      steps.push(parseBracket(inner, expression));
      continue;
    }
    // a bare leading name: "metadata.name"
    const name = readName();
    if (!name) throw new JsonPathError(`unexpected ${JSON.stringify(c)} in ${expression}`);
    steps.push({ kind: 'field', name });
  }
  return steps;
}

function findClosingBracket(src: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = open; j < src.length; j++) {
    const ch = src[j]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return j;
  }
  throw new JsonPathError(`unclosed [ in ${src}`);
}

function parseBracket(inner: string, expression: string): Step {
  if (inner === '*') return { kind: 'wildcard' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[2]! };
  const filter = /^\?\((.*)\)$/s.exec(inner);
  if (filter) return parseFilter(filter[1]!.trim(), expression);
  throw new JsonPathError(`unsupported [${inner}] in ${expression}`);
}

function parseFilter(body: string, expression: string): Step {
  const m = /^@((?:\.[^.\s=!<>]+|\[[^\]]*\])*)\s*(==|!=|<=|>=|<|>)?\s*(.*)$/s.exec(body);
  if (!m) throw new JsonPathError(`unsupported filter ${body} in ${expression}`);
  const path = parseJsonPath(m[1] ?? '');
  if (!m[2]) return { kind: 'filter', path };
  return { kind: 'filter', path, op: m[2], literal: parseLiteral(m[3]!.trim()) };
}

function parseLiteral(text: string): unknown {
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  if (quoted) return quoted[2];
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  const n = Number(text);
  if (text !== '' && !Number.isNaN(n)) return n;
  return text;
}

function applyStep(v: unknown, step: Step): unknown[] {
  switch (step.kind) {
    case 'field':
      return isObject(v) && step.name in v ? [v[step.name]] : [];
    case 'index': {
      if (!Array.isArray(v)) return [];
      const i = step.index < 0 ? v.length + step.index : step.index;
      return i >= 0 && i < v.length ? [v[i]] : [];
    }
    case 'wildcard':
      if (Array.isArray(v)) return v;
      return isObject(v) ? Object.keys(v).sort().map((k) => v[k]) : [];
    case 'recursive':
      return collectRecursive(v, step.name);
    case 'filter': {
      const items = Array.isArray(v) ? v : isObject(v) ? [v] : [];
      return items.filter((item) => matchesFilter(item, step));
    }
  }
}

function collectRecursive(v: unknown, name: string): unknown[] {
  const out: unknown[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (isObject(x)) {
      if (name in x) out.push(x[name]);
      for (const k of Object.keys(x)) visit(x[k]);
    }
  };
  visit(v);
  return out;
}

function matchesFilter(item: unknown, step: Extract<Step, { kind: 'filter' }>): boolean {
  let values: unknown[] = [item];
  for (const s of step.path) values = values.flatMap((x) => applyStep(x, s));
  values = values.filter((x) => x !== undefined);
  if (!step.op) return values.length > 0;
  return values.some((x) => compare(x, step.op!, step.literal));
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b || (typeof a === 'number' && typeof b === 'string' && String(a) === b);
    case '!=':
      return a !== b;
    case '<':
      return typeof a === 'number' && typeof b === 'number' && a < b;
    case '>':
      return typeof a === 'number' && typeof b === 'number' && a > b;
    case '<=':
      return typeof a === 'number' && typeof b === 'number' && a <= b;
    case '>=':
      return typeof a === 'number' && typeof b === 'number' && a >= b;
  }
  return false;
}

/** client-go's PrintResults for one value: strings raw, objects and arrays as JSON, the rest as text. */
export function jsonPathText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
