// The server side of the WebSocket protocol (RFC 6455) as far as Kubernetes' streaming channels
// (v5.channel.k8s.io, kubectl exec) need it: the handshake, and frames in both directions
// (client frames masked, fragments joined, ping answered).
import { createHash } from 'node:crypto';

const channelProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const guid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + guid).digest('base64');
}

/** the subprotocol to speak, from the client's offer in preference order; undefined when none fits */
export function chooseProtocol(offered: string | undefined): string | undefined {
  const list = (offered ?? '').split(',').map((s) => s.trim());
  return list.find((p) => channelProtocols.includes(p));
}

export function handshakeResponse(key: string, protocol: string): string {
  return ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`, `Sec-WebSocket-Protocol: ${protocol}`, '', ''].join('\r\n');
}

export const opcodes = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** one unmasked server frame */
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let head: Buffer;
  if (len < 126) head = Buffer.from([0x80 | opcode, len]);
  else if (len < 65536) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** frames out of a byte stream: feed chunks, get whole frames (client masks are removed) */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    for (;;) {
      if (this.buf.length < 2) return out;
      const b0 = this.buf[0];
      const b1 = this.buf[1];
      let len = b1 & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) return out;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return out;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      const maskEnd = off + (masked ? 4 : 0);
      if (this.buf.length < maskEnd + len) return out;
      const payload = Buffer.from(this.buf.subarray(maskEnd, maskEnd + len));
      if (masked) {
        const mask = this.buf.subarray(off, off + 4);
        for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      }
      out.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload });
      this.buf = this.buf.subarray(maskEnd + len);
    }
  }
}
