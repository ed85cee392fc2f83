// `karmada-ts dashboard`: a small HTTP server on the loopback address that reads the control plane
// with one kubeconfig's identity (as `kubectl proxy` does) and serves the UI, the /k8s passthrough and
// the /ui/v1 views, live over Server-Sent Events. Karmada's counterpart is the separate
// karmada-dashboard project; this one is read-only and sees what the kubeconfig's RBAC allows.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { errors } from '../apimachinery/errors.js';
import { userAgent } from '../runtime/user-agent.js';
import { KubeClient } from '../runtime/client.js';
import { admit, cookieName, keyCookie, keyMatches, parseCookies } from './guard.js';
import { passthrough, upstreamPath } from './passthrough.js';
import { asStatusError, sendJson, sendStatus, statusError } from './respond.js';
import { contentSecurityPolicy, defaultUiDir, staticAnswer } from './static.js';
import { LiveState } from './live.js';
import { route } from './routes.js';
import { wantsEventStream, streamEndpoint } from './sse.js';

interface DashboardOptions {
  /** the kubeconfig's text */
  kubeconfig: string;
  context?: string;
  /** 0 picks a free port */
  port?: number;
  address?: string;
  /** namespaces to read, besides the context's, when the identity may not list across all of them */
  namespaces?: string[];
  /** where the built UI is (default dist/dashboard of this package) */
  uiDir?: string;
  /** the coalescing window of live updates (default 200 ms) */
  coalesceMs?: number;
  /** the keepalive comment interval of event streams (default 15 s) */
  keepaliveMs?: number;
}

export class DashboardServer {
  private constructor(
    private readonly http: Server,
    readonly port: number,
    readonly key: string,
    readonly client: KubeClient,
    readonly live: LiveState,
  ) {}

  /** the address to open: sets the key cookie, then redirects to / */
  get url(): string {
    return `http://127.0.0.1:${this.port}/?key=${this.key}`;
  }

  static async start(opts: DashboardOptions): Promise<DashboardServer> {
    const client = KubeClient.fromKubeconfig(opts.kubeconfig, { userAgent: userAgent('karmada-dashboard'), ...(opts.context ? { context: opts.context } : {}) });
    if (!client.server) throw new Error(`the kubeconfig has no server${opts.context ? ` for context ${JSON.stringify(opts.context)}` : ''}`);
    const namespaces = [...new Set([client.defaultNamespace, ...(opts.namespaces ?? [])])];
    const live = new LiveState(client, { namespaces, coalesceMs: opts.coalesceMs ?? 200 });
    const key = randomBytes(24).toString('base64url');
    const uiDir = opts.uiDir ?? defaultUiDir();
    const keepaliveMs = opts.keepaliveMs ?? 15_000;
    let port = 0;
    const http = createServer((req, res) => {
      void handle(req, res).catch((err: unknown) => sendStatus(res, asStatusError(err)));
    });
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const verdict = admit({ method: req.method, host: req.headers.host }, port);
      if (!verdict.ok) {
        return sendStatus(res, statusError(verdict.code, verdict.reason, verdict.message), verdict.code === 405 ? { Allow: 'GET, HEAD' } : {});
      }
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname === '/' && url.searchParams.has('key')) {
        if (!keyMatches(url.searchParams.get('key') ?? undefined, key)) return sendStatus(res, errors.unauthorized('the dashboard key is wrong: open the URL the dashboard printed when it started'));
        res.writeHead(302, { Location: '/', 'Set-Cookie': keyCookie(port, key), 'Cache-Control': 'no-store' });
        return void res.end();
      }
      const isApi = url.pathname === '/k8s' || url.pathname.startsWith('/k8s/') || url.pathname.startsWith('/ui/');
      if (!isApi) {
        const answer = await staticAnswer(uiDir, url.pathname);
        if (!answer) return sendStatus(res, errors.pathNotFound());
        const page = answer.contentType.startsWith('text/html') ? { 'Content-Security-Policy': contentSecurityPolicy, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' } : {};
        res.writeHead(answer.status, { 'Content-Type': answer.contentType, 'Cache-Control': answer.cacheControl, 'X-Content-Type-Options': 'nosniff', ...page });
        return void res.end(req.method === 'HEAD' ? undefined : answer.body);
      }
      if (!keyMatches(parseCookies(req.headers.cookie).get(cookieName(port)), key)) {
        return sendStatus(res, errors.unauthorized('no dashboard key: open the URL the dashboard printed when it started (http://127.0.0.1:PORT/?key=...)'));
      }
      const upstream = upstreamPath(req.url ?? '');
      if (url.pathname.startsWith('/k8s')) {
        if (!upstream) return sendStatus(res, errors.badRequest(`${url.pathname} is not an API path: use /k8s/api/... or /k8s/apis/...`));
        return passthrough(client.kubeConfig, req, res, upstream);
      }
      const endpoint = route(live, url);
      if (wantsEventStream(req.headers.accept)) return streamEndpoint(live, endpoint, req, res, keepaliveMs);
      sendJson(res, 200, await endpoint.compute());
    };
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(opts.port ?? 0, opts.address ?? '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
    port = (http.address() as AddressInfo).port;
    const dashboard = new DashboardServer(http, port, key, client, live);
    void live.startClusters();
    return dashboard;
  }

  async stop(): Promise<void> {
    this.live.stop();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      // event streams and watches never end on their own
      this.http.closeAllConnections();
    });
    this.client.close();
  }
}
