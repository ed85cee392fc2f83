// karmada-search's karmada plugin (pkg/search/proxy/framework/plugins/karmada): what the cache does
// not serve goes to the control plane's own API, here as the caller (impersonated with this
// server's admin certificate), so RBAC decides exactly as for a direct request.
import { request } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../apimachinery/errors.js';
import type { ApiServer } from '../apiserver/server.js';
import type { UserInfo } from '../apiserver/auth/authenticate.js';
import { sendError } from '../apiserver/http/respond.js';
import { impersonationHeaders } from '../aggregated/cluster-proxy.js';

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'authorization', 'te', 'trailer']);

export function forwardToSelf(server: ApiServer, path: string, search: string, req: IncomingMessage, res: ServerResponse, user: UserInfo): Promise<void> {
  if (req.headers.upgrade) return Promise.reject(errors.badRequest(`upgrade requests are not proxied to the control plane through karmada-search: ${path}`));
  const target = new URL(server.url);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !hopByHop.has(k) && !k.startsWith('impersonate-')) headers[k] = v;
  Object.assign(headers, impersonationHeaders(user));
  const { certPem, keyPem } = server.adminCredentials;
  const watching = /(^|[?&])watch=(true|1)(&|$)/.test(search);
  return new Promise<void>((resolve) => {
    const upstream = request(
      { host: target.hostname, port: target.port, path: path + search, method: req.method, headers, ca: server.caPem, cert: certPem, key: keyPem, timeout: watching ? 0 : 60_000 },
      (up) => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !hopByHop.has(k)) out[k] = v;
        res.writeHead(up.statusCode ?? 502, out);
        if (watching) res.flushHeaders();
        up.pipe(res);
        up.on('end', resolve);
        up.on('error', () => {
          res.destroy();
          resolve();
        });
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
    upstream.on('error', (err) => {
      if (!res.headersSent) sendError(res, errors.serviceUnavailable(`the control plane did not answer: ${err.message}`));
      else res.destroy();
      resolve();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
}
