// GET /k8s/<path>: the caller's read reaches the API server with the kubeconfig's credentials, as
// `kubectl proxy` forwards; answers (watch streams and pod logs included) are piped back as they come.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { errors } from '../apimachinery/errors.js';
import { sendStatus } from './respond.js';

/** answer headers worth passing on; hop-by-hop ones and cookies stay behind */
const passedHeaders = ['content-type', 'cache-control', 'audit-id', 'warning', 'x-kubernetes-pf-flowschema-uid', 'retry-after'];

/** the upstream path of a /k8s request, or undefined when it is not one */
export function upstreamPath(url: string): string | undefined {
  if (!url.startsWith('/k8s/')) return undefined;
  const rest = url.slice('/k8s'.length);
  // no escaping the API server's root (a `..` segment would be resolved by URL parsing)
  const path = rest.split('?')[0]!;
  if (path.split('/').some((seg) => seg === '..' || seg === '.' || /%2e%2e/i.test(seg))) return undefined;
  return rest;
}

export async function passthrough(kc: KubeConfig, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) return sendStatus(res, errors.internal('the kubeconfig has no server for its current context'));
  const target = new URL(server.replace(/\/+$/, '') + path);
  const opts: RequestOptions = { method: 'GET', headers: { Accept: req.headers.accept ?? 'application/json, */*' } };
  await kc.applyToHTTPSOptions(opts);
  const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
  const upstream = send(target, opts, (answer) => {
    const headers: Record<string, string> = {};
    for (const h of passedHeaders) {
      const v = answer.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    res.writeHead(answer.statusCode ?? 502, headers);
    // watch and log streams: every chunk goes out at once
    res.flushHeaders();
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', (err) => {
    if (res.headersSent) res.destroy();
    else sendStatus(res, errors.serviceUnavailable(`the API server ${server} cannot be reached: ${err.message}`));
  });
  // the browser went away (an EventSource closed, a watch stopped): end the upstream request too
  res.on('close', () => upstream.destroy());
  upstream.end();
}
