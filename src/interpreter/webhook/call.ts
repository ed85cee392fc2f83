// One POST of a ResourceInterpreterContext to an interpreter webhook over HTTPS (Karmada's
// webhookutil REST client): the clientConfig's caBundle (or the system roots) verifies the server,
// timeoutSeconds bounds the whole call, and any failure is an Error naming the webhook.
import { request as httpsRequest } from 'node:https';
import type { WebhookClientConfig, WebhookHook } from './context.js';
import { defaultTimeoutSeconds } from './context.js';

/** Where a clientConfig.service reference points: host (and port, 443 by default) of the Service. */
export type ServiceResolver = (namespace: string, name: string, port: number) => { host: string; port: number } | undefined;

/** The URL to call; a service is reached as https://<resolved host>:<port><path>. */
export function webhookURL(cc: WebhookClientConfig, resolve?: ServiceResolver): URL {
  if (cc.url) {
    const url = new URL(cc.url);
    if (url.protocol !== 'https:') throw new Error(`'https' is the only allowed URL scheme, got ${url.protocol}`);
    return url;
  }
  if (cc.service) {
    const port = cc.service.port ?? 443;
    const target = resolve?.(cc.service.namespace, cc.service.name, port);
    if (!target) throw new Error(`service ${cc.service.namespace}/${cc.service.name} cannot be resolved`);
    return new URL(`https://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}${cc.service.path ?? '/'}`);
  }
  throw new Error('clientConfig has neither url nor service');
}

interface CallOptions {
  resolveService?: ServiceResolver;
}

/** POSTs `body` and resolves with the parsed JSON reply; rejects with `failed to call webhook: ...`. */
export function postContext(hook: WebhookHook, body: unknown, opts: CallOptions = {}): Promise<unknown> {
  const cc = hook.webhook.clientConfig ?? {};
  const timeoutMs = (hook.webhook.timeoutSeconds ?? defaultTimeoutSeconds) * 1000;
  return new Promise((resolve, reject) => {
    const fail = (why: unknown) => reject(new Error(`failed calling webhook "${hook.uid}": failed to call webhook: ${why instanceof Error ? why.message : String(why)}`));
    let url: URL;
    try {
      url = webhookURL(cc, opts.resolveService);
    } catch (e) {
      fail(e);
      return;
    }
    const payload = Buffer.from(JSON.stringify(body));
    // a service's certificate names <name>.<namespace>.svc, as Kubernetes' webhook clients expect
    const servername = cc.service ? `${cc.service.name}.${cc.service.namespace}.svc` : undefined;
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': payload.length },
        ca: cc.caBundle ? Buffer.from(cc.caBundle, 'base64').toString('utf8') : undefined,
        servername,
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(deadline);
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) {
            fail(`the server responded with ${res.statusCode}: ${text.slice(0, 200)}`);
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch {
            fail(`the response is not JSON: ${text.slice(0, 200)}`);
          }
        });
      },
    );
    // `timeout` above only catches an idle socket: the deadline covers the whole exchange
    const deadline = setTimeout(() => req.destroy(new Error(`context deadline exceeded (timeout ${timeoutMs / 1000}s)`)), timeoutMs);
    deadline.unref();
    req.on('timeout', () => req.destroy(new Error(`context deadline exceeded (timeout ${timeoutMs / 1000}s)`)));
    req.on('error', (e) => {
      clearTimeout(deadline);
      fail(e);
    });
    req.end(payload);
  });
}
