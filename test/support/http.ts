// Raw HTTPS requests to a server under test, for what kubectl does not exercise (bad input, auth).
import { request, Agent } from 'node:https';
import type { ApiServer } from '../../src/apiserver/server.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** the body as received (protobuf responses are binary) */
  bytes: Buffer;
  json<T = any>(): T;
}

export interface RawRequestOptions {
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** 'admin' (client certificate), a bearer token, or none */
  auth?: 'admin' | { token: string } | 'none';
}

export function rawClient(server: ApiServer) {
  const agent = new Agent({ keepAlive: true, ca: server.caPem });
  const admin = server.adminCredentials;
  const call = (path: string, opts: RawRequestOptions = {}): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const auth = opts.auth ?? 'admin';
      const url = new URL(path, server.url);
      const req = request(
        url,
        {
          method: opts.method ?? 'GET',
          agent: auth === 'admin' ? undefined : agent,
          ca: server.caPem,
          ...(auth === 'admin' ? { cert: admin.certPem, key: admin.keyPem } : {}),
          headers: {
            ...(typeof auth === 'object' ? { Authorization: `Bearer ${auth.token}` } : {}),
            ...(opts.body !== undefined && !opts.headers?.['Content-Type'] ? { 'Content-Type': 'application/json' } : {}),
            // Node's client sends a DELETE body with neither a length nor chunking unless told the length
            ...(opts.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(opts.body)) } : {}),
            ...opts.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            const body = bytes.toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, bytes, json: () => JSON.parse(body) });
          });
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    });
  return { call, close: () => agent.destroy() };
}
