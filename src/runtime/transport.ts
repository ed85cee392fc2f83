// The wire under KubeClient's requests. client-node builds a fresh https.Agent for every request
// (so every call paid a new TCP connection and TLS handshake on both sides); here the TLS settings
// client-node computes from the kubeconfig pick one keep-alive agent that is reused as long as
// they stay the same, as client-go's shared Transport does. Proxy agents are used as given.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { createSecureContext } from 'node:tls';

/** the TLS settings client-node copies into each per-request agent */
const tlsFields = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** the agent client-node made for this request: its TLS options (or its proxy) are what to use */
  agent?: unknown;
  /** agent is already what agentFor returned (a caller that asked once and reuses it) */
  pooled?: boolean;
}

export interface TransportResponse {
  status: number;
  /** as node received them: lower-case names */
  headers: IncomingHttpHeaders;
  text: string;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return false;
}

/** the TLS-relevant options of an agent, undefined ones left out */
export function tlsOptionsOf(options: Record<string, unknown>): Partial<AgentOptions> {
  const out: Record<string, unknown> = {};
  for (const f of tlsFields) if (options[f] !== undefined) out[f] = options[f];
  return out as Partial<AgentOptions>;
}

export function sameTlsOptions(a: Partial<AgentOptions>, b: Partial<AgentOptions>): boolean {
  return tlsFields.every((f) => sameValue(a[f], b[f]));
}

/**
 * https.Agent names its socket pool per request by appending the CA, certificate and key to the
 * host (Buffers decoded to strings each time, kilobytes hashed as a map key). Every request through
 * a pooled agent uses the agent's own TLS settings, so the host part alone tells the pools apart.
 */
function withConstantTlsName(agent: HttpsAgent): HttpsAgent {
  const hostName = HttpAgent.prototype.getName;
  (agent as unknown as { getName(o?: object): string }).getName = (options?: object) => `${hostName.call(agent, options as never)}:pooled-tls`;
  return agent;
}

/** idle keep-alive sockets close after this; below the API server's 90 s so the client closes first */
const idleSocketMs = 30_000;

export class KeepAliveTransport {
  private https?: { tls: Partial<AgentOptions>; agent: HttpsAgent };
  private http?: HttpAgent;
  private closed = false;
  /** new connections opened (for tests and diagnostics) */
  connections = 0;

  constructor(private readonly maxSockets = 64) {}

  /** the pooled agent matching the per-request one, or that one itself when it is a proxy agent */
  agentFor(given: unknown, url: URL): HttpAgent | HttpsAgent | undefined {
    if (url.protocol === 'http:') {
      if (given && given.constructor !== HttpAgent) return given as HttpAgent;
      this.http ??= this.counted(new HttpAgent({ keepAlive: true, maxSockets: this.maxSockets, timeout: idleSocketMs }));
      return this.http;
    }
    if (given && given.constructor !== HttpsAgent) return given as HttpsAgent;
    const tls = tlsOptionsOf(((given as { options?: Record<string, unknown> } | undefined)?.options ?? {}) as Record<string, unknown>);
    if (!this.https || !sameTlsOptions(this.https.tls, tls)) {
      this.https?.agent.destroy();
      // one SecureContext for every connection: without it each new socket parses the CA, certificate and key again
      const { ca, cert, key, pfx, passphrase, ...perConnection } = tls;
      const secureContext = createSecureContext({ ca, cert, key, pfx, passphrase });
      const agent = new HttpsAgent({ ...perConnection, secureContext, keepAlive: true, maxSockets: this.maxSockets, timeout: idleSocketMs });
      this.https = { tls, agent: withConstantTlsName(this.counted(agent)) };
    }
    return this.https.agent;
  }

  private counted<A extends HttpAgent>(agent: A): A {
    const create = (agent as unknown as { createConnection: (...args: unknown[]) => unknown }).createConnection.bind(agent);
    (agent as unknown as { createConnection: (...args: unknown[]) => unknown }).createConnection = (...args: unknown[]) => {
      this.connections++;
      return create(...args);
    };
    return agent;
  }

  async send(req: TransportRequest): Promise<TransportResponse> {
    if (this.closed) throw new Error('the client is closed');
    try {
      return await this.sendOnce(req);
    } catch (err) {
      // a kept-alive socket the server closed as we picked it: the request never reached the server
      if ((err as { reusedSocket?: boolean }).reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET' && !req.signal?.aborted) return this.sendOnce(req);
      throw err;
    }
  }

  private sendOnce(r: TransportRequest): Promise<TransportResponse> {
    const url = new URL(r.url);
    const agent = r.pooled ? (r.agent as HttpAgent) : this.agentFor(r.agent, url);
    const headers: Record<string, string | number> = r.body === undefined ? r.headers : { ...r.headers, 'Content-Length': Buffer.byteLength(r.body) };
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      let req: ClientRequest;
      const fail = (err: Error) => {
        if (req?.reusedSocket) Object.assign(err, { reusedSocket: true });
        reject(err);
      };
      try {
        req = send(url, { method: r.method, headers, agent, signal: r.signal }, (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', fail);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8') }));
        });
      } catch (err) {
        reject(err);
        return;
      }
      req.on('error', fail);
      req.end(r.body);
    });
  }

  /** closes every pooled connection; later requests fail */
  close(): void {
    this.closed = true;
    this.https?.agent.destroy();
    this.http?.destroy();
  }
}
