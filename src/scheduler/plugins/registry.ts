// The in-tree plugins in Karmada's registry order (filters run in this order and stop at the first failure).
import type { Plugin } from '../framework/types.js';
import { apiEnablement } from './apienablement/index.js';
import { clusterAffinity } from './clusteraffinity/index.js';
import { clusterEviction } from './clustereviction/index.js';
import { clusterLocality } from './clusterlocality/index.js';
import { spreadConstraint } from './spreadconstraint/index.js';
import { taintToleration } from './tainttoleration/index.js';
import { workloadAffinity, workloadAntiAffinity } from './workloadaffinity/index.js';

// Karmada registers the two workload affinity plugins only under the WorkloadAffinity gate; here they
// are always there and pass every cluster unless the binding carries workloadAffinityGroups (which
// only the detector's workloadAffinity option, or a hand-written binding, puts there).
const inTreePlugins: readonly Plugin[] = [apiEnablement, taintToleration, clusterAffinity, spreadConstraint, clusterLocality, clusterEviction, workloadAntiAffinity, workloadAffinity];

/**
 * The plugins enabled by a `--plugins` style list: `*` for all, `-Name` to disable one, `Name` to
 * enable only the named ones (with `*`, names just confirm).
 */
export function enabledPlugins(list: string[] = ['*']): Plugin[] {
  const all = list.includes('*');
  const disabled = new Set(list.filter((s) => s.startsWith('-')).map((s) => s.slice(1)));
  const named = new Set(list.filter((s) => s !== '*' && !s.startsWith('-')));
  return inTreePlugins.filter((p) => !disabled.has(p.name) && (all || named.has(p.name)));
}
