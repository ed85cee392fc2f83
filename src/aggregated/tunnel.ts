// The dial-out tunnel between karmada-agent and the control plane (Karmada reaches pull clusters
// through ANP, the apiserver-network-proxy): the agent opens one long-lived upgraded connection to
// clusters/NAME/tunnel; the cluster proxy multiplexes byte streams over it, each one a connection
// to the member's API server that the agent dials itself. TLS to the member runs inside a stream,
// so the control plane still authenticates the member and the agent sees only ciphertext.
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { dataFrames, encodeFrame, FrameDecoder, FrameType, type Frame } from './tunnel-frame.js';

/** the Upgrade token the agent asks for */
export const TunnelProtocol = 'karmada-tunnel';

/** one multiplexed stream; looks enough like a socket for http.request and tls.connect */
export class TunnelStream extends Duplex {
  gone = false;
  constructor(
    readonly id: number,
    private readonly session: TunnelSession,
  ) {
    super({ allowHalfOpen: false });
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.session.send(dataFrames(this.id, chunk), cb);
  }
  override _final(cb: (err?: Error | null) => void): void {
    this.session.closeStream(this.id);
    cb();
  }
  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    this.session.closeStream(this.id, err?.message);
    cb(err);
  }
  /** the peer closed it (reason: why it could not be opened or went away) */
  remoteClose(reason: string): void {
    this.gone = true;
    if (reason) this.destroy(new Error(reason));
    else this.push(null);
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
  readonly done: Promise<void>;

  constructor(
    private readonly socket: Duplex,
    private readonly onOpen?: (stream: TunnelStream) => void,
  ) {
    this.done = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
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
  }

  get open(): boolean {
    return !this.ended;
  }

  /** a new stream to the member's API server */
  openStream(): TunnelStream {
    if (this.ended) throw new Error('the tunnel is closed');
    const stream = new TunnelStream(this.nextId++, this);
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
    if (f.type === FrameType.Open) {
      if (!this.onOpen || this.streams.has(f.stream)) return this.send([encodeFrame(FrameType.Close, f.stream, Buffer.from('streams are not accepted here'))]);
      const stream = new TunnelStream(f.stream, this);
      this.streams.set(f.stream, stream);
      return this.onOpen(stream);
    }
    const stream = this.streams.get(f.stream);
    if (!stream) return;
    if (f.type === FrameType.Data) stream.push(f.payload);
    else {
      this.streams.delete(f.stream);
      stream.remoteClose(f.payload.toString('utf8'));
    }
  }

  private shutdown(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    for (const s of this.streams.values()) s.remoteClose(reason);
    this.streams.clear();
  }
}

/** the control plane's open tunnels, one per Pull cluster: a newer connection replaces an older one */
export class TunnelHub {
  private readonly sessions = new Map<string, TunnelSession>();

  attach(cluster: string, socket: Duplex): TunnelSession {
    const session = new TunnelSession(socket);
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
