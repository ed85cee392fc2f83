// karmada-agent's end of the dial-out tunnel (what ANP's agent does for Karmada's pull clusters):
// it keeps one upgraded connection to clusters/<name>/tunnel open, redialling with backoff, and
// connects every stream the control plane opens to the member's API server address, which only the
// agent knows: the control plane never dials the member.
import { connect } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type RequestOptions } from 'node:http';
import type { KubeClient } from '../runtime/client.js';
import { TunnelProtocol, TunnelSession, type TunnelOptions, type TunnelStream } from '../aggregated/tunnel.js';

/** host and port of an API server URL; pure */
export function dialTarget(server: string): { host: string; port: number } {
  const u = new URL(server);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80) };
}

/** pipes one stream to a fresh connection to the member; a refused dial closes it with the reason */
function bridge(stream: TunnelStream, target: { host: string; port: number }): void {
  const socket = connect(target);
  socket.once('connect', () => {
    socket.pipe(stream);
    stream.pipe(socket);
  });
  socket.on('error', (err) => stream.destroy(err));
  socket.on('close', () => stream.destroy());
  stream.on('close', () => socket.destroy());
  stream.on('error', () => socket.destroy());
}

/** one upgraded connection to the control plane; resolves with the session or rejects with why not */
async function dial(client: KubeClient, cluster: string, target: { host: string; port: number }, signal: AbortSignal, tunnel: TunnelOptions): Promise<TunnelSession> {
  const url = new URL(`${client.server.replace(/\/+$/, '')}/apis/cluster.karmada.io/v1alpha1/clusters/${encodeURIComponent(cluster)}/tunnel`);
  const opts: RequestOptions & { headers: Record<string, string> } = { method: 'GET', headers: { connection: 'Upgrade', upgrade: TunnelProtocol, ...(client.userAgent ? { 'User-Agent': client.userAgent } : {}) }, signal };
  await client.kubeConfig.applyToHTTPSOptions(opts as never);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, opts);
    req.on('upgrade', (_res, socket, head) => {
      if (head.length) socket.unshift(head);
      resolve(new TunnelSession(socket, (stream) => bridge(stream, target), tunnel));
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => reject(new Error(`the control plane refused the tunnel: HTTP ${res.statusCode} ${body.slice(0, 300)}`)));
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
  });

/** keeps the tunnel up until the signal aborts: a connection that closes or stops answering PINGs is redialled */
export async function runTunnel(
  client: KubeClient,
  cluster: string,
  memberServer: string,
  signal: AbortSignal,
  log: { info(o: object, m: string): void; warn(o: object, m: string): void },
  tunnel: TunnelOptions = {},
): Promise<void> {
  const target = dialTarget(memberServer);
  let backoffMs = 500;
  while (!signal.aborted) {
    try {
      const session = await dial(client, cluster, target, signal, tunnel);
      backoffMs = 500;
      log.info({ cluster }, 'tunnel to the control plane open');
      const onAbort = () => session.close('the agent stops');
      signal.addEventListener('abort', onAbort, { once: true });
      await session.done;
      signal.removeEventListener('abort', onAbort);
      if (!signal.aborted) log.warn({ cluster }, 'the tunnel to the control plane closed; redialling');
    } catch (err) {
      if (signal.aborted) return;
      log.warn({ err: (err as Error).message }, 'failed to open the tunnel to the control plane');
      backoffMs = Math.min(backoffMs * 2, 30_000);
    }
    await sleep(backoffMs, signal);
  }
}
