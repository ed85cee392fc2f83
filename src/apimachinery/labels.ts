// Label selectors as apimachinery's pkg/labels/selector.go parses, matches and prints them, and
// metav1.LabelSelector objects converted to the same Selector (LabelSelectorAsSelector).
import { errors, formatFieldError, type FieldError } from './errors.js';
import type { LabelSelector } from './types.js';
import { isQualifiedName, isValidLabelValue } from './validation.js';

export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export interface Selector {
  /** requirements sorted by key, as apimachinery keeps them */
  readonly requirements: readonly Requirement[];
  /** true for a selector that selects everything */
  empty(): boolean;
  matches(labels: Record<string, string> | undefined): boolean;
  /** the canonical string form, e.g. `app=web,tier in (a,b)`; '' for everything */
  toString(): string;
  /** the single value the selector requires for `key` (=, == or a one-value `in`), if any */
  requiresExactMatch(key: string): string | undefined;
}

function hasValue(r: Requirement, v: string): boolean {
  return r.values.includes(v);
}

const int64 = /^[+-]?\d+$/;

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key] : '';
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && hasValue(r, v);
    case 'notin':
    case '!=':
      return !has || !hasValue(r, v);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !int64.test(v) || r.values.length !== 1 || !int64.test(r.values[0])) return false;
      const a = BigInt(v);
      const b = BigInt(r.values[0]);
      return r.operator === 'gt' ? a > b : a < b;
    }
  }
}

function sortedValues(values: string[]): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function requirementToString(r: Requirement): string {
  const ops: Record<Operator, string> = { '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '' };
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const vals = r.values.length === 1 ? r.values[0] : sortedValues(r.values).join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${r.key}${ops[r.operator]}(${vals})` : `${r.key}${ops[r.operator]}${vals}`;
}

function byKey(a: Requirement, b: Requirement): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** A selector over the given requirements (sorted by key; an empty list selects everything). */
function selectorOf(requirements: Requirement[]): Selector {
  const reqs = [...requirements].sort(byKey);
  return {
    requirements: reqs,
    empty: () => reqs.length === 0,
    matches: (labels) => reqs.every((r) => requirementMatches(r, labels ?? {})),
    toString: () => reqs.map(requirementToString).join(','),
    requiresExactMatch: (key) => {
      const r = reqs.find((x) => x.key === key);
      if (!r) return undefined;
      return (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1 ? r.values[0] : undefined;
    },
  };
}

/** Selects everything. */
export function everything(): Selector {
  return selectorOf([]);
}

/** Selects nothing (what a nil metav1.LabelSelector means). */
export function nothing(): Selector {
  return {
    requirements: [],
    empty: () => false,
    matches: () => false,
    toString: () => '',
    requiresExactMatch: () => undefined,
  };
}

/** Selects labels equal to every pair of `set`. */
export function selectorFromSet(set: Record<string, string> | undefined): Selector {
  return selectorOf(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })));
}

// ---- parsing -------------------------------------------------------------------------------

type Tok = 'end' | 'id' | '(' | ')' | ',' | '!' | '==' | '=' | '>' | '<' | '!=' | 'in' | 'notin' | 'error';

interface Token {
  tok: Tok;
  lit: string;
}

const literalTokens: Record<string, Tok> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(' };

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string) => '=!(),><'.includes(ch);

function lex(s: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      out.push({ tok: 'end', lit: '' });
      return out;
    }
    if (isSpecial(s[pos])) {
      // longest special-symbol run that is still a token ("!=", "=="), as scanSpecialSymbol does
      let buf = '';
      let last: Token | undefined;
      while (pos < s.length && isSpecial(s[pos])) {
        buf += s[pos];
        const t = literalTokens[buf];
        if (t) {
          last = { tok: t, lit: buf };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (pos < s.length && !isSpecial(s[pos]) && !isWhitespace(s[pos])) buf += s[pos++];
    out.push({ tok: literalTokens[buf] ?? 'id', lit: buf });
  }
}

class ParseError extends Error {}

/** Go's field.Error text with a nil path, as the parser's errors carry it. */
function fieldErrorText(field: string | undefined, value: unknown, detail: string): string {
  const e: FieldError = { type: 'FieldValueInvalid', field: field ?? '<nil>', value, detail };
  return formatFieldError(e);
}

function aggregate(messages: string[]): string | undefined {
  if (messages.length === 0) return undefined;
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

function validateKey(key: string, field?: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? fieldErrorText(field, key, errs.join('; ')) : undefined;
}

/** NewRequirement's checks; returns the aggregated error text or undefined. */
function checkRequirement(r: Requirement, path = ''): string | undefined {
  const msgs: string[] = [];
  const child = (name: string) => (path ? `${path}.${name}` : name);
  const keyErr = validateKey(r.key, child('key'));
  if (keyErr) msgs.push(keyErr);
  const vp = child('values');
  switch (r.operator) {
    case 'in':
    case 'notin':
      if (r.values.length === 0) msgs.push(fieldErrorText(vp, r.values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (r.values.length !== 1) msgs.push(fieldErrorText(vp, r.values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (r.values.length !== 0) msgs.push(fieldErrorText(vp, r.values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (r.values.length !== 1) msgs.push(fieldErrorText(vp, r.values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      r.values.forEach((v, i) => {
        if (!int64.test(v)) msgs.push(fieldErrorText(`${vp}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  r.values.forEach((v, i) => {
    const errs = isValidLabelValue(v);
    if (errs.length) msgs.push(fieldErrorText(`${vp}[${i}][${r.key}]`, v, errs.join('; ')));
  });
  return aggregate(msgs);
}

class Parser {
  private pos = 0;
  constructor(private readonly items: Token[]) {}

  // In 'values' context the keywords in/notin are plain identifiers ("x in (in)").
  private look(values: boolean): Token {
    const t = this.items[this.pos];
    return values && (t.tok === 'in' || t.tok === 'notin') ? { tok: 'id', lit: t.lit } : t;
  }
  private next(values: boolean): Token {
    const t = this.look(values);
    this.pos++;
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.look(true);
      if (t.tok === 'end') return reqs;
      if (t.tok !== 'id' && t.tok !== '!') throw new ParseError(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (e instanceof ParseError) throw new ParseError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = this.next(true);
      if (after.tok === 'end') return reqs;
      if (after.tok !== ',') throw new ParseError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const t2 = this.look(true);
      if (t2.tok !== 'id' && t2.tok !== '!') throw new ParseError(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let op: Operator | undefined;
    let t = this.next(true);
    if (t.tok === '!') {
      op = '!';
      t = this.next(true);
    }
    if (t.tok !== 'id') throw new ParseError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErr = validateKey(key);
    if (keyErr) throw new ParseError(keyErr);
    const la = this.look(true).tok;
    if (la === 'end' || la === ',') op ??= 'exists';
    if (op === 'exists' || op === '!') return this.checked({ key, operator: op, values: [] });
    const operator = this.operator();
    const values = operator === 'in' || operator === 'notin' ? this.setValues() : this.exactValue();
    return this.checked({ key, operator, values: sortedValues([...new Set(values)]) });
  }

  private checked(r: Requirement): Requirement {
    const err = checkRequirement(r);
    if (err) throw new ParseError(err);
    return r;
  }

  private operator(): Operator {
    const t = this.next(false);
    const ops: Partial<Record<Tok, Operator>> = { in: 'in', '=': '=', '==': '==', '>': 'gt', '<': 'lt', notin: 'notin', '!=': '!=' };
    const op = ops[t.tok];
    if (!op) throw new ParseError(`found '${t.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    return op;
  }

  private setValues(): string[] {
    const open = this.next(true);
    if (open.tok !== '(') throw new ParseError(`found '${open.lit}' expected: '('`);
    const t = this.look(true);
    if (t.tok === ')') {
      this.next(true);
      return [''];
    }
    if (t.tok !== 'id' && t.tok !== ',') throw new ParseError(`found '${t.lit}', expected: ',', ')' or identifier`);
    const values = this.identifiers();
    if (this.next(true).tok !== ')') throw new ParseError(`found '${t.lit}', expected: ')'`);
    return values;
  }

  private identifiers(): string[] {
    const s = new Set<string>();
    for (;;) {
      const t = this.next(true);
      if (t.tok === 'id') {
        s.add(t.lit);
        const t2 = this.look(true);
        if (t2.tok === ',') continue;
        if (t2.tok === ')') return [...s];
        throw new ParseError(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (t.tok === ',') {
        // "(,", ",)" and ",," each stand for an empty value
        if (s.size === 0) s.add('');
        const t2 = this.look(true);
        if (t2.tok === ')') {
          s.add('');
          return [...s];
        }
        if (t2.tok === ',') {
          this.next(true);
          s.add('');
        }
      } else {
        throw new ParseError(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const la = this.look(true);
    if (la.tok === 'end' || la.tok === ',') return [''];
    const t = this.next(true);
    if (t.tok === 'id') return [t.lit];
    throw new ParseError(`found '${t.lit}', expected: identifier`);
  }
}

/** Parses a label selector string; errors are 400 BadRequest with apimachinery's text. */
export function parseSelector(selector: string): Selector {
  try {
    return selectorOf(new Parser(lex(selector)).parse());
  } catch (e) {
    if (e instanceof ParseError) throw errors.badRequest(e.message);
    throw e;
  }
}

/**
 * metav1.LabelSelectorAsSelector: undefined/null selects nothing, `{}` everything; matchLabels become
 * `=` requirements, matchExpressions keep their operator. Invalid content → 400.
 */
export function labelSelectorAsSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return nothing();
  const reqs: Requirement[] = [];
  for (const [key, v] of Object.entries(ls.matchLabels ?? {})) reqs.push({ key, operator: '=', values: [v] });
  const opMap: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };
  for (const expr of ls.matchExpressions ?? []) {
    const operator = opMap[expr.operator];
    if (!operator) throw errors.badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push({ key: expr.key, operator, values: [...(expr.values ?? [])] });
  }
  for (const r of reqs) {
    const err = checkRequirement(r);
    if (err) throw errors.badRequest(err);
  }
  return selectorOf(reqs);
}

/** metav1.FormatLabelSelector: the string form, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  let s: string;
  try {
    s = labelSelectorAsSelector(ls).toString();
  } catch {
    return '<error>';
  }
  return s === '' ? '<none>' : s;
}

/** The selector string for a Scale subresource's status.selector: '' when it selects everything. */
export function labelSelectorString(ls: LabelSelector | null | undefined): string {
  return labelSelectorAsSelector(ls).toString();
}

// ---- fast matching -------------------------------------------------------------------------

// Hot paths (the scheduler's filters, a simulator's pod selection) match the same selector object
// against many label sets: convert it once and remember the requirements (null: matches nothing).
const converted = new WeakMap<LabelSelector, readonly Requirement[] | null>();

function requirementsOf(ls: LabelSelector): readonly Requirement[] | null {
  let reqs = converted.get(ls);
  if (reqs === undefined) {
    try {
      reqs = labelSelectorAsSelector(ls).requirements;
    } catch {
      reqs = null;
    }
    converted.set(ls, reqs);
  }
  return reqs;
}

/**
 * LabelSelectorAsSelector(ls).Matches(labels) for a present selector: `{}` matches everything, an
 * invalid selector nothing. The selector must not be mutated after its first use.
 */
export function labelSelectorMatches(ls: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const reqs = requirementsOf(ls);
  if (reqs === null) return false;
  const l = labels ?? {};
  for (const r of reqs) if (!requirementMatches(r, l)) return false;
  return true;
}

const nodeOperators: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

/** One corev1.NodeSelectorRequirement against a label (or field) set; an unknown operator matches nothing. */
export function nodeRequirementMatches(r: { key: string; operator: string; values?: string[] }, labels: Record<string, string>): boolean {
  const operator = nodeOperators[r.operator];
  if (!operator) return false;
  return requirementMatches({ key: r.key, operator, values: r.values ?? [] }, labels);
}

type NodeRequirement = Parameters<typeof nodeRequirementMatches>[0];

/** corev1 NodeSelectorTerm over a node's labels and its metadata.name field; an empty term matches no node */
function nodeSelectorTermMatches(term: { matchExpressions?: NodeRequirement[]; matchFields?: NodeRequirement[] }, node: { name?: string; labels?: Record<string, string> }): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.labels ?? {};
  return exprs.every((r) => nodeRequirementMatches(r, labels)) && fields.every((r) => nodeRequirementMatches(r, { 'metadata.name': node.name ?? '' }));
}

/**
 * kube-scheduler's NodeAffinity filter: every nodeSelector label, and (when there are terms) one of
 * the required node affinity's terms
 */
export function nodeSelectionMatches(
  nodeSelector: Record<string, string> | undefined,
  terms: { matchExpressions?: NodeRequirement[]; matchFields?: NodeRequirement[] }[] | undefined,
  node: { name?: string; labels?: Record<string, string> },
): boolean {
  const labels = node.labels ?? {};
  for (const [k, v] of Object.entries(nodeSelector ?? {})) if (labels[k] !== v) return false;
  return !terms || terms.some((t) => nodeSelectorTermMatches(t, node));
}
