// Where the agent dials a tunnel stream (table-driven), and the agent's tunnel loop against a control
// plane whose first connection goes silent: the agent notices by PINGs and redials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TunnelHub } from '../aggregated/tunnel.js';
import { KubeClient } from '../runtime/client.js';
import { eventually } from '../../test/support/kubectl.js';
import { dialTarget, runTunnel } from './tunnel.js';

async function listen(server: ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

test('dialTarget takes host and port from the member server URL, with the scheme default port', () => {
  const cases: [string, { host: string; port: number }][] = [
    ['https://127.0.0.1:6443', { host: '127.0.0.1', port: 6443 }],
    ['https://member.example.com', { host: 'member.example.com', port: 443 }],
    ['http://10.0.0.1', { host: '10.0.0.1', port: 80 }],
    ['https://[::1]:8443/', { host: '::1', port: 8443 }],
  ];
  for (const [server, want] of cases) assert.deepEqual(dialTarget(server), want, server);
});

test('runTunnel redials when the control plane stops answering its PINGs, and the new tunnel carries streams', async () => {
  const member = createHttpServer((_req, res) => res.end('member says hi'));
  const memberPort = await listen(member);
  const hub = new TunnelHub({ pingIntervalMs: 0 });
  const upgrades: Socket[] = [];
  // a control plane whose first tunnel goes silent (a dead connection nobody closed); later ones work
  const cp = createHttpServer();
  cp.on('upgrade', (req, socket: Socket) => {
    assert.equal(req.url, '/apis/cluster.karmada.io/v1alpha1/clusters/c1/tunnel');
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: karmada-tunnel\r\n\r\n');
    upgrades.push(socket);
    if (upgrades.length === 1) socket.pause();
    else hub.attach('c1', socket);
  });
  const cpPort = await listen(cp);
  const client = KubeClient.fromKubeconfig(
    `apiVersion: v1\nkind: Config\nclusters: [{name: cp, cluster: {server: "http://127.0.0.1:${cpPort}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: cp, context: {cluster: cp, user: u}}]\ncurrent-context: cp\n`,
  );
  const stop = new AbortController();
  const warnings: string[] = [];
  const log = { info: () => {}, warn: (_o: object, m: string) => warnings.push(m) };
  const running = runTunnel(client, 'c1', `http://127.0.0.1:${memberPort}`, stop.signal, log, { pingIntervalMs: 50, deadAfterMs: 300 });
  try {
    const session = await eventually(() => hub.get('c1')!, 'a second tunnel after the first went silent', 10_000, 20);
    assert.equal(upgrades.length, 2);
    assert.ok(warnings.includes('the tunnel to the control plane closed; redialling'), warnings.join('; '));
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: 'member.invalid', path: '/', createConnection: (() => session.openStream()) as never }, (res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c));
        res.on('end', () => resolve(b));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body, 'member says hi');
  } finally {
    stop.abort();
    await running;
    hub.closeAll();
    for (const s of upgrades) s.destroy();
    cp.close();
    member.close();
  }
});
