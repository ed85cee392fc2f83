// A unified diff of two texts by lines (what `diff -u` prints), for the overrides a member's copy
// of a template received: template on the - side, rendered manifest on the + side.

type Op = { kind: ' ' | '-' | '+'; line: string };

/** the shortest edit script by longest common subsequence (manifests are small: O(n*m) is fine) */
function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) ops.push({ kind: '-', line: a[i++]! });
    else ops.push({ kind: '+', line: b[j++]! });
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}

function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** `--- from` / `+++ to` and @@ hunks with `context` lines around each change; '' when equal */
export function unifiedDiff(before: string, after: string, from: string, to: string, context = 3): string {
  const ops = editScript(lines(before), lines(after));
  if (!ops.some((o) => o.kind !== ' ')) return '';
  const out = [`--- ${from}`, `+++ ${to}`];
  // positions (1-based) in each file before each op
  const posA: number[] = [];
  const posB: number[] = [];
  let a = 1;
  let b = 1;
  for (const o of ops) {
    posA.push(a);
    posB.push(b);
    if (o.kind !== '+') a++;
    if (o.kind !== '-') b++;
  }
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // extend the hunk while the next change is within 2*context unchanged lines
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    const aStart = aLen === 0 ? posA[start]! - 1 : posA[start]!;
    const bStart = bLen === 0 ? posB[start]! - 1 : posB[start]!;
    out.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
    k = stop;
  }
  return `${out.join('\n')}\n`;
}
