// A component's `/metrics` over plain HTTP (controller-runtime's metrics server, which Karmada's
// components bind on --metrics-bind-address): loopback only, on a chosen or a free port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

interface MetricsEndpoint {
  /** http://HOST:PORT/metrics */
  url: string;
  close(): Promise<void>;
}

/**
 * Karmada's --metrics-bind-address (`HOST:PORT`, `:PORT`, or `0` to serve none) as where we listen:
 * undefined for `0`; an empty host is loopback, as everything karmada-ts serves. Throws on anything else.
 */
export function parseMetricsBindAddress(value: string): { host: string; port: number } | undefined {
  if (value.trim() === '0') return undefined;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s]*):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`--metrics-bind-address must be HOST:PORT, :PORT or 0 (got ${JSON.stringify(value)})`);
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1', port };
}

/** serves the registry at /metrics on host:port (port 0: any free one) until closed */
export async function serveMetrics(registry: Registry, at: { host: string; port: number } = { host: '127.0.0.1', port: 0 }): Promise<MetricsEndpoint> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
