// Karmada's clusters/proxy subresource (karmada-aggregated-apiserver): requests to
// /apis/cluster.karmada.io/v1alpha1/clusters/NAME/proxy/PATH are forwarded to the member's API
// server as the caller: the control plane's credentials for the member (the impersonator secret a
// Pull cluster's agent reports, else the cluster's secret) impersonate the authenticated user, its
// groups, uid and extras, so the member's RBAC decides, as Karmada's proxy does. Streams both ways.
// A Pull cluster whose agent holds a tunnel (clusters/NAME/tunnel, see tunnel.ts) is reached through
// it, never at its apiEndpoint; a Push cluster, or a Pull one without a tunnel, is dialled directly.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { errors } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import type { ApiExtension, ApiServer } from '../apiserver/server.js';
import type { UserInfo } from '../apiserver/auth/authenticate.js';
import { sendError } from '../apiserver/http/respond.js';
import { credentialsFromSecret } from '../runtime/member-clients.js';
import { TunnelHub, TunnelProtocol, type TunnelSession } from './tunnel.js';

type SecretRef = { namespace?: string; name?: string };

const proxyPath = /^\/apis\/cluster\.karmada\.io\/v1alpha1\/clusters\/([^/]+)\/proxy(\/.*)?$/;
const tunnelPath = /^\/apis\/cluster\.karmada\.io\/v1alpha1\/clusters\/([^/]+)\/tunnel$/;
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'authorization', 'te', 'trailer']);

/** the caller's request headers to send upstream: hop-by-hop and its own credentials and impersonation dropped, the caller impersonated */
export function forwardedRequestHeaders(req: IncomingMessage, user: UserInfo): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !hopByHop.has(k) && !k.startsWith('impersonate-')) headers[k] = v;
  return Object.assign(headers, impersonationHeaders(user));
}

export function isWatchQuery(search: string): boolean {
  return /(^|[?&])watch=(true|1)(&|$)/.test(search);
}

function relayHeaders(up: IncomingMessage, res: ServerResponse): void {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !hopByHop.has(k)) out[k] = v;
  res.writeHead(up.statusCode ?? 502, out);
}

/**
 * One proxied exchange: `open` starts the upstream request; its status, headers (hop-by-hop dropped)
 * and body stream back to `res` (flushed at once for a watch); the caller's body (or `body`) goes
 * up. A failure before the answer is a 503 Status saying `unreachable(err)`; after it, the stream is cut.
 */
export function relayExchange(open: (onResponse: (up: IncomingMessage) => void) => ClientRequest, req: IncomingMessage, res: ServerResponse, o: { watching: boolean; unreachable: (err: Error) => string; body?: Buffer }): Promise<void> {
  return new Promise<void>((resolve) => {
    const upstream = open((up) => {
      relayHeaders(up, res);
      if (o.watching) res.flushHeaders();
      up.pipe(res);
      up.on('end', resolve);
      up.on('error', () => {
        res.destroy();
        resolve();
      });
    });
    upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
    upstream.on('error', (err) => {
      if (!res.headersSent) sendError(res, errors.serviceUnavailable(o.unreachable(err)));
      else res.destroy();
      resolve();
    });
    res.on('close', () => upstream.destroy());
    if (o.body) upstream.end(o.body);
    else req.pipe(upstream);
  });
}

/** each server's agent tunnels, for forwardToCluster */
const hubs = new WeakMap<ApiServer, TunnelHub>();

/**
 * A request forwarded to a member as the caller, as clusters/NAME/proxy does (karmada-search's
 * cluster plugin: writes and subresources of cached objects); `body` replaces the request's own.
 */
export function forwardToCluster(server: ApiServer, cluster: string, path: string, search: string, req: IncomingMessage, res: ServerResponse, user: UserInfo, body?: Buffer): Promise<void> {
  return forward(server, hubs.get(server) ?? new TunnelHub(), cluster, path, search, req, res, user, body);
}

export function clusterProxy(server: ApiServer): ApiExtension {
  server.registry.addExtraSubresource('cluster.karmada.io', 'clusters', { name: 'proxy', kind: 'ClusterProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
  const tunnels = new TunnelHub();
  hubs.set(server, tunnels);
  return {
    name: 'cluster-proxy',
    async handle(req, res, url, user) {
      const t = tunnelPath.exec(url.pathname);
      const m = t ? undefined : proxyPath.exec(url.pathname);
      if (!t && !m) return false;
      try {
        if (t) await acceptTunnel(server, tunnels, decodeURIComponent(t[1]!), req, res);
        else await forward(server, tunnels, decodeURIComponent(m![1]!), m![2] ?? '/', url.search, req, res, user);
      } catch (err) {
        sendError(res, err);
      }
      return true;
    },
    stop: () => tunnels.closeAll(),
  };
}

/** the Impersonate-* headers that make the member see the caller; pure */
function impersonationHeaders(user: UserInfo): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { 'impersonate-user': user.name };
  if (user.groups.length) headers['impersonate-group'] = [...user.groups];
  if (user.uid) headers['impersonate-uid'] = user.uid;
  for (const [k, v] of Object.entries(user.extra ?? {})) headers[`impersonate-extra-${encodeURIComponent(k).toLowerCase()}`] = [...v];
  return headers;
}

/** an agent's upgrade to clusters/NAME/tunnel (RBAC has allowed `get` on clusters/tunnel for NAME): the 101, then the session */
async function acceptTunnel(server: ApiServer, tunnels: TunnelHub, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (String(req.headers.upgrade ?? '').toLowerCase() !== TunnelProtocol) throw errors.badRequest(`clusters/${name}/tunnel needs an upgrade to ${TunnelProtocol}`);
  const clusterDef = server.registry.versionsOf('cluster.karmada.io', 'clusters')[0];
  if (!clusterDef) throw errors.pathNotFound();
  const cluster = await server.objects.get(clusterDef, undefined, name);
  const mode = (cluster.spec as { syncMode?: string } | undefined)?.syncMode ?? 'Push';
  if (mode !== 'Pull') throw errors.badRequest(`cluster ${name} is in ${mode} mode: only a Pull cluster's agent opens a tunnel`);
  const socket = res.socket;
  if (!socket) return;
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${TunnelProtocol}\r\nConnection: Upgrade\r\n\r\n`);
  tunnels.attach(name, socket);
}

/** a connection to the member inside the tunnel, with TLS to the member when its endpoint is https */
function tunnelConnection(session: TunnelSession, target: URL, tls: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean }): () => Duplex {
  return () => {
    const stream = session.openStream();
    if (target.protocol !== 'https:') return stream;
    const host = target.hostname.replace(/^\[|\]$/g, '');
    return tlsConnect({ socket: stream, host, ...(isIP(host) ? {} : { servername: host }), ...tls });
  };
}

async function forward(server: ApiServer, tunnels: TunnelHub, name: string, path: string, search: string, req: IncomingMessage, res: ServerResponse, user: UserInfo, body?: Buffer): Promise<void> {
  const clusterDef = server.registry.versionsOf('cluster.karmada.io', 'clusters')[0];
  const secretDef = server.registry.versionsOf('', 'secrets')[0];
  if (!clusterDef) throw errors.pathNotFound();
  const cluster = await server.objects.get(clusterDef, undefined, name);
  const spec = (cluster.spec ?? {}) as { apiEndpoint?: string; secretRef?: SecretRef; impersonatorSecretRef?: SecretRef; insecureSkipTLSVerification?: boolean; syncMode?: string };
  const tunnel = spec.syncMode === 'Pull' ? tunnels.get(name) : undefined;
  if (!spec.apiEndpoint) throw errors.serviceUnavailable(`cluster ${name} has no apiEndpoint to proxy to`);
  const ref = spec.impersonatorSecretRef?.name ? spec.impersonatorSecretRef : spec.secretRef;
  if (!ref?.name) throw errors.serviceUnavailable(`cluster ${name} has no credentials to proxy with: ${spec.syncMode === 'Pull' ? 'its karmada-agent has not reported its impersonator secret yet' : 'spec.secretRef is empty'}`);
  const secret: KubeObject | undefined = await server.objects.tryGet(secretDef, ref.namespace ?? 'karmada-cluster', ref.name);
  const creds = secret ? credentialsFromSecret(secret) : {};
  const target = new URL(spec.apiEndpoint.replace(/\/+$/, '') + path + search);
  const headers = forwardedRequestHeaders(req, user);
  if (body) headers['content-length'] = String(body.length);
  if (creds.token) headers.authorization = `Bearer ${creds.token}`;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const tlsOpts = { ca: creds.caBundle, cert: creds.clientCert, key: creds.clientKey, rejectUnauthorized: !spec.insecureSkipTLSVerification && !!creds.caBundle };
  const tls = tunnel ? { createConnection: tunnelConnection(tunnel, target, tlsOpts) } : tlsOpts;
  if (req.headers.upgrade) return forwardUpgrade(name, send, target, { ...headers, connection: 'Upgrade', upgrade: req.headers.upgrade }, tls, req, res);
  const watching = isWatchQuery(search);
  await relayExchange((onResponse) => send(target, { method: req.method, headers, ...tls, timeout: watching ? 0 : 30_000 }, onResponse), req, res, {
    watching,
    unreachable: (err) => `the cluster ${name} is not reachable: ${err.message}`,
    body,
  });
}

/**
 * An upgrade (kubectl exec's and attach's WebSocket): the member's 101 and everything after it pass
 * through on the caller's socket; a refusal (403, 404) comes back as an ordinary response.
 */
function forwardUpgrade(name: string, send: typeof httpsRequest, target: URL, headers: Record<string, string | string[]>, tls: object, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const upstream = send(target, { method: req.method, headers, ...tls });
    upstream.on('upgrade', (up, upSocket, head) => {
      const client = res.socket;
      if (!client) {
        upSocket.destroy();
        return resolve();
      }
      const lines = [`HTTP/1.1 ${up.statusCode ?? 101} ${up.statusMessage ?? 'Switching Protocols'}`];
      for (let i = 0; i < up.rawHeaders.length; i += 2) lines.push(`${up.rawHeaders[i]}: ${up.rawHeaders[i + 1]}`);
      client.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) client.write(head);
      upSocket.pipe(client);
      client.pipe(upSocket);
      const done = () => {
        upSocket.destroy();
        client.destroy();
        resolve();
      };
      upSocket.on('close', done);
      client.on('close', done);
      upSocket.on('error', done);
      client.on('error', done);
    });
    upstream.on('response', (up) => {
      relayHeaders(up, res);
      up.pipe(res);
      up.on('end', resolve);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) sendError(res, errors.serviceUnavailable(`the cluster ${name} is not reachable: ${err.message}`));
      else res.destroy();
      resolve();
    });
    upstream.end();
  });
}
