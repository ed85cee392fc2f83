// Runs filter and score plugins over clusters and keeps every verdict as data for --explain.
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { CycleState, FilterPlugin, FilterResult, ScorePlugin } from './types.js';

export interface FilterVerdict {
  plugin: string;
  code: FilterResult['code'];
  reasons: string[];
}

interface ClusterFilterOutcome {
  cluster: string;
  /** set when the cluster was skipped before filtering (it is being deleted) */
  skipped?: string;
  verdicts: FilterVerdict[];
  feasible: boolean;
}

interface FilterRun {
  feasible: Cluster[];
  /** first failing result per rejected cluster: what the FitError message counts */
  diagnosis: Map<string, FilterResult>;
  outcomes: ClusterFilterOutcome[];
}

export interface RunOptions {
  /** run every filter on every cluster to report each verdict (Karmada stops at the first failure) */
  allVerdicts?: boolean;
}

export function runFilters(plugins: FilterPlugin[], state: CycleState, clusters: Cluster[], opts: RunOptions = {}): FilterRun {
  const feasible: Cluster[] = [];
  const diagnosis = new Map<string, FilterResult>();
  const outcomes: ClusterFilterOutcome[] = [];
  for (const cluster of clusters) {
    const name = cluster.metadata.name;
    // A deleting cluster is being cleaned of its results; it must not receive new ones.
    if (cluster.metadata.deletionTimestamp) {
      outcomes.push({ cluster: name, skipped: 'cluster is being deleted', verdicts: [], feasible: false });
      continue;
    }
    const verdicts: FilterVerdict[] = [];
    let first: FilterResult | undefined;
    for (const p of plugins) {
      const r = p.filter(state, cluster);
      if (opts.allVerdicts) verdicts.push({ plugin: p.name, code: r.code, reasons: r.reasons });
      if (r.code !== 'Success' && !first) {
        first = r;
        if (!opts.allVerdicts) {
          verdicts.push({ plugin: p.name, code: r.code, reasons: r.reasons });
          break;
        }
      }
    }
    if (first) diagnosis.set(name, first);
    else feasible.push(cluster);
    outcomes.push({ cluster: name, verdicts, feasible: !first });
  }
  return { feasible, diagnosis, outcomes };
}

interface ClusterScore {
  cluster: Cluster;
  /** sum over score plugins */
  score: number;
  /** per plugin, when collected */
  byPlugin?: Record<string, number>;
}

export function runScores(plugins: ScorePlugin[], state: CycleState, clusters: Cluster[], opts: RunOptions = {}): ClusterScore[] {
  return clusters.map((cluster) => {
    let score = 0;
    const byPlugin: Record<string, number> | undefined = opts.allVerdicts ? {} : undefined;
    for (const p of plugins) {
      const s = p.score(state, cluster);
      score += s;
      if (byPlugin) byPlugin[p.name] = s;
    }
    return byPlugin ? { cluster, score, byPlugin } : { cluster, score };
  });
}
