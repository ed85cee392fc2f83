// Table-driven tests of the tunnel's framing: round trips, arbitrary chunk boundaries, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataFrames, encodeFrame, FrameDecoder, FrameType, HeaderBytes, MaxPayload } from './tunnel-frame.js';

test('frames survive any split of the byte stream', () => {
  const wire = Buffer.concat([encodeFrame(FrameType.Open, 1), encodeFrame(FrameType.Data, 1, Buffer.from('GET / HTTP/1.1\r\n\r\n')), encodeFrame(FrameType.Close, 0xffffffff, Buffer.from('gone'))]);
  for (const size of [1, 2, 5, 9, 10, 17, wire.length]) {
    const d = new FrameDecoder();
    const frames = [];
    for (let at = 0; at < wire.length; at += size) frames.push(...d.push(wire.subarray(at, at + size)));
    assert.deepEqual(
      frames.map((f) => [f.type, f.stream, f.payload.toString()]),
      [
        [FrameType.Open, 1, ''],
        [FrameType.Data, 1, 'GET / HTTP/1.1\r\n\r\n'],
        [FrameType.Close, 0xffffffff, 'gone'],
      ],
      `chunks of ${size}`,
    );
  }
});

test('a large write becomes several DATA frames that reassemble to it', () => {
  const big = Buffer.alloc(MaxPayload * 2 + 10, 7);
  const frames = dataFrames(3, big);
  assert.equal(frames.length, 3);
  const decoded = new FrameDecoder().push(Buffer.concat(frames));
  assert.deepEqual(Buffer.concat(decoded.map((f) => f.payload)), big);
  assert.ok(decoded.every((f) => f.type === FrameType.Data && f.stream === 3));
});

test('bad input is refused with a reason', () => {
  const header = (type: number, length: number) => {
    const b = Buffer.alloc(HeaderBytes);
    b.writeUInt8(type, 0);
    b.writeUInt32BE(1, 1);
    b.writeUInt32BE(length, 5);
    return b;
  };
  const cases: [string, () => unknown, RegExp][] = [
    ['unknown type', () => new FrameDecoder().push(header(9, 0)), /unknown frame type 9/],
    ['oversized length', () => new FrameDecoder().push(header(FrameType.Data, MaxPayload + 1)), /exceeds/],
    ['oversized encode', () => encodeFrame(FrameType.Data, 1, Buffer.alloc(MaxPayload + 1)), /exceeds/],
  ];
  for (const [name, fn, msg] of cases) assert.throws(fn, msg, name);
  // an incomplete frame waits for the rest
  assert.deepEqual(new FrameDecoder().push(header(FrameType.Data, 4)), []);
});
