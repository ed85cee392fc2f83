// karmada-search's API beside the API server (Karmada runs it as an aggregated API server):
//   /apis/search.karmada.io/v1alpha1/search/cache/<kubernetes path>: the cached objects of every
//     member, each with resource.karmada.io/cached-from-cluster (pkg/registry/search/storage/cache.go),
//     here with the proxy's selectors, paging, multi-cluster resourceVersions and watch as well;
//   /apis/search.karmada.io/v1alpha1/proxying/<name>/proxy/<kubernetes path>: a Kubernetes API over
//     all members (pkg/search/proxy): get/list/watch of cached resources from the cache; other verbs
//     and subresources of a cached object forwarded to the member holding it; everything else to the
//     control plane itself. Forwards go as the caller (impersonated), as the cluster proxy does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../apimachinery/errors.js';
import { checkSupportedFields, parseFieldSelector } from '../apimachinery/fields.js';
import { parseSelector } from '../apimachinery/labels.js';
import type { KubeObject } from '../apimachinery/types.js';
import type { ResourceDef } from '../apis/resource.js';
import { toTable } from '../apis/tables/table.js';
import { CacheSourceAnnotation } from '../apis/karmada/wellknown.js';
import { searchGroup } from '../apis/karmada/crds/search.js';
import type { ApiExtension, ApiServer } from '../apiserver/server.js';
import type { UserInfo } from '../apiserver/auth/authenticate.js';
import { parseRequestPath, type ResourceRequest } from '../apiserver/http/request-info.js';
import { sendError, sendJson } from '../apiserver/http/respond.js';
import { bookmarkIntervalMs } from '../apiserver/handlers/watch.js';
import { rendering, renderOne, type Rendering } from '../apiserver/handlers/rendering.js';
import { readBody } from '../apiserver/http/body.js';
import { forwardToCluster } from '../aggregated/cluster-proxy.js';
import type { GroupVersionResource } from '../runtime/client.js';
import { MultiClusterCache } from './multi-cluster-cache.js';
import type { CachedEntry } from './resource-cache.js';
import { SearchController } from './controller.js';
import { forwardToSelf } from './forward.js';
import { memberRV } from './versions.js';

const base = `/apis/${searchGroup}/v1alpha1/`;
const searchPath = /^search(?:\/([^/]+)(\/.*)?)?$/;
const proxyPath = /^proxying(?:\/([^/]+)(?:\/proxy(\/.*)?)?)?$/;

function connectDef(resource: string, kind: string): ResourceDef {
  return {
    group: searchGroup,
    version: 'v1alpha1',
    resource,
    singular: resource,
    kind,
    listKind: `${kind}List`,
    namespaced: false,
    verbs: ['get'],
    subresources: {},
    storage: { group: searchGroup, resource, version: 'v1alpha1' },
    allowUnconditionalUpdate: true,
    strategicMergePatch: false,
  };
}

export interface KarmadaSearch extends ApiExtension {
  cache: MultiClusterCache;
}

/** the search and proxying APIs, with their cache and controller (started once ResourceRegistry is served) */
export function karmadaSearch(server: ApiServer): KarmadaSearch {
  server.registry.setSource('karmada-search', [connectDef('search', 'Search'), connectDef('proxying', 'Proxying')]);
  const cache = new MultiClusterCache();
  const controller = new SearchController(server, cache);
  const unlisten = server.registry.onChange(() => {
    if (controller.maybeStart()) queueMicrotask(() => unlisten());
  });
  return {
    name: 'karmada-search',
    cache,
    async handle(req, res, url, user) {
      if (!url.pathname.startsWith(base)) return false;
      const rest = url.pathname.slice(base.length);
      if (!/^(search|proxying)(\/|$)/.test(rest)) return false;
      const s = searchPath.exec(rest);
      const p = s ? undefined : proxyPath.exec(rest);
      try {
        if (!s && !p) throw errors.pathNotFound();
        if (s) await serveSearch(server, cache, s[1], s[2], req, res, url);
        else await serveProxy(server, cache, p![1], p![2], req, res, url, user);
      } catch (err) {
        sendError(res, err, req);
      }
      return true;
    },
    stop: () => {
      unlisten();
      controller.stop();
    },
  };
}

/** the resource a Kubernetes path names (Karmada's parseK8sNativeResourceInfo) */
function resourceOf(path: string): ResourceRequest | undefined {
  const info = parseRequestPath(path);
  return info.kind === 'resource' ? info : undefined;
}

const gvrOf = (r: ResourceRequest): GroupVersionResource => ({ group: r.group, version: r.version, resource: r.resource });
const isWatch = (q: URLSearchParams) => q.get('watch') === 'true' || q.get('watch') === '1';

async function serveSearch(server: ApiServer, cache: MultiClusterCache, category: string | undefined, path: string | undefined, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (!category) throw errors.pathNotFound();
  if (category === 'opensearch') throw errors.serviceUnavailable('no OpenSearch backend store is configured: karmada-ts caches in memory only (search/cache)');
  if (category !== 'cache') throw errors.badRequest(`connect with unrecognized search category ${category}`);
  if (req.method !== 'GET') throw errors.methodNotSupported({ group: searchGroup, resource: 'search' }, (req.method ?? '').toLowerCase());
  const r = resourceOf(path ?? '/');
  if (!r || r.subresource) throw errors.badRequest(`k8s native Request URL(${(path ?? '').replace(/^\//, '')}) is not a resource request`);
  await serveRead(server, cache, r, req, res, url, 'search');
}

async function serveProxy(server: ApiServer, cache: MultiClusterCache, name: string | undefined, path: string | undefined, req: IncomingMessage, res: ServerResponse, url: URL, user: UserInfo): Promise<void> {
  if (!name || path === undefined && !url.pathname.endsWith('/proxy')) throw errors.pathNotFound();
  const inner = path ?? '/';
  const r = resourceOf(inner);
  const method = req.method ?? 'GET';
  if (r && cache.has(gvrOf(r))) {
    // cache plugin: reads of the resource itself
    if (!r.subresource && (method === 'GET' || method === 'HEAD')) return serveRead(server, cache, r, req, res, url, 'proxy');
    // cluster plugin: the member holding the object
    if (!r.name) throw errors.methodNotSupported({ group: r.group, resource: r.resource }, method === 'POST' ? 'create' : method.toLowerCase());
    await cache.ready(gvrOf(r));
    const { cluster } = cache.get(gvrOf(r), r.namespace, r.name);
    const body = method === 'PUT' ? restoreMemberObject(await readBody(req), req.headers['content-type'], cluster) : undefined;
    return forwardToCluster(server, cluster, inner, url.search, req, res, user, body);
  }
  // karmada plugin: the control plane
  return forwardToSelf(server, inner, url.search, req, res, user);
}

/** an object read through the proxy and written back: without the cache annotation, at the member's resourceVersion */
export function restoreMemberObject(body: Buffer, contentType: string | undefined, cluster: string): Buffer {
  if (contentType && !contentType.includes('json')) return body;
  let obj: KubeObject;
  try {
    obj = JSON.parse(body.toString('utf8')) as KubeObject;
  } catch {
    return body;
  }
  if (!obj?.metadata) return body;
  if (obj.metadata.annotations) {
    delete obj.metadata.annotations[CacheSourceAnnotation];
    if (Object.keys(obj.metadata.annotations).length === 0) delete obj.metadata.annotations;
  }
  const rv = memberRV(obj.metadata.resourceVersion, cluster);
  if (rv !== undefined) obj.metadata.resourceVersion = rv;
  return Buffer.from(JSON.stringify(obj));
}

/** the selectors of a list or watch as one test over cache entries; field selectors know name and namespace, as Karmada's */
function entryFilter(r: ResourceRequest, q: URLSearchParams, namespaced: boolean): (e: CachedEntry) => boolean {
  const labels = parseSelector(q.get('labelSelector') ?? '');
  const fields = parseFieldSelector(q.get('fieldSelector') ?? '');
  checkSupportedFields(fields, namespaced ? ['metadata.name', 'metadata.namespace'] : ['metadata.name']);
  const ns = r.namespace;
  const get = (e: CachedEntry) => (f: string) => (f === 'metadata.name' ? e.name : f === 'metadata.namespace' ? (e.namespace ?? '') : undefined);
  return (e) => (!ns || e.namespace === ns) && (labels.empty() || labels.matches(e.labels as Record<string, string> | undefined)) && (fields.empty() || fields.matches(get(e)));
}

async function serveRead(server: ApiServer, cache: MultiClusterCache, r: ResourceRequest, req: IncomingMessage, res: ServerResponse, url: URL, api: 'search' | 'proxy'): Promise<void> {
  const gvr = gvrOf(r);
  const def = server.registry.get(r.group, r.version, r.resource);
  const q = url.searchParams;
  const how = rendering(req, q, false);
  if (!def) {
    if (api === 'proxy') throw errors.pathNotFound();
    // search/cache of something the control plane does not know: nothing is cached for it
    return sendJson(res, 200, { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] });
  }
  const keep = entryFilter(r, q, def.namespaced);
  await cache.ready(gvr);
  if (isWatch(q)) {
    if (r.name) throw errors.badRequest('watch of a single object: use fieldSelector=metadata.name=NAME');
    return serveWatch(cache, gvr, def, q, keep, how, req, res);
  }
  if (r.name) {
    if (api === 'proxy') {
      const { entry, resourceVersion } = cache.get(gvr, r.namespace, r.name);
      const obj = parseEntry(entry);
      obj.metadata.resourceVersion = resourceVersion;
      return sendJson(res, 200, renderOne(def, obj, how));
    }
    const found = cache.findAll(gvr, r.namespace, r.name);
    return writeList(res, def, how, { items: found.map((f) => f.entry), resourceVersion: '', continue: '' });
  }
  const limit = Number(q.get('limit') ?? 0);
  if (!Number.isInteger(limit) || limit < 0) throw errors.badRequest(`invalid limit: ${JSON.stringify(q.get('limit'))}`);
  const list = cache.list(gvr, { resourceVersion: q.get('resourceVersion') ?? undefined, continue: q.get('continue') ?? undefined, limit, keep });
  writeList(res, def, how, { items: list.items.map((i) => i.entry), resourceVersion: list.resourceVersion, continue: list.continue });
}

const parseEntry = (e: CachedEntry) => JSON.parse(e.json.toString('utf8')) as KubeObject;
const apiVersionOf = (def: ResourceDef) => (def.group ? `${def.group}/${def.version}` : def.version);

/** a list as JSON straight from the cached Buffers (nothing parsed), or as a Table / metadata list */
export function writeList(res: ServerResponse, def: ResourceDef, how: Rendering, list: { items: CachedEntry[]; resourceVersion: string; continue: string }): void {
  const metadata = { ...(list.resourceVersion ? { resourceVersion: list.resourceVersion } : {}), ...(list.continue ? { continue: list.continue } : {}) };
  if (how.kind === 'table') {
    return sendJson(res, 200, toTable(def, list.items.map(parseEntry), { now: new Date(), includeObject: how.includeObject, listMeta: metadata }));
  }
  if (how.kind === 'metadata') {
    const items = list.items.map((e) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: parseEntry(e).metadata }));
    return sendJson(res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items });
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const head = Buffer.from(`{"kind":${JSON.stringify(def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(def))},"metadata":${JSON.stringify(metadata)},"items":[`);
  const comma = Buffer.from(',');
  let parts: Buffer[] = [head];
  let size = head.length;
  list.items.forEach((e, i) => {
    if (i > 0) {
      parts.push(comma);
      size += 1;
    }
    parts.push(e.json);
    size += e.json.length;
    if (size >= 1 << 20) {
      res.write(Buffer.concat(parts, size));
      parts = [];
      size = 0;
    }
  });
  parts.push(Buffer.from(']}\n'));
  res.end(Buffer.concat(parts));
}

/** MultiClusterCache.Watch over HTTP: one JSON event per line, every object at the merged resourceVersion */
function serveWatch(cache: MultiClusterCache, gvr: GroupVersionResource, def: ResourceDef, q: URLSearchParams, keep: (e: CachedEntry) => boolean, how: Rendering, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const timeoutParam = q.get('timeoutSeconds');
  const timeoutSeconds = timeoutParam ? Number(timeoutParam) : 1800 * (0.5 + Math.random() * 0.5);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw errors.badRequest(`invalid timeoutSeconds: ${JSON.stringify(timeoutParam)}`);
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  const initialEvents = q.get('sendInitialEvents') === 'true';
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let tableHeaderSent = false;
  const line = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
  const render = (obj: KubeObject) => {
    const out = renderOne(def, obj, how) as { columnDefinitions?: unknown[] };
    if (how.kind === 'table') {
      if (tableHeaderSent) out.columnDefinitions = [];
      tableHeaderSent = true;
    }
    return out;
  };
  const bookmark = (rv: string, annotations?: Record<string, string>) => line('BOOKMARK', { kind: def.kind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: rv, ...(annotations ? { annotations } : {}) } });
  return new Promise<void>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    let handle: { stop(): void; rv(): string } | undefined;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      handle?.stop();
      for (const t of timers) clearTimeout(t);
      if (!res.writableEnded) res.end();
      resolve();
    };
    res.on('close', end);
    req.on('close', end);
    const from = initialEvents ? '' : (q.get('resourceVersion') ?? '');
    const w = cache.watch(
      gvr,
      from,
      keep,
      (e, _cluster, rv) => {
        if (ended) return;
        const obj = parseEntry(e.entry);
        obj.metadata.resourceVersion = rv;
        line(e.type, render(obj));
      },
      end,
    );
    if ('gone' in w) {
      line('ERROR', errors.expired(w.gone).status);
      return end();
    }
    handle = w;
    if (initialEvents) bookmark(w.rv(), { 'k8s.io/initial-events-end': 'true' });
    timers.push(setTimeout(end, timeoutSeconds * 1000));
    if (bookmarks) {
      const tick = () => {
        if (ended) return;
        bookmark(w.rv());
        timers.push(setTimeout(tick, bookmarkIntervalMs));
      };
      timers.push(setTimeout(tick, bookmarkIntervalMs));
    }
  });
}
