// Cluster taints as `karmadactl taint` and `karmadactl cordon|uncordon` change them
// (pkg/karmadactl/taint, pkg/karmadactl/cordon; kubectl's taint parsing): pure functions over
// spec.taints, the commands read the Cluster, call these, and merge-patch spec.taints.
import { isQualifiedName, isValidLabelValue } from '../apimachinery/validation.js';
import { isTaintEffect, TaintClusterUnschedulable, type Taint as ClusterTaint } from '../apis/karmada/cluster.js';

/** a cluster's taint, or one the command line names: `key-` removes every effect, its effect is empty */
export type Taint = Omit<ClusterTaint, 'effect'> & { effect: string };

function checkKey(key: string, spec: string): void {
  if (isQualifiedName(key).length) throw new Error(`invalid taint spec: ${spec}, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
}

function checkEffect(effect: string, spec: string): void {
  if (!isTaintEffect(effect)) throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`);
  void spec;
}

/** kubectl's ParseTaints: `key=value:Effect` / `key:Effect` to add, `key:Effect-` / `key-` to remove */
export function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const body = spec.slice(0, -1);
      const colon = body.indexOf(':');
      const key = colon < 0 ? body : body.slice(0, colon);
      const effect = colon < 0 ? '' : body.slice(colon + 1);
      checkKey(key, spec);
      if (effect) checkEffect(effect, spec);
      remove.push({ key, effect });
      continue;
    }
    const colon = spec.lastIndexOf(':');
    if (colon < 0) throw new Error(`invalid taint spec: ${spec}`);
    const kv = spec.slice(0, colon);
    const effect = spec.slice(colon + 1);
    const eq = kv.indexOf('=');
    const key = eq < 0 ? kv : kv.slice(0, eq);
    const value = eq < 0 ? undefined : kv.slice(eq + 1);
    checkKey(key, spec);
    if (value !== undefined && isValidLabelValue(value).length) throw new Error(`invalid taint spec: ${spec}, a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`);
    checkEffect(effect, spec);
    const id = `${key}:${effect}`;
    if (seen.has(id)) throw new Error(`duplicated taints with the same key and effect: ${JSON.stringify({ key, value: value ?? '', effect })}`);
    seen.add(id);
    add.push({ key, ...(value ? { value } : {}), effect });
  }
  return { add, remove };
}

const matches = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

type TaintOperation = 'tainted' | 'untainted' | 'modified';

/**
 * The cluster's new taints: the added ones (replacing same key+effect only with overwrite), the old
 * ones kept, the removed ones dropped; errors as Karmada's when a taint exists without --overwrite,
 * when a removed taint is missing, or when one command both adds and removes a key.
 */
export function updateTaints(clusterName: string, old: Taint[], add: Taint[], remove: Taint[], overwrite: boolean): { taints: Taint[]; operation: TaintOperation } {
  const conflicts = remove.filter((r) => add.some((a) => a.key === r.key && (!r.effect || a.effect === r.effect)));
  if (conflicts.length) throw new Error(`can not both modify and remove the following taint(s) in the same command: ${conflicts.map((c) => JSON.stringify({ [c.key]: c.effect })).join(', ')}`);
  if (!overwrite) {
    const exists = add.filter((a) => old.some((o) => matches(a, o))).map((a) => a.key);
    if (exists.length) throw new Error(`cluster ${clusterName} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`);
  }
  let taints: Taint[] = [...add, ...old.filter((o) => !add.some((a) => matches(a, o)))];
  let deleted = false;
  const missing: string[] = [];
  for (const r of remove) {
    const before = taints.length;
    taints = taints.filter((t) => (r.effect ? !matches(t, r) : t.key !== r.key));
    if (taints.length === before) missing.push(`taint "${r.effect ? `${r.key}:${r.effect}` : r.key}" not found`);
    else deleted = true;
  }
  if (missing.length) throw new Error(missing.join(', '));
  const operation: TaintOperation = (add.length && deleted) || overwrite ? 'modified' : add.length ? 'tainted' : 'untainted';
  return { taints, operation };
}

const unschedulableTaint: Taint = { key: TaintClusterUnschedulable, effect: 'NoSchedule' };

/** cordon adds the unschedulable NoSchedule taint, uncordon removes it; undefined: nothing to do */
export function cordonTaints(old: Taint[], cordon: boolean): Taint[] | undefined {
  const has = old.some((t) => matches(t, unschedulableTaint));
  if (cordon === has) return undefined;
  return cordon ? [...old, { ...unschedulableTaint }] : old.filter((t) => !matches(t, unschedulableTaint));
}
