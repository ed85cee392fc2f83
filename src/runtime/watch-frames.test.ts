import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameSplitter } from './watch-frames.js';

const huge = `{"type":"ADDED","object":{"data":"${'x'.repeat(300_000)}"}}`;

const cases: { name: string; chunks: string[]; want: string[] }[] = [
  { name: 'one frame per chunk', chunks: ['{"a":1}\n', '{"b":2}\n'], want: ['{"a":1}', '{"b":2}'] },
  { name: 'several frames in one chunk', chunks: ['{"a":1}\n{"b":2}\n{"c":3}\n'], want: ['{"a":1}', '{"b":2}', '{"c":3}'] },
  { name: 'a frame split across chunks', chunks: ['{"a":', '1}\n{"b"', ':2}\n'], want: ['{"a":1}', '{"b":2}'] },
  { name: 'a frame split over many chunks, the newline alone in the last', chunks: ['{', '"a"', ':', '1}', '\n'], want: ['{"a":1}'] },
  { name: 'CRLF line ends drop the CR', chunks: ['{"a":1}\r\n{"b":2}\r', '\n'], want: ['{"a":1}', '{"b":2}'] },
  { name: 'empty lines are no frames', chunks: ['\n\n{"a":1}\n\r\n', '\n'], want: ['{"a":1}'] },
  { name: 'a huge frame in 64 KiB chunks', chunks: chunked(`${huge}\n{"b":2}\n`, 65_536), want: [huge, '{"b":2}'] },
  { name: 'a truncated end is handed over as the last frame', chunks: ['{"a":1}\n{"b":'], want: ['{"a":1}', '{"b":'] },
  { name: 'a last frame without its newline', chunks: ['{"a":1}\n', '{"b":2}'], want: ['{"a":1}', '{"b":2}'] },
  { name: 'a multi-byte character split between chunks stays whole', chunks: ['{"n":"\xe2', '\x82\xac"}\n'], want: ['{"n":"€"}'] },
];

function chunked(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

for (const c of cases) {
  test(`FrameSplitter: ${c.name}`, () => {
    const got: string[] = [];
    const splitter = new FrameSplitter((buf, start, end) => got.push(buf.toString('utf8', start, end)));
    // latin1 keeps the split multi-byte case byte-exact; the other cases are ASCII
    for (const chunk of c.chunks) splitter.push(Buffer.from(chunk, 'latin1'));
    splitter.end();
    assert.deepEqual(got, c.want);
    assert.equal(splitter.buffered, 0);
  });
}

test('FrameSplitter: holds only the unfinished frame between chunks', () => {
  const got: string[] = [];
  const splitter = new FrameSplitter((buf, start, end) => got.push(buf.toString('utf8', start, end)));
  splitter.push(Buffer.from('{"a":1}\n{"b'));
  assert.deepEqual(got, ['{"a":1}']);
  assert.equal(splitter.buffered, 3);
});
