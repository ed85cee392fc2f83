// Key-range helpers shared by the backends. Keys are compared as strings; for the
// ASCII keys Kubernetes uses this is the same as etcd's and SQLite's byte order.

/** the smallest string greater than every string starting with prefix; undefined for '' (no upper bound) */
export function prefixEnd(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const chars = [...prefix];
  const last = chars.pop()!.codePointAt(0)!;
  // incrementing the last code point keeps UTF-8 byte order (UTF-8 preserves code point order)
  return chars.join('') + String.fromCodePoint(last + 1);
}

export function hasPrefix(key: string, prefix: string): boolean {
  return key.startsWith(prefix);
}

/** the lower bound of a list: the prefix or the continue key, whichever is later */
export function rangeStart(prefix: string, startKey: string | undefined): string {
  return startKey !== undefined && startKey > prefix ? startKey : prefix;
}
