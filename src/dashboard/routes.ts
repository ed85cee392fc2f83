// The /ui/v1 endpoints: each path names a view, the resources it depends on and how to compute it.
import { errors } from '../apimachinery/errors.js';
import type { Cluster } from '../apis/karmada/cluster.js';
import type { LiveState } from './live.js';
import type { Endpoint } from './sse.js';
import { isStatusError } from '../apimachinery/errors.js';
import { joinApiVersion, type KubeObject } from '../apimachinery/types.js';
import type { ResourceBinding } from '../apis/karmada/binding.js';
import type { ClusterOverridePolicy, OverridePolicy } from '../apis/karmada/override.js';
import type { AnyPropagationPolicy, ClusterTaintPolicy } from '../apis/karmada/policy.js';
import type { Work } from '../apis/karmada/work.js';
import { ClusterResourceBindingNameAnnotation, ResourceBindingNameAnnotation, ResourceBindingNamespaceAnnotation } from '../apis/karmada/wellknown.js';
import { failoverWhatIf } from '../controllers/taintmanager/whatif.js';
import { bindingPermanentId } from '../controllers/binding/render.js';
import { eventGVR } from '../apis/builtin/gvr.js';
import { workGVR } from '../apis/karmada/gvr.js';
import { templateResources, type Resource } from './live.js';
import { statusError } from './respond.js';
import { clustersDoc } from './views/clusters.js';
import { explanationOf, overridesOf, podSelectorOf, podView, type PodLike, type PodView, type WorkloadDetail } from './views/detail.js';
import { policiesDoc } from './views/policies.js';
import { timelineOf, type EventLike } from './views/timeline.js';
import { pageRows, parseWorkloadQuery, templateKey, workloadRow, workloadRows, type WorkloadRow } from './views/workloads.js';

const workloadDeps: Resource[] = [...templateResources, 'resourcebindings', 'clusterresourcebindings'];

const rowsMemo = new WeakMap<LiveState, { generation: string; rows: WorkloadRow[] }>();

/** every template's row, from the caches; built once per change however many pages and streams ask */
export function allRows(live: LiveState): WorkloadRow[] {
  const generation = live.generation(workloadDeps);
  const memo = rowsMemo.get(live);
  if (memo && memo.generation === generation) return memo.rows;
  const rows = buildRows(live);
  rowsMemo.set(live, { generation, rows });
  return rows;
}

function buildRows(live: LiveState): WorkloadRow[] {
  const templates = templateResources.flatMap((r) => live.list(r));
  const bindings = [...live.list<ResourceBinding>('resourcebindings'), ...live.list<ResourceBinding>('clusterresourcebindings')];
  return workloadRows(templates, bindings);
}

/** who the dashboard reads as, and what it can read: `all`, the namespaces it fell back to, or why not */
async function whoami(live: LiveState): Promise<{ user: string; groups: string[]; access: Record<string, string> }> {
  await live.ready();
  const access: Record<string, string> = {};
  for (const [r, a] of live.access) access[r] = a.mode === 'namespaces' ? `namespaces: ${a.namespaces.join(', ')}` : a.mode === 'forbidden' ? `forbidden: ${a.message}` : a.mode;
  const review = await live.client.request<{ status?: { userInfo?: { username?: string; groups?: string[] } } }>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  return { user: review.status?.userInfo?.username ?? '', groups: review.status?.userInfo?.groups ?? [], access };
}

export function route(live: LiveState, url: URL): Endpoint {
  const path = url.pathname.replace(/\/+$/, '');
  let parts: string[];
  try {
    parts = path.split('/').slice(3).map((p) => decodeURIComponent(p));
  } catch {
    throw errors.badRequest(`${url.pathname}: malformed percent-encoding`);
  }
  if (!path.startsWith('/ui/v1/')) throw notFound(url);
  const ready = <T>(fn: () => T | Promise<T>) => async () => {
    await live.ready();
    return fn();
  };
  switch (parts[0]) {
    case 'whoami':
      if (parts.length === 1) return { deps: [], compute: () => whoami(live) };
      break;
    case 'clusters':
      if (parts.length === 1) return { deps: ['clusters'], compute: ready(() => clustersDoc(live.list<Cluster>('clusters'), live.readyTransitions)) };
      break;
    case 'workloads':
      if (parts.length === 1) {
        const query = parseWorkloadQuery(url.searchParams);
        return { deps: workloadDeps, compute: ready(() => pageRows(allRows(live), query)) };
      }
      if (parts.length === 6) {
        const [, group, version, kind, namespace, name] = parts as [string, string, string, string, string, string];
        const ref = { apiVersion: joinApiVersion(group === 'core' ? '' : group, version), kind, namespace: namespace === '_' ? '' : namespace, name };
        return { deps: detailDeps, compute: ready(() => workloadDetail(live, ref)) };
      }
      break;
    case 'policies':
      if (parts.length === 1) return { deps: policyDeps, compute: ready(() => policiesDoc(live.list<AnyPropagationPolicy>('propagationpolicies'), live.list<AnyPropagationPolicy>('clusterpropagationpolicies'), templatesForPolicies(live))) };
      break;
    case 'failover':
      if (parts.length === 2 && parts[1] === 'whatif') {
        const cluster = url.searchParams.get('cluster');
        if (!cluster) throw errors.badRequest('query parameter cluster is required: /ui/v1/failover/whatif?cluster=NAME');
        return { deps: ['clusters', 'clustertaintpolicies', 'resourcebindings', 'clusterresourcebindings'], compute: ready(() => whatIf(live, cluster)) };
      }
      break;
  }
  throw notFound(url);
}

function notFound(url: URL) {
  return statusError(404, 'NotFound', `${url.pathname} is not a dashboard endpoint: use /ui/v1/whoami, /ui/v1/clusters, /ui/v1/workloads[/GROUP/VERSION/KIND/NAMESPACE/NAME], /ui/v1/policies or /ui/v1/failover/whatif?cluster=NAME`);
}

const detailDeps: Resource[] = [...workloadDeps, 'clusters', 'overridepolicies', 'clusteroverridepolicies'];
const policyDeps: Resource[] = [...workloadDeps, 'propagationpolicies', 'clusterpropagationpolicies'];

function bindings(live: LiveState): ResourceBinding[] {
  return [...live.list<ResourceBinding>('resourcebindings'), ...live.list<ResourceBinding>('clusterresourcebindings')];
}

/** the cached templates, and a bare object for each bound template of a kind not cached (name selectors still match it) */
function templatesForPolicies(live: LiveState): KubeObject[] {
  const cachedTemplates = templateResources.flatMap((r) => live.list(r));
  const have = new Set(cachedTemplates.map((t) => templateKey(t.apiVersion ?? '', t.kind ?? '', t.metadata.namespace, t.metadata.name ?? '')));
  const out = [...cachedTemplates];
  for (const b of bindings(live)) {
    const r = b.spec?.resource;
    if (!r || have.has(templateKey(r.apiVersion, r.kind, r.namespace, r.name))) continue;
    // the binding carries its template's claim
    out.push({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}), labels: b.metadata.labels, annotations: b.metadata.annotations } });
  }
  return out;
}

function whatIf(live: LiveState, cluster: string) {
  try {
    return failoverWhatIf(cluster, live.list<Cluster>('clusters'), live.list<ClusterTaintPolicy>('clustertaintpolicies'), bindings(live));
  } catch (err) {
    if (err instanceof Error && /not found/.test(err.message)) {
      throw statusError(404, 'NotFound', err.message);
    }
    throw err;
  }
}

interface TemplateRefParts {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

async function getTemplate(live: LiveState, ref: TemplateRefParts): Promise<KubeObject | undefined> {
  const key = templateKey(ref.apiVersion, ref.kind, ref.namespace, ref.name);
  for (const r of templateResources) {
    const hit = live.list(r).find((t) => templateKey(t.apiVersion ?? '', t.kind ?? '', t.metadata.namespace, t.metadata.name ?? '') === key);
    if (hit) return hit;
  }
  try {
    const t = await live.client.get({ apiVersion: ref.apiVersion, kind: ref.kind }, ref.name, ref.namespace ? { namespace: ref.namespace } : {});
    return { apiVersion: ref.apiVersion, kind: ref.kind, ...t };
  } catch (err) {
    if (isStatusError(err) && (err.code === 404 || err.code === 403)) return undefined;
    throw err;
  }
}

/** what the identity may read of a list; nothing when it may not (the page shows what it can) */
async function readable<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (err) {
    if (isStatusError(err) && (err.code === 403 || err.code === 404)) return [];
    throw err;
  }
}

/** the binding's Works, by the binding's permanent id the binding controller labels them with */
async function worksOf(live: LiveState, b: ResourceBinding): Promise<Work[]> {
  const permanentId = bindingPermanentId(b);
  if (!permanentId) return [];
  const works = await readable(async () => (await live.client.list<Work>(workGVR, { labelSelector: `${permanentId.label}=${permanentId.id}` })).items);
  return works.filter((w) => {
    const a = w.metadata.annotations ?? {};
    if (b.metadata.namespace) return a[ResourceBindingNamespaceAnnotation] === b.metadata.namespace && a[ResourceBindingNameAnnotation] === b.metadata.name;
    return a[ClusterResourceBindingNameAnnotation] === b.metadata.name;
  });
}

/** the events about one object (core/v1 Events live in its namespace; a cluster-scoped one's in default) */
async function eventsAbout(live: LiveState, obj: KubeObject | undefined): Promise<EventLike[]> {
  if (!obj?.metadata.uid) return [];
  const namespace = obj.metadata.namespace || 'default';
  return readable(async () => (await live.client.list<EventLike>(eventGVR, { namespace, fieldSelector: `involvedObject.uid=${obj.metadata.uid}` })).items);
}


const podsTimeoutMs = 5000;

async function podsOf(live: LiveState, template: KubeObject | undefined, row: WorkloadRow): Promise<{ pods: PodView[]; errors: { cluster: string; message: string }[] }> {
  const selector = podSelectorOf(template);
  if (!selector || !row.namespace) return { pods: [], errors: [] };
  const pods: PodView[] = [];
  const failures: { cluster: string; message: string }[] = [];
  await Promise.all(
    row.clusters.map(async ({ name: cluster }) => {
      try {
        const list = await live.client.request<{ items?: KubeObject[] }>('GET', `/apis/cluster.karmada.io/v1alpha1/clusters/${encodeURIComponent(cluster)}/proxy/api/v1/namespaces/${encodeURIComponent(row.namespace)}/pods`, {
          query: { labelSelector: selector },
          timeoutMs: podsTimeoutMs,
        });
        for (const p of list.items ?? []) pods.push(podView(cluster, p as PodLike));
      } catch (err) {
        failures.push({ cluster, message: err instanceof Error ? err.message : String(err) });
      }
    }),
  );
  pods.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.name.localeCompare(b.name));
  failures.sort((a, b) => a.cluster.localeCompare(b.cluster));
  return { pods, errors: failures };
}

async function workloadDetail(live: LiveState, ref: TemplateRefParts): Promise<WorkloadDetail> {
  const key = templateKey(ref.apiVersion, ref.kind, ref.namespace, ref.name);
  const binding = bindings(live).find((b) => b.spec?.resource && templateKey(b.spec.resource.apiVersion, b.spec.resource.kind, b.spec.resource.namespace, b.spec.resource.name) === key);
  const template = await getTemplate(live, ref);
  if (!template && !binding) {
    throw statusError(404, 'NotFound', `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} (${ref.apiVersion}) not found, or not readable with the dashboard's identity`);
  }
  const row = workloadRow(template, binding);
  const [templateEvents, bindingEvents, works, pods] = await Promise.all([eventsAbout(live, template), eventsAbout(live, binding), binding ? worksOf(live, binding) : [], podsOf(live, template, row)]);
  const events = [...templateEvents, ...bindingEvents];
  const clusters = live.list<Cluster>('clusters');
  return {
    row,
    template: template ?? null,
    binding: binding ?? null,
    timeline: timelineOf({ template, binding, events, works }),
    explanation: explanationOf(binding, clusters),
    overrides: overridesOf(template, binding, clusters, live.list<ClusterOverridePolicy>('clusteroverridepolicies'), live.list<OverridePolicy>('overridepolicies')),
    pods: pods.pods,
    podErrors: pods.errors,
  };
}
