// Import direction (the layering ARCHITECTURE.md describes): every relative import in src points to
// the same layer or one below, no two modules import each other (directly or around a loop), and no
// production module imports a test or a test helper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** low to high; a module may import its own layer or lower ones */
const layers: string[][] = [
  ['storage', 'apimachinery'],
  ['apis'],
  ['runtime'],
  // the API server runs its in-process controllers (GC, namespaces, CRDs) on the runtime
  ['apiserver'],
  // aggregated: the cluster proxy the control plane mounts beside its API server; search: karmada-search's cache and proxy, mounted the same way
  ['interpreter', 'overrides', 'scheduler', 'controllers', 'agent', 'membersim', 'aggregated', 'search'],
  ['controlplane', 'controllermanager', 'playground', 'dashboard'],
  ['cli', 'karmadactl'],
];

const srcRoot = dirname(fileURLToPath(import.meta.url));

interface Module {
  path: string;
  imports: string[];
}

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"](\.[^'"]+)['"]/g;

/** relative imports of a source text, as paths from src (`runtime/client.ts`) */
function importsOf(path: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(importPattern)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    out.push(join(dirname(path), spec).replace(/\.js$/, '.ts'));
  }
  return out;
}

function isTest(path: string): boolean {
  return /\.test\.ts$/.test(path);
}

/** test helpers: what tests import to set things up, never production code */
function isTestHelper(path: string): boolean {
  return /(^|\/)(testing\.ts|testing\/)/.test(path) || isTest(path);
}

function layerOf(path: string): number | undefined {
  const top = path.split('/')[0]!.replace(/\.ts$/, '');
  const i = layers.findIndex((l) => l.includes(top));
  return i < 0 ? undefined : i;
}

/** imports that point to a higher layer, or from production code to a test helper */
function violations(modules: Module[]): string[] {
  const out: string[] = [];
  for (const m of modules) {
    if (isTest(m.path) || isTestHelper(m.path)) continue;
    const from = layerOf(m.path);
    for (const target of m.imports) {
      if (isTestHelper(target)) out.push(`${m.path} imports the test helper ${target}`);
      const to = layerOf(target);
      if (from === undefined) out.push(`${m.path} is in no layer`);
      else if (to !== undefined && to > from) out.push(`${m.path} imports ${target}, a higher layer`);
    }
  }
  return out;
}

/** import cycles among production modules (Tarjan's strongly connected components of size > 1) */
function cycles(modules: Module[]): string[][] {
  const graph = new Map(modules.filter((m) => !isTestHelper(m.path)).map((m) => [m.path, m.imports]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) found.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

function loadModules(): Module[] {
  return tsFiles(srcRoot).map((file) => {
    const path = relative(srcRoot, file);
    return { path, imports: importsOf(path, readFileSync(file, 'utf8')) };
  });
}

test('the checks themselves', () => {
  assert.deepEqual(importsOf('runtime/x.ts', "import { a } from '../apis/karmada/work.js';\nimport type { B } from './b.js';\nexport * from \"./c.js\";\nconst m = await import('../d.js');"), [
    'apis/karmada/work.ts',
    'runtime/b.ts',
    'runtime/c.ts',
    'd.ts',
  ]);
  const mods: Module[] = [
    { path: 'apis/a.ts', imports: ['apiserver/server.ts'] },
    { path: 'playground/p.ts', imports: ['storage/etcd/testing.ts', 'runtime/client.ts'] },
    { path: 'controllers/x.ts', imports: ['controllers/y.ts'] },
    { path: 'controllers/y.ts', imports: ['controllers/x.ts'] },
    { path: 'runtime/r.test.ts', imports: ['cli/main.ts'] },
  ];
  assert.deepEqual(violations(mods), ['apis/a.ts imports apiserver/server.ts, a higher layer', 'playground/p.ts imports the test helper storage/etcd/testing.ts']);
  assert.deepEqual(cycles(mods), [['controllers/x.ts', 'controllers/y.ts']]);
  assert.equal(layerOf('apis/karmada/work.ts'), 1);
  assert.equal(layerOf('membersim/controllers/services.ts'), 4);
  assert.equal(layerOf('main.ts'), undefined);
});

test('imports point down: no module imports a higher layer or a test helper', () => {
  assert.deepEqual(violations(loadModules()), []);
});

test('no import cycles', () => {
  assert.deepEqual(cycles(loadModules()), []);
});
