// Runs karmada-ts or karmadactl from source (as the bin scripts would from dist), or the built
// bin script itself ({ built: true }, after `npm run build`), in a child process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(cli: 'karmada-ts' | 'karmadactl', args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; built?: boolean } = {}): Promise<CliResult> {
  const entry = join(root, 'src', 'cli', `${cli}.ts`);
  const script = `import(${JSON.stringify(entry)}).then((m) => m.main(['node', ${JSON.stringify(cli)}, ...process.argv.slice(1)])).catch((err) => { process.stderr.write('error: ' + (err instanceof Error ? err.message : String(err)) + '\\n'); process.exit(1); });`;
  const argv = opts.built ? [join(root, 'bin', `${cli}.js`), ...args] : ['--import', 'tsx', '-e', script, '--', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: root, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
