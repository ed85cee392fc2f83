// Encodes a built-in object's JSON form as its protobuf message and back, following a message plan;
// the counterpart of the gogo-generated Marshal/Unmarshal in k8s.io/api generated.pb.go.
import protobuf from 'protobufjs/minimal.js';
import type { FieldPlan, MessagePlan, ScalarKind, SpecialKind, ValueKind } from './plan.js';

/**
 * A length-delimited string, bounds-checked: protobufjs's Buffer reader clamps a string whose length
 * runs past the end instead of failing, which would accept a truncated body.
 */
export function readString(r: protobuf.Reader): string {
  const b = r.bytes();
  return Buffer.isBuffer(b) ? b.toString('utf8') : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
}

const { Reader, Writer } = protobuf;
type Reader = protobuf.Reader;
type Writer = protobuf.Writer;
type Json = Record<string, unknown>;

const VARINT = 0;
const FIXED64 = 1;
const LDELIM = 2;

/** A malformed body: `where` is the JSON path of the field and `offset` the byte it starts at. */
export class ProtobufDecodeError extends Error {
  constructor(
    readonly detail: string,
    readonly where: string,
    readonly offset: number,
  ) {
    super(`${detail} at ${where || 'the top level'} (byte ${offset})`);
    this.name = 'ProtobufDecodeError';
  }
}

/** A JSON value that cannot be written as the field's protobuf type. */
export class ProtobufEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufEncodeError';
  }
}

// ---------------------------------------------------------------- encode

export function encodeMessage(plan: MessagePlan, obj: Json): Uint8Array {
  const w = Writer.create();
  writeMessage(w, plan, obj, '');
  return w.finish();
}

function writeMessage(w: Writer, plan: MessagePlan, obj: Json, path: string): void {
  for (const f of plan.fields) {
    if (f.inline) {
      w.uint32((f.no << 3) | LDELIM).fork();
      writeMessage(w, f.inline, obj, path);
      w.ldelim();
      continue;
    }
    const v = obj[f.key];
    if (v === undefined || v === null) continue;
    const where = `${path}.${f.key}`;
    if (f.shape === 'repeated') {
      if (!Array.isArray(v)) throw new ProtobufEncodeError(`${where}: expected an array`);
      v.forEach((item, i) => {
        if (item !== null) writeValue(w, f.no, f.value, item, `${where}[${i}]`);
      });
    } else if (f.shape === 'map') {
      if (typeof v !== 'object' || Array.isArray(v)) throw new ProtobufEncodeError(`${where}: expected an object`);
      for (const [k, item] of Object.entries(v as Json)) {
        if (item === null) continue;
        w.uint32((f.no << 3) | LDELIM).fork();
        w.uint32((1 << 3) | LDELIM).string(k);
        if (f.wrap) {
          if (!Array.isArray(item)) throw new ProtobufEncodeError(`${where}.${k}: expected an array`);
          w.uint32((2 << 3) | LDELIM).fork();
          for (const x of item) writeValue(w, 1, f.value, x, `${where}.${k}`);
          w.ldelim();
        } else {
          writeValue(w, 2, f.value, item, `${where}.${k}`);
        }
        w.ldelim();
      }
    } else {
      writeValue(w, f.no, f.value, v, where);
    }
  }
}

function writeValue(w: Writer, no: number, value: ValueKind, v: unknown, where: string): void {
  switch (value.kind) {
    case 'message':
      if (typeof v !== 'object' || Array.isArray(v) || v === null) throw new ProtobufEncodeError(`${where}: expected an object`);
      w.uint32((no << 3) | LDELIM).fork();
      writeMessage(w, value.plan(), v as Json, where);
      w.ldelim();
      return;
    case 'string':
    case 'bool':
    case 'int32':
    case 'int64':
    case 'double':
    case 'bytes':
      return writeScalar(w, no, value.kind, v, where);
    default:
      w.uint32((no << 3) | LDELIM).fork();
      writeSpecial(w, value.kind, v, where);
      w.ldelim();
  }
}

function writeScalar(w: Writer, no: number, kind: ScalarKind, v: unknown, where: string): void {
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') throw new ProtobufEncodeError(`${where}: expected a string`);
      w.uint32((no << 3) | LDELIM).string(v);
      return;
    case 'bytes':
      if (typeof v !== 'string') throw new ProtobufEncodeError(`${where}: expected a base64 string`);
      w.uint32((no << 3) | LDELIM).bytes(Buffer.from(v, 'base64'));
      return;
    case 'bool':
      if (typeof v !== 'boolean') throw new ProtobufEncodeError(`${where}: expected a boolean`);
      w.uint32((no << 3) | VARINT).bool(v);
      return;
    case 'int32':
    case 'int64':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new ProtobufEncodeError(`${where}: expected an integer`);
      w.uint32((no << 3) | VARINT);
      if (kind === 'int32') w.int32(v);
      else w.int64(v);
      return;
    case 'double':
      if (typeof v !== 'number') throw new ProtobufEncodeError(`${where}: expected a number`);
      w.uint32((no << 3) | FIXED64).double(v);
      return;
  }
}

/** The body of a special type's message (the caller wrote the tag and forked). */
function writeSpecial(w: Writer, kind: SpecialKind, v: unknown, where: string): void {
  switch (kind) {
    case 'time':
    case 'microtime': {
      if (typeof v !== 'string') throw new ProtobufEncodeError(`${where}: expected an RFC 3339 time`);
      const t = parseTime(v);
      if (!t) throw new ProtobufEncodeError(`${where}: ${JSON.stringify(v)} is not an RFC 3339 time`);
      w.uint32((1 << 3) | VARINT).int64(t.seconds);
      w.uint32((2 << 3) | VARINT).int32(kind === 'time' ? 0 : t.nanos);
      return;
    }
    case 'quantity':
      if (typeof v !== 'string' && typeof v !== 'number') throw new ProtobufEncodeError(`${where}: expected a quantity`);
      w.uint32((1 << 3) | LDELIM).string(String(v));
      return;
    case 'intorstring':
      if (typeof v === 'number') {
        w.uint32((1 << 3) | VARINT).int64(0);
        w.uint32((2 << 3) | VARINT).int32(v);
        w.uint32((3 << 3) | LDELIM).string('');
      } else if (typeof v === 'string') {
        w.uint32((1 << 3) | VARINT).int64(1);
        w.uint32((2 << 3) | VARINT).int32(0);
        w.uint32((3 << 3) | LDELIM).string(v);
      } else throw new ProtobufEncodeError(`${where}: expected an integer or a string`);
      return;
    case 'raw':
    case 'json':
      w.uint32((1 << 3) | LDELIM).bytes(Buffer.from(JSON.stringify(v), 'utf8'));
      return;
    case 'propsOrArray':
      if (Array.isArray(v)) for (const s of v) writeProps(w, 2, s, where);
      else writeProps(w, 1, v, where);
      return;
    case 'propsOrBool':
      if (typeof v === 'boolean') w.uint32((1 << 3) | VARINT).bool(v);
      else {
        w.uint32((1 << 3) | VARINT).bool(true);
        writeProps(w, 2, v, where);
      }
      return;
    case 'propsOrStringArray':
      if (Array.isArray(v)) for (const s of v) w.uint32((2 << 3) | LDELIM).string(String(s));
      else writeProps(w, 1, v, where);
      return;
  }
}

let propsPlan: (() => MessagePlan) | undefined;
/** The JSONSchemaProps plan, set by the codec that owns the planner (the Or* wrappers nest it). */
export function setJsonSchemaPropsPlan(plan: () => MessagePlan): void {
  propsPlan = plan;
}

function writeProps(w: Writer, no: number, v: unknown, where: string): void {
  if (!propsPlan) throw new ProtobufEncodeError(`${where}: JSONSchemaProps is not available`);
  writeValue(w, no, { kind: 'message', plan: propsPlan }, v, where);
}

// ---------------------------------------------------------------- decode

export function decodeMessage(plan: MessagePlan, bytes: Uint8Array, where = '', base = 0): Json {
  const r = Reader.create(bytes);
  const out: Json = {};
  track(where, base);
  try {
    readMessage(r, plan, r.len, out, where, base);
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    throw new ProtobufDecodeError(`malformed protobuf: ${(err as Error).message}`, here.where, here.offset);
  }
  return out;
}

function fail(detail: string, where: string, offset: number): never {
  throw new ProtobufDecodeError(detail, where, offset);
}

/** Where the decoder is, so that a protobufjs RangeError (truncated input) becomes an error that says where. */
const here = { where: '', offset: 0 };

function track(where: string, offset: number): void {
  here.where = where;
  here.offset = offset;
}

/** A varint as a JS number (int64 without allocating a Long; beyond 2^53 it rounds, as JSON numbers do). */
function varintNumber(r: Reader): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (r.pos >= r.len) throw new RangeError(`index out of range: ${r.pos} + 1 > ${r.len}`);
    const b = r.buf[r.pos++];
    result += (b & 0x7f) * mul;
    if (!(b & 0x80)) return result >= 2 ** 63 ? result - 2 ** 64 : result;
    mul *= 128;
  }
  throw new RangeError('invalid varint encoding');
}

function readMessage(r: Reader, plan: MessagePlan, end: number, out: Json, path: string, base: number): void {
  while (r.pos < end) {
    const at = r.pos;
    track(path, base + at);
    const tag = r.uint32();
    const no = tag >>> 3;
    const wire = tag & 7;
    if (no === 0) fail('invalid field number 0', path, base + at);
    const f = plan.byNo.get(no);
    if (!f) {
      r.skipType(wire);
      continue;
    }
    const where = f.inline ? path : `${path}.${f.key}`;
    here.where = where;
    if (f.inline) {
      expectWire(wire, LDELIM, where, base + at);
      const len = r.uint32();
      const stop = r.pos + len;
      if (stop > end) fail('length runs past the end of the message', where, base + at);
      readMessage(r, f.inline, stop, out, path, base);
      continue;
    }
    if (f.shape === 'map') {
      expectWire(wire, LDELIM, where, base + at);
      const len = r.uint32();
      const stop = r.pos + len;
      if (stop > end) fail('length runs past the end of the message', where, base + at);
      let key = '';
      let value: unknown;
      while (r.pos < stop) {
        const eat = r.pos;
        const t = r.uint32();
        if (t >>> 3 === 1) {
          expectWire(t & 7, LDELIM, where, base + eat);
          key = readString(r);
        } else if (t >>> 3 === 2) {
          value = f.wrap ? readWrapped(r, f, t & 7, `${where}.${key}`, base, eat) : readValue(r, f.value, t & 7, `${where}.${key}`, base, eat);
        } else r.skipType(t & 7);
      }
      if (r.pos !== stop) fail('map entry overruns its length', where, base + at);
      const map = (out[f.key] ??= {}) as Json;
      map[key] = value ?? zeroOf(f.value, f.wrap);
      continue;
    }
    if (f.shape === 'repeated') {
      const list = (out[f.key] ??= []) as unknown[];
      if (wire === LDELIM && isPackable(f.value)) {
        const len = r.uint32();
        const stop = r.pos + len;
        if (stop > end) fail('length runs past the end of the message', where, base + at);
        while (r.pos < stop) list.push(readValue(r, f.value, f.value.kind === 'double' ? FIXED64 : VARINT, `${where}[${list.length}]`, base, r.pos));
        continue;
      }
      list.push(readValue(r, f.value, wire, `${where}[${list.length}]`, base, at));
      continue;
    }
    const v = readValue(r, f.value, wire, where, base, at);
    if (r.pos > end) fail('field runs past the end of the message', where, base + at);
    out[f.key] = v;
  }
  if (r.pos !== end) fail('message overruns its length', path, base + r.pos);
  prune(plan, out);
}

/** Go writes every non-pointer field; Go's JSON omits empty ones. Drop what Go's JSON would not show. */
function prune(plan: MessagePlan, out: Json): void {
  for (const f of plan.fields) {
    if (f.inline) continue;
    const v = out[f.key];
    if (v === undefined) continue;
    if (v === null) {
      delete out[f.key];
      continue;
    }
    if (f.shape !== 'single') continue;
    if (f.value.kind === 'message') {
      if (!f.ptr && Object.keys(v as Json).length === 0) delete out[f.key];
    } else if (!f.ptr && !f.keep && (v === '' || v === 0 || v === false)) {
      if (isScalar(f.value)) delete out[f.key];
    }
  }
}

function isScalar(v: ValueKind): boolean {
  return v.kind === 'string' || v.kind === 'bool' || v.kind === 'int32' || v.kind === 'int64' || v.kind === 'double' || v.kind === 'bytes';
}

function isPackable(v: ValueKind): boolean {
  return v.kind === 'bool' || v.kind === 'int32' || v.kind === 'int64' || v.kind === 'double';
}

function zeroOf(v: ValueKind, wrap: boolean): unknown {
  if (wrap) return [];
  switch (v.kind) {
    case 'string':
    case 'bytes':
    case 'quantity':
      return '';
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'double':
      return 0;
    case 'message':
      return {};
    default:
      return null;
  }
}

function expectWire(actual: number, expected: number, where: string, offset: number): void {
  if (actual !== expected) fail(`wire type ${actual} where ${expected} was expected`, where, offset);
}

function readWrapped(r: Reader, f: FieldPlan, wire: number, where: string, base: number, at: number): unknown[] {
  expectWire(wire, LDELIM, where, base + at);
  const len = r.uint32();
  const stop = r.pos + len;
  const items: unknown[] = [];
  while (r.pos < stop) {
    const eat = r.pos;
    const t = r.uint32();
    if (t >>> 3 === 1) items.push(readValue(r, f.value, t & 7, `${where}[${items.length}]`, base, eat));
    else r.skipType(t & 7);
  }
  return items;
}

function toNumber(v: number | { toNumber(): number }): number {
  return typeof v === 'number' ? v : v.toNumber();
}

function readValue(r: Reader, value: ValueKind, wire: number, where: string, base: number, at: number): unknown {
  switch (value.kind) {
    case 'string':
      expectWire(wire, LDELIM, where, base + at);
      return readString(r);
    case 'bytes':
      expectWire(wire, LDELIM, where, base + at);
      return Buffer.from(r.bytes()).toString('base64');
    case 'bool':
      expectWire(wire, VARINT, where, base + at);
      return r.bool();
    case 'int32':
      expectWire(wire, VARINT, where, base + at);
      return r.int32();
    case 'int64':
      expectWire(wire, VARINT, where, base + at);
      return varintNumber(r);
    case 'double':
      expectWire(wire, FIXED64, where, base + at);
      return r.double();
    default: {
      expectWire(wire, LDELIM, where, base + at);
      const len = r.uint32();
      const start = r.pos;
      const stop = start + len;
      if (stop > r.len) fail('length runs past the end of the body', where, base + at);
      if (value.kind === 'message') {
        const out: Json = {};
        readMessage(r, value.plan(), stop, out, where, base);
        return out;
      }
      const v = readSpecial(r, value.kind, stop, where, base);
      r.pos = stop;
      return v;
    }
  }
}

interface Fields {
  [no: number]: unknown[];
}

/** Reads a small message as field number -> values (scalars by wire type; LDELIM as raw bytes). */
function readFields(r: Reader, stop: number, where: string, base: number): Fields {
  const fields: Fields = {};
  while (r.pos < stop) {
    const at = r.pos;
    const t = r.uint32();
    const wire = t & 7;
    let v: unknown;
    if (wire === VARINT) v = varintNumber(r);
    else if (wire === LDELIM) v = r.bytes();
    else if (wire === FIXED64) v = r.double();
    else fail(`unexpected wire type ${wire}`, where, base + at);
    (fields[t >>> 3] ??= []).push(v);
  }
  if (r.pos !== stop) fail('message overruns its length', where, base + r.pos);
  return fields;
}

const last = (f: Fields, no: number) => f[no]?.[f[no].length - 1];
const num = (v: unknown) => (v === undefined ? 0 : toNumber(v as number));
const str = (v: unknown) => (v === undefined ? '' : Buffer.from(v as Uint8Array).toString('utf8'));

function readSpecial(r: Reader, kind: SpecialKind, stop: number, where: string, base: number): unknown {
  const start = r.pos;
  if (kind === 'propsOrArray' || kind === 'propsOrBool' || kind === 'propsOrStringArray') return readPropsWrapper(r, kind, stop, where, base);
  const f = readFields(r, stop, where, base);
  switch (kind) {
    case 'time':
    case 'microtime': {
      const seconds = num(last(f, 1));
      const nanos = num(last(f, 2));
      if (seconds === 0 && nanos === 0 && stop === start) return null;
      return formatTime(seconds, nanos, kind === 'microtime');
    }
    case 'quantity':
      return str(last(f, 1)) || null;
    case 'intorstring':
      return num(last(f, 1)) === 1 ? str(last(f, 3)) : Number(BigInt.asIntN(32, BigInt(num(last(f, 2)))));
    case 'raw':
    case 'json': {
      const raw = last(f, 1) as Uint8Array | undefined;
      if (!raw || raw.length === 0) return null;
      try {
        return JSON.parse(Buffer.from(raw).toString('utf8'));
      } catch (err) {
        return fail(`embedded raw data is not JSON: ${(err as Error).message}`, where, base + start);
      }
    }
  }
}

function readPropsWrapper(r: Reader, kind: SpecialKind, stop: number, where: string, base: number): unknown {
  if (!propsPlan) return fail('JSONSchemaProps is not available', where, base + r.pos);
  const props = { kind: 'message' as const, plan: propsPlan };
  let schema: unknown;
  const list: unknown[] = [];
  let allows = false;
  while (r.pos < stop) {
    const at = r.pos;
    const t = r.uint32();
    const no = t >>> 3;
    const wire = t & 7;
    if (kind === 'propsOrBool' && no === 1) {
      expectWire(wire, VARINT, where, base + at);
      allows = r.bool();
    } else if ((kind !== 'propsOrBool' && no === 1) || (kind === 'propsOrBool' && no === 2)) schema = readValue(r, props, wire, where, base, at);
    else if (no === 2 && kind === 'propsOrArray') list.push(readValue(r, props, wire, `${where}[${list.length}]`, base, at));
    else if (no === 2 && kind === 'propsOrStringArray') list.push(readValue(r, { kind: 'string' }, wire, `${where}[${list.length}]`, base, at));
    else r.skipType(wire);
  }
  if (kind === 'propsOrBool') return schema ?? allows;
  return schema ?? list;
}

// ---------------------------------------------------------------- time

// objects carry the same few timestamps over and over (creation, managed fields): remember recent ones
const timeCacheSize = 4096;
const parsedTimes = new Map<string, { seconds: number; nanos: number } | undefined>();
const formattedTimes = new Map<number, string>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= timeCacheSize) cache.clear();
  cache.set(key, value);
  return value;
}

/** RFC 3339 -> seconds and nanoseconds since the epoch; undefined when it is not a time. */
export function parseTime(text: string): { seconds: number; nanos: number } | undefined {
  const hit = parsedTimes.get(text);
  return hit || parsedTimes.has(text) ? hit : remember(parsedTimes, text, parseTimeUncached(text));
}

function parseTimeUncached(text: string): { seconds: number; nanos: number } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[4].toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  return { seconds: Math.floor(ms / 1000), nanos: m[3] ? Number(m[3].padEnd(9, '0')) : 0 };
}

/** Seconds and nanoseconds -> RFC 3339 in UTC, as metav1.Time (seconds) or MicroTime (microseconds) marshal. */
export function formatTime(seconds: number, nanos: number, micro: boolean): string {
  if (!micro) return formattedTimes.get(seconds) ?? remember(formattedTimes, seconds, `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`);
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}
