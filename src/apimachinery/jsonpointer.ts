// RFC 6901 JSON pointers (checking, splitting, escaping, reading), as used by overriders and their admission checks.

/** Why `pointer` is not an RFC 6901 JSON pointer, or undefined when it is ('' points at the whole document). */
export function pointerProblem(pointer: string): string | undefined {
  if (pointer !== '' && !pointer.startsWith('/')) return 'JSON pointer must be empty or start with a "/"';
  if (/~(?![01])/.test(pointer)) return 'JSON pointer has "~" not followed by "0" or "1"';
  return undefined;
}

/** The unescaped reference tokens of a pointer: "/data/a~1b" → ["data", "a/b"]. */
export function pointerTokens(pointer: string): string[] {
  const problem = pointerProblem(pointer);
  if (problem) throw new Error(`${JSON.stringify(pointer)}: ${problem}`);
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(tokens: readonly string[]): string {
  return tokens.map((t) => '/' + escapeToken(t)).join('');
}

/** The value at `pointer`, or `found: false` when some step does not exist. */
export function getAt(doc: unknown, pointer: string): { found: true; value: unknown } | { found: false; missing: string } {
  let cur: unknown = doc;
  const tokens = pointerTokens(pointer);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(t) || Number(t) >= cur.length) return { found: false, missing: joinPointer(tokens.slice(0, i + 1)) };
      cur = cur[Number(t)];
    } else if (cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, t)) {
      cur = (cur as Record<string, unknown>)[t];
    } else {
      return { found: false, missing: joinPointer(tokens.slice(0, i + 1)) };
    }
  }
  return { found: true, value: cur };
}
