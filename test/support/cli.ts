// Runs karmada-ts or karmadactl from source (as the bin scripts would from dist), or the built
// bin script itself ({ built: true }, after `npm run build`), in a child process.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runToExit, type ProcessResult } from './process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type CliResult = ProcessResult;

export function runCli(cli: 'karmada-ts' | 'karmadactl', args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; built?: boolean } = {}): Promise<CliResult> {
  const entry = join(root, 'src', 'cli', `${cli}.ts`);
  const script = `import(${JSON.stringify(entry)}).then((m) => m.main(['node', ${JSON.stringify(cli)}, ...process.argv.slice(1)])).catch((err) => { process.stderr.write('error: ' + (err instanceof Error ? err.message : String(err)) + '\\n'); process.exit(1); });`;
  const argv = opts.built ? [join(root, 'bin', `${cli}.js`), ...args] : ['--import', 'tsx', '-e', script, '--', ...args];
  return runToExit(process.execPath, argv, { cwd: root, env: { ...process.env, ...opts.env }, timeoutMs: opts.timeoutMs });
}
