// Field selectors as apimachinery's pkg/fields/selector.go parses them: comma-separated terms
// `field=value`, `field==value`, `field!=value`; `\\`, `\,` and `\=` escape inside values.
import { errors } from './errors.js';

interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  empty(): boolean;
  /** every requirement holds; a field `get` does not know counts as '' (as fields.Set.Get does) */
  matches(get: (field: string) => string | undefined): boolean;
  /** the field names this selector uses, for the caller's "field label not supported" check */
  fields(): string[];
  /** the value required by an `=`/`==` term on `field`, when there is one */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

export function escapeFieldValue(v: string): string {
  return v.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw errors.badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw errors.badRequest(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw errors.badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas that are not escaped; escapes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** The first operator occurrence splits the term; "!=" and "==" win over "=" at the same place. */
function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function requirementString(r: FieldRequirement): string {
  return `${r.field}${r.operator}${escapeFieldValue(r.value)}`;
}

function fieldSelectorOf(requirements: FieldRequirement[]): FieldSelector {
  const reqs = [...requirements];
  return {
    requirements: reqs,
    empty: () => reqs.length === 0,
    matches: (get) =>
      reqs.every((r) => {
        const v = get(r.field) ?? '';
        return r.operator === '=' ? v === r.value : v !== r.value;
      }),
    fields: () => [...new Set(reqs.map((r) => r.field))],
    requiresExactMatch: (field) => reqs.find((r) => r.field === field && r.operator === '=')?.value,
    toString: () => reqs.map(requirementString).join(','),
  };
}

/** Parses `?fieldSelector=`; malformed input → 400 BadRequest with apimachinery's text. */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort();
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw errors.badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    const value = unescapeFieldValue(t.rhs);
    reqs.push({ field: t.lhs, operator: t.op === '!=' ? '!=' : '=', value });
  }
  return fieldSelectorOf(reqs);
}

/** Rejects a selector that uses a field outside `supported`: 400 `field label not supported: spec.foo`. */
export function checkSupportedFields(selector: FieldSelector, supported: readonly string[]): void {
  for (const f of selector.fields()) {
    if (!supported.includes(f)) throw errors.badRequest(`field label not supported: ${f}`);
  }
}
