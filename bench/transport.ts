// The client's CPU per request on its two paths, in one run: KeepAliveTransport over undici (every
// KubeClient request) and over node:https (what it used before, and still uses for proxy agents).
// Counterpart: client-go's shared http.Transport. The server runs in a child process, so the
// client's process.cpuUsage is the client's alone.
//   node --import tsx bench/transport.ts [--requests 10000] [--concurrency 16] [--rounds 3]
import { fork } from 'node:child_process';
import { createServer } from 'node:https';
import { Agent as HttpsAgent } from 'node:https';
import { cpus } from 'node:os';
import { createSecureContext } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { createCA, createSignedCert } from '../src/apiserver/auth/certs.js';
import { KeepAliveTransport, type TransportResponse } from '../src/runtime/transport.js';

interface Certs {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** a Work-sized answer with the headers the API server sends */
const answer = JSON.stringify({ apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work', metadata: { name: 'w'.repeat(40), namespace: 'karmada-es-member1', resourceVersion: '12345' }, spec: { pad: 'y'.repeat(2000) } });

function serve(certs: Certs): void {
  const server = createServer({ cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'Audit-Id': '3f1e1c1a-5a4e-4b8e-9a55-2b0f8f7c9d11', 'Cache-Control': 'no-cache, private', 'Content-Type': 'application/json', 'X-Kubernetes-Pf-Flowschema-Uid': 'a', 'X-Kubernetes-Pf-Prioritylevel-Uid': 'b', 'Content-Length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 90_000;
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
  process.on('disconnect', () => process.exit(0));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '16' }, rounds: { type: 'string', default: '3' } } });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);

  const ca = await createCA('bench-ca');
  const serving = await createSignedCert(ca, { commonName: 'localhost', usage: 'server', ips: ['127.0.0.1'] });
  const admin = await createSignedCert(ca, { commonName: 'admin', usage: 'client' });
  const certs: Certs = { ca: ca.certPem, serverCert: serving.certPem, serverKey: serving.keyPem, clientCert: admin.certPem, clientKey: admin.keyPem };
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send(certs);
  const port = await new Promise<number>((r) => child.once('message', (m) => r(m as number)));
  const url = `https://127.0.0.1:${port}/apis/work.karmada.io/v1alpha1/namespaces/karmada-es-member1/works`;
  const headers = { Accept: 'application/json, */*', 'Content-Type': 'application/json', 'User-Agent': 'karmada-controller-manager/v1.19.0 (linux/amd64) kubernetes/$Format' };
  const body = JSON.stringify({ apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work', metadata: { name: 'w'.repeat(40) }, spec: { pad: 'z'.repeat(900) } });

  // undici: the agent client-node would give, which agentFor maps to the pooled connections
  const undiciTransport = new KeepAliveTransport();
  const given = new HttpsAgent({ ca: certs.ca, cert: certs.clientCert, key: certs.clientKey });
  const pooled = undiciTransport.agentFor(given, 'https:');
  // node:https: an agent of another class is used as given (as a proxy agent is), with the same one SecureContext
  class NodeAgent extends HttpsAgent {}
  const nodeAgent = new NodeAgent({ keepAlive: true, maxSockets: 64, secureContext: createSecureContext({ ca: certs.ca, cert: certs.clientCert, key: certs.clientKey }) });
  const nodeTransport = new KeepAliveTransport();

  const paths: Record<string, () => Promise<TransportResponse>> = {
    'node:https': () => nodeTransport.send({ method: 'POST', url, headers, body, agent: nodeAgent }),
    undici: () => undiciTransport.send({ method: 'POST', url, headers, body, agent: pooled, pooled: true }),
  };

  const run = async (one: () => Promise<TransportResponse>, n: number) => {
    let next = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < n) {
          const r = await one();
          if (r.status !== 201 || r.body?.length !== Buffer.byteLength(answer)) throw new Error(`unexpected answer ${r.status}`);
        }
      }),
    );
    const c = process.cpuUsage(c0);
    return { cpuUs: (c.user + c.system) / n, wallUs: ((performance.now() - t0) * 1000) / n };
  };

  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model.trim()}, node ${process.version}; ${requests} POSTs (1 KB in, 2 KB out) ${concurrency} at a time over TLS with a client certificate, per round`);
  for (const one of Object.values(paths)) await run(one, 1000); // warm-up: connections, JIT
  const figures: Record<string, number[]> = {};
  for (let round = 1; round <= rounds; round++) {
    for (const [name, one] of Object.entries(paths)) {
      const { cpuUs, wallUs } = await run(one, requests);
      (figures[name] ??= []).push(cpuUs);
      console.log(`round ${round} ${name.padEnd(10)} client CPU ${cpuUs.toFixed(1)} us/request, wall ${wallUs.toFixed(1)} us/request`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`median client CPU per request: ${Object.entries(figures).map(([n, xs]) => `${n} ${median(xs).toFixed(1)} us`).join(', ')}; connections: node:https ${nodeTransport.connections === 0 ? 'n/a' : nodeTransport.connections}, undici ${undiciTransport.connections}`);
  nodeAgent.destroy();
  nodeTransport.close();
  undiciTransport.close();
  child.disconnect();
}

if (process.argv.includes('--serve')) process.once('message', (m) => serve(m as Certs));
else await main();
