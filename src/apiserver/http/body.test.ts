import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeDocument, jsonDeeperThan, maxNestingDepth, pathDeeperThan, readBody } from './body.js';
import { isStatusError } from '../../apimachinery/errors.js';

const nest = (n: number, open = '[', close = ']') => `${open.repeat(n)}1${close.repeat(n)}`;

test('jsonDeeperThan counts nesting on the bytes as pathDeeperThan does on the tree', () => {
  const cases: Array<[string, string, number]> = [
    ['a scalar', '1', 0],
    ['an empty object', '{}', 1],
    ['three arrays', nest(3), 3],
    ['objects', '{"a":{"b":{"c":1}}}', 3],
    ['siblings do not add up', '[[1],[2],[[3]]]', 3],
    ['brackets in strings do not count', '{"a":"[[[[{{{{"}', 1],
    ['an escaped quote does not end the string', '{"a":"\\"[[[["}', 1],
    ['an escaped backslash does', '{"a":"\\\\","b":[[1]]}', 3],
    ['an escaped backslash then an escaped quote', '{"a":"\\\\\\\"[[","b":[1]}', 2],
    ['multi-byte text', '{"ä€😀":["[ü]"]}', 2],
    ['more brackets in strings than levels', `{"a":"${'['.repeat(50)}","b":[{"c":"{{"}]}`, 3],
  ];
  for (const [what, json, depth] of cases) {
    const bytes = Buffer.from(json, 'utf8');
    assert.equal(jsonDeeperThan(bytes, depth), false, `${what}: not deeper than ${depth}`);
    assert.equal(jsonDeeperThan(bytes, depth - 1), depth > 0, `${what}: deeper than ${depth - 1}`);
    assert.equal(pathDeeperThan(JSON.parse(json), depth) !== undefined, false, `${what}: the tree walk agrees at ${depth}`);
    if (depth > 0) assert.equal(pathDeeperThan(JSON.parse(json), depth - 1) !== undefined, true, `${what}: the tree walk agrees at ${depth - 1}`);
  }
});

test('decodeDocument: a JSON body nested past the limit is a 400 naming where, one at the limit decodes', () => {
  for (const [open, close] of [['[', ']'], ['{"a":', '}']] as const) {
    assert.deepEqual(typeof decodeDocument(Buffer.from(`{"x":${nest(maxNestingDepth - 1, open, close)}}`), 'application/json'), 'object');
    assert.throws(
      () => decodeDocument(Buffer.from(`{"x":${nest(maxNestingDepth, open, close)}}`), 'application/json'),
      (err: unknown) => isStatusError(err, 'BadRequest') && /nests deeper than 1000 levels \(at \.x[.\[]/.test((err as Error).message),
    );
    assert.throws(() => decodeDocument(Buffer.from(nest(20_000, open, close)), 'application/json'), (err: unknown) => isStatusError(err, 'BadRequest'));
  }
});

/** a plain HTTP server whose requests go to readBody; resolves with what each read settled to */
async function withBodyServer(run: (port: number, reads: Promise<Buffer>[]) => Promise<void>): Promise<void> {
  const reads: Promise<Buffer>[] = [];
  const server = createServer((req, res) => {
    const read = readBody(req);
    reads.push(read);
    read.then(
      (body) => res.end(String(body.length)),
      () => res.end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run((server.address() as AddressInfo).port, reads);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('readBody: a body sent in several chunks comes back whole, an empty one as no bytes', async () => {
  await withBodyServer(async (port, reads) => {
    const parts = ['{"a":', '"', 'x'.repeat(100_000), '"}'];
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'PUT', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      for (const p of parts) req.write(p);
      req.end();
    });
    assert.equal(answer, String(parts.join('').length));
    assert.equal((await reads[0]!).toString(), parts.join(''));
    const empty = await new Promise<string>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'DELETE' }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(empty, '0');
  });
});

test('readBody: a chunked body past the limit is a 413, a client gone mid-body a rejection (never a hang)', async () => {
  await withBodyServer(async (port, reads) => {
    const big = request({ port, host: '127.0.0.1', method: 'PUT' });
    big.on('error', () => {});
    big.write(Buffer.alloc(3 * 1024 * 1024 + 1));
    await waitFor(() => reads.length === 1);
    await assert.rejects(reads[0]!, (err: unknown) => isStatusError(err, 'RequestEntityTooLarge'));
    big.destroy();
    const gone = request({ port, host: '127.0.0.1', method: 'PUT', headers: { 'content-length': '100' } });
    gone.on('error', () => {});
    gone.write('{"a":');
    await waitFor(() => reads.length === 2);
    gone.destroy();
    await assert.rejects(reads[1]!, /Premature close|aborted/);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((resolve) => setTimeout(resolve, 5));
}
