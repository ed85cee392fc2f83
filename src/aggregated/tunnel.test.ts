// The tunnel session end to end over a loopback TCP connection: HTTP requests multiplexed to a
// server only the accepting side dials, a refused dial surfaces as an error, a closed tunnel ends its streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, request } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { TunnelHub, TunnelSession, type TunnelStream } from './tunnel.js';

async function listen(server: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown }): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

/** a hub (control plane) and an accepting session (agent) whose streams are bridged to port `target` */
async function pair(target: number) {
  const hub = new TunnelHub();
  const tcp = createServer();
  const accepted = new Promise<void>((r) => tcp.once('connection', (s: Socket) => (hub.attach('c1', s), r())));
  const port = await listen(tcp);
  const socket = connect(port, '127.0.0.1');
  const agent = new TunnelSession(socket, (stream: TunnelStream) => {
    const up = connect(target, '127.0.0.1');
    up.once('connect', () => (up.pipe(stream), stream.pipe(up)));
    up.on('error', (err) => stream.destroy(err));
    up.on('close', () => stream.destroy());
    stream.on('close', () => up.destroy());
    stream.on('error', () => up.destroy());
  });
  await accepted;
  return { hub, agent, stop: () => (hub.closeAll(), agent.close(), tcp.close()) };
}

const get = (createConnection: () => TunnelStream, path: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: 'member.invalid', path, createConnection: createConnection as never }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });

test('concurrent HTTP requests share one tunnel and reach the target the agent dials', async () => {
  const member = createHttpServer((req, res) => setTimeout(() => res.end(`you asked ${req.url}`), 20));
  const memberPort = await listen(member);
  const t = await pair(memberPort);
  try {
    const session = t.hub.get('c1')!;
    const answers = await Promise.all(['/a', '/b', '/c'].map((p) => get(() => session.openStream(), p)));
    assert.deepEqual(answers, ['/a', '/b', '/c'].map((p) => ({ status: 200, body: `you asked ${p}` })));
  } finally {
    t.stop();
    member.close();
  }
});

test('a dial the agent cannot make fails the request; a closed tunnel is gone from the hub', async () => {
  const closed = createServer();
  const deadPort = await listen(closed);
  closed.close();
  const t = await pair(deadPort);
  try {
    const session = t.hub.get('c1')!;
    await assert.rejects(get(() => session.openStream(), '/'), /ECONNREFUSED/);
    t.agent.close();
    await session.done;
    assert.equal(t.hub.get('c1'), undefined);
    assert.throws(() => session.openStream(), /the tunnel is closed/);
  } finally {
    t.stop();
  }
});
