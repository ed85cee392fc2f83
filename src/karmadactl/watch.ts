// `karmadactl get --watch` across clusters: one `kubectl get --watch` per cluster, run together, their
// lines merged as they come with the cluster in a leading CLUSTER column (one header, from whichever
// cluster prints first), so a change anywhere shows which cluster it happened in.
import { spawn } from 'node:child_process';
import { kubectlArgs, kubectlBinary, type KubectlTarget } from './kubectl.js';

/** the merged-output state: which clusters printed their header already, and whether one header went out */
interface WatchMerge {
  width: number;
  headerShown: boolean;
  seenHeader: Set<string>;
}

export function watchMerge(clusters: string[]): WatchMerge {
  return { width: Math.max('CLUSTER'.length, ...clusters.map((c) => c.length)) + 3, headerShown: false, seenHeader: new Set() };
}

/** the line to print for one line of a cluster's table output (undefined: drop it, a repeated header); pure but for the state */
export function mergeLine(state: WatchMerge, cluster: string, line: string, table: boolean): string | undefined {
  if (!table) return line;
  if (!state.seenHeader.has(cluster)) {
    state.seenHeader.add(cluster);
    if (/^NAME(SPACE)?\s/.test(line)) {
      if (state.headerShown) return undefined;
      state.headerShown = true;
      return 'CLUSTER'.padEnd(state.width) + line;
    }
  }
  return cluster.padEnd(state.width) + line;
}

/** runs the watches until each kubectl exits (Ctrl-C ends them all); the worst exit code */
export function watchClusters(targets: { cluster: string; target: KubectlTarget }[], args: string[], table: boolean, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const state = watchMerge(targets.map((t) => t.cluster));
  return Promise.all(
    targets.map(
      ({ cluster, target }) =>
        new Promise<number>((resolve) => {
          const child = spawn(kubectlBinary(), kubectlArgs(target, args), { stdio: ['ignore', 'pipe', 'pipe'] });
          let pending = '';
          child.stdout.on('data', (d: Buffer) => {
            pending += d.toString('utf8');
            const lines = pending.split('\n');
            pending = lines.pop() ?? '';
            for (const l of lines) {
              const merged = mergeLine(state, cluster, l, table);
              if (merged !== undefined) out(`${merged}\n`);
            }
          });
          child.stderr.on('data', (d: Buffer) => err(`cluster(${cluster}): ${d.toString('utf8')}`));
          child.on('error', () => resolve(1));
          child.on('close', (code) => resolve(code ?? 1));
        }),
    ),
  ).then((codes) => Math.max(0, ...codes));
}
