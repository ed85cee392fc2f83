// What the chaos run must end with, from the acknowledged writes alone: each template in exactly the members
// its PropagationPolicy names, at the spec of its last acknowledged write, one ResourceBinding and one Work
// per member, nothing left of deleted ones (Karmada's detector, binding and execution controllers' contract).

export const chaosNamespace = 'chaos';
/** on every template the generator writes: the label its policies select on, and how leftovers are found */
export const groupLabel = 'chaos.karmada-ts.io/group';

export type TemplateKind = 'Deployment' | 'ConfigMap';

/** the last acknowledged state of one template: present at `version`, or deleted */
export interface TemplateAck {
  kind: TemplateKind;
  name: string;
  group: string;
  present: boolean;
  version: number;
}

/** the last acknowledged state of one group's PropagationPolicy */
export interface PolicyAck {
  group: string;
  present: boolean;
  clusters: string[];
}

/** an object as read back: kind, name and the version its spec carries (undefined: unreadable spec) */
export interface SeenObject {
  kind: string;
  name: string;
  version?: number;
}

export interface Observed {
  /** templates in the control plane */
  templates: SeenObject[];
  /** ResourceBindings: the template each one binds */
  bindings: Array<{ name: string; resource: { kind: string; name: string } }>;
  /** Works per member (from the karmada-es-<member> namespaces): the template each one carries */
  works: Array<{ cluster: string; name: string; resource: { kind: string; name: string } }>;
  /** the generator's objects found in each member */
  members: Record<string, SeenObject[]>;
}

const key = (o: { kind: string; name: string }) => `${o.kind}/${o.name}`;

/** the spec fields a version sets; read back from templates and members alike */
export function templateBody(kind: TemplateKind, name: string, group: string, version: number): Record<string, unknown> {
  const metadata = { name, namespace: chaosNamespace, labels: { [groupLabel]: group } };
  if (kind === 'ConfigMap') return { apiVersion: 'v1', kind, metadata, data: { v: String(version) } };
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata,
    spec: {
      replicas: (version % 3) + 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: `registry.local/chaos:v${version}` }] } },
    },
  };
}

/** the version an object's spec says, or undefined when the fields disagree (a half-applied spec) */
export function versionOf(obj: { kind?: string; data?: Record<string, string>; spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } } }): number | undefined {
  if (obj.kind === 'ConfigMap') {
    const v = Number(obj.data?.v);
    return Number.isInteger(v) ? v : undefined;
  }
  const m = /:v(\d+)$/.exec(obj.spec?.template?.spec?.containers?.[0]?.image ?? '');
  if (!m) return undefined;
  const v = Number(m[1]);
  return obj.spec?.replicas === (v % 3) + 1 ? v : undefined;
}

function countBy<T>(items: T[], k: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(k(i), (m.get(k(i)) ?? 0) + 1);
  return m;
}

/** every way the observed state differs from what the acknowledged writes demand; empty once converged */
export function convergenceProblems(templates: TemplateAck[], policies: PolicyAck[], seen: Observed): string[] {
  const problems: string[] = [];
  const policyOf = new Map(policies.map((p) => [p.group, p]));
  const expectedIn = (t: TemplateAck): string[] => {
    const p = policyOf.get(t.group);
    return t.present && p?.present ? [...p.clusters].sort() : [];
  };
  const acked = new Map(templates.map((t) => [key(t), t]));

  const cpCount = countBy(seen.templates, key);
  const cp = new Map(seen.templates.map((o) => [key(o), o]));
  for (const t of templates) {
    const got = cp.get(key(t));
    if (t.present && !got) problems.push(`${key(t)}: acknowledged at v${t.version} but missing from the control plane`);
    else if (!t.present && got) problems.push(`${key(t)}: deletion acknowledged but still in the control plane`);
    else if (got && got.version !== t.version) problems.push(`${key(t)}: control plane holds v${got.version ?? '?'}, last acknowledged v${t.version}`);
  }
  for (const o of seen.templates) if (!acked.has(key(o))) problems.push(`${key(o)}: in the control plane but never acknowledged`);
  for (const [k, n] of cpCount) if (n > 1) problems.push(`${k}: ${n} templates`);

  const rbCount = countBy(seen.bindings, (b) => key(b.resource));
  for (const t of templates) {
    const n = rbCount.get(key(t)) ?? 0;
    const want = expectedIn(t).length ? 1 : 0;
    if (n > 1) problems.push(`${key(t)}: ${n} ResourceBindings`);
    else if (n < want) problems.push(`${key(t)}: no ResourceBinding`);
    else if (!t.present && n) problems.push(`${key(t)}: deleted but its ResourceBinding remains`);
  }
  for (const b of seen.bindings) if (!acked.has(key(b.resource))) problems.push(`ResourceBinding ${b.name}: binds ${key(b.resource)}, never acknowledged`);

  const workCount = countBy(seen.works, (w) => `${w.cluster}:${key(w.resource)}`);
  for (const [k, n] of workCount) if (n > 1) problems.push(`${k}: ${n} Works`);
  for (const t of templates) {
    const want = new Set(expectedIn(t));
    const have = new Set(seen.works.filter((w) => key(w.resource) === key(t)).map((w) => w.cluster));
    for (const c of want) if (!have.has(c)) problems.push(`${key(t)}: no Work for ${c}`);
    for (const c of have) if (!want.has(c)) problems.push(`${key(t)}: orphaned Work in ${c}`);
  }

  for (const [cluster, objs] of Object.entries(seen.members)) {
    const inMember = new Map(objs.map((o) => [key(o), o]));
    for (const t of templates) {
      const want = expectedIn(t).includes(cluster);
      const got = inMember.get(key(t));
      if (want && !got) problems.push(`${key(t)}: missing from ${cluster}`);
      else if (!want && got) problems.push(`${key(t)}: orphaned in ${cluster}`);
      else if (got && got.version !== t.version) problems.push(`${key(t)}: ${cluster} holds v${got.version ?? '?'}, last acknowledged v${t.version}`);
    }
    for (const o of objs) if (!acked.has(key(o))) problems.push(`${key(o)}: in ${cluster} but never acknowledged`);
  }
  return problems;
}
