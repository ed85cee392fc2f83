// One top-level member of a JSON object document, cut out as text without parsing the rest (no
// Kubernetes counterpart: a reader that needs only an object's metadata, such as the garbage
// collector's graph, parses that and skips the spec and status of every stored write).

/** JSON's structural characters, as char codes of a string and as bytes of its UTF-8 (the same below 128) */
export const jsonChar = { quote: 0x22, backslash: 0x5c, colon: 0x3a, comma: 0x2c, openBrace: 0x7b, closeBrace: 0x7d, openBracket: 0x5b, closeBracket: 0x5d } as const;
const { quote: QUOTE, backslash: BACKSLASH, colon: COLON, comma: COMMA, openBrace: OPEN_BRACE, closeBrace: CLOSE_BRACE, openBracket: OPEN_BRACKET, closeBracket: CLOSE_BRACKET } = jsonChar;

function skipSpace(s: string, i: number): number {
  for (let c = s.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = s.charCodeAt(++i));
  return i;
}

/** the index after the string starting at the quote at i, or -1 if it never ends */
function stringEnd(s: string, i: number): number {
  for (let from = i + 1; ; ) {
    const q = s.indexOf('"', from);
    if (q < 0) return -1;
    let slashes = 0;
    while (s.charCodeAt(q - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** the index after the value starting at i (object, array, string or scalar), or -1 if it is cut short */
function valueEnd(s: string, i: number): number {
  const first = s.charCodeAt(i);
  if (first === QUOTE) return stringEnd(s, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let j = i;
    for (let c = s.charCodeAt(j); j < s.length && c !== COMMA && c !== CLOSE_BRACE && c !== CLOSE_BRACKET && c !== 32 && c !== 9 && c !== 10 && c !== 13; c = s.charCodeAt(++j));
    return j > i ? j : -1;
  }
  let depth = 0;
  for (let j = i; j < s.length; ) {
    const c = s.charCodeAt(j);
    if (c === QUOTE) {
      j = stringEnd(s, j);
      if (j < 0) return -1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return j + 1;
    j++;
  }
  return -1;
}

interface MemberSpan {
  keyStart: number;
  valueStart: number;
  valueEnd: number;
  /** where the previous member's value ends, -1 for the first member */
  prevEnd: number;
}

/** where top-level member `name` of `json` sits; null when the object lacks it, undefined when `json` is not a whole object up to it */
function findMember(json: string, name: string): MemberSpan | null | undefined {
  let i = skipSpace(json, 0);
  if (json.charCodeAt(i) !== OPEN_BRACE) return undefined;
  i = skipSpace(json, i + 1);
  let prevEnd = -1;
  while (json.charCodeAt(i) === QUOTE) {
    const keyStart = i;
    const keyEnd = stringEnd(json, i);
    if (keyEnd < 0) return undefined;
    const raw = json.slice(i + 1, keyEnd - 1);
    const key = raw.includes('\\') ? (JSON.parse(json.slice(i, keyEnd)) as string) : raw;
    i = skipSpace(json, keyEnd);
    if (json.charCodeAt(i) !== COLON) return undefined;
    i = skipSpace(json, i + 1);
    const end = valueEnd(json, i);
    if (end < 0) return undefined;
    if (key === name) return { keyStart, valueStart: i, valueEnd: end, prevEnd };
    prevEnd = end;
    i = skipSpace(json, end);
    if (json.charCodeAt(i) !== COMMA) return json.charCodeAt(i) === CLOSE_BRACE ? null : undefined;
    i = skipSpace(json, i + 1);
  }
  return json.charCodeAt(i) === CLOSE_BRACE && prevEnd < 0 ? null : undefined;
}

/**
 * The JSON text of member `name` of the object `json`, undefined when the document is not an
 * object, lacks the member or is cut short. The first occurrence wins (JSON.stringify never writes
 * a key twice); values are not checked, so the caller parses what it gets and may fail there.
 */
export function topLevelMember(json: string, name: string): string | undefined {
  const span = findMember(json, name);
  return span ? json.slice(span.valueStart, span.valueEnd) : undefined;
}

/**
 * The object `json` without its member `name` (its first occurrence), as text: `json` itself when it
 * has no such member, undefined when it is not an object or is cut short before the member's end.
 * The garbage collector reads metadata without managedFields, often its larger part, this way.
 */
export function withoutTopLevelMember(json: string, name: string): string | undefined {
  const span = findMember(json, name);
  if (span === null) return json;
  if (!span) return undefined;
  if (span.prevEnd >= 0) return json.slice(0, span.prevEnd) + json.slice(span.valueEnd);
  const after = skipSpace(json, span.valueEnd);
  return json.slice(0, span.keyStart) + json.slice(json.charCodeAt(after) === COMMA ? skipSpace(json, after + 1) : after);
}
