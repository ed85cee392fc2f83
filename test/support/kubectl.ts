// Drives the real kubectl against a server under test: its own KUBECONFIG and discovery cache dir.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runToExit, type ProcessResult } from './process.js';

/** the folder of the gcloud kubectl dispatcher, which holds kubectl.1.27 ... kubectl.1.33 */
export function kubectlDispatcherDir(): string {
  const which = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  let target = which;
  try {
    target = resolve(dirname(which), readlinkSync(which));
  } catch {
    // not a link
  }
  return dirname(target);
}

/** the kubectl binary of one minor version ("1.27"), or undefined when the dispatcher lacks it */
export function kubectlBinary(version: string): string | undefined {
  const bin = join(kubectlDispatcherDir(), `kubectl.${version}`);
  return existsSync(bin) ? bin : undefined;
}

export type KubectlResult = ProcessResult;

export class Kubectl {
  readonly dir: string;
  readonly kubeconfig: string;

  /** binary: 'kubectl' (the dispatcher) or a specific one such as /usr/lib/google-cloud-sdk/bin/kubectl.1.27 */
  constructor(kubeconfigText: string, readonly binary = 'kubectl') {
    this.dir = mkdtempSync(join(tmpdir(), 'kubectl-'));
    this.kubeconfig = join(this.dir, 'kubeconfig');
    writeFileSync(this.kubeconfig, kubeconfigText, { mode: 0o600 });
  }

  /** runs kubectl; resolves with its exit code and output (never rejects on a non-zero exit) */
  run(args: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return runToExit(this.binary, args, { env: { ...process.env, KUBECONFIG: this.kubeconfig, KUBECACHEDIR: join(this.dir, 'cache'), HOME: this.dir }, ...opts });
  }

  /** runs kubectl and fails with its output when it exits non-zero */
  async ok(args: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  }

  /** starts a long-running kubectl (e.g. get -w) and collects its output until stopped */
  background(args: string[]): { output: () => string; stop: () => Promise<void> } {
    const child = spawn(this.binary, args, {
      env: { ...process.env, KUBECONFIG: this.kubeconfig, KUBECACHEDIR: join(this.dir, 'cache'), HOME: this.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const closed = new Promise<void>((r) => child.on('close', () => r()));
    return {
      output: () => out,
      stop: async () => {
        child.kill('SIGTERM');
        await closed;
      },
    };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** polls until fn returns a truthy value or the time is up */
export async function eventually<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
