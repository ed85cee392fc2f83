// `karmada-ts up` as a child process (one process per component, as a user runs it), for tests and
// benchmarks that must see the real process layout: resolves once it prints `karmada-ts is ready`.
// Every process started here is SIGKILLed when this process exits, even after a failed assertion.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ComponentUsage } from '../../src/playground/playground.js';
import { controlRequest } from '../../src/playground/playground.js';

const cli = fileURLToPath(new URL('./karmada-ts-cli.ts', import.meta.url));
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface PlaygroundProcess {
  child: ChildProcess;
  dataDir: string;
  karmadaConfig: string;
  membersConfig: string;
  /** everything it wrote to stdout and stderr so far */
  output(): string;
  /** pid, RSS and CPU of each component, from the playground's control endpoint */
  components(): Promise<ComponentUsage[]>;
  /** sends the signal (default SIGINT, as Ctrl-C) and resolves with the exit code once it is gone */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface PlaygroundProcessOptions {
  /** extra `up` flags, e.g. ['--config', file, '--storage', 'memory'] */
  args?: string[];
  /** flags for node itself, e.g. ['--cpu-prof'] (the components inherit them) */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** run dist/cli (after `npm run build`) instead of the sources through tsx */
  dist?: boolean;
}

export async function startPlaygroundProcess(dataDir: string, kubeconfigDir: string, opts: PlaygroundProcessOptions = {}): Promise<PlaygroundProcess> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const entry = opts.dist ? [fileURLToPath(new URL('../../bin/karmada-ts.js', import.meta.url))] : ['--import', 'tsx', cli];
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...entry, 'up', '--data-dir', dataDir, '--kubeconfig-dir', kubeconfigDir, ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  running.add(child);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  void exited.then(() => running.delete(child));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const kill = async (signal: NodeJS.Signals = 'SIGINT') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`karmada-ts up was not ready within ${timeoutMs}ms:\n${out}`)), timeoutMs);
    const onData = () => {
      if (out.includes('karmada-ts is ready')) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`karmada-ts up exited (code ${code}, signal ${signal}) before it was ready:\n${out}`));
    });
  }).catch(async (err: unknown) => {
    await kill('SIGKILL');
    throw err;
  });
  const karmadaConfig = join(kubeconfigDir, 'karmada.config');
  const membersConfig = join(kubeconfigDir, 'members.config');
  return {
    child,
    dataDir,
    karmadaConfig,
    membersConfig,
    output: () => out,
    components: async () => ((await controlRequest(dataDir, 'GET', '/components')) as { components: ComponentUsage[] }).components,
    kill,
  };
}

