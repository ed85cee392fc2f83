// gopher-lua (Karmada's Lua engine) iterates a table's string keys in the order they were set;
// Lua 5.4 iterates them in hash order. Every table constructor of a script is rewritten to pass
// the new table to __kts_t, which records the order of its new keys from then on (a __newindex
// metamethod) and the order of the constructor's own `name = value` fields: `{a = 1, b = {}}`
// becomes `__kts_t({a = 1, b = __kts_t({})}, "a", "b")`, and `f{...}` becomes `f(__kts_t({...}))`.
// Only braces outside strings and comments are touched, and no line breaks are added, so error
// positions stay the script's.

const keywords = new Set(['and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if', 'in', 'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while']);
const blockOpeners = new Set(['function', 'if', 'do', 'repeat']);
const blockClosers = new Set(['end', 'until']);

type TokenKind = 'name' | 'string' | 'number' | 'op' | 'space';
interface Token {
  kind: TokenKind;
  text: string;
}

/** `[[`, `[==[`: the level of a long bracket opening at i, or -1 */
function longBracketLevel(src: string, i: number): number {
  if (src[i] !== '[') return -1;
  let j = i + 1;
  while (src[j] === '=') j++;
  return src[j] === '[' ? j - i - 1 : -1;
}

function longBracketEnd(src: string, i: number, level: number): number {
  const close = `]${'='.repeat(level)}]`;
  const end = src.indexOf(close, i + level + 2);
  return end < 0 ? src.length : end + close.length;
}

/** Lua's tokens, comments and whitespace kept as 'space' so the output is the input re-joined. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const start = i;
    if (c === '-' && src[i + 1] === '-') {
      const level = longBracketLevel(src, i + 2);
      if (level >= 0) i = longBracketEnd(src, i + 2, level);
      else {
        const nl = src.indexOf('\n', i);
        i = nl < 0 ? src.length : nl;
      }
      out.push({ kind: 'space', text: src.slice(start, i) });
    } else if (/\s/.test(c)) {
      while (i < src.length && /\s/.test(src[i])) i++;
      out.push({ kind: 'space', text: src.slice(start, i) });
    } else if (c === '"' || c === "'") {
      i++;
      while (i < src.length && src[i] !== c && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
      i++;
      out.push({ kind: 'string', text: src.slice(start, Math.min(i, src.length)) });
    } else if (c === '[' && longBracketLevel(src, i) >= 0) {
      i = longBracketEnd(src, i, longBracketLevel(src, i));
      out.push({ kind: 'string', text: src.slice(start, i) });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i])) i++;
      out.push({ kind: 'name', text: src.slice(start, i) });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      while (i < src.length && (/[0-9A-Za-z_.]/.test(src[i]) || ((src[i] === '+' || src[i] === '-') && /[eEpP]/.test(src[i - 1])))) i++;
      out.push({ kind: 'number', text: src.slice(start, i) });
    } else {
      const three = src.slice(i, i + 3);
      const two = src.slice(i, i + 2);
      const op = three === '...' ? three : ['==', '~=', '<=', '>=', '..', '::', '//', '<<', '>>'].includes(two) ? two : c;
      i += op.length;
      out.push({ kind: 'op', text: op });
    }
  }
  return out;
}

interface Open {
  call: boolean;
  /** parentheses, brackets and blocks opened inside the constructor and not yet closed */
  nest: number;
  keys: string[];
  /** right after `{`, `,` or `;`: a field may start here */
  atField: boolean;
}

/** The script with every table constructor wrapped in __kts_t (see above). */
export function orderTableConstructors(src: string): string {
  const tokens = tokenize(src);
  const out: string[] = [];
  const stack: Open[] = [];
  let prev: Token | undefined;
  const next = (i: number) => {
    for (let j = i + 1; j < tokens.length; j++) if (tokens[j].kind !== 'space') return tokens[j];
    return undefined;
  };
  const nextIndex = (i: number) => {
    for (let j = i + 1; j < tokens.length; j++) if (tokens[j].kind !== 'space') return j;
    return -1;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'space') {
      out.push(t.text);
      continue;
    }
    const top = stack.at(-1);
    if (top && top.nest === 0 && top.atField) {
      top.atField = false;
      // `name = value` (not `name == value`) or `["literal"] = value`
      if (t.kind === 'name' && !keywords.has(t.text) && next(i)?.text === '=') top.keys.push(t.text);
      else if (t.text === '[') {
        const s = nextIndex(i);
        const close = s < 0 ? -1 : nextIndex(s);
        // only plain literals: escapes would need Lua's rules to read
        if (s >= 0 && tokens[s].kind === 'string' && /^(["'])[\w.\-/ ]*\1$/.test(tokens[s].text) && close >= 0 && tokens[close].text === ']' && next(close)?.text === '=') {
          top.keys.push(tokens[s].text.slice(1, -1));
        }
      }
    }
    if (t.text === '{') {
      const call = prev !== undefined && ((prev.kind === 'name' && !keywords.has(prev.text)) || prev.kind === 'string' || prev.text === ')' || prev.text === ']' || prev.text === '}');
      out.push(call ? '(__kts_t({' : '__kts_t({');
      stack.push({ call, nest: 0, keys: [], atField: true });
    } else if (t.text === '}' && top && top.nest === 0) {
      stack.pop();
      const keys = [...new Set(top.keys)].map((k) => `, ${JSON.stringify(k)}`).join('');
      out.push(`}${keys})${top.call ? ')' : ''}`);
    } else {
      out.push(t.text);
      if (top) {
        if (t.text === '(' || t.text === '[' || (t.kind === 'name' && blockOpeners.has(t.text))) top.nest++;
        else if (t.text === ')' || t.text === ']' || (t.kind === 'name' && blockClosers.has(t.text))) top.nest = Math.max(0, top.nest - 1);
        else if (top.nest === 0 && (t.text === ',' || t.text === ';')) top.atField = true;
      }
    }
    prev = t;
  }
  return out.join('');
}
