// Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions by self time, with file:line.
// The server runs from TypeScript through tsx, so the profile's line numbers are those of the
// transpiled code; for project files the line is looked up in the source by the function's name.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  /** path:line (relative to the working directory for local files) */
  location: string;
  /** self time (topFunctions) or inclusive time (inclusiveFunctions) */
  selfMs: number;
  /** of all samples (topFunctions) or of the busy, non-idle samples (inclusiveFunctions) */
  selfPct: number;
}

export function topFunctions(path: string, limit = 20): HotFunction[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const grouped = new Map<string, HotFunction>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const name = frame.functionName || '(anonymous)';
    const location = locate(frame.url, name, frame.lineNumber);
    const key = `${name}@${location}`;
    const entry = grouped.get(key) ?? { name, location, selfMs: 0, selfPct: 0 };
    entry.selfMs += us / 1000;
    entry.selfPct = (entry.selfMs * 1000 * 100) / total;
    grouped.set(key, entry);
  }
  return [...grouped.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, limit);
}

/**
 * Functions ranked by inclusive time (themselves and everything they called), counted once per
 * sample even when recursive; `only` keeps the functions whose location starts with it (e.g. 'src/').
 */
export function inclusiveFunctions(path: string, limit = 20, only = ''): HotFunction[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = new Map<number, { key: string; name: string; location: string }>();
  for (const n of profile.nodes) {
    const name = n.callFrame.functionName || '(anonymous)';
    const location = locate(n.callFrame.url, name, n.callFrame.lineNumber);
    keyOf.set(n.id, { key: `${name}@${location}`, name, location });
  }
  let busy = 0;
  const totals = new Map<string, HotFunction>();
  profile.samples.forEach((leaf, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const leafName = byId.get(leaf)?.callFrame.functionName;
    if (leafName === '(idle)') return;
    busy += us;
    const seen = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const k = keyOf.get(id)!;
      if (seen.has(k.key)) continue;
      seen.add(k.key);
      const entry = totals.get(k.key) ?? { name: k.name, location: k.location, selfMs: 0, selfPct: 0 };
      entry.selfMs += us / 1000;
      totals.set(k.key, entry);
    }
  });
  return [...totals.values()]
    .filter((f) => f.location.startsWith(only))
    .map((f) => ({ ...f, selfPct: (f.selfMs * 1000 * 100) / (busy || 1) }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, limit);
}

const sourceCache = new Map<string, string[] | undefined>();

function locate(url: string, name: string, line0: number): string {
  if (!url) return '(native)';
  if (!url.startsWith('file://')) return `${url}:${line0 + 1}`;
  const file = fileURLToPath(url);
  const shown = relative(process.cwd(), file);
  if (!file.endsWith('.ts') || file.includes('node_modules') || !existsSync(file)) return `${shown}:${line0 + 1}`;
  if (!sourceCache.has(file)) sourceCache.set(file, readFileSync(file, 'utf8').split('\n'));
  const lines = sourceCache.get(file)!;
  const bare = name.replace(/^.*\./, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const definition = new RegExp(`(function\\s+${bare}\\b|^\\s*(?:(?:private|public|protected|static|async|readonly|get|set)\\s+)*${bare}\\s*[(<=]|\\b(?:const|let)\\s+${bare}\\s*=)`);
  const found = bare && bare !== '\\(anonymous\\)' ? lines.findIndex((l) => definition.test(l)) : -1;
  return found >= 0 ? `${shown}:${found + 1}` : `${shown}:~${line0 + 1}`;
}
