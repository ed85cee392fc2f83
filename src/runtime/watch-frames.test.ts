import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameSplitter, eventVersion, managedFieldsCut, objectManagedFieldsCut } from './watch-frames.js';

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

const fields = [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {} } } } }];
const meta = { name: 'a', namespace: 'ns', resourceVersion: '7' };
const frame = (object: unknown, indent?: number) => JSON.stringify({ type: 'MODIFIED', object }, null, indent);
const withoutFields = (text: string) => {
  const parsed = JSON.parse(text) as { object: { metadata: Record<string, unknown> } };
  delete parsed.object.metadata.managedFields;
  return parsed;
};

const cutCases: { name: string; text: string; cuts: boolean }[] = [
  { name: 'in the middle of metadata, with the comma before it', text: frame({ kind: 'Pod', metadata: { ...meta, managedFields: fields, labels: { a: 'b' } }, spec: {} }), cuts: true },
  { name: 'last in metadata', text: frame({ kind: 'Pod', metadata: { ...meta, managedFields: fields } }), cuts: true },
  { name: 'first in metadata, with the comma after it', text: frame({ kind: 'Pod', metadata: { managedFields: fields, ...meta } }), cuts: true },
  { name: 'alone in metadata', text: frame({ kind: 'Pod', metadata: { managedFields: fields } }), cuts: true },
  { name: 'pretty-printed', text: frame({ kind: 'Pod', metadata: { ...meta, managedFields: fields }, spec: { x: [1, 2] } }, 2), cuts: true },
  { name: 'metadata after a spec with quotes, braces and a managedFields key of its own', text: frame({ kind: 'ConfigMap', data: { managedFields: '"}]{[\\', x: 'y' }, metadata: { ...meta, managedFields: fields } }), cuts: true },
  { name: 'only a data key named managedFields: nothing to cut', text: frame({ kind: 'ConfigMap', metadata: meta, data: { managedFields: '[]' } }), cuts: false },
  { name: 'no managedFields', text: frame({ kind: 'Pod', metadata: meta }), cuts: false },
  { name: 'a bookmark', text: JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Pod', metadata: { resourceVersion: '9' } } }), cuts: false },
  { name: 'a frame cut short', text: frame({ kind: 'Pod', metadata: { ...meta, managedFields: fields, labels: { a: 'b' } } }).slice(0, 120), cuts: false },
];

for (const c of cutCases) {
  test(`managedFieldsCut: ${c.name}`, () => {
    // the frame sits among others in the chunk, as it does on the wire
    const buf = Buffer.from(`{"type":"ADDED","object":{"metadata":{"managedFields":[]}}}\n${c.text}\n{"type":"DELETED"}`);
    const start = buf.indexOf('\n') + 1;
    const end = start + Buffer.byteLength(c.text);
    const cut = managedFieldsCut(buf, start, end);
    assert.equal(cut !== undefined, c.cuts);
    if (!cut) return;
    const rest = buf.toString('utf8', start, cut[0]) + buf.toString('utf8', cut[1], end);
    assert.deepEqual(JSON.parse(rest), withoutFields(c.text));
  });
}

const objectCutCases: { name: string; object: Record<string, unknown>; cuts: boolean }[] = [
  { name: 'a write\'s answer', object: { apiVersion: 'v1', kind: 'Pod', metadata: { ...meta, managedFields: fields, labels: { a: 'b' } }, spec: {} }, cuts: true },
  { name: 'metadata after the spec', object: { kind: 'ConfigMap', data: { managedFields: '"}]{[' }, metadata: { managedFields: fields, ...meta } }, cuts: true },
  { name: 'a list: its items keep theirs (the informer strips them)', object: { kind: 'PodList', metadata: { resourceVersion: '3' }, items: [{ metadata: { ...meta, managedFields: fields } }] }, cuts: false },
  { name: 'none to cut', object: { kind: 'Pod', metadata: meta }, cuts: false },
];

for (const c of objectCutCases) {
  test(`objectManagedFieldsCut: ${c.name}`, () => {
    const text = JSON.stringify(c.object);
    const buf = Buffer.from(text);
    const cut = objectManagedFieldsCut(buf, 0, buf.length);
    assert.equal(cut !== undefined, c.cuts);
    if (!cut) return;
    const want = JSON.parse(text) as { metadata: Record<string, unknown> };
    delete want.metadata.managedFields;
    assert.deepEqual(JSON.parse(buf.toString('utf8', 0, cut[0]) + buf.toString('utf8', cut[1])), want);
  });
}

const versionCases: { name: string; frame: string; want: { type: string; resourceVersion: string } | undefined }[] = [
  { name: 'type and resourceVersion', frame: '{"type":"MODIFIED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"resourceVersion":"9"},"resourceVersion":"42"},"spec":{}}}', want: { type: 'MODIFIED', resourceVersion: '42' } },
  { name: 'object before type, spaces', frame: ' { "object" : { "metadata" : { "resourceVersion" : "7" } } , "type" : "ADDED" } ', want: { type: 'ADDED', resourceVersion: '7' } },
  { name: 'no resourceVersion', frame: '{"type":"ADDED","object":{"metadata":{"name":"p"}}}', want: undefined },
  { name: 'a resourceVersion that is no string', frame: '{"type":"ADDED","object":{"metadata":{"resourceVersion":7}}}', want: undefined },
  { name: 'not an object', frame: 'not json', want: undefined },
  { name: 'cut short', frame: '{"type":"ADDED","object":{"metadata":{"resourceVersion":"7', want: undefined },
];
for (const c of versionCases) {
  test(`eventVersion: ${c.name}`, () => {
    const buf = Buffer.from(`xx${c.frame}yy`);
    assert.deepEqual(eventVersion(buf, 2, buf.length - 2), c.want);
  });
}
