// `karmada-ts apiserver` as a child process, for tests that kill it: started from source on a port
// picked at run time; resolves once it prints its URL. Every process started here is SIGKILLed when
// the test process exits, even after a failed assertion.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./karmada-ts-cli.ts', import.meta.url));
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface ApiServerProcess {
  url: string;
  child: ChildProcess;
  /** everything the process wrote to stdout and stderr so far */
  output(): string;
  /** sends the signal (default SIGKILL) and waits for the process to be gone */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ApiServerProcessOptions {
  /** flags for node itself, e.g. ['--cpu-prof'] */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** starts `karmada-ts apiserver --data-dir DIR --port 0 ...extraArgs`; resolves with its URL */
export async function startApiServerProcess(dataDir: string, extraArgs: string[] = [], opts: ApiServerProcessOptions = {}): Promise<ApiServerProcess> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', cli, 'apiserver', '--data-dir', dataDir, '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => running.delete(child));
  let out = '';
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`apiserver did not start within ${timeoutMs}ms:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      const m = /listening on (https:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`apiserver exited (code ${code}, signal ${signal}) before listening:\n${out}`));
    });
  }).catch(async (err: unknown) => {
    await kill();
    throw err;
  });
  return { url, child, output: () => out, kill };
}
