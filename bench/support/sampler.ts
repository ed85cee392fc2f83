// A progress line every few seconds during a long benchmark run (cold start, wide): per component its
// RSS and share of a core since the last line, the machine's load, and whatever the scenario adds
// (Works so far, queue depth); keeps each component's peak RSS, so growth over a run can be read.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { mib, type Target } from './playground-target.js';

export interface Sampler {
  /** names the phase the following lines belong to */
  phase(name: string): void;
  /** peak RSS per component seen so far */
  peaks(): Map<string, number>;
  stop(): Promise<void>;
}

const short = (name: string) => name.replace(/^karmada-/, '').replace('controller-manager', 'cm');

export function startSampler(target: Target, everyMs: number, extra?: () => Promise<string>, log: (line: string) => void = (l) => console.error(l)): Sampler {
  const started = performance.now();
  const peak = new Map<string, number>();
  let phase = 'start';
  let last: { at: number; cpu: Map<string, number> } | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      const [cpu, rss, more] = await Promise.all([target.cpu(), target.rss(), extra?.().catch((e: Error) => `(${e.message})`)]);
      const at = performance.now();
      for (const [n, b] of rss) peak.set(n, Math.max(peak.get(n) ?? 0, b));
      // a component restarted since the last line counts its new life's CPU only
      const pct = (n: string, ms: number) => {
        if (!last) return 0;
        const before = last.cpu.get(n) ?? ms;
        return Math.round(((ms >= before ? ms - before : ms) / (at - last.at)) * 100);
      };
      const parts = [...rss].map(([n, b]) => `${short(n)} ${mib(b).replace(' MiB', 'M')}/${pct(n, cpu.get(n) ?? 0)}%`);
      last = { at, cpu };
      log(`  [${((at - started) / 1000).toFixed(0)}s ${phase}] ${parts.join(' ')} load ${loadavg()[0]!.toFixed(1)}${more ? ` | ${more}` : ''}`);
    } catch (err) {
      log(`  [sampler] ${(err as Error).message}`);
    }
  };
  const timer = setInterval(() => {
    if (!stopped) running = running.then(tick);
  }, everyMs);
  return {
    phase: (name) => void (phase = name),
    peaks: () => peak,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
