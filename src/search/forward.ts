// karmada-search's karmada plugin (pkg/search/proxy/framework/plugins/karmada): what the cache does
// not serve goes to the control plane's own API, here as the caller (impersonated with this
// server's admin certificate), so RBAC decides exactly as for a direct request.
import { request } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../apimachinery/errors.js';
import type { ApiServer } from '../apiserver/server.js';
import type { UserInfo } from '../apiserver/auth/authenticate.js';
import { forwardedRequestHeaders, isWatchQuery, relayExchange } from '../aggregated/cluster-proxy.js';

export function forwardToSelf(server: ApiServer, path: string, search: string, req: IncomingMessage, res: ServerResponse, user: UserInfo): Promise<void> {
  if (req.headers.upgrade) return Promise.reject(errors.badRequest(`upgrade requests are not proxied to the control plane through karmada-search: ${path}`));
  const target = new URL(server.url);
  const headers = forwardedRequestHeaders(req, user);
  const { certPem, keyPem } = server.adminCredentials;
  const watching = isWatchQuery(search);
  return relayExchange(
    (onResponse) => request({ host: target.hostname, port: target.port, path: path + search, method: req.method, headers, ca: server.caPem, cert: certPem, key: keyPem, timeout: watching ? 0 : 60_000 }, onResponse),
    req,
    res,
    { watching, unreachable: (err) => `the control plane did not answer: ${err.message}` },
  );
}
