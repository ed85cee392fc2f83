// The Kubernetes-compatible API server: TLS, authentication, discovery, OpenAPI, the REST verbs over
// every served resource, and the in-process controllers kube-apiserver's users rely on (namespace
// lifecycle, garbage collection, CRD establishment).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Counter, Histogram, Registry } from 'prom-client';
import { builtinResources } from '../apis/builtin/index.js';
import type { ResourceDef } from '../apis/resource.js';
import { errors } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { createStore, type Store, type StoreOptions } from '../storage/index.js';
import { authenticate, loadTokenFile, type TokenTable, type UserInfo } from './auth/authenticate.js';
import { ensurePki, type ServerPki } from './auth/certs.js';
import { buildKubeconfig } from './auth/kubeconfig.js';
import { CRDController } from './controllers/crd.js';
import { GarbageCollector } from './controllers/gc.js';
import { NamespaceController } from './controllers/namespace.js';
import { crdAdmission } from './admission/crd.js';
import { NamespaceLifecycle } from './admission/namespace-lifecycle.js';
import { aggregatedContentType, aggregatedFormat, aggregatedWantsProtobuf, Discovery } from './discovery/discovery.js';
import { ResourceHandler } from './handlers/resources.js';
import { builtinProtobuf } from './http/protobuf.js';
import { parseRequestPath, type RequestInfo } from './http/request-info.js';
import { sendError, sendJson, sendText, toStatusError } from './http/respond.js';
import { OpenAPIService } from './openapi/documents.js';
import { builtinSchemas, resolver } from './openapi/schemas.js';
import { ResourceRegistry } from './registry/resources.js';
import type { AdmissionPlugin } from './rest/admission.js';
import { internalContext } from './rest/context.js';
import { ObjectStore } from './rest/object-store.js';
import { makeSchemaHooks } from './rest/schema-hooks.js';

/** A handler for paths the generic REST layer does not serve (e.g. Karmada's clusters/proxy). */
export interface ApiExtension {
  name: string;
  /** answers the request and returns true, or returns false to leave it to the API server */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, user: UserInfo): Promise<boolean>;
}

export interface ApiServerOptions {
  /** where the PKI, the admin kubeconfig and (for sqlite) the database live */
  dataDir: string;
  /** 0 picks a free port */
  port?: number;
  host?: string;
  /** default: sqlite in DIR/db/state.db */
  storage?: StoreOptions | { store: Store };
  /** kube-apiserver --token-auth-file format */
  tokenAuthFile?: string;
  /** extra admission plugins (Karmada's validation and defaulting) */
  admission?: AdmissionPlugin[];
  /** handlers for extra paths, tried after authentication */
  extensions?: ((server: ApiServer) => ApiExtension)[];
  /** name used in the kubeconfig (cluster, user and context) */
  contextName?: string;
  /** don't run the in-process controllers (tests of the bare registry) */
  disableControllers?: boolean;
  /** concurrent non-mutating / mutating requests before 429 (watches don't count), as kube-apiserver's flags */
  maxRequestsInflight?: number;
  maxMutatingRequestsInflight?: number;
}

export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4-karmada-ts',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-01T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

const builtinNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export class ApiServer {
  readonly registry = new ResourceRegistry();
  readonly objects: ObjectStore;
  readonly discovery: Discovery;
  readonly openapi: OpenAPIService;
  private readonly handler: ResourceHandler;
  private server?: Server;
  private pki?: ServerPki;
  private tokens: TokenTable = new Map();
  private controllers: { stop(): void }[] = [];
  private extensions: ApiExtension[] = [];
  private readonly namespaceLifecycle: NamespaceLifecycle;
  private readonly metrics = new Registry();
  private readonly requestTotal: Counter<string>;
  private readonly requestDuration: Histogram<string>;
  url = '';
  kubeconfigPath = '';
  private inflight = { readOnly: 0, mutating: 0 };

  private constructor(
    readonly store: Store,
    private readonly ownsStore: boolean,
    private readonly options: ApiServerOptions,
  ) {
    this.registry.setSource('builtin', builtinResources);
    const schemas = builtinSchemas();
    const hooks = makeSchemaHooks(schemas, resolver(schemas));
    this.objects = new ObjectStore(store, hooks);
    this.namespaceLifecycle = new NamespaceLifecycle(this.objects, this.registry);
    this.objects.admission.push(this.namespaceLifecycle, crdAdmission(), ...(options.admission ?? []));
    this.discovery = new Discovery(this.registry);
    this.openapi = new OpenAPIService(() => this.registry.all());
    this.registry.onChange(() => this.openapi.setChanged());
    this.handler = new ResourceHandler({ objects: this.objects, schemas: hooks });
    this.extensions = (options.extensions ?? []).map((make) => make(this));
    this.requestTotal = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
      registers: [this.metrics],
    });
    this.requestDuration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
      registers: [this.metrics],
    });
  }

  static async start(options: ApiServerOptions): Promise<ApiServer> {
    mkdirSync(options.dataDir, { recursive: true });
    const storage = options.storage ?? { backend: 'sqlite', path: join(options.dataDir, 'db', 'state.db') };
    const owns = !('store' in storage);
    const store = 'store' in storage ? storage.store : await createStore(storage);
    const server = new ApiServer(store, owns, options);
    try {
      await server.boot();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  private def(group: string, resource: string): ResourceDef {
    const d = this.registry.versionsOf(group, resource)[0];
    if (!d) throw new Error(`built-in resource ${resource}.${group} is missing`);
    return d;
  }

  private async boot(): Promise<void> {
    const { dataDir } = this.options;
    this.pki = await ensurePki(dataDir);
    if (this.options.tokenAuthFile) this.tokens = loadTokenFile(this.options.tokenAuthFile);
    await this.ensureNamespaces();
    await this.namespaceLifecycle.start();
    this.controllers.push(this.namespaceLifecycle);
    if (!this.options.disableControllers) {
      const crds = new CRDController(this.objects, this.registry, this.def('apiextensions.k8s.io', 'customresourcedefinitions'));
      await crds.start();
      const namespaces = new NamespaceController(this.objects, this.registry, this.def('', 'namespaces'));
      await namespaces.start();
      const gc = new GarbageCollector(this.objects, this.registry);
      await gc.start();
      this.controllers.push(crds, namespaces, gc);
    }
    const server = createServer({
      key: this.pki.serving.keyPem,
      cert: this.pki.serving.certPem,
      ca: this.pki.ca.certPem,
      requestCert: true,
      rejectUnauthorized: false,
      keepAlive: true,
    });
    server.keepAliveTimeout = 90_000;
    server.headersTimeout = 95_000;
    server.requestTimeout = 0; // watches stream for a long time
    server.on('request', (req, res) => void this.serve(req, res));
    server.on('clientError', (_err, socket) => socket.destroy());
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.url = `https://127.0.0.1:${port}`;
    this.kubeconfigPath = join(dataDir, 'admin.kubeconfig');
    writeFileSync(this.kubeconfigPath, this.adminKubeconfig(), { mode: 0o600 });
  }

  /** an admin kubeconfig (client certificate in system:masters) for this server */
  adminKubeconfig(name = this.options.contextName ?? 'karmada-ts'): string {
    const pki = this.pki!;
    return buildKubeconfig([{ name, server: this.url, caPem: pki.ca.certPem, user: { clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem } }]);
  }

  get caPem(): string {
    return this.pki!.ca.certPem;
  }

  get adminCredentials(): { certPem: string; keyPem: string } {
    return this.pki!.admin;
  }

  private async ensureNamespaces(): Promise<void> {
    const def = this.def('', 'namespaces');
    for (const name of builtinNamespaces) {
      try {
        await this.objects.create(def, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject, internalContext('kube-apiserver'));
      } catch (err) {
        if (toStatusError(err).reason !== 'AlreadyExists') throw err;
      }
    }
  }

  async stop(): Promise<void> {
    for (const c of this.controllers) c.stop();
    this.controllers = [];
    if (this.server) {
      const server = this.server;
      this.server = undefined;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    if (this.ownsStore) await this.store.close();
  }

  // ---- request handling ----

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const info = parseRequestPath(url.pathname);
    res.once('finish', () => this.record(req, res, info, url.searchParams, started));
    const longRunning = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const kind = req.method === 'GET' || req.method === 'HEAD' ? 'readOnly' : 'mutating';
    const limit = kind === 'readOnly' ? (this.options.maxRequestsInflight ?? 400) : (this.options.maxMutatingRequestsInflight ?? 200);
    const counted = !longRunning && !isPublic(url.pathname);
    try {
      if (counted) {
        if (this.inflight[kind] >= limit) {
          res.setHeader('Retry-After', '1');
          throw errors.tooManyRequests('Too many requests, please try again later.');
        }
        this.inflight[kind]++;
      }
      try {
        const user = authenticate(req, this.tokens);
        if (!user && !isPublic(url.pathname)) throw errors.unauthorized();
        await this.route(req, res, url, info, user);
      } finally {
        if (counted) this.inflight[kind]--;
      }
    } catch (err) {
      sendError(res, err, req);
    }
  }

  private record(req: IncomingMessage, res: ServerResponse, info: RequestInfo, q: URLSearchParams, started: bigint): void {
    const method = req.method ?? 'GET';
    let verb = method;
    let labels: Record<string, string> = { group: '', version: '', resource: '', subresource: '', scope: '', component: 'apiserver', dry_run: q.get('dryRun') ?? '' };
    if (info.kind === 'resource') {
      if (method === 'GET') verb = info.name ? 'GET' : q.get('watch') === 'true' || q.get('watch') === '1' ? 'WATCH' : 'LIST';
      else if (method === 'PATCH' && req.headers['content-type']?.startsWith('application/apply-patch')) verb = 'APPLY';
      labels = {
        ...labels,
        group: info.group,
        version: info.version,
        resource: info.resource,
        subresource: info.subresource ?? '',
        scope: info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster',
      };
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.requestTotal.inc({ ...labels, verb, code: String(res.statusCode) });
    this.requestDuration.observe({ ...labels, verb }, seconds);
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo, user: UserInfo | undefined): Promise<void> {
    if (user) for (const ext of this.extensions) if (await ext.handle(req, res, url, user)) return;
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    switch (path) {
      case '/healthz':
      case '/livez':
        return sendText(res, 200, 'ok');
      case '/readyz': {
        const ok = await this.store.healthy().catch(() => false);
        return ok ? sendText(res, 200, 'ok') : sendText(res, 500, '[-]etcd failed: storage is not reachable\nreadyz check failed');
      }
      case '/version':
        return sendJson(res, 200, serverVersion);
      case '/metrics':
        return sendText(res, 200, await this.metrics.metrics(), this.metrics.contentType);
      case '/openapi/v2': {
        if ((req.headers.accept ?? '').includes('protobuf')) {
          const doc = this.openapi.v2Protobuf();
          res.writeHead(200, { 'Content-Type': doc.contentType, 'Content-Length': doc.body.length });
          return void res.end(doc.body);
        }
        return sendJson(res, 200, this.openapi.v2Json());
      }
      case '/openapi/v3':
        return sendJson(res, 200, this.openapi.v3Index());
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = this.openapi.v3Document(path.slice('/openapi/v3/'.length));
      if (!doc) throw errors.pathNotFound();
      const headers: Record<string, string> = url.searchParams.get('hash') === doc.hash ? { 'Cache-Control': 'public, immutable', Expires: new Date(Date.now() + 365 * 86400_000).toUTCString() } : { 'Cache-Control': 'no-cache, private' };
      return sendJson(res, 200, doc.body, { ...headers, Etag: `"${doc.hash}"` });
    }
    if (method === 'GET' && info.kind !== 'resource' && info.kind !== 'other') return this.serveDiscovery(req, res, info);
    if (info.kind !== 'resource') throw errors.pathNotFound();
    const def = this.registry.get(info.group, info.version, info.resource);
    if (!def) throw errors.pathNotFound();
    await this.handler.handle(req, res, info, def, url.searchParams);
  }

  private serveDiscovery(req: IncomingMessage, res: ServerResponse, info: RequestInfo): void {
    const accept = req.headers.accept;
    const agg = aggregatedFormat(accept);
    if (info.kind === 'discovery-root') {
      if (agg) {
        const json = this.discovery.aggregated(info.group === '', agg);
        const protobuf = aggregatedWantsProtobuf(accept);
        const body = protobuf ? builtinProtobuf().encode(JSON.parse(json)) : json;
        res.writeHead(200, { 'Content-Type': aggregatedContentType(agg, protobuf), 'Content-Length': Buffer.byteLength(body) });
        return void res.end(body);
      }
      return sendJson(res, 200, info.group === '' ? this.discovery.apiVersions(`127.0.0.1:${new URL(this.url).port}`) : this.discovery.apiGroupList());
    }
    if (info.kind === 'discovery-group') {
      const body = this.discovery.apiGroup(info.group!);
      if (!body) throw errors.pathNotFound();
      return sendJson(res, 200, body);
    }
    const body = this.discovery.resourceList(info.group!, info.version!);
    if (!body) throw errors.pathNotFound();
    sendJson(res, 200, body);
  }
}

/** paths kube-apiserver's default RBAC lets anyone read (system:public-info-viewer) */
function isPublic(path: string): boolean {
  return path === '/healthz' || path === '/livez' || path === '/readyz' || path === '/version' || path === '/version/';
}
