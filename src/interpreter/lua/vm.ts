// One Lua 5.4 VM (wasmoon, WebAssembly) holding many compiled scripts, each in its own sandbox.
// Creating the VM is asynchronous; compiling and calling are synchronous, so interpreter
// operations stay plain function calls.
import { LuaFactory, type LuaEngine } from 'wasmoon';
import { orderTableConstructors } from './ordered.js';
import { prelude } from './prelude.js';
import { callHost, type HostOptions } from './kube.js';

/** Lua instructions one call may run before it is stopped (an endless loop in a script). */
export const defaultInstructionBudget = 50_000_000;

/** CPU seconds one call may run (Karmada bounds a script call with a context timeout). */
const defaultTimeoutSeconds = 1;
/** KiB one call may grow the Lua heap by. */
const defaultMemoryLimitKiB = 64 * 1024;

export interface LuaVMOptions extends HostOptions {
  instructionBudget?: number;
  timeoutSeconds?: number;
  memoryLimitKiB?: number;
}

interface Limits {
  steps: number;
  seconds: number;
  kib: number;
}

export class LuaScriptError extends Error {
  override name = 'LuaScriptError';
}

type CompileFn = (id: string, src: string, steps: number, seconds: number, kib: number) => string | null | undefined;
type DefinesFn = (id: string, fname: string) => boolean;
type CallFn = (id: string, fname: string, argsJson: string, steps: number, seconds: number, kib: number) => string;
type DropFn = (id: string) => void;

export class LuaVM {
  private nextId = 0;
  private closed = false;

  private constructor(
    private readonly engine: LuaEngine,
    private readonly limits: Limits,
    private readonly fns: { compile: CompileFn; defines: DefinesFn; call: CallFn; drop: DropFn },
  ) {}

  static async create(opts: LuaVMOptions = {}): Promise<LuaVM> {
    const engine = await new LuaFactory().createEngine({ injectObjects: false, enableProxy: false });
    engine.global.set('__kts_host', (name: string, argsJson: string) => callHost(name, argsJson, opts));
    engine.doStringSync(prelude);
    const get = <T>(name: string) => engine.global.get(name) as T;
    const limits = {
      steps: opts.instructionBudget ?? defaultInstructionBudget,
      seconds: opts.timeoutSeconds ?? defaultTimeoutSeconds,
      kib: opts.memoryLimitKiB ?? defaultMemoryLimitKiB,
    };
    return new LuaVM(engine, limits, {
      compile: get<CompileFn>('__kts_compile'),
      defines: get<DefinesFn>('__kts_defines'),
      call: get<CallFn>('__kts_call'),
      drop: get<DropFn>('__kts_drop'),
    });
  }

  /** Loads a script into a fresh sandbox; returns its handle, or throws LuaScriptError (syntax or top-level error). */
  compile(name: string, source: string): string {
    this.assertOpen();
    const id = `${name}#${this.nextId++}`;
    const err = this.fns.compile(id, orderTableConstructors(source), this.limits.steps, this.limits.seconds, this.limits.kib);
    if (err) throw new LuaScriptError(err);
    return id;
  }

  defines(id: string, fname: string): boolean {
    return !this.closed && this.fns.defines(id, fname) === true;
  }

  /** Calls a function the script defined; returns every value it returned. Throws LuaScriptError. */
  call(id: string, fname: string, args: unknown[]): unknown[] {
    this.assertOpen();
    const reply = JSON.parse(this.fns.call(id, fname, JSON.stringify(args), this.limits.steps, this.limits.seconds, this.limits.kib)) as { ok?: unknown[]; err?: string };
    if (reply.err !== undefined) throw new LuaScriptError(reply.err);
    // an empty Lua table encodes as {}: no results
    return Array.isArray(reply.ok) ? reply.ok : [];
  }

  drop(id: string): void {
    if (!this.closed) this.fns.drop(id);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.global.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new LuaScriptError('the Lua VM is closed');
  }
}
