// The frames of a JSON watch stream (one event per line), cut from the socket's Buffers as they come
// (client-go's framer.NewJSONFramedReader). A frame split across chunks is joined once, when its
// newline arrives; no per-line regexp and no string built from whole chunks, as readline does.

const LF = 0x0a;
const CR = 0x0d;

/** called with each frame as buf[start, end): the newline (and a CR before it) left out */
export type FrameHandler = (buf: Buffer, start: number, end: number) => void;

export class FrameSplitter {
  /** the start of a frame whose newline has not come yet */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly onFrame: FrameHandler) {}

  /** the bytes held for a frame not ended yet */
  get buffered(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(LF);
    if (nl >= 0 && this.pending.length > 0) {
      this.pending.push(chunk.subarray(0, nl));
      const whole = Buffer.concat(this.pending, this.pendingBytes + nl);
      this.pending = [];
      this.pendingBytes = 0;
      this.emit(whole, 0, whole.length);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    while (nl >= 0) {
      this.emit(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      const rest = start === 0 ? chunk : chunk.subarray(start);
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
  }

  /** the stream ended: what came after the last newline is the last frame (as readline's last line) */
  end(): void {
    if (this.pending.length === 0) return;
    const whole = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(whole, 0, whole.length);
  }

  private emit(buf: Buffer, start: number, end: number): void {
    if (end > start && buf[end - 1] === CR) end--;
    if (end > start) this.onFrame(buf, start, end);
  }
}

// The scanner below compares bytes with literal char codes: on Node 20 a module-level constant is a
// context load in every comparison, which made it several times slower than JSON.parse's own.
// 0x22 " | 0x5c \\ | 0x3a : | 0x2c , | 0x7b { | 0x7d } | 0x5b [ | 0x5d ]

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function skipSpace(buf: Buffer, i: number, end: number): number {
  while (i < end && isSpace(buf[i])) i++;
  return i;
}

/** the index after the string whose quote is at i, or -1 when it does not end before end */
function stringEnd(buf: Buffer, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = buf[j]!;
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** the index after the value starting at i (object, array, string or scalar), or -1 when cut short */
function valueEnd(buf: Buffer, i: number, end: number): number {
  const first = buf[i];
  if (first === 0x22) return stringEnd(buf, i, end);
  if (first !== 0x7b && first !== 0x5b) {
    let j = i;
    for (let c = buf[j]; j < end && c !== 0x2c && c !== 0x7d && c !== 0x5d && !isSpace(c); c = buf[++j]);
    return j > i ? j : -1;
  }
  let depth = 0;
  for (let j = i; j < end; j++) {
    const c = buf[j]!;
    if (c === 0x22) {
      // the string, inline: most of what is skipped is short keys
      for (j++; j < end; j++) {
        const d = buf[j]!;
        if (d === 0x5c) j++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return j + 1;
  }
  return -1;
}

/** the key bytes buf[from, to) spell name (ASCII, no escapes) */
function keyIs(buf: Buffer, from: number, to: number, name: string): boolean {
  if (to - from !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (buf[from + k] !== name.charCodeAt(k)) return false;
  return true;
}

/** where member `name` of the object opening at i is: its key's quote and its value's start (not scanned) */
function memberOf(buf: Buffer, i: number, end: number, name: string): { key: number; value: number } | undefined {
  if (buf[i] !== 0x7b) return undefined;
  i = skipSpace(buf, i + 1, end);
  while (buf[i] === 0x22) {
    const key = i;
    const keyEnd = stringEnd(buf, i, end);
    if (keyEnd < 0) return undefined;
    i = skipSpace(buf, keyEnd, end);
    if (buf[i] !== 0x3a) return undefined;
    const value = skipSpace(buf, i + 1, end);
    if (keyIs(buf, key + 1, keyEnd - 1, name)) return { key, value };
    const after = valueEnd(buf, value, end);
    if (after < 0) return undefined;
    i = skipSpace(buf, after, end);
    if (buf[i] !== 0x2c) return undefined;
    i = skipSpace(buf, i + 1, end);
  }
  return undefined;
}

const managedFieldsKey = Buffer.from('"managedFields"');

/**
 * The bytes [from, to) of a watch event frame that hold its object's metadata.managedFields member
 * (with one comma beside it), or undefined when it has none. Cutting them before decoding is
 * Karmada's StripUnusedFields without building the objects it throws away: they are a third of what
 * a controller manager's watches carry, and the most objects per byte.
 */
export function managedFieldsCut(buf: Buffer, start: number, end: number): [number, number] | undefined {
  // one native search says whether to look: bounded to the frame, not the rest of its chunk
  if (buf.subarray(start, end).indexOf(managedFieldsKey) < 0) return undefined;
  const object = memberOf(buf, skipSpace(buf, start, end), end, 'object');
  return object && metadataManagedFieldsCut(buf, object.value, end);
}

/**
 * managedFieldsCut for an object alone (a write's or a GET's answer) in buf[start, end): the bytes
 * of its metadata.managedFields member and one comma beside it, or undefined
 */
export function objectManagedFieldsCut(buf: Buffer, start: number, end: number): [number, number] | undefined {
  if (buf.subarray(start, end).indexOf(managedFieldsKey) < 0) return undefined;
  return metadataManagedFieldsCut(buf, skipSpace(buf, start, end), end);
}

/** the cut of metadata.managedFields of the object opening at i */
function metadataManagedFieldsCut(buf: Buffer, i: number, end: number): [number, number] | undefined {
  const metadata = memberOf(buf, i, end, 'metadata');
  const fields = metadata && memberOf(buf, metadata.value, end, 'managedFields');
  const fieldsEnd = fields ? valueEnd(buf, fields.value, end) : -1;
  if (!fields || fieldsEnd < 0) return undefined;
  let before = fields.key - 1;
  while (isSpace(buf[before])) before--;
  if (buf[before] === 0x2c) return [before, fieldsEnd];
  const after = skipSpace(buf, fieldsEnd, end);
  return buf[after] === 0x2c ? [fields.key, after + 1] : [fields.key, fieldsEnd];
}

/**
 * The type of a watch event frame in buf[start, end) and its object's metadata.resourceVersion, read
 * without decoding the frame; undefined when either is missing or not a plain string. Enough to tell
 * the echo of a write whose answer is already decoded (see KubeClient's shareAnswer).
 */
export function eventVersion(buf: Buffer, start: number, end: number): { type: string; resourceVersion: string } | undefined {
  const frame = skipSpace(buf, start, end);
  const type = memberOf(buf, frame, end, 'type');
  const typeEnd = type && buf[type.value] === 0x22 ? stringEnd(buf, type.value, end) : -1;
  if (typeEnd < 0) return undefined;
  const object = memberOf(buf, frame, end, 'object');
  const metadata = object && memberOf(buf, object.value, end, 'metadata');
  const rv = metadata && memberOf(buf, metadata.value, end, 'resourceVersion');
  const rvEnd = rv && buf[rv.value] === 0x22 ? stringEnd(buf, rv.value, end) : -1;
  if (rvEnd < 0) return undefined;
  return { type: buf.toString('latin1', type!.value + 1, typeEnd - 1), resourceVersion: buf.toString('latin1', rv!.value + 1, rvEnd - 1) };
}
