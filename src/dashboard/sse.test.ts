import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveState } from './live.js';
import { streamEndpoint } from './sse.js';

test('streamEndpoint: a snapshot, an update only when the document changed, keepalives, unsubscribed on close', async () => {
  const listeners = new Set<() => void>();
  const live = { subscribe: (_deps: unknown, fn: () => void) => (listeners.add(fn), () => listeners.delete(fn)) } as unknown as LiveState;
  let doc = { n: 1 };
  const server = createServer((req, res) => void streamEndpoint(live, { deps: ['clusters'], compute: async () => doc }, req, res, 30));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  let raw = '';
  const req = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/' }, (res) => {
    assert.equal(res.headers['content-type'], 'text/event-stream');
    res.setEncoding('utf8');
    res.on('data', (d: string) => (raw += d));
  });
  req.on('error', () => {});
  req.end();
  const until = async (what: () => boolean) => {
    for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(what(), raw);
  };
  try {
    await until(() => raw.includes('event: snapshot\ndata: {"n":1}\n\n'));
    for (const l of listeners) l();
    await until(() => raw.includes(': keepalive\n\n'));
    assert.doesNotMatch(raw, /event: update/);
    doc = { n: 2 };
    for (const l of listeners) l();
    await until(() => raw.includes('event: update\ndata: {"n":2}\n\n'));
    assert.equal(listeners.size, 1);
  } finally {
    req.destroy();
  }
  await until(() => listeners.size === 0);
  server.close();
});
