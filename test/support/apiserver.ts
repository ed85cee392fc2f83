// Starts an API server for a test: memory store unless told otherwise, temp data dir, random port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer, type ApiServerOptions } from '../../src/apiserver/server.js';
import { Kubectl } from './kubectl.js';

export interface TestServer {
  server: ApiServer;
  kubectl: Kubectl;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestServer(opts: Partial<ApiServerOptions> = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'karmada-ts-'));
  const server = await ApiServer.start({ storage: { backend: 'memory' }, ...opts, dataDir, port: 0 });
  const kubectl = new Kubectl(server.adminKubeconfig());
  return {
    server,
    kubectl,
    dataDir,
    async stop() {
      await server.stop();
      kubectl.cleanup();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
