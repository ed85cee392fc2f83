// `karmadactl apply --all-clusters | -C a,b` (pkg/karmadactl/apply): apply the manifests and, for each
// object, a PropagationPolicy (ClusterPropagationPolicy for cluster-scoped kinds) named as Karmada's
// names.GeneratePolicyName, selecting it and placing it on every cluster or on the ones given. The
// objects and the policies go to kubectl apply together, so its output lists both.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../apimachinery/types.js';
import { policyApiVersion } from '../apis/karmada/policy.js';
import { hashString } from '../controllers/binding/names.js';

/** Go's schema.GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=ConfigMap` */
export function gvkString(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return `${group}/${version}, Kind=${kind}`;
}

/** names.GeneratePolicyName */
export function generatePolicyName(namespace: string, name: string, gvk: string): string {
  return `${name.replaceAll(':', '.')}-${hashString(namespace + gvk)}`.toLowerCase();
}

/** the policy Karmada's apply adds for obj; namespace is the one obj is applied in ('' when cluster-scoped) */
export function propagationPolicyFor(obj: KubeObject, namespace: string, placement: { allClusters: true } | { clusters: string[] }): KubeObject {
  const name = obj.metadata.name!;
  const selector: Record<string, string> = { apiVersion: obj.apiVersion!, kind: obj.kind!, name };
  if (namespace) selector.namespace = namespace;
  const clusterAffinity = 'clusters' in placement ? { clusterNames: placement.clusters } : {};
  const policyName = generatePolicyName(namespace, name, gvkString(obj.apiVersion!, obj.kind!));
  return {
    apiVersion: policyApiVersion,
    kind: namespace ? 'PropagationPolicy' : 'ClusterPropagationPolicy',
    metadata: namespace ? { name: policyName, namespace } : { name: policyName },
    spec: { resourceSelectors: [selector], placement: { clusterAffinity } },
  };
}

/** the objects in -f files, directories (with -R their subdirectories), `-` (stdin text given) or URLs (their text in fetched) */
export function loadManifests(filenames: string[], opts: { recursive?: boolean; stdin?: () => string; fetched?: Map<string, string> } = {}): { source: string; objects: KubeObject[] }[] {
  const out: { source: string; objects: KubeObject[] }[] = [];
  const readText = (source: string, text: string) => {
    const objects: KubeObject[] = [];
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) throw new Error(`error parsing ${source}: ${doc.errors[0]!.message}`);
      const v = doc.toJS() as KubeObject | null;
      if (v === null || v === undefined) continue;
      if (typeof v !== 'object' || !v.apiVersion || !v.kind) throw new Error(`error validating "${source}": apiVersion and kind not set`);
      if ((v.kind as string).endsWith('List') && Array.isArray((v as { items?: unknown }).items)) objects.push(...((v as unknown as { items: KubeObject[] }).items));
      else objects.push(v);
    }
    out.push({ source, objects });
  };
  const visit = (path: string, top: boolean) => {
    if (path === '-') return readText('STDIN', opts.stdin ? opts.stdin() : readFileSync(0, 'utf8'));
    const remote = opts.fetched?.get(path);
    if (remote !== undefined) return readText(path, remote);
    let st;
    try {
      st = statSync(path);
    } catch {
      throw new Error(`the path "${path}" does not exist`);
    }
    if (st.isDirectory()) {
      if (!top && !opts.recursive) return;
      for (const f of readdirSync(path).sort()) {
        const p = join(path, f);
        if (statSync(p).isDirectory()) visit(p, false);
        else if (/\.(ya?ml|json)$/.test(f)) visit(p, false);
      }
      return;
    }
    readText(path, readFileSync(path, 'utf8'));
  };
  for (const f of filenames) visit(f, true);
  return out;
}

/** every YAML document of a file (for --status-file's AggregatedStatusItems); a list document gives its items */
export function loadDocuments(path: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch {
    throw new Error(`the path "${path}" does not exist`);
  }
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`error parsing ${path}: ${doc.errors[0]!.message}`);
    const v = doc.toJS() as unknown;
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

/** the manifests and their policies as one YAML stream for kubectl apply -f - */
export function applyStream(objects: KubeObject[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

/** the text of every http(s) -f argument, read before the manifests are parsed */
export async function fetchRemote(filenames: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of filenames.filter((x) => /^https?:\/\//.test(x))) {
    const r = await fetch(f, { signal: AbortSignal.timeout(30_000) }).catch((err: Error) => {
      throw new Error(`unable to read URL "${f}": ${err.message}`);
    });
    if (!r.ok) throw new Error(`unable to read URL "${f}", server reported ${r.status} ${r.statusText}, status code=${r.status}`);
    out.set(f, await r.text());
  }
  return out;
}
