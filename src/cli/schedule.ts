// `karmada-ts schedule --clusters CLUSTERS.yaml --binding BINDING.yaml [-o yaml|json] [--explain]`:
// runs the real scheduler offline and prints the binding as the scheduler would leave it. The
// clusters file may also hold already scheduled ResourceBindings (for workload affinity groups).
import { readFile } from 'node:fs/promises';
import { parseAllDocuments, stringify } from 'yaml';
import type { Cluster } from '../apis/karmada/cluster.js';
import type { ResourceBinding } from '../apis/karmada/binding.js';
import { peersOf } from '../scheduler/plugins/workloadaffinity/index.js';
import { applyScheduleResult, scheduleBinding } from '../scheduler/schedule.js';

interface ScheduleCommandArgs {
  clusters: string;
  binding: string;
  output?: 'yaml' | 'json';
  explain?: boolean;
}

class InputError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function readDocuments(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const d of list) {
    if (d.errors.length > 0) throw new InputError(`${file}: invalid YAML: ${d.errors[0].message.split('\n')[0]}`);
    const v = d.toJS();
    if (v === null || v === undefined) continue;
    // A List (kind List, ClusterList, ...) contributes its items.
    if (isObject(v) && Array.isArray(v.items) && typeof v.kind === 'string' && v.kind.endsWith('List')) out.push(...v.items);
    else out.push(v);
  }
  return out;
}

function toCluster(file: string, v: unknown, i: number): Cluster {
  const where = `${file}: object ${i + 1}`;
  if (!isObject(v)) throw new InputError(`${where}: not an object`);
  if (v.kind !== undefined && v.kind !== 'Cluster') throw new InputError(`${where}: kind is ${JSON.stringify(v.kind)}, expected Cluster`);
  const meta = v.metadata;
  if (!isObject(meta) || typeof meta.name !== 'string' || meta.name === '') throw new InputError(`${where}: metadata.name is required`);
  if (v.spec !== undefined && !isObject(v.spec)) throw new InputError(`${where} (${meta.name}): spec must be an object`);
  return { ...v, spec: { syncMode: 'Push', ...((v.spec as object) ?? {}) } } as Cluster;
}

function toBinding(file: string, docs: unknown[]): ResourceBinding {
  if (docs.length !== 1) throw new InputError(`${file}: expected exactly one ResourceBinding, found ${docs.length} objects`);
  const v = docs[0];
  if (!isObject(v)) throw new InputError(`${file}: not an object`);
  if (v.kind !== 'ResourceBinding' && v.kind !== 'ClusterResourceBinding') {
    throw new InputError(`${file}: kind is ${JSON.stringify(v.kind)}, expected ResourceBinding or ClusterResourceBinding`);
  }
  if (!isObject(v.metadata)) throw new InputError(`${file}: metadata is required`);
  const spec = v.spec;
  if (!isObject(spec)) throw new InputError(`${file}: spec is required`);
  const res = spec.resource;
  if (!isObject(res) || typeof res.apiVersion !== 'string' || typeof res.kind !== 'string') {
    throw new InputError(`${file}: spec.resource with apiVersion and kind is required`);
  }
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || (spec.replicas as number) < 0)) {
    throw new InputError(`${file}: spec.replicas must be a non-negative integer`);
  }
  if (spec.placement !== undefined && !isObject(spec.placement)) throw new InputError(`${file}: spec.placement must be an object`);
  return v as unknown as ResourceBinding;
}

/** Returns 0 when scheduled, 1 when scheduling failed (the binding still shows why), 2 on bad input. */
export async function runScheduleCommand(
  args: ScheduleCommandArgs,
  out: NodeJS.WritableStream,
  errOut: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let clusters: Cluster[];
  let others: ResourceBinding[] = [];
  let binding: ResourceBinding;
  try {
    if (args.output !== undefined && args.output !== 'yaml' && args.output !== 'json') {
      throw new InputError(`unknown output format ${JSON.stringify(args.output)}: use yaml or json`);
    }
    // ResourceBindings among the clusters are the bindings already scheduled (workload affinity groups)
    const docs = await readDocuments(args.clusters);
    const isBinding = (v: unknown) => isObject(v) && (v.kind === 'ResourceBinding' || v.kind === 'ClusterResourceBinding');
    clusters = docs.map((v, i) => (isBinding(v) ? undefined : toCluster(args.clusters, v, i))).filter((c): c is Cluster => c !== undefined);
    others = docs.filter(isBinding) as ResourceBinding[];
    binding = toBinding(args.binding, await readDocuments(args.binding));
  } catch (e) {
    if (e instanceof InputError) {
      errOut.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const now = new Date();
  const result = scheduleBinding(binding, clusters, { explain: args.explain ?? false, now: () => now, ...(others.length > 0 ? { peers: peersOf(others) } : {}) });
  const scheduled = applyScheduleResult(binding, result, now);
  const docs: unknown[] = [scheduled];
  if (args.explain) docs.push({ apiVersion: 'karmada-ts.io/v1alpha1', kind: 'ScheduleExplanation', attempts: result.explain.attempts });
  if (args.output === 'json') {
    const body = docs.length === 1 ? docs[0] : { apiVersion: 'v1', kind: 'List', metadata: {}, items: docs };
    out.write(JSON.stringify(body, null, 2) + '\n');
  } else {
    out.write(docs.map((d) => stringify(d)).join('---\n'));
  }
  return result.ok ? 0 : 1;
}
