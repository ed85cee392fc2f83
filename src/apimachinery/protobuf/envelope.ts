// The `k8s\0` magic and runtime.Unknown envelope around every protobuf object, and the length-delimited
// frames of a protobuf watch stream (apimachinery pkg/runtime/serializer/protobuf/protobuf.go).
import protobuf from 'protobufjs/minimal.js';
import { ProtobufDecodeError, readString } from './codec.js';

const { Reader, Writer } = protobuf;

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';
export const protobufStreamMediaType = 'application/vnd.kubernetes.protobuf;stream=watch';
export const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface Unknown {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** magic + Unknown{typeMeta{apiVersion, kind}, raw, contentEncoding, contentType}, every field written as Go does. */
export function wrapUnknown(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const w = Writer.create();
  w.uint32((1 << 3) | 2).fork();
  w.uint32((1 << 3) | 2).string(apiVersion);
  w.uint32((2 << 3) | 2).string(kind);
  w.ldelim();
  w.uint32((2 << 3) | 2).bytes(raw);
  w.uint32((3 << 3) | 2).string('');
  w.uint32((4 << 3) | 2).string('');
  return Buffer.concat([magic, w.finish()]);
}

/** Checks the magic and reads the envelope; the offsets of errors count from the start of the body. */
export function unwrapUnknown(body: Uint8Array): Unknown & { rawOffset: number } {
  if (body.length < magic.length || !magic.equals(Buffer.from(body.subarray(0, magic.length)))) {
    throw new ProtobufDecodeError('the body does not start with the protobuf prefix "k8s\\x00"', '', 0);
  }
  const r = Reader.create(body.subarray(magic.length));
  const out = { apiVersion: '', kind: '', raw: new Uint8Array() as Uint8Array, contentEncoding: '', contentType: '', rawOffset: magic.length };
  try {
    while (r.pos < r.len) {
      const at = r.pos;
      const tag = r.uint32();
      const no = tag >>> 3;
      if ((tag & 7) !== 2) {
        r.skipType(tag & 7);
        continue;
      }
      if (no === 1) {
        const len = r.uint32();
        const stop = r.pos + len;
        if (stop > r.len) throw new ProtobufDecodeError('typeMeta runs past the end of the body', 'typeMeta', magic.length + at);
        while (r.pos < stop) {
          const t = r.uint32();
          if (t >>> 3 === 1 && (t & 7) === 2) out.apiVersion = readString(r);
          else if (t >>> 3 === 2 && (t & 7) === 2) out.kind = readString(r);
          else r.skipType(t & 7);
        }
      } else if (no === 2) {
        const len = r.uint32();
        out.rawOffset = magic.length + r.pos;
        if (r.pos + len > r.len) throw new ProtobufDecodeError('raw runs past the end of the body', 'raw', magic.length + at);
        out.raw = body.subarray(out.rawOffset, out.rawOffset + len);
        r.pos += len;
      } else if (no === 3) out.contentEncoding = readString(r);
      else if (no === 4) out.contentType = readString(r);
      else r.skipType(2);
    }
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    throw new ProtobufDecodeError(`malformed runtime.Unknown envelope: ${(err as Error).message}`, '', magic.length + r.pos);
  }
  return out;
}

/** One watch frame: a 4-byte big-endian length, then the message (no magic: the raw serializer). */
export function frame(message: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(message.length, 0);
  return Buffer.concat([head, message]);
}

/** metav1.WatchEvent{type = 1, object = 2 (RawExtension{raw = 1: the enveloped object})} */
export function watchEvent(type: string, object: Uint8Array): Uint8Array {
  const w = Writer.create();
  w.uint32((1 << 3) | 2).string(type);
  w.uint32((2 << 3) | 2).fork();
  w.uint32((1 << 3) | 2).bytes(object);
  w.ldelim();
  return w.finish();
}

/** Splits a buffer of frames into messages; the rest is an incomplete frame. */
export function unframe(buf: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let at = 0;
  while (buf.length - at >= 4) {
    const len = buf.readUInt32BE(at);
    if (buf.length - at - 4 < len) break;
    messages.push(buf.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return { messages, rest: buf.subarray(at) };
}

/** Reads a WatchEvent message into its type and the enveloped object bytes. */
export function readWatchEvent(message: Uint8Array): { type: string; object: Uint8Array } {
  const r = Reader.create(message);
  let type = '';
  let object: Uint8Array = new Uint8Array();
  while (r.pos < r.len) {
    const t = r.uint32();
    if (t >>> 3 === 1) type = readString(r);
    else if (t >>> 3 === 2) {
      const len = r.uint32();
      const stop = r.pos + len;
      while (r.pos < stop) {
        const u = r.uint32();
        if (u >>> 3 === 1) object = r.bytes();
        else r.skipType(u & 7);
      }
    } else r.skipType(t & 7);
  }
  return { type, object };
}
