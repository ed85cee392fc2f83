// The wire under KubeClient's requests. client-node builds a fresh https.Agent for every request
// (so every call paid a new TCP connection and TLS handshake on both sides); here the TLS settings
// client-node computes from the kubeconfig pick one set of keep-alive connections that is reused as
// long as they stay the same, as client-go's shared Transport does: requests go over undici pools
// (pooled-dispatch.ts), watches over node:https agents. Proxy agents are used as given, over node:http.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import { GatherHandler, OriginPool, type PoolSettings } from './pooled-dispatch.js';

/** the TLS settings client-node copies into each per-request agent */
const tlsFields = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/** node's error for an aborted request (what http.request's signal option rejects with) */
function abortError(reason: unknown): Error {
  return Object.assign(new Error('The operation was aborted', { cause: reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** how often the shared clock looks for deadlines that passed: a request gives up at most this late */
const deadlineTickMs = 100;

/**
 * One interval for every request's deadline instead of a timer each (setTimeout, unref and
 * clearTimeout per request were a percent of a controller manager's CPU); it stops once no deadline
 * is left. The caller's timeout counts from the request's start, as before.
 */
class DeadlineClock {
  private readonly live = new Set<Deadline>();
  private timer?: NodeJS.Timeout;

  add(d: Deadline): void {
    this.live.add(d);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), deadlineTickMs);
      this.timer.unref();
    }
  }

  remove(d: Deadline): void {
    this.live.delete(d);
  }

  private tick(): void {
    if (this.live.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const now = performance.now();
    for (const d of this.live) if (d.due <= now) d.expire();
  }
}

const clock = new DeadlineClock();

/**
 * When a request gives up: after timeoutMs (within deadlineTickMs), or when the caller's signal
 * aborts. Cheaper than an AbortSignal per request (AbortSignal.timeout, AbortSignal.any and
 * http.request's abort listener were a few percent of a controller's CPU); `signal` makes one only
 * for what needs it. Timeouts shorter than a tick get a timer of their own.
 */
export class Deadline {
  aborted = false;
  reason: unknown;
  /** performance.now() at which it expires */
  readonly due: number;
  /** the request in flight: destroyed on abort */
  private current?: (reason: unknown) => void;
  private controller?: AbortController;
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private readonly onCallerAbort?: () => void;

  constructor(
    timeoutMs: number,
    private readonly caller?: AbortSignal,
  ) {
    this.due = performance.now() + timeoutMs;
    if (caller?.aborted) {
      this.abort(caller.reason);
      return;
    }
    if (timeoutMs < deadlineTickMs) {
      this.timer = setTimeout(() => this.expire(), timeoutMs);
      this.timer.unref?.();
    } else {
      this.ticking = true;
      clock.add(this);
    }
    if (caller) {
      this.onCallerAbort = () => this.abort(caller.reason);
      caller.addEventListener('abort', this.onCallerAbort, { once: true });
    }
  }

  /** the timeout passed */
  expire(): void {
    this.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }

  private abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.stopClock();
    this.current?.(reason);
    this.controller?.abort(reason);
  }

  private stopClock(): void {
    if (this.ticking) clock.remove(this);
    this.ticking = false;
    if (this.timer) clearTimeout(this.timer);
  }

  /** runs fn on abort while the request is in flight (undefined: nothing in flight) */
  inFlight(fn: ((reason: unknown) => void) | undefined): void {
    this.current = fn;
  }

  /** an AbortSignal that follows this deadline (made on first use) */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** stops the clock and lets go of the caller's signal */
  done(): void {
    this.stopClock();
    if (this.onCallerAbort) this.caller?.removeEventListener('abort', this.onCallerAbort);
    this.current = undefined;
  }
}

interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** instead of signal: ends the request when it passes */
  deadline?: Deadline;
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
  /** the answer's bytes as received (text is their UTF-8 decoding), when the transport read them */
  body?: Buffer;
}

/** a response whose text is decoded from its bytes on first read (a caller may decode part of them itself) */
function bufferedResponse(status: number, headers: IncomingHttpHeaders, body: Buffer): TransportResponse {
  let text: string | undefined;
  return {
    status,
    headers,
    body,
    get text() {
      return (text ??= body.toString('utf8'));
    },
  };
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

/** the errors of a kept-alive connection the server closed before answering (node's, then undici's) */
const closedKeptAliveCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** the undici pools of one set of TLS settings (or of plain http), one per origin */
interface PoolGroup {
  settings: PoolSettings;
  pools: Map<string, OriginPool>;
}

export class KeepAliveTransport {
  /** agent stands for the pooled request path (its undici pools are in requests); watchAgent carries watches */
  private https?: { tls: Partial<AgentOptions>; agent: HttpsAgent; watchAgent: HttpsAgent; requests: PoolGroup };
  private http?: HttpAgent;
  private httpRequests?: PoolGroup;
  private httpWatches?: HttpAgent;
  private closed = false;
  /** new connections opened (for tests and diagnostics) */
  connections = 0;

  constructor(private readonly maxSockets = 64) {}

  /** the pooled agent matching the per-request one, or that one itself when it is a proxy agent */
  agentFor(given: unknown, protocol: string): HttpAgent | HttpsAgent | undefined {
    if (protocol === 'http:') {
      if (given && given.constructor !== HttpAgent) return given as HttpAgent;
      this.http ??= this.counted(new HttpAgent({ keepAlive: true, maxSockets: this.maxSockets, timeout: idleSocketMs }));
      return this.http;
    }
    if (given && given.constructor !== HttpsAgent) return given as HttpsAgent;
    const tls = tlsOptionsOf(((given as { options?: Record<string, unknown> } | undefined)?.options ?? {}) as Record<string, unknown>);
    if (!this.https || !sameTlsOptions(this.https.tls, tls)) {
      this.https?.agent.destroy();
      // requests in flight on the old settings finish; new ones use the new
      if (this.https) closeGroup(this.https.requests);
      // one SecureContext for every connection: without it each new socket parses the CA, certificate and key again
      const { ca, cert, key, pfx, passphrase, ...perConnection } = tls;
      const secureContext = createSecureContext({ ca, cert, key, pfx, passphrase });
      const agent = new HttpsAgent({ ...perConnection, secureContext, keepAlive: true, maxSockets: this.maxSockets, timeout: idleSocketMs });
      // watches hold their connection for minutes: apart, so they never wait for (or starve) the request pool
      const watchAgent = new HttpsAgent({ ...perConnection, secureContext, keepAlive: true, timeout: idleSocketMs });
      const requests = this.poolGroup({ ...(perConnection as object), secureContext });
      this.https = { tls, agent: withConstantTlsName(this.counted(agent)), watchAgent: withConstantTlsName(this.counted(watchAgent)), requests };
    }
    return this.https.agent;
  }

  /**
   * The agent for long-lived streams (watches) beside the pooled one agentFor returned: the same TLS
   * settings and SecureContext, no limit on connections; a watch the server ended leaves its
   * connection for the next one.
   */
  streamAgentFor(pooled: HttpAgent | HttpsAgent | undefined): HttpAgent | HttpsAgent | undefined {
    if (pooled && pooled === this.https?.agent) return this.https.watchAgent;
    if (pooled && pooled === this.http) return (this.httpWatches ??= this.counted(new HttpAgent({ keepAlive: true, timeout: idleSocketMs })));
    return pooled;
  }

  private counted<A extends HttpAgent>(agent: A): A {
    const create = (agent as unknown as { createConnection: (...args: unknown[]) => unknown }).createConnection.bind(agent);
    (agent as unknown as { createConnection: (...args: unknown[]) => unknown }).createConnection = (...args: unknown[]) => {
      this.connections++;
      return create(...args);
    };
    return agent;
  }

  private poolGroup(tls?: PoolSettings['tls']): PoolGroup {
    return { settings: { tls, maxSockets: this.maxSockets, idleMs: idleSocketMs, onConnection: () => this.connections++ }, pools: new Map() };
  }

  async send(req: TransportRequest): Promise<TransportResponse> {
    if (this.closed) throw new Error('the client is closed');
    const target = this.target(req.url);
    const agent = req.pooled ? (req.agent as HttpAgent) : this.agentFor(req.agent, target.protocol);
    const group = agent === undefined ? undefined : agent === this.https?.agent ? this.https.requests : agent === this.http ? (this.httpRequests ??= this.poolGroup()) : undefined;
    const once = group ? () => this.dispatch(group, target, req) : () => this.sendOnce(req, target, agent);
    try {
      return await once();
    } catch (err) {
      // a kept-alive connection the server closed as we picked it: the request never reached the server
      if ((err as { reusedSocket?: boolean }).reusedSocket && closedKeptAliveCodes.has((err as NodeJS.ErrnoException).code ?? '') && !req.signal?.aborted && !req.deadline?.aborted && !this.closed) return once();
      throw err;
    }
  }

  /** one request over the group's undici pool for the target's origin */
  private dispatch(group: PoolGroup, target: Target, r: TransportRequest): Promise<TransportResponse> {
    const { deadline, signal } = r;
    if (deadline?.aborted) return Promise.reject(abortError(deadline.reason));
    if (signal?.aborted) return Promise.reject(abortError(signal.reason));
    let pool = group.pools.get(target.origin);
    if (!pool) group.pools.set(target.origin, (pool = new OriginPool(target.origin, group.settings)));
    return new Promise((resolve, reject) => {
      const onAbort = signal ? () => handler.cancel(abortError(signal.reason)) : undefined;
      const handler = new GatherHandler(resolve, reject, () => {
        deadline?.inFlight(undefined);
        if (onAbort) signal!.removeEventListener('abort', onAbort);
      });
      deadline?.inFlight((reason) => handler.cancel(abortError(reason)));
      if (onAbort) signal!.addEventListener('abort', onAbort, { once: true });
      pool.dispatch({ path: target.path, method: r.method, headers: r.headers, body: r.body }, handler);
    });
  }

  /** protocol, host and port of an origin, parsed once */
  private readonly origins = new Map<string, { origin: string; protocol: string; hostname: string; port: string }>();

  /** http.request's options for a URL: the origin's parsed once, the path as given when it needs no escaping */
  private target(url: string): Target {
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    const origin = slash < 0 ? url : url.slice(0, slash);
    const path = slash < 0 ? '/' : url.slice(slash);
    let o = this.origins.get(origin);
    if (!o) {
      const u = new URL(origin);
      o = { origin, protocol: u.protocol, hostname: u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname, port: u.port };
      if (this.origins.size < 64) this.origins.set(origin, o);
    }
    // a path with characters http.request refuses (spaces, non-ASCII, a fragment) is escaped as URL would
    if (/[^\x21-\x7e]|#/.test(path)) {
      const u = new URL(url);
      return { ...o, path: u.pathname + u.search };
    }
    return { ...o, path };
  }

  /** one request over node:http(s), for agents the transport does not pool (proxies) */
  private sendOnce(r: TransportRequest, { origin: _origin, ...target }: Target, agent: HttpAgent | undefined): Promise<TransportResponse> {
    const headers: Record<string, string | number> = r.body === undefined ? r.headers : { ...r.headers, 'Content-Length': Buffer.byteLength(r.body) };
    const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
    const deadline = r.deadline;
    if (deadline?.aborted) return Promise.reject(abortError(deadline.reason));
    return new Promise((resolve, reject) => {
      let req: ClientRequest;
      const fail = (err: Error) => {
        deadline?.inFlight(undefined);
        if (req?.reusedSocket) Object.assign(err, { reusedSocket: true });
        reject(err);
      };
      try {
        req = send({ ...target, method: r.method, headers, agent, signal: r.signal }, (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', fail);
          res.on('end', () => {
            deadline?.inFlight(undefined);
            resolve(bufferedResponse(res.statusCode ?? 0, res.headers, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
          });
        });
      } catch (err) {
        reject(err);
        return;
      }
      deadline?.inFlight((reason) => req.destroy(abortError(reason)));
      req.on('error', fail);
      req.end(r.body);
    });
  }

  /**
   * A request whose answer is read as it comes (a watch): resolves with the response once its status
   * and headers are in (within timeoutMs), or rejects; abort() ends it at any time.
   */
  openStream(r: { url: string; headers: Record<string, string>; agent: unknown; timeoutMs: number }): Promise<{ res: IncomingMessage; abort(): void }> {
    const { origin: _origin, ...target } = this.target(r.url);
    const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
    const deadline = new Deadline(r.timeoutMs);
    const attempt = (retried: boolean): Promise<{ res: IncomingMessage; abort(): void }> =>
      new Promise((resolve, reject) => {
        let req: ClientRequest;
        let answered = false;
        try {
          req = send({ ...target, method: 'GET', headers: r.headers, agent: r.agent as HttpAgent }, (res) => {
            answered = true;
            resolve({ res, abort: () => req.destroy() });
          });
        } catch (err) {
          reject(err);
          return;
        }
        deadline.inFlight((reason) => req.destroy(abortError(reason)));
        req.on('error', (err: NodeJS.ErrnoException) => {
          // a kept-alive connection the server closed as we picked it: the watch never reached the server
          if (!answered && !retried && req.reusedSocket && err.code === 'ECONNRESET' && !deadline.aborted) resolve(attempt(true));
          else reject(err);
        });
        req.end();
      });
    return attempt(false).finally(() => deadline.done());
  }

  /** closes every pooled connection; later requests fail (open streams end on their own abort) */
  close(): void {
    this.closed = true;
    this.https?.agent.destroy();
    this.http?.destroy();
    if (this.https) destroyGroup(this.https.requests);
    if (this.httpRequests) destroyGroup(this.httpRequests);
  }
}

/** an origin and http.request's options for one URL */
interface Target {
  origin: string;
  protocol: string;
  hostname: string;
  port: string;
  path: string;
}

/** lets the group's requests in flight finish, then closes its connections */
function closeGroup(g: PoolGroup): void {
  for (const pool of g.pools.values()) pool.close();
  g.pools.clear();
}

/** ends the group's connections now, requests in flight included (they fail) */
function destroyGroup(g: PoolGroup): void {
  for (const pool of g.pools.values()) pool.destroy();
  g.pools.clear();
}
