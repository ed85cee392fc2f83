// A thin, generic Kubernetes client over @kubernetes/client-node: one class for the Karmada control
// plane and for member clusters (which may be real Kubernetes clusters). client-node supplies the
// kubeconfig handling, TLS, auth plugins, the HTTP library and the Watch stream; this file adds
// discovery (group/version/resource <-> kind) and CRUD on plain JSON objects. client-node's typed
// serializer is bypassed on purpose: it turns timestamps into Date and drops fields it does not know.
import { KubeConfig, ResponseContext, Watch, type Configuration, type HttpMethod } from '@kubernetes/client-node';
import { StatusError, isNotFound } from '../apimachinery/errors.js';
import { joinApiVersion, splitApiVersion, type KubeList, type KubeObject, type Status } from '../apimachinery/types.js';
import type { IncomingMessage } from 'node:http';
import { Deadline, KeepAliveTransport, type TransportResponse } from './transport.js';
import { FrameSplitter, eventVersion, managedFieldsCut, objectManagedFieldsCut } from './watch-frames.js';

/** how often one request is sent again after 429 / Retry-After answers (client-go's maxRetries) */
const maxRetries = 10;

/** write answers kept for their watch echoes (see WriteOptions.shareAnswer); an echo comes within moments */
const maxSharedAnswers = 1024;

/** the version is part of it: a watch of another version of the resource sees the object converted */
function sharedAnswerKey(gvr: GroupVersionResource, resourceVersion: string): string {
  return `${gvr.group}/${gvr.version}/${gvr.resource}@${resourceVersion}`;
}

// KARMADA_TS_FREEZE_SHARED=1 (for tests): shared answers are frozen, so a caller or handler that changes one throws where it does
const freezeShared = process.env.KARMADA_TS_FREEZE_SHARED === '1';

function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
}

/** the wait a 429 or 5xx answer asks for (Retry-After seconds, default 1 for 429), or undefined for no retry */
function retryAfterMs(status: number, headers: Record<string, string | string[] | undefined>): number | undefined {
  if (status !== 429 && status < 500) return undefined;
  const header = headers['retry-after'] ?? headers['Retry-After'];
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  if (status === 429) return (Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 30) : 1) * 1000;
  if (status >= 500 && header !== undefined && Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 30) * 1000;
  return undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** what every request of one kubeconfig context shares on the direct path */
interface DirectEndpoint {
  /** the cluster's server URL, which paths are appended to (it may carry a path prefix, e.g. a proxy) */
  base: string;
  headers: Record<string, string>;
  agent: unknown;
  /** the agent of watches: the same TLS settings, its own connections */
  watchAgent: unknown;
}

/** URLSearchParams' form encoding, as client-node's RequestContext writes query parameters */
function encodeQuery(s: string): string {
  return /^[A-Za-z0-9._*-]*$/.test(s) ? s : new URLSearchParams([[s, '']]).toString().slice(0, -1);
}

/** the URL with the query's set parameters appended */
function withQuery(url: string, query: Record<string, string | number | boolean | undefined> | undefined): string {
  let search = '';
  for (const k in query) {
    const v = query[k];
    if (v !== undefined && v !== '') search += `${search ? '&' : ''}${encodeQuery(k)}=${encodeQuery(String(v))}`;
  }
  return search ? `${url}${url.includes('?') ? '&' : '?'}${search}` : url;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface TypeRef {
  apiVersion: string;
  kind: string;
}

/** a resource named either way: by group/version/resource, or by apiVersion/kind */
export type ResourceRef = GroupVersionResource | TypeRef;

/** one served resource, as discovery describes it */
export interface ResourceInfo extends GroupVersionResource {
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  /** e.g. ['status', 'scale'] */
  subresources: string[];
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /** per-request timeout; default the client's requestTimeoutMs */
  timeoutMs?: number;
  /** false: a 2xx answer is not decoded and request resolves with undefined (a caller that only needs the write done) */
  decode?: boolean;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * the caller treats the answer as read-only, as an informer's copy: the watch event of the version
   * written (the write's echo) then hands this very object to this client's informers instead of
   * decoding the same bytes again. Only on a client that drops managedFields (as its informers do).
   */
  shareAnswer?: boolean;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  signal?: AbortSignal;
}

export interface PatchOptions extends WriteOptions {
  namespace?: string;
  type?: PatchType;
  /** only for apply patches */
  force?: boolean;
  subresource?: string;
}

export interface DeleteOptions {
  namespace?: string;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WatchOptions {
  namespace?: string;
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** the events' objects come without metadata.managedFields (Karmada's StripUnusedFields), cut before decoding where possible */
  dropManagedFields?: boolean;
}

export type RawWatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface ClientOptions {
  /** kubeconfig context to use instead of current-context */
  context?: string;
  /** default timeout of non-watch requests (ms) */
  requestTimeoutMs?: number;
  /** the User-Agent of every request and watch (runtime/user-agent.ts); none when unset */
  userAgent?: string;
  /**
   * objects answered to requests come without metadata.managedFields, cut before decoding: for
   * controllers, whose informers drop them too (Karmada's StripUnusedFields) and which never read
   * them; a write sent without them keeps the stored ones. Member clients made from this one do the same.
   */
  dropManagedFields?: boolean;
}

/** The object client-node's makeApiClient builds: it only keeps the request configuration. */
class RequestConfig {
  constructor(readonly configuration: Configuration) {}
}

function isGVR(ref: ResourceRef): ref is GroupVersionResource {
  return 'resource' in ref;
}

function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** the REST path of a resource, a collection (no name) or a subresource */
export function resourcePath(info: GroupVersionResource & { namespaced: boolean }, namespace?: string, name?: string, subresource?: string): string {
  let path = groupVersionPath(info.group, info.version);
  if (info.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${info.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

function failureStatus(code: number, reason: string, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message };
}

const reasonForCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** the error for a non-2xx answer: the server's Status when it sent one, else one built from the code */
export function statusErrorFromResponse(code: number, body: string): StatusError {
  try {
    const parsed = JSON.parse(body) as Partial<Status>;
    if (parsed && parsed.kind === 'Status') return new StatusError({ ...failureStatus(code, reasonForCode[code] ?? 'Unknown', ''), ...parsed, code: parsed.code || code });
  } catch {
    // not JSON: fall through
  }
  return new StatusError(failureStatus(code, reasonForCode[code] ?? 'Unknown', body.trim() || `the server responded with HTTP ${code}`));
}

interface APIResourceListJSON {
  groupVersion: string;
  resources: { name: string; kind: string; namespaced: boolean; verbs?: string[]; shortNames?: string[] }[];
}

/** ResourceInfo for each top-level resource of a discovery APIResourceList (subresources folded in) */
export function parseResourceList(list: APIResourceListJSON): ResourceInfo[] {
  const { group, version } = splitApiVersion(list.groupVersion);
  const byName = new Map<string, ResourceInfo>();
  for (const r of list.resources ?? []) {
    if (r.name.includes('/')) continue;
    byName.set(r.name, { group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [], shortNames: r.shortNames ?? [], subresources: [] });
  }
  for (const r of list.resources ?? []) {
    const [parent, sub] = r.name.split('/', 2);
    if (sub) byName.get(parent!)?.subresources.push(sub);
  }
  return [...byName.values()];
}

export class KubeClient {
  readonly kubeConfig: KubeConfig;
  private readonly requests: Configuration;
  private readonly requestTimeoutMs: number;
  /** discovery cache per groupVersion */
  private readonly discovered = new Map<string, ResourceInfo[]>();
  private readonly discovering = new Map<string, Promise<ResourceInfo[]>>();
  /** resolve's answers from that cache, by resource then group then version, and by kind then apiVersion */
  private readonly byResource = new Map<string, Map<string, Map<string, ResourceInfo>>>();
  private readonly byKind = new Map<string, Map<string, ResourceInfo>>();
  private readonly watcher: Watch;
  /** pooled keep-alive connections for every non-watch request */
  readonly transport = new KeepAliveTransport();
  /** the direct request path of the current context, once client-node's authentication has been worked out */
  private direct?: { context: string; contexts: unknown; clusters: unknown; users: unknown; endpoint: Promise<DirectEndpoint | undefined> };

  /** what every request and watch sends as User-Agent (the API server's default field manager is its first segment) */
  readonly userAgent: string | undefined;
  /** see ClientOptions.dropManagedFields */
  readonly dropManagedFields: boolean;
  /** answers of writes made with shareAnswer, by resource and resourceVersion, oldest first */
  private readonly sharedAnswers = new Map<string, KubeObject>();

  constructor(kc: KubeConfig, opts: ClientOptions = {}) {
    if (opts.context) kc.setCurrentContext(opts.context);
    this.kubeConfig = kc;
    this.requests = kc.makeApiClient(RequestConfig).configuration;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.userAgent = opts.userAgent;
    this.dropManagedFields = opts.dropManagedFields ?? false;
    this.watcher = new Watch(opts.userAgent ? withUserAgent(kc, opts.userAgent) : kc);
  }

  static fromKubeconfig(text: string, opts: ClientOptions = {}): KubeClient {
    const kc = new KubeConfig();
    kc.loadFromString(text);
    return new KubeClient(kc, opts);
  }

  static fromFile(path: string, opts: ClientOptions = {}): KubeClient {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return new KubeClient(kc, opts);
  }

  /** the API server URL of the current context */
  get server(): string {
    return this.kubeConfig.getCurrentCluster()?.server ?? '';
  }

  /** the namespace of the current context, or "default" */
  get defaultNamespace(): string {
    const ctx = this.kubeConfig.getContextObject(this.kubeConfig.getCurrentContext());
    return ctx?.namespace || 'default';
  }

  /** one HTTP request; the parsed JSON answer (or text when not JSON); StatusError on non-2xx */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const direct = await this.directEndpoint();
    const sent = direct ? await this.sendDirect(direct, method, path, opts) : await this.sendThroughClientNode(method, path, opts);
    if (sent.status < 200 || sent.status > 299) throw statusErrorFromResponse(sent.status, sent.text);
    if (opts.decode === false) return undefined as T;
    if (!this.dropManagedFields) {
      try {
        return JSON.parse(sent.text) as T;
      } catch {
        return sent.text as T;
      }
    }
    let parsed: { metadata?: { managedFields?: unknown } } | null;
    try {
      parsed = JSON.parse(withoutManagedFields(sent)) as typeof parsed;
    } catch {
      return sent.text as T;
    }
    // an answer that came through client-node has no bytes to cut
    if (parsed?.metadata?.managedFields !== undefined) delete parsed.metadata.managedFields;
    return parsed as T;
  }

  /**
   * The URL prefix, headers and pooled agent every request of the current context shares, worked
   * out once through client-node; undefined when its authentication can change between requests
   * (exec and auth-provider plugins, certificate or CA files, proxies, middleware): those requests
   * go through client-node each time.
   */
  private directEndpoint(): Promise<DirectEndpoint | undefined> {
    const kc = this.kubeConfig;
    // the kubeconfig's lists are replaced, not edited, when credentials change (the agent's certificate rotation)
    const d = this.direct;
    if (d?.context !== kc.currentContext || d.contexts !== kc.contexts || d.clusters !== kc.clusters || d.users !== kc.users) {
      this.direct = { context: kc.currentContext, contexts: kc.contexts, clusters: kc.clusters, users: kc.users, endpoint: this.workOutDirectEndpoint().catch(() => undefined) };
    }
    return this.direct!.endpoint;
  }

  private async workOutDirectEndpoint(): Promise<DirectEndpoint | undefined> {
    const cluster = this.kubeConfig.getCurrentCluster();
    const user = this.kubeConfig.getCurrentUser();
    if (!cluster || cluster.proxyUrl || cluster.caFile || this.requests.middleware.length > 0) return undefined;
    if (user && (user.exec || user.authProvider || user.certFile || user.keyFile)) return undefined;
    // client-node's own authentication, applied once to a probe request, says what to send
    const probe = this.requests.baseServer.makeRequestContext('/', 'GET' as HttpMethod);
    await this.requests.authMethods.default?.applySecurityAuthentication(probe);
    const headers: Record<string, string> = { ...probe.getHeaders(), Accept: 'application/json, */*' };
    if (this.userAgent) headers['User-Agent'] = this.userAgent;
    const agent = this.transport.agentFor(probe.getAgent(), new URL(cluster.server).protocol);
    return { base: cluster.server, headers, agent, watchAgent: this.transport.streamAgentFor(agent) };
  }

  private async sendDirect(e: DirectEndpoint, method: string, path: string, opts: RequestOptions): Promise<TransportResponse> {
    const url = withQuery(e.base + path, opts.query);
    let headers = e.headers;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers = { ...headers, 'Content-Type': opts.contentType ?? 'application/json' };
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    const deadline = new Deadline(opts.timeoutMs ?? this.requestTimeoutMs, opts.signal);
    try {
      return await this.sendWithRetries(() => this.transport.send({ method, url, headers, body, deadline, agent: e.agent, pooled: true }), deadline);
    } finally {
      deadline.done();
    }
  }

  /** as client-go: a 429, or a 5xx with Retry-After, was not processed; wait as told (with jitter) and send again */
  private async sendWithRetries(send: () => Promise<TransportResponse>, deadline: Deadline): Promise<TransportResponse> {
    let sent = await send();
    for (let retry = 1; retry <= maxRetries; retry++) {
      // only these answers' headers are read: the transport decodes headers on first read
      const wait = sent.status === 429 || sent.status >= 500 ? retryAfterMs(sent.status, sent.headers) : undefined;
      if (wait === undefined) break;
      await sleep(wait * (1 + Math.random() * 0.2), deadline.signal);
      sent = await send();
    }
    return sent;
  }

  /** a request built by client-node (its RequestContext, authentication and middleware), sent over our transport */
  private async sendThroughClientNode(method: string, path: string, opts: RequestOptions): Promise<TransportResponse> {
    const cfg = this.requests;
    let ctx = cfg.baseServer.makeRequestContext(path, method as HttpMethod);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') ctx.setQueryParam(k, String(v));
    ctx.setHeaderParam('Accept', 'application/json, */*');
    if (this.userAgent) ctx.setHeaderParam('User-Agent', this.userAgent);
    if (opts.body !== undefined) {
      ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
      ctx.setBody(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
    }
    const deadline = new Deadline(opts.timeoutMs ?? this.requestTimeoutMs, opts.signal);
    try {
      ctx.setSignal(deadline.signal);
      await cfg.authMethods.default?.applySecurityAuthentication(ctx);
      for (const m of cfg.middleware) ctx = await m.pre(ctx).toPromise();
      const sent = await this.sendWithRetries(
        () => this.transport.send({ method, url: ctx.getUrl(), headers: ctx.getHeaders(), body: ctx.getBody() as string | undefined, signal: ctx.getSignal(), agent: ctx.getAgent() }),
        deadline,
      );
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(sent.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      let resp = new ResponseContext(sent.status, headers, { text: async () => sent.text, binary: async () => Buffer.from(sent.text) });
      for (const m of cfg.middleware) resp = await m.post(resp).toPromise();
      return { status: resp.httpStatusCode, headers: resp.headers, text: await resp.body.text() };
    } finally {
      deadline.done();
    }
  }

  /** closes the pooled connections (watches end on their own stop()); the client is unusable after */
  close(): void {
    this.transport.close();
  }

  // ---- discovery ----

  /**
   * resources served under one groupVersion (cached; refresh re-reads it). Callers that find it
   * missing while it is being read wait for that read: after invalidateDiscovery, every worker
   * writing Works read /apis/work.karmada.io/v1alpha1 for itself (the wide scenario's "GET -").
   */
  async resourcesFor(group: string, version: string, refresh = false, signal?: AbortSignal): Promise<ResourceInfo[]> {
    const gv = joinApiVersion(group, version);
    if (refresh) return this.readResources(group, version, signal);
    const cached = this.discovered.get(gv);
    if (cached) return cached;
    let reading = this.discovering.get(gv);
    if (!reading) {
      // shared, so no one caller's signal ends it: a discovery read is short, bounded by the request timeout
      const read = this.readResources(group, version);
      const forget = () => this.discovering.get(gv) === read && this.discovering.delete(gv);
      read.then(forget, forget);
      this.discovering.set(gv, (reading = read));
    }
    return reading;
  }

  private async readResources(group: string, version: string, signal?: AbortSignal): Promise<ResourceInfo[]> {
    const list = await this.request<APIResourceListJSON>('GET', groupVersionPath(group, version), { signal });
    const infos = parseResourceList(list);
    this.discovered.set(joinApiVersion(group, version), infos);
    this.forgetResolved();
    return infos;
  }

  /** every served groupVersion, all versions of every group, core first */
  async groupVersions(): Promise<string[]> {
    const [core, groups] = await Promise.all([
      this.request<{ versions: string[] }>('GET', '/api'),
      this.request<{ groups: { versions: { groupVersion: string }[] }[] }>('GET', '/apis'),
    ]);
    return [...(core.versions ?? []), ...(groups.groups ?? []).flatMap((g) => g.versions.map((v) => v.groupVersion))];
  }

  /** finds a resource by GVR or apiVersion/kind; 404 StatusError when not served */
  async resolve(ref: ResourceRef, signal?: AbortSignal): Promise<ResourceInfo> {
    // every request resolves its resource: the answer is remembered without building a key
    const known = isGVR(ref) ? this.byResource.get(ref.resource)?.get(ref.group)?.get(ref.version) : this.byKind.get(ref.kind)?.get(ref.apiVersion);
    if (known) return known;
    const { group, version } = isGVR(ref) ? ref : splitApiVersion(ref.apiVersion);
    const match = (infos: ResourceInfo[]) => infos.find((i) => (isGVR(ref) ? i.resource === ref.resource : i.kind === ref.kind));
    let found: ResourceInfo | undefined;
    try {
      found = match(await this.resourcesFor(group, version, false, signal));
      // a miss may be a resource added since (a new CRD): look again once
      if (!found) found = match(await this.resourcesFor(group, version, true, signal));
    } catch (err) {
      if (!(isNotFound(err))) throw err;
    }
    if (!found) {
      const what = isGVR(ref) ? `resource "${ref.resource}"` : `kind "${ref.kind}"`;
      throw new StatusError(failureStatus(404, 'NotFound', `no matches for ${what} in version "${joinApiVersion(group, version)}"`));
    }
    if (isGVR(ref)) mapIn(mapIn(this.byResource, ref.resource), ref.group).set(ref.version, found);
    else mapIn(this.byKind, ref.kind).set(ref.apiVersion, found);
    return found;
  }

  private forgetResolved(): void {
    this.byResource.clear();
    this.byKind.clear();
  }

  /** forget discovery results (after CRDs change) */
  invalidateDiscovery(): void {
    this.discovered.clear();
    this.discovering.clear();
    this.forgetResolved();
  }

  // ---- CRUD ----

  private async pathFor(ref: ResourceRef, namespace: string | undefined, name?: string, subresource?: string, signal?: AbortSignal): Promise<string> {
    return (await this.locate(ref, namespace, name, subresource, signal)).path;
  }

  /** the resource ref resolves to, and the path of the object (or collection) in it */
  private async locate(ref: ResourceRef, namespace: string | undefined, name?: string, subresource?: string, signal?: AbortSignal): Promise<{ info: ResourceInfo; path: string }> {
    const info = await this.resolve(ref, signal);
    const ns = info.namespaced ? namespace ?? (name !== undefined ? this.defaultNamespace : undefined) : undefined;
    return { info, path: resourcePath(info, ns, name, subresource) };
  }

  private objectRef(obj: KubeObject): TypeRef {
    if (!obj.apiVersion || !obj.kind) throw new StatusError(failureStatus(400, 'BadRequest', 'object has no apiVersion or kind'));
    return { apiVersion: obj.apiVersion, kind: obj.kind };
  }

  async get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, opts: { namespace?: string; subresource?: string; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T> {
    return this.request<T>('GET', await this.pathFor(ref, opts.namespace, name, opts.subresource, opts.signal), { signal: opts.signal, timeoutMs: opts.timeoutMs });
  }

  /** one page (or all, when the server ignores limit); no namespace on a namespaced resource lists all namespaces */
  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList<T>> {
    const info = await this.resolve(ref, opts.signal);
    const list = await this.request<KubeList<T>>('GET', resourcePath(info, opts.namespace), {
      signal: opts.signal,
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.limit,
        continue: opts.continue,
        resourceVersion: opts.resourceVersion,
        resourceVersionMatch: opts.resourceVersionMatch,
      },
    });
    list.items ??= [];
    return list;
  }

  /** every page, following metadata.continue; the resourceVersion is the first page's snapshot */
  async listAll<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: Omit<ListOptions, 'continue'> = {}): Promise<KubeList<T>> {
    const first = await this.list<T>(ref, { limit: 500, ...opts });
    let token = first.metadata?.continue;
    while (token) {
      const page = await this.list<T>(ref, { limit: 500, ...opts, resourceVersion: undefined, continue: token });
      first.items.push(...page.items);
      token = page.metadata?.continue;
    }
    if (first.metadata) delete first.metadata.continue;
    return first;
  }

  async create<T extends KubeObject>(obj: T, opts: WriteOptions & { namespace?: string } = {}): Promise<T & KubeObject> {
    const info = await this.resolve(this.objectRef(obj), opts.signal);
    const ns = info.namespaced ? opts.namespace ?? obj.metadata.namespace ?? this.defaultNamespace : undefined;
    const created = await this.request<T & KubeObject>('POST', resourcePath(info, ns), { body: obj, query: writeQuery(opts), signal: opts.signal, timeoutMs: opts.timeoutMs });
    if (opts.shareAnswer) this.shareAnswer(info, created);
    return created;
  }

  /** PUT the whole object; metadata.resourceVersion, when set, makes it a compare-and-swap (409 on mismatch) */
  async replace<T extends KubeObject>(obj: T, opts: WriteOptions & { subresource?: string } = {}): Promise<T & KubeObject> {
    const { info, path } = await this.locate(this.objectRef(obj), obj.metadata.namespace, requireName(obj), opts.subresource, opts.signal);
    const replaced = await this.request<T & KubeObject>('PUT', path, { body: obj, query: writeQuery(opts), signal: opts.signal, timeoutMs: opts.timeoutMs });
    if (opts.shareAnswer) this.shareAnswer(info, replaced);
    return replaced;
  }

  /** keeps a write's answer for its watch echo: only one decoded as the watch decodes (without managedFields) */
  private shareAnswer(info: GroupVersionResource, answer: KubeObject): void {
    const rv = answer?.metadata?.resourceVersion;
    if (!rv || !this.dropManagedFields || answer.metadata.managedFields !== undefined) return;
    if (freezeShared) deepFreeze(answer);
    const key = sharedAnswerKey(info, rv);
    this.sharedAnswers.delete(key);
    this.sharedAnswers.set(key, answer);
    if (this.sharedAnswers.size > maxSharedAnswers) this.sharedAnswers.delete(this.sharedAnswers.keys().next().value!);
  }

  /** the shared answer a watch event frame is the echo of, if any */
  private echoOf(info: GroupVersionResource, buf: Buffer, start: number, end: number): { type: RawWatchEventType; object: KubeObject } | undefined {
    if (this.sharedAnswers.size === 0) return undefined;
    const event = eventVersion(buf, start, end);
    if (!event || (event.type !== 'ADDED' && event.type !== 'MODIFIED')) return undefined;
    const object = this.sharedAnswers.get(sharedAnswerKey(info, event.resourceVersion));
    return object && { type: event.type, object };
  }

  async updateStatus<T extends KubeObject>(obj: T, opts: WriteOptions = {}): Promise<T & KubeObject> {
    return this.replace(obj, { ...opts, subresource: 'status' });
  }

  async patch<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const type = opts.type ?? 'merge';
    const path = await this.pathFor(ref, opts.namespace, name, opts.subresource, opts.signal);
    return this.request<T>('PATCH', path, {
      body: patch,
      contentType: patchContentTypes[type],
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      query: { ...writeQuery(opts), force: type === 'apply' && opts.force ? true : undefined },
    });
  }

  async patchStatus<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, patch: unknown, opts: Omit<PatchOptions, 'subresource'> = {}): Promise<T> {
    return this.patch<T>(ref, name, patch, { ...opts, subresource: 'status' });
  }

  /** the object as deleted (or still terminating), or the server's Status */
  async delete(ref: ResourceRef, name: string, opts: DeleteOptions = {}): Promise<KubeObject | Status> {
    const path = await this.pathFor(ref, opts.namespace, name);
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
      ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
      ...(opts.preconditions ? { preconditions: opts.preconditions } : {}),
    };
    return this.request<KubeObject | Status>('DELETE', path, { body, query: { dryRun: opts.dryRun ? 'All' : undefined } });
  }

  /**
   * A raw watch stream. onEnd is called once when the stream ends: with no error on a clean close,
   * otherwise with the error (a non-200 answer carries `statusCode` and the server's message).
   * ERROR and BOOKMARK events are passed to onEvent as they come. The promise resolves once the
   * server has answered; stop() ends the stream without calling onEnd.
   */
  async watch(
    ref: ResourceRef,
    opts: WatchOptions,
    onEvent: (type: RawWatchEventType, obj: KubeObject) => void,
    onEnd: (err?: Error & { statusCode?: number }) => void,
  ): Promise<{ stop(): void }> {
    const info = await this.resolve(ref);
    const path = resourcePath(info, opts.namespace);
    const query = {
      resourceVersion: opts.resourceVersion,
      labelSelector: opts.labelSelector || undefined,
      fieldSelector: opts.fieldSelector || undefined,
      allowWatchBookmarks: opts.allowWatchBookmarks,
      timeoutSeconds: opts.timeoutSeconds,
    };
    if (opts.dropManagedFields) {
      const given = onEvent;
      onEvent = (type, obj) => {
        if (obj?.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
        given(type, obj);
      };
    }
    const direct = await this.directEndpoint();
    if (direct) return this.watchDirect(direct, info, path, query, opts.dropManagedFields ?? false, onEvent, onEnd);
    return this.watchThroughClientNode(path, query, onEvent, onEnd);
  }

  /** a watch over the direct endpoint: the frames cut from the socket's Buffers as they come */
  private async watchDirect(
    e: DirectEndpoint,
    info: GroupVersionResource,
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    dropManagedFields: boolean,
    onEvent: (type: RawWatchEventType, obj: KubeObject) => void,
    onEnd: (err?: Error & { statusCode?: number }) => void,
  ): Promise<{ stop(): void }> {
    let ended = false;
    let abort: (() => void) | undefined;
    const end = (err?: Error & { statusCode?: number }) => {
      if (ended) return;
      ended = true;
      abort?.();
      onEnd(err);
    };
    const handle = {
      stop() {
        ended = true;
        abort?.();
      },
    };
    let res: IncomingMessage;
    try {
      ({ res, abort } = await this.transport.openStream({ url: withQuery(`${e.base}${path}`, { watch: 'true', ...query }), headers: e.headers, agent: e.watchAgent, timeoutMs: this.requestTimeoutMs }));
    } catch (err) {
      end(err as Error);
      return handle;
    }
    if (ended) {
      abort();
      return handle;
    }
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => end(Object.assign(statusErrorFromResponse(status, Buffer.concat(chunks).toString('utf8')), { statusCode: status })));
      res.on('error', (err) => end(Object.assign(err, { statusCode: status })));
      return handle;
    }
    const frames = new FrameSplitter((buf, start, stop) => {
      if (ended) return;
      // as client-node's Watch: a frame that is not an event is skipped, and so is a handler's throw
      try {
        // the echo of our own write, decoded already (its answer carries no managedFields either)
        const echo = dropManagedFields && this.dropManagedFields ? this.echoOf(info, buf, start, stop) : undefined;
        if (echo) return onEvent(echo.type, echo.object);
        const cut = dropManagedFields ? managedFieldsCut(buf, start, stop) : undefined;
        const text = cut ? buf.toString('utf8', start, cut[0]) + buf.toString('utf8', cut[1], stop) : buf.toString('utf8', start, stop);
        const event = JSON.parse(text) as { type: RawWatchEventType; object: KubeObject };
        onEvent(event.type, event.object);
      } catch {
        // skipped
      }
    });
    res.on('data', (chunk: Buffer) => frames.push(chunk));
    res.on('end', () => {
      frames.end();
      end();
    });
    res.on('error', (err) => end(err));
    res.on('close', () => end(res.complete ? undefined : new Error('the watch connection closed')));
    return handle;
  }

  /** client-node's Watch, for kubeconfigs whose authentication it works out per request */
  private async watchThroughClientNode(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: RawWatchEventType, obj: KubeObject) => void,
    onEnd: (err?: Error & { statusCode?: number }) => void,
  ): Promise<{ stop(): void }> {
    let ended = false;
    const end = (err?: Error & { statusCode?: number }) => {
      if (ended) return;
      ended = true;
      onEnd(err ?? undefined);
    };
    const controller = await this.watcher.watch(
      path,
      query,
      (type: string, obj: KubeObject) => {
        if (!ended) onEvent(type as RawWatchEventType, obj);
      },
      (err: (Error & { statusCode?: number }) | null) => end(err ?? undefined),
    );
    return {
      stop() {
        ended = true;
        controller.abort();
      },
    };
  }
}

/**
 * the kubeconfig as client-node's Watch reads it, its fetch options carrying the User-Agent (Watch
 * takes no headers of its own); everything else is the kubeconfig's, read through the prototype
 */
function withUserAgent(kc: KubeConfig, ua: string): KubeConfig {
  const view = Object.create(kc) as KubeConfig;
  view.applyToFetchOptions = async (opts) => {
    const init = await kc.applyToFetchOptions(opts);
    (init.headers as { set(k: string, v: string): void }).set('User-Agent', ua);
    return init;
  };
  return view;
}

/** the answer's text without its object's metadata.managedFields (cut from the bytes when the transport kept them) */
function withoutManagedFields(sent: TransportResponse): string {
  const body = sent.body;
  if (!body) return sent.text;
  const cut = objectManagedFieldsCut(body, 0, body.length);
  return cut ? body.toString('utf8', 0, cut[0]) + body.toString('utf8', cut[1]) : sent.text;
}

/** the map under key in outer, made when missing */
function mapIn<K, V>(outer: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  return inner;
}

function writeQuery(opts: WriteOptions): Record<string, string | undefined> {
  return { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined };
}

function requireName(obj: KubeObject): string {
  if (!obj.metadata?.name) throw new StatusError(failureStatus(400, 'BadRequest', 'object has no metadata.name'));
  return obj.metadata.name;
}
