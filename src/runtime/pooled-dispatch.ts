// KeepAliveTransport's request path on undici (client-go's shared http.Transport): a pool of
// connections per origin and TLS settings, each answer gathered by a dispatch handler, node's error
// and header shapes kept. node:https cost ~90 us of CPU per request in a controller manager; undici's
// dispatch about 40.
import { Client, buildConnector, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

/** what a pool's connections share: TLS settings for https (one SecureContext), limits, and who counts new connections */
export interface PoolSettings {
  /** tls.connect's options beyond host and port (secureContext, rejectUnauthorized, servername); none for http */
  tls?: buildConnector.BuildOptions;
  maxSockets: number;
  /** idle keep-alive connections close after this (and sooner when the server says it closes sooner) */
  idleMs: number;
  onConnection(): void;
}

/** marks a socket's error when the socket had already carried an answer: a kept-alive connection, not a fresh one */
function markReused(this: Socket, err: Error): void {
  if (this.bytesRead > 0) (err as { reusedSocket?: boolean }).reusedSocket = true;
}

/** one connection (an undici Client, which reconnects when used after its socket closed) and the requests it carries */
interface Slot {
  client: Client;
  inFlight: number;
}

/**
 * The connections to one origin: a request takes the first idle one, else opens one more (up to
 * maxSockets), else queues on the least busy. undici's own Pool opens a second connection for a
 * request sent right after another one ended (it learns the first is free a tick later).
 */
export class OriginPool {
  private readonly slots: Slot[] = [];
  private readonly options: Client.Options;

  constructor(
    private readonly origin: string,
    private readonly settings: PoolSettings,
  ) {
    const connector = buildConnector({ ...settings.tls });
    const connect: buildConnector.connector = (options, callback) => {
      settings.onConnection();
      connector(options, (err, socket) => {
        socket?.on('error', markReused);
        (callback as (e: Error | null, s: Socket | null) => void)(err, socket);
      });
    };
    // the Deadline above is the only timeout of a request, as it was on node:http
    this.options = { connect, keepAliveTimeout: settings.idleMs, keepAliveMaxTimeout: settings.idleMs, headersTimeout: 0, bodyTimeout: 0 };
  }

  dispatch(opts: Dispatcher.DispatchOptions, handler: GatherHandler): void {
    const slots = this.slots;
    let slot: Slot | undefined;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      if (s.inFlight === 0) {
        slot = s;
        break;
      }
      if (!slot || s.inFlight < slot.inFlight) slot = s;
    }
    if (!slot || (slot.inFlight > 0 && slots.length < this.settings.maxSockets)) {
      slot = { client: new Client(this.origin, this.options), inFlight: 0 };
      slots.push(slot);
    }
    slot.inFlight++;
    handler.slot = slot;
    slot.client.dispatch(opts, handler);
  }

  /** lets the requests in flight finish, then closes the connections */
  close(): void {
    for (const s of this.slots) s.client.close().catch(() => undefined);
  }

  /** ends every connection now; requests in flight fail */
  destroy(): void {
    for (const s of this.slots) s.client.destroy().catch(() => undefined);
  }
}

/** the errors of a connection that ended before it answered */
const closedCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * A request that met a kept-alive connection the server had closed (it ended before any answer, and
 * had answered before): the server closed it idle as we picked it, so it may be sent again, as
 * node's `reusedSocket` pattern does. undici's SocketError carries the socket's figures; a raw
 * socket error was marked by markReused.
 */
export function metClosedKeptAlive(err: unknown, answered: boolean): boolean {
  const e = err as { code?: string; reusedSocket?: boolean; socket?: { bytesRead?: number } };
  if (answered || !e || !closedCodes.has(e.code ?? '')) return false;
  return e.reusedSocket === true || (e.socket?.bytesRead ?? 0) > 0;
}

/** response headers as node's IncomingMessage holds them: lower-case names, repeats joined (set-cookie a list) */
export function headersFromRaw(raw: readonly Buffer[] | readonly string[]): IncomingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    const had = out[name];
    if (name === 'set-cookie') out[name] = had ? [...(had as string[]), value] : [value];
    else out[name] = had === undefined ? value : `${had as string}, ${value}`;
  }
  return out as IncomingHttpHeaders;
}

/** what a gathered answer resolves with (TransportResponse's shape) */
export interface GatheredResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: Buffer;
}

/** an answer whose headers and text are decoded on first read (most callers read neither) */
class Gathered implements GatheredResponse {
  private decodedHeaders?: IncomingHttpHeaders;
  private decodedText?: string;

  constructor(
    readonly status: number,
    private readonly raw: Buffer[],
    readonly body: Buffer,
  ) {}

  get headers(): IncomingHttpHeaders {
    return (this.decodedHeaders ??= headersFromRaw(this.raw));
  }

  get text(): string {
    return (this.decodedText ??= this.body.toString('utf8'));
  }
}

/**
 * undici's (legacy, unwrapped) dispatch handler for one request: gathers the answer and settles
 * once; cancel() settles at once and aborts the request on its connection, or as soon as it gets one.
 */
export class GatherHandler implements Dispatcher.DispatchHandler {
  private status = 0;
  private raw: Buffer[] = [];
  private readonly chunks: Buffer[] = [];
  private abortRequest?: (err?: Error) => void;
  private cancelled?: Error;
  private settled = false;
  /** the connection carrying it, told when undici is done with the request (not when a cancel settled it) */
  slot?: Slot;

  constructor(
    private readonly resolve: (r: GatheredResponse) => void,
    private readonly reject: (err: Error) => void,
    private readonly onSettle: () => void,
  ) {}

  cancel(err: Error): void {
    if (this.settled) return;
    this.cancelled = err;
    this.abortRequest?.(err);
    this.fail(err);
  }

  onConnect(abort: (err?: Error) => void): void {
    // cancelled while queued: undici drops a request whose onConnect throws before writing it, and
    // keeps the connection (abort() would close it)
    if (this.cancelled) throw this.cancelled;
    this.abortRequest = abort;
  }

  onHeaders(status: number, raw: Buffer[]): boolean {
    this.status = status;
    this.raw = raw;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.slot) this.slot.inFlight--;
    if (this.settled) return;
    this.settled = true;
    this.onSettle();
    const c = this.chunks;
    this.resolve(new Gathered(this.status, this.raw, c.length === 1 ? c[0]! : Buffer.concat(c)));
  }

  onError(err: Error): void {
    if (this.slot) this.slot.inFlight--;
    if (this.settled) return;
    if (metClosedKeptAlive(err, this.status !== 0)) (err as { reusedSocket?: boolean }).reusedSocket = true;
    else delete (err as { reusedSocket?: boolean }).reusedSocket;
    this.fail(err);
  }

  onUpgrade(): void {
    if (this.slot) this.slot.inFlight--;
    this.fail(new Error('the server upgraded a request that asked for no upgrade'));
  }

  private fail(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettle();
    this.reject(err);
  }
}
