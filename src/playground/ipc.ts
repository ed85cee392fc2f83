// The playground's components as child processes of the one `karmada-ts up` (as local-up runs
// karmada-apiserver, karmada-controller-manager, karmada-scheduler and the member clusters as their
// own processes): fork, a ready handshake, request/reply over the IPC channel, orderly stop, and a
// child that exits when its parent is gone, so nothing outlives `up`.
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** what the parent asks a component to be */
interface InitMessage {
  type: 'init';
  role: string;
  args: unknown;
}

type ToChild = InitMessage | { type: 'stop' } | { type: 'call'; id: number; op: string; args: unknown };
type ToParent = { type: 'ready'; info: unknown } | { type: 'failed'; message: string } | { type: 'reply'; id: number; ok: boolean; value?: unknown; error?: string };

/** CPU and memory of one process, as the bench and `member list` report them */
export interface ProcessUsage {
  pid: number;
  rssBytes: number;
  heapUsedBytes: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

export function processUsage(): ProcessUsage {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { pid: process.pid, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 };
}

/**
 * The node flags a component needs to load the same code as its parent: loaders (tsx when run
 * from source), profiling and memory flags; never --eval, --test or --inspect, which would make the
 * child something else or fight over a port.
 */
export function childExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  const withValue = new Set(['--import', '--loader', '--experimental-loader', '--require', '-r', '--cpu-prof-dir', '--heap-prof-dir', '--max-old-space-size']);
  const keep = /^--(import|loader|experimental-loader|require|cpu-prof|heap-prof|max-old-space-size|enable-source-maps|no-warnings|stack-trace-limit)(=|$|-)/;
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    if (withValue.has(a)) {
      if (i + 1 < execArgv.length) out.push(a, execArgv[i + 1]!);
      i++;
    } else if (keep.test(a)) out.push(a);
  }
  return out;
}

const here = fileURLToPath(import.meta.url);
/** component-main beside this file, .ts when running from source, .js from dist */
const componentEntry = join(dirname(here), `component-main${extname(here)}`);

interface ComponentExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** one component running in a child process */
export class ComponentProcess<Info = unknown> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private stopping = false;
  readonly exited: Promise<ComponentExit>;

  private constructor(
    readonly role: string,
    private readonly child: ChildProcess,
    readonly info: Info,
    exited: Promise<ComponentExit>,
  ) {
    this.exited = exited;
    child.on('message', (m: ToParent) => {
      if (m.type !== 'reply') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error ?? `${role}: call failed`));
    });
    void exited.then((e) => {
      for (const p of this.pending.values()) p.reject(new Error(`${role} exited (${e.signal ?? `code ${e.code}`})`));
      this.pending.clear();
    });
  }

  /** forks the component and resolves once it says it is ready (rejects with its reason if it fails to start) */
  static start<Info>(role: string, args: unknown, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<ComponentProcess<Info>> {
    const child = fork(componentEntry, [role], {
      execArgv: childExecArgv(process.execArgv),
      // Ctrl-C reaches the whole process group: the children ignore SIGINT and the parent stops them in order
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...opts.env },
      serialization: 'advanced',
    });
    const exited = new Promise<ComponentExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    return new Promise((resolve, reject) => {
      const onMessage = (m: ToParent) => {
        if (m.type === 'ready') {
          child.off('message', onMessage);
          resolve(new ComponentProcess<Info>(role, child, m.info as Info, exited));
        } else if (m.type === 'failed') {
          child.off('message', onMessage);
          reject(new Error(`${role}: ${m.message}`));
        }
      };
      child.on('message', onMessage);
      child.once('error', reject);
      void exited.then((e) => reject(new Error(`${role} exited before it was ready (${e.signal ?? `code ${e.code}`})`)));
      child.send({ type: 'init', role, args } satisfies ToChild);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** true once stop() was called: an exit after that is no crash */
  get isStopping(): boolean {
    return this.stopping;
  }

  call<T = unknown>(op: string, args?: unknown): Promise<T> {
    if (!this.child.connected) return Promise.reject(new Error(`${this.role} is not running`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ type: 'call', id, op, args } satisfies ToChild);
    });
  }

  /** asks the component to stop cleanly; kills it when it has not exited after `graceMs` */
  async stop(graceMs = 15_000): Promise<ComponentExit> {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      if (this.child.connected) this.child.send({ type: 'stop' } satisfies ToChild);
      else this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      const e = await this.exited;
      clearTimeout(timer);
      return e;
    }
    return this.exited;
  }
}

/** the child side: what a component does on init, on calls, and on stop */
interface ComponentServer {
  init(args: unknown): Promise<{ info: unknown; call?: (op: string, args: unknown) => Promise<unknown>; stop(): Promise<void> }>;
}

/** runs in the child: waits for init, serves calls, stops on request, on SIGTERM or when the parent is gone */
export function serveComponent(roles: Record<string, ComponentServer['init']>): void {
  if (!process.send) throw new Error('a playground component runs as a child of `karmada-ts up`');
  const send = (m: ToParent) => process.connected && process.send!(m);
  let stop: (() => Promise<void>) | undefined;
  let call: ((op: string, args: unknown) => Promise<unknown>) | undefined;
  let exiting = false;
  const exit = (code: number) => {
    if (exiting) return;
    exiting = true;
    const done = () => process.exit(code);
    // a component that cannot stop within 10 s is stuck: leave anyway
    setTimeout(done, 10_000).unref();
    void (stop ? stop() : Promise.resolve()).catch((err: Error) => process.stderr.write(`stopping: ${err.message}\n`)).finally(done);
  };
  process.on('SIGINT', () => {});
  process.once('SIGTERM', () => exit(0));
  process.once('disconnect', () => exit(0));
  process.on('message', (m: ToChild) => {
    if (m.type === 'init') {
      const init = roles[m.role];
      if (!init) {
        send({ type: 'failed', message: `unknown component ${JSON.stringify(m.role)}` });
        return exit(1);
      }
      init(m.args).then(
        (c) => {
          stop = c.stop;
          call = c.call;
          send({ type: 'ready', info: c.info });
        },
        (err: Error) => {
          send({ type: 'failed', message: err.message });
          exit(1);
        },
      );
    } else if (m.type === 'stop') exit(0);
    else if (m.type === 'call') {
      const run = m.op === 'usage' ? Promise.resolve(processUsage()) : call ? call(m.op, m.args) : Promise.reject(new Error(`no operation ${m.op}`));
      run.then(
        (value) => send({ type: 'reply', id: m.id, ok: true, value }),
        (err: Error) => send({ type: 'reply', id: m.id, ok: false, error: err.message }),
      );
    }
  });
}
