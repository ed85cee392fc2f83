// The frames of the agent's dial-out tunnel (the role ANP's konnectivity packets play for Karmada's
// pull clusters): [type u8][stream u32][length u32][payload], OPEN a stream, DATA on it, CLOSE it
// (with an optional reason), WINDOW to let the peer send more on a stream (HTTP/2's WINDOW_UPDATE:
// per-stream flow control), PING/PONG on stream 0 (keepalive). Pure: encoding, and a decoder fed
// arbitrary chunks of the byte stream.

export const FrameType = { Open: 1, Data: 2, Close: 3, Ping: 4, Pong: 5, Window: 6 } as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export interface Frame {
  type: FrameType;
  stream: number;
  payload: Buffer;
}

export const HeaderBytes = 9;
/** a bigger DATA write is split; a bigger announced length is a broken peer */
export const MaxPayload = 256 * 1024;

const known = new Set<number>(Object.values(FrameType));

export function encodeFrame(type: FrameType, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  if (payload.length > MaxPayload) throw new RangeError(`tunnel frame payload of ${payload.length} bytes exceeds ${MaxPayload}`);
  const header = Buffer.alloc(HeaderBytes);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(stream >>> 0, 1);
  header.writeUInt32BE(payload.length, 5);
  return Buffer.concat([header, payload]);
}

/** DATA frames for a write of any size */
export function dataFrames(stream: number, chunk: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < chunk.length; at += MaxPayload) out.push(encodeFrame(FrameType.Data, stream, chunk.subarray(at, at + MaxPayload)));
  return out;
}

/** WINDOW: the sender of DATA on `stream` may send `increment` more bytes */
export function windowFrame(stream: number, increment: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(increment >>> 0, 0);
  return encodeFrame(FrameType.Window, stream, payload);
}

/** the increment a WINDOW frame carries; undefined when its payload is not 4 bytes */
export function windowIncrement(f: Frame): number | undefined {
  return f.payload.length === 4 ? f.payload.readUInt32BE(0) : undefined;
}

/** collects chunks and hands out whole frames; throws on an unknown type or an oversized length */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.pending.length >= HeaderBytes) {
      const type = this.pending.readUInt8(0);
      const length = this.pending.readUInt32BE(5);
      if (!known.has(type)) throw new Error(`tunnel: unknown frame type ${type}`);
      if (length > MaxPayload) throw new Error(`tunnel: frame of ${length} bytes exceeds ${MaxPayload}`);
      if (this.pending.length < HeaderBytes + length) break;
      frames.push({ type: type as FrameType, stream: this.pending.readUInt32BE(1), payload: Buffer.from(this.pending.subarray(HeaderBytes, HeaderBytes + length)) });
      this.pending = this.pending.subarray(HeaderBytes + length);
    }
    return frames;
  }
}
