// Karmada's third-party customization testdata, as our fixtures (test/fixtures/interpreter), through
// the real karmadactl binary: `karmadactl interpret --operation OP` in built-in mode (no -f), with
// the case's objects written to --desired-file / --observed-file / --status-file, and what it
// prints compared with the case's expected output. Needs `npm run build`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { runCli } from '../support/cli.js';

interface Case {
  case: string;
  operation: string;
  desired?: unknown;
  observed?: unknown;
  statusItems?: unknown[];
  desiredReplica?: number;
  output: Record<string, unknown>;
}

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'interpreter');
const files = readdirSync(fixtures).filter((f) => f.endsWith('.yaml')).sort();

/** printExecuteResult's layout: `---`, `# [i/n] name:`, then the value as YAML */
export function parsePrinted(stdout: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const parts = stdout.split(/^---\n# \[\d+\/\d+\] (\w+):\n/m);
  for (let i = 1; i + 1 < parts.length; i += 2) out[parts[i]!] = parse(parts[i + 1]!);
  return out;
}

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'interp-testdata-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function run(c: Case): Promise<Record<string, unknown>> {
  const id = n++;
  const args = ['interpret', '--operation', c.operation];
  const write = (flag: string, value: unknown) => {
    const path = join(dir, `${id}-${flag}.yaml`);
    writeFileSync(path, stringify(value));
    args.push(`--${flag}`, path);
  };
  if (c.desired !== undefined) write('desired-file', c.desired);
  if (c.observed !== undefined) write('observed-file', c.observed);
  if (c.statusItems !== undefined) write('status-file', c.statusItems);
  if (c.desiredReplica !== undefined) args.push('--desired-replica', String(c.desiredReplica));
  const r = await runCli('karmadactl', args, { built: true, timeoutMs: 120_000 });
  assert.equal(r.stderr, '', `karmadactl ${args.join(' ')}`);
  assert.equal(r.code, 0);
  return parsePrinted(r.stdout);
}

// one process per case: a few at a time keep both cores busy
describe('karmadactl interpret on Karmada\'s third-party testdata', { concurrency: 4 }, () => {
  for (const file of files) {
    const cases = parseAllDocuments(readFileSync(join(fixtures, file), 'utf8')).map((d) => d.toJS() as Case).filter((c) => c?.operation);
    for (const c of cases) {
      test(`${file}: ${c.operation}: ${c.case}`, async () => {
        const printed = await run(c);
        for (const [name, want] of Object.entries(c.output)) assert.deepEqual(printed[name], want, `${name} of ${c.case}`);
      });
    }
  }
});
