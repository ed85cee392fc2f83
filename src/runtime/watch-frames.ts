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
