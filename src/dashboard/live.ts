// What the dashboard knows, kept current by informers over the kubeconfig's identity (client-go's
// shared informers, as karmada-dashboard's backend caches): one cache per resource, across all
// namespaces when the identity may list them, else per allowed namespace; changes are coalesced
// (~200 ms) and told to the live views that depend on them. Works and Events, the bulk of a large
// control plane, are not cached: a workload's page reads its own when it is computed. Only clusters
// are watched from the start (for their Ready history); the rest is listed on the first view, so a
// `karmada-ts up` nobody looks at does not decode every binding and template change beside its API server.
import { isStatusError } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { daemonSetGVR, deploymentGVR, jobGVR, statefulSetGVR } from '../apis/builtin/gvr.js';
import {
  clusterGVR,
  clusterOverridePolicyGVR,
  clusterPropagationPolicyGVR,
  clusterResourceBindingGVR,
  clusterTaintPolicyGVR,
  overridePolicyGVR,
  propagationPolicyGVR,
  resourceBindingGVR,
} from '../apis/karmada/gvr.js';
import { ClusterConditionReady, type Cluster } from '../apis/karmada/cluster.js';
import type { GroupVersionResource, KubeClient } from '../runtime/client.js';
import { Informer } from '../runtime/informer.js';
import { httpSource } from '../runtime/sources.js';
import { observeReady, type ReadyTransition } from './views/clusters.js';

const cached = {
  clusters: clusterGVR,
  resourcebindings: resourceBindingGVR,
  clusterresourcebindings: clusterResourceBindingGVR,
  propagationpolicies: propagationPolicyGVR,
  clusterpropagationpolicies: clusterPropagationPolicyGVR,
  overridepolicies: overridePolicyGVR,
  clusteroverridepolicies: clusterOverridePolicyGVR,
  clustertaintpolicies: clusterTaintPolicyGVR,
  deployments: deploymentGVR,
  statefulsets: statefulSetGVR,
  daemonsets: daemonSetGVR,
  jobs: jobGVR,
} as const;

export type Resource = keyof typeof cached;
/** resource templates the workloads page lists even before a policy claims them */
export const templateResources: Resource[] = ['deployments', 'statefulsets', 'daemonsets', 'jobs'];

/** how a resource is read: across namespaces, in some, not at all (forbidden), or not served */
export type Access = { mode: 'all' } | { mode: 'namespaces'; namespaces: string[] } | { mode: 'forbidden'; message: string } | { mode: 'absent' };

interface LiveOptions {
  /** namespaces to read when listing across all of them is forbidden */
  namespaces: string[];
  coalesceMs: number;
}

type Listener = (changed: ReadonlySet<Resource>) => void;

export class LiveState {
  private readonly informers = new Map<Resource, Informer[]>();
  readonly access = new Map<Resource, Access>();
  private readonly listeners = new Set<{ deps: ReadonlySet<Resource>; fn: Listener }>();
  private dirty = new Set<Resource>();
  private readonly generations = new Map<Resource, number>();
  private timer?: NodeJS.Timeout;
  private started?: Promise<void>;
  private stopped = false;
  /** Ready transitions seen since the dashboard started, per cluster */
  readonly readyTransitions = new Map<string, ReadyTransition[]>();

  constructor(
    readonly client: KubeClient,
    private readonly opts: LiveOptions,
  ) {}

  start(): Promise<void> {
    this.started ??= Promise.all((Object.keys(cached) as Resource[]).map((r) => this.startResource(r))).then(() => undefined);
    return this.started;
  }

  /** what is kept from the start: the clusters and their Ready transitions */
  startClusters(): Promise<void> {
    return this.startResource('clusters');
  }

  /** resolves once every readable resource has its first list */
  ready(): Promise<void> {
    return this.start();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const list of this.informers.values()) for (const i of list) i.stop();
    this.listeners.clear();
  }

  /** the cached objects of a resource (empty when it cannot be read) */
  list<T extends KubeObject = KubeObject>(resource: Resource): T[] {
    const out: T[] = [];
    for (const i of this.informers.get(resource) ?? []) out.push(...(i.list() as T[]));
    return out;
  }

  /** calls fn (coalesced) whenever one of deps changes; returns the unsubscribe */
  subscribe(deps: readonly Resource[], fn: Listener): () => void {
    const entry = { deps: new Set(deps), fn };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** a number that changes whenever one of the resources changes (to reuse what was computed from them) */
  generation(resources: readonly Resource[]): string {
    return resources.map((r) => this.generations.get(r) ?? 0).join('.');
  }

  private changed(resource: Resource): void {
    this.generations.set(resource, (this.generations.get(resource) ?? 0) + 1);
    if (this.stopped) return;
    this.dirty.add(resource);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const changed = this.dirty;
      this.dirty = new Set();
      for (const l of [...this.listeners]) if ([...changed].some((r) => l.deps.has(r))) l.fn(changed);
    }, this.opts.coalesceMs);
  }

  /** what the identity may do with a resource: list across namespaces, in some of them, or nothing */
  private async probe(gvr: GroupVersionResource): Promise<Access> {
    let namespaced: boolean;
    try {
      namespaced = (await this.client.resolve(gvr)).namespaced;
    } catch (err) {
      if (isStatusError(err) && (err.code === 404 || err.code === 403)) return { mode: 'absent' };
      throw err;
    }
    try {
      await this.client.list(gvr, { limit: 1 });
      return { mode: 'all' };
    } catch (err) {
      if (!isStatusError(err) || err.code !== 403) throw err;
      if (!namespaced) return { mode: 'forbidden', message: err.message };
      const allowed: string[] = [];
      for (const ns of this.opts.namespaces) {
        try {
          await this.client.list(gvr, { namespace: ns, limit: 1 });
          allowed.push(ns);
        } catch (e) {
          if (!isStatusError(e) || e.code !== 403) throw e;
        }
      }
      return allowed.length > 0 ? { mode: 'namespaces', namespaces: allowed } : { mode: 'forbidden', message: err.message };
    }
  }

  private readonly resourceStarts = new Map<Resource, Promise<void>>();

  private startResource(resource: Resource): Promise<void> {
    let started = this.resourceStarts.get(resource);
    if (!started) this.resourceStarts.set(resource, (started = this.listAndWatch(resource)));
    return started;
  }

  private async listAndWatch(resource: Resource): Promise<void> {
    const gvr = cached[resource];
    let access: Access;
    for (let attempt = 0; ; attempt++) {
      try {
        access = await this.probe(gvr);
        break;
      } catch {
        // the API server is not answering yet: try again a few times, then read nothing
        if (attempt >= 20 || this.stopped) return void this.access.set(resource, { mode: 'forbidden', message: 'the API server did not answer' });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    this.access.set(resource, access);
    if (this.stopped || (access.mode !== 'all' && access.mode !== 'namespaces')) return;
    const namespaces: (string | undefined)[] = access.mode === 'all' ? [undefined] : access.namespaces;
    const informers = namespaces.map((namespace) => new Informer(httpSource(this.client, { ...gvr, ...(namespace ? { namespace } : {}) })));
    this.informers.set(resource, informers);
    for (const informer of informers) {
      informer.addHandlers({
        onAdd: (obj) => {
          if (resource === 'clusters') this.observeCluster(obj as Cluster, undefined);
          this.changed(resource);
        },
        onUpdate: (obj, old) => {
          if (resource === 'clusters') this.observeCluster(obj as Cluster, old as Cluster);
          this.changed(resource);
        },
        onDelete: () => this.changed(resource),
      });
      void informer.start();
    }
    await Promise.all(informers.map((i) => i.waitForSync()));
  }

  private observeCluster(now: Cluster, old: Cluster | undefined): void {
    const name = now.metadata.name;
    const ready = now.status?.conditions?.find((c) => c.type === ClusterConditionReady);
    const before = old?.status?.conditions?.find((c) => c.type === ClusterConditionReady);
    this.readyTransitions.set(name, observeReady(this.readyTransitions.get(name) ?? [], ready, before, new Date()));
  }
}
