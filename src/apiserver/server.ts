// The Kubernetes-compatible API server: TLS, authentication, discovery, OpenAPI, the REST verbs over
// every served resource, and the in-process controllers kube-apiserver's users rely on (namespace
// lifecycle, garbage collection, CRD establishment).
import { createServer, type Server } from 'node:https';
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { mkdirSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Gauge, Registry } from 'prom-client';
import { builtinResources } from '../apis/builtin/index.js';
import type { ResourceDef } from '../apis/resource.js';
import { errors } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { createStore, type Store, type StoreOptions } from '../storage/index.js';
import { anonymousUser, authenticateRequest, loadTokenFile, type TokenTable, type UserInfo } from './auth/authenticate.js';
import { ensurePki, loadServingPair, servingCertPath, type ServerPki } from './auth/certs.js';
import { buildKubeconfig } from './auth/kubeconfig.js';
import { admit, alwaysAllow, rbacAuthorizer, type Authorizer } from './auth/access.js';
import { RbacPolicy } from './auth/rbac/policy.js';
import type { Attributes } from './auth/rbac/rules.js';
import { serveAuthApi, type AuthApiDeps } from './auth/apis.js';
import { ServiceAccountAuth } from './auth/serviceaccounts/index.js';
import { BootstrapTokenAuth } from './auth/bootstrap/index.js';
import { Certificates } from './auth/certificates/index.js';
import type { ServiceAccountTokens } from './auth/serviceaccounts/tokens.js';
import { startInProcessControllers } from './controllers/index.js';
import { Manager } from '../runtime/controller.js';
import { crdAdmission } from './admission/crd.js';
import { NamespaceLifecycle } from './admission/namespace-lifecycle.js';
import { serviceAllocator } from './admission/service-allocator.js';
import { aggregatedContentType, aggregatedFormat, aggregatedWantsProtobuf, Discovery } from './discovery/discovery.js';
import { ResourceHandler } from './handlers/resources.js';
import { builtinProtobuf } from './http/protobuf.js';
import { parseRequestPath, type RequestInfo, type ResourceRequest } from './http/request-info.js';
import { sendError, sendJson, sendText, toStatusError } from './http/respond.js';
import { OpenAPIService } from './openapi/documents.js';
import { builtinSchemas, resolver } from './openapi/schemas.js';
import { ResourceRegistry } from './registry/resources.js';
import type { AdmissionPlugin } from './rest/admission.js';
import { internalContext } from './rest/context.js';
import { ObjectStore } from './rest/object-store.js';
import { makeSchemaHooks } from './rest/schema-hooks.js';
import { RequestMetrics, type RequestLabels } from './request-metrics.js';

/** A handler for paths the generic REST layer does not serve (e.g. Karmada's clusters/proxy). */
export interface ApiExtension {
  name: string;
  /** answers the request and returns true, or returns false to leave it to the API server */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, user: UserInfo): Promise<boolean>;
  /** closes what outlives a request (the agents' tunnels) when the server stops */
  stop?(): void;
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
  /** kube-apiserver's --anonymous-auth: a request with no credentials is system:anonymous (RBAC decides) instead of a 401 */
  anonymousAuth?: boolean;
  /** kube-apiserver's --authorization-mode: RBAC (default) or AlwaysAllow */
  authorizationMode?: 'RBAC' | 'AlwaysAllow';
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
  private stopWatchingCert?: () => void;
  private pki?: ServerPki;
  private tokens: TokenTable = new Map();
  private controllers: { stop(): void }[] = [];
  private extensions: ApiExtension[] = [];
  private readonly namespaceLifecycle: NamespaceLifecycle;
  private readonly metrics = new Registry();
  private readonly requestMetrics = new RequestMetrics();
  private readonly longRunning: Gauge<string>;
  url = '';
  kubeconfigPath = '';
  private inflight = { readOnly: 0, mutating: 0, leases: 0 };
  private authorizer: Authorizer = alwaysAllow;
  private rbac?: RbacPolicy;
  private serviceAccounts?: ServiceAccountAuth;
  private bootstrapTokens?: BootstrapTokenAuth;
  private certificates?: Certificates;
  private readonly authApis: AuthApiDeps = {
    authorizer: () => this.authorizer,
    rbac: () => this.rbac,
    serviceAccounts: () => this.serviceAccounts!,
    objects: () => this.objects,
    certificates: () => this.certificates!,
    authenticateToken: async (token) => this.tokens.get(token) ?? (await this.authenticateBearer(token)),
  };

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
    const services = async () => (await this.objects.list(this.registry.versionsOf('', 'services')[0]!, undefined)).items;
    this.objects.admission.push(this.namespaceLifecycle, crdAdmission(), serviceAllocator(services), ...(options.admission ?? []));
    this.discovery = new Discovery(this.registry);
    this.openapi = new OpenAPIService(() => this.registry.all());
    this.registry.onChange(() => this.openapi.setChanged());
    this.handler = new ResourceHandler({ objects: this.objects, schemas: hooks });
    this.extensions = (options.extensions ?? []).map((make) => make(this));
    this.metrics.registerMetric(this.requestMetrics.total);
    this.longRunning = new Gauge({
      name: 'apiserver_longrunning_requests',
      help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      registers: [this.metrics],
    });
    this.metrics.registerMetric(this.requestMetrics.duration);
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
    // the caches authentication and authorization read, and the auth controllers (tokens, CSR
    // signing, bootstrap signer, ClusterRole aggregation), on one runtime Manager
    const auth = new Manager({ retryDelayMs: 200 });
    await auth.start();
    this.controllers.push({ stop: () => void auth.stop() });
    const runControllers = !this.options.disableControllers;
    this.serviceAccounts = new ServiceAccountAuth(this.objects, this.registry, dataDir, this.pki.ca.certPem, auth, runControllers);
    await this.serviceAccounts.start();
    this.bootstrapTokens = new BootstrapTokenAuth(this.objects, this.registry, auth, runControllers);
    await this.bootstrapTokens.start();
    this.certificates = new Certificates(this.objects, this.registry, this.pki.ca);
    if (runControllers) await this.certificates.start(auth);
    this.registry.addExtraSubresource('', 'serviceaccounts', { name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] });
    if (this.options.authorizationMode !== 'AlwaysAllow') {
      this.rbac = new RbacPolicy(this.objects, this.registry, auth, runControllers);
      await this.rbac.start();
      this.authorizer = rbacAuthorizer(this.rbac);
    }
    if (!this.options.disableControllers) {
      const manager = await startInProcessControllers(this.objects, this.registry);
      this.controllers.push({ stop: () => void manager.stop() });
    }
    const server = createServer({
      key: this.pki.serving.keyPem,
      cert: this.pki.serving.certPem,
      ca: this.pki.ca.certPem,
      minVersion: 'TLSv1.2',
      requestCert: true,
      rejectUnauthorized: false,
      keepAlive: true,
    });
    server.keepAliveTimeout = 90_000;
    server.headersTimeout = 95_000;
    server.requestTimeout = 0; // watches stream for a long time
    server.on('request', (req, res) => void this.serve(req, res));
    // upgrades (kubectl exec's WebSocket) take the same path; an extension answering one writes to the socket itself
    server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
      const res = new ServerResponse(req);
      res.assignSocket(socket);
      res.once('finish', () => socket.end());
      void this.serve(req, res);
    });
    server.on('clientError', (_err, socket) => socket.destroy());
    this.server = server;
    this.reloadServingCertOnChange(server, dataDir);
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

  /** the service account token issuer (tests mint tokens that kubectl cannot request, e.g. expired ones) */
  get serviceAccountTokens(): ServiceAccountTokens {
    return this.serviceAccounts!.tokens;
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

  /** `karmada-ts certs rotate` writes a new serving certificate: new connections get it, open ones carry on */
  private reloadServingCertOnChange(server: Server, dataDir: string): void {
    const path = servingCertPath(dataDir);
    const reload = () => {
      const pair = loadServingPair(dataDir);
      if (!pair || pair.certPem === this.pki?.serving.certPem) return;
      try {
        server.setSecureContext({ key: pair.keyPem, cert: pair.certPem, ca: this.pki!.ca.certPem, minVersion: 'TLSv1.2' });
        this.pki = { ...this.pki!, serving: pair };
      } catch {
        // a half-written pair (key and certificate do not match yet): the next change completes it
      }
    };
    watchFile(path, { interval: 1000, persistent: false }, reload);
    this.stopWatchingCert = () => unwatchFile(path, reload);
  }

  async stop(): Promise<void> {
    this.stopWatchingCert?.();
    for (const c of this.controllers) c.stop();
    this.controllers = [];
    for (const e of this.extensions) e.stop?.();
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
    const kind = inflightPool(req.method ?? 'GET', info);
    const limit = kind === 'leases' ? leaseRequestsInflight : kind === 'readOnly' ? (this.options.maxRequestsInflight ?? 400) : (this.options.maxMutatingRequestsInflight ?? 200);
    const counted = !longRunning && !isPublic(url.pathname);
    if (longRunning && info.kind === 'resource') {
      const labels = { verb: 'WATCH', ...resourceLabels(info) };
      this.longRunning.inc(labels);
      res.once('close', () => this.longRunning.dec(labels));
    }
    try {
      if (counted) {
        if (this.inflight[kind] >= limit) {
          res.setHeader('Retry-After', '1');
          throw errors.tooManyRequests('Too many requests, please try again later.');
        }
        this.inflight[kind]++;
      }
      try {
        const user = (await authenticateRequest(req, this.tokens, (token) => this.authenticateBearer(token))) ?? (this.options.anonymousAuth ? anonymousUser(req) : undefined);
        if (!user && !isPublic(url.pathname)) throw errors.unauthorized();
        const request = user && admit(this.authorizer, req, url, user);
        await this.route(req, res, url, info, request);
      } finally {
        if (counted) this.inflight[kind]--;
      }
    } catch (err) {
      sendError(res, err, req);
    }
  }

  /** bearer tokens the token file does not hold: bootstrap tokens, then service account JWTs */
  private authenticateBearer(token: string): Promise<UserInfo | undefined> {
    if (this.bootstrapTokens!.handles(token)) return this.bootstrapTokens!.authenticate(token);
    return this.serviceAccounts!.authenticateBearer(token);
  }

  private record(req: IncomingMessage, res: ServerResponse, info: RequestInfo, q: URLSearchParams, started: bigint): void {
    const method = req.method ?? 'GET';
    let verb = method;
    if (info.kind === 'resource') {
      if (method === 'GET') verb = info.name ? 'GET' : q.get('watch') === 'true' || q.get('watch') === '1' ? 'WATCH' : 'LIST';
      else if (method === 'PATCH' && req.headers['content-type']?.startsWith('application/apply-patch')) verb = 'APPLY';
    }
    const dryRun = q.get('dryRun') ?? '';
    const labels: RequestLabels =
      info.kind === 'resource' ? { verb, dry_run: dryRun, ...resourceLabels(info) } : { verb, dry_run: dryRun, group: '', version: '', resource: '', subresource: '', scope: '', component: 'apiserver' };
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.requestMetrics.record(labels, res.statusCode, seconds);
  }

  /** `request`: what an authenticated request asks, as whom (undefined for an anonymous public path) */
  private async route(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo, request: Attributes | undefined): Promise<void> {
    const user = request?.user;
    if (request && (await serveAuthApi(this.authApis, req, res, url, request))) return;
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
// Leases have a pool of their own, as priority-and-fairness gives leader election its own priority
// level: a flood of other requests never makes a leader lose its lease or a member look NotReady.
const leaseRequestsInflight = 100;

/** the resource labels of kube-apiserver's request metrics */
function resourceLabels(info: ResourceRequest): { group: string; version: string; resource: string; subresource: string; scope: string; component: string } {
  return {
    group: info.group,
    version: info.version,
    resource: info.resource,
    subresource: info.subresource ?? '',
    scope: info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster',
    component: 'apiserver',
  };
}

function inflightPool(method: string, info: RequestInfo): 'readOnly' | 'mutating' | 'leases' {
  if (info.kind === 'resource' && info.group === 'coordination.k8s.io' && info.resource === 'leases') return 'leases';
  return method === 'GET' || method === 'HEAD' ? 'readOnly' : 'mutating';
}

function isPublic(path: string): boolean {
  return path === '/healthz' || path === '/livez' || path === '/readyz' || path === '/version' || path === '/version/';
}
