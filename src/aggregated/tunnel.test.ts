// The tunnel session end to end over a loopback TCP connection: HTTP requests multiplexed to a
// server only the accepting side dials, a refused dial surfaces as an error, a closed tunnel ends its
// streams, a stalled stream holds back only itself, and a peer that stops answering PINGs is dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, request } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { TunnelHub, TunnelSession, type TunnelOptions, type TunnelStream } from './tunnel.js';
import { eventually } from '../../test/support/kubectl.js';

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

/** two sessions over one loopback TCP connection; `accept` is the agent side's stream handler */
async function sessions(accept: (s: TunnelStream) => void, opts: TunnelOptions) {
  const tcp = createServer();
  const port = await listen(tcp);
  const serverSide = new Promise<Socket>((r) => tcp.once('connection', r));
  const socket = connect(port, '127.0.0.1');
  const hub = new TunnelSession(await serverSide, undefined, opts);
  const agent = new TunnelSession(socket, accept, opts);
  return { hub, agent, stop: () => (hub.close(), agent.close(), tcp.close()) };
}

test('a stream whose reader stalls holds back only itself: the others flow, and it resumes intact', async () => {
  const windowBytes = 64 * 1024;
  const big = Buffer.alloc(4 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = i % 251;
  let bigWritten = false;
  const t = await sessions(
    (s) => {
      // the agent side: the first stream is a flood (kubectl logs -f of a chatty pod), the second a short answer
      s.on('error', () => {}); // the tunnel closing at the end
      if (s.id === 1) s.write(big, () => (bigWritten = true));
      else s.end('small answer');
    },
    { windowBytes, pingIntervalMs: 0 },
  );
  try {
    const flood = t.hub.openStream().on('error', () => {});
    const small = t.hub.openStream();
    let answer = '';
    await new Promise<void>((done) => small.on('data', (c: Buffer) => (answer += c)).on('end', done));
    assert.equal(answer, 'small answer');
    // nobody reads the flood: at most one window is buffered for it, and the agent's write waits
    assert.ok(flood.readableLength <= windowBytes, `flood buffered ${flood.readableLength} bytes, more than its ${windowBytes}-byte window`);
    assert.equal(bigWritten, false, 'the flood could not be written past its window');
    const got: Buffer[] = [];
    let total = 0;
    await new Promise<void>((done) =>
      flood.on('data', (c: Buffer) => {
        got.push(c);
        total += c.length;
        if (total >= big.length) done();
      }),
    );
    assert.ok(Buffer.concat(got).equals(big), 'the flood arrives whole and in order once read');
    await eventually(() => bigWritten, 'the agent\'s write completes');
  } finally {
    t.stop();
  }
});

test('a peer that stops answering is noticed by PINGs and the tunnel closed; a quiet but live tunnel stays open', async () => {
  const opts = { pingIntervalMs: 50, deadAfterMs: 300 };
  // the silent pair runs through a relay that stops forwarding without closing anything (a vanished host)
  const relay = createServer();
  const relayPort = await listen(relay);
  const far = createServer();
  const farPort = await listen(far);
  const farSide = new Promise<Socket>((r) => far.once('connection', r));
  let frozen = false;
  relay.on('connection', (inbound: Socket) => {
    const out = connect(farPort, '127.0.0.1');
    inbound.on('data', (d) => !frozen && out.write(d));
    out.on('data', (d) => !frozen && inbound.write(d));
    inbound.on('close', () => out.destroy());
    out.on('close', () => inbound.destroy());
  });
  const agentSocket = connect(relayPort, '127.0.0.1');
  const silentHub = new TunnelSession(await farSide, undefined, opts);
  const silentAgent = new TunnelSession(agentSocket, () => {}, opts);
  const live = await sessions(() => {}, opts);
  try {
    const started = Date.now();
    frozen = true;
    await Promise.all([silentHub.done, silentAgent.done]);
    const took = Date.now() - started;
    assert.ok(took >= opts.deadAfterMs, `closed after ${took} ms, before ${opts.deadAfterMs} ms without an answer`);
    assert.ok(took < 10 * (opts.deadAfterMs + opts.pingIntervalMs), `noticed only after ${took} ms`);
    assert.equal(silentHub.open, false);
    assert.equal(silentAgent.open, false);
    assert.ok(live.hub.open && live.agent.open, 'the live tunnel, idle just as long, answered its PINGs and is open');
  } finally {
    silentHub.close();
    silentAgent.close();
    live.stop();
    relay.close();
    far.close();
  }
});
