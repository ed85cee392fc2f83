// The dial-out tunnel between karmada-agent and the control plane (Karmada reaches pull clusters
// through ANP, the apiserver-network-proxy): the agent opens one long-lived upgraded connection to
// clusters/NAME/tunnel; the cluster proxy multiplexes byte streams over it, each one a connection
// to the member's API server that the agent dials itself. TLS to the member runs inside a stream,
// so the control plane still authenticates the member and the agent sees only ciphertext. Each
// stream has its own window (a stalled `kubectl logs -f` reader holds back only its stream), and
// PINGs find a peer that vanished without closing the connection, so the agent redials.
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { encodeFrame, FrameDecoder, FrameType, MaxPayload, windowFrame, windowIncrement, type Frame } from './tunnel-frame.js';

/** the Upgrade token the agent asks for */
export const TunnelProtocol = 'karmada-tunnel';

export interface TunnelOptions {
  /** bytes a stream may have in flight before its reader makes room (per-stream flow control) */
  windowBytes?: number;
  /** a PING this often; 0: none */
  pingIntervalMs?: number;
  /** nothing heard from the peer for this long (PONGs included): the connection is dead and closed */
  deadAfterMs?: number;
}

/** HTTP/2's default stream window is 64 KiB; a log or exec stream here is worth more in flight */
export const DefaultWindowBytes = 256 * 1024;
export const DefaultPingIntervalMs = 10_000;
/** a dead peer is noticed within deadAfter + pingInterval (40 s, the cluster lease's duration) */
export const DefaultDeadAfterMs = 30_000;

/** one multiplexed stream; looks enough like a socket for http.request and tls.connect */
export class TunnelStream extends Duplex {
  gone = false;
  /** bytes the peer lets us send before it grants more */
  private sendWindow: number;
  /** the write waiting for window (Writable hands us one at a time) */
  private waiting: { chunk: Buffer; cb: (err?: Error | null) => void } | undefined;
  /** bytes received and handed to the reader, not yet granted back */
  private owed = 0;
  /** bytes received past the reader's high-water mark: granted only once it reads */
  private held = 0;
  constructor(
    readonly id: number,
    private readonly session: TunnelSession,
    private readonly windowBytes = DefaultWindowBytes,
  ) {
    super({ allowHalfOpen: false });
    this.sendWindow = windowBytes;
  }
  override _read(): void {
    if (!this.held) return;
    const n = this.held;
    this.held = 0;
    this.grant(n);
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.waiting = { chunk, cb };
    this.flush();
  }
  override _final(cb: (err?: Error | null) => void): void {
    this.session.closeStream(this.id);
    cb();
  }
  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    this.waiting = undefined;
    this.session.closeStream(this.id, err?.message);
    cb(err);
  }
  /** the peer closed it (reason: why it could not be opened or went away) */
  remoteClose(reason: string): void {
    this.gone = true;
    this.waiting = undefined;
    if (reason) this.destroy(new Error(reason));
    else this.push(null);
  }
  /** DATA from the peer: counted against what we granted until the reader has it */
  receive(payload: Buffer): void {
    const room = this.push(payload);
    if (this.held || !room) this.held += payload.length;
    else this.grant(payload.length);
  }
  /** WINDOW from the peer */
  widen(increment: number): void {
    this.sendWindow += increment;
    this.flush();
  }
  /** sends as much of the waiting write as the window allows; its callback once all of it is out */
  private flush(): void {
    const w = this.waiting;
    if (!w || this.gone) return;
    const frames: Buffer[] = [];
    while (w.chunk.length && this.sendWindow > 0) {
      const n = Math.min(w.chunk.length, this.sendWindow, MaxPayload);
      frames.push(encodeFrame(FrameType.Data, this.id, w.chunk.subarray(0, n)));
      w.chunk = w.chunk.subarray(n);
      this.sendWindow -= n;
    }
    if (w.chunk.length) return frames.length ? this.session.send(frames) : undefined;
    this.waiting = undefined;
    this.session.send(frames, w.cb);
  }
  /** grants in batches of a quarter window, so a trickle of small reads is not a WINDOW each */
  private grant(n: number): void {
    this.owed += n;
    if (this.owed < this.windowBytes / 4 || this.gone) return;
    this.session.send([windowFrame(this.id, this.owed)]);
    this.owed = 0;
  }
  // socket methods http.ClientRequest calls
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

/** both ends of one tunnel connection: the control plane opens streams, the agent accepts them */
export class TunnelSession {
  private readonly streams = new Map<number, TunnelStream>();
  private readonly decoder = new FrameDecoder();
  private nextId = 1;
  private ended = false;
  private lastHeard = Date.now();
  private readonly keepalive: NodeJS.Timeout | undefined;
  private readonly windowBytes: number;
  readonly done: Promise<void>;

  constructor(
    private readonly socket: Duplex,
    private readonly onOpen?: (stream: TunnelStream) => void,
    opts: TunnelOptions = {},
  ) {
    this.windowBytes = opts.windowBytes ?? DefaultWindowBytes;
    this.done = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      this.lastHeard = Date.now();
      let frames: Frame[];
      try {
        frames = this.decoder.push(chunk);
      } catch (err) {
        return this.close((err as Error).message);
      }
      for (const f of frames) this.receive(f);
    });
    socket.on('close', () => this.shutdown('the tunnel closed'));
    socket.on('error', () => this.shutdown('the tunnel failed'));
    if ((socket as Socket).setKeepAlive) (socket as Socket).setKeepAlive(true, 15_000);
    // TCP keepalive takes minutes to give up on a peer that vanished: a PING answered (or not) says sooner
    const every = opts.pingIntervalMs ?? DefaultPingIntervalMs;
    const deadAfter = opts.deadAfterMs ?? DefaultDeadAfterMs;
    if (every > 0) {
      this.keepalive = setInterval(() => {
        if (Date.now() - this.lastHeard > deadAfter) this.close(`the tunnel peer did not answer for ${deadAfter / 1000}s`);
        else this.send([encodeFrame(FrameType.Ping, 0)]);
      }, every);
      this.keepalive.unref();
    }
  }

  get open(): boolean {
    return !this.ended;
  }

  /** a new stream to the member's API server */
  openStream(): TunnelStream {
    if (this.ended) throw new Error('the tunnel is closed');
    const stream = new TunnelStream(this.nextId++, this, this.windowBytes);
    this.streams.set(stream.id, stream);
    this.send([encodeFrame(FrameType.Open, stream.id)]);
    return stream;
  }

  send(frames: Buffer[], cb?: (err?: Error | null) => void): void {
    if (this.ended) return cb?.(new Error('the tunnel is closed'));
    let ok = true;
    for (const f of frames) ok = this.socket.write(f) && ok;
    if (!cb) return;
    if (ok) cb();
    else this.socket.once('drain', () => cb());
  }

  closeStream(id: number, reason = ''): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    this.streams.delete(id);
    if (!stream.gone) this.send([encodeFrame(FrameType.Close, id, Buffer.from(reason))]);
    stream.gone = true;
  }

  close(reason = 'the tunnel closed'): void {
    this.shutdown(reason);
    this.socket.destroy();
  }

  private receive(f: Frame): void {
    if (f.type === FrameType.Ping) return this.send([encodeFrame(FrameType.Pong, 0, f.payload)]);
    if (f.type === FrameType.Pong) return;
    if (f.type === FrameType.Open) {
      if (!this.onOpen || this.streams.has(f.stream)) return this.send([encodeFrame(FrameType.Close, f.stream, Buffer.from('streams are not accepted here'))]);
      const stream = new TunnelStream(f.stream, this, this.windowBytes);
      this.streams.set(f.stream, stream);
      return this.onOpen(stream);
    }
    const stream = this.streams.get(f.stream);
    if (!stream) return;
    if (f.type === FrameType.Data) stream.receive(f.payload);
    else if (f.type === FrameType.Window) stream.widen(windowIncrement(f) ?? 0);
    else {
      this.streams.delete(f.stream);
      stream.remoteClose(f.payload.toString('utf8'));
    }
  }

  private shutdown(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.keepalive);
    for (const s of this.streams.values()) s.remoteClose(reason);
    this.streams.clear();
  }
}

/** the control plane's open tunnels, one per Pull cluster: a newer connection replaces an older one */
export class TunnelHub {
  private readonly sessions = new Map<string, TunnelSession>();

  constructor(private readonly opts: TunnelOptions = {}) {}

  attach(cluster: string, socket: Duplex): TunnelSession {
    const session = new TunnelSession(socket, undefined, this.opts);
    this.sessions.get(cluster)?.close('replaced by a newer tunnel');
    this.sessions.set(cluster, session);
    void session.done.then(() => {
      if (this.sessions.get(cluster) === session) this.sessions.delete(cluster);
    });
    return session;
  }

  get(cluster: string): TunnelSession | undefined {
    const s = this.sessions.get(cluster);
    return s?.open ? s : undefined;
  }

  closeAll(): void {
    for (const s of this.sessions.values()) s.close('the control plane stops');
    this.sessions.clear();
  }
}
