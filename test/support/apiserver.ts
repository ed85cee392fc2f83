// Starts an API server for a test: memory store unless told otherwise, temp data dir, random port,
// kubectl and a raw HTTPS client as the admin, bearer tokens when asked; stop() undoes all of it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer, type ApiServerOptions } from '../../src/apiserver/server.js';
import { rawClient, type RawClient } from './http.js';
import { Kubectl } from './kubectl.js';

export interface TestServer {
  server: ApiServer;
  kubectl: Kubectl;
  /** raw HTTPS requests, as the admin unless a call says otherwise */
  http: RawClient;
  dataDir: string;
  stop(): Promise<void>;
}

export interface TestServerOptions extends Partial<ApiServerOptions> {
  /** lines of a static token file (`token,user,uid[,"group1,group2"]`), written beside the data and served as --token-auth-file */
  tokens?: string[];
}

export async function startTestServer({ tokens, ...opts }: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'karmada-ts-'));
  const tokenAuthFile = tokens ? join(dataDir, 'tokens.csv') : opts.tokenAuthFile;
  if (tokens) writeFileSync(tokenAuthFile!, `${tokens.join('\n')}\n`);
  const server = await ApiServer.start({ storage: { backend: 'memory' }, ...opts, tokenAuthFile, dataDir, port: 0 });
  const kubectl = new Kubectl(server.adminKubeconfig());
  const http = rawClient(server);
  return {
    server,
    kubectl,
    http,
    dataDir,
    async stop() {
      http.close();
      await server.stop();
      kubectl.cleanup();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
