// Raw HTTPS requests to a server under test, for what kubectl does not exercise (bad input, auth,
// held uploads, unread watches): every TLS option built here, once, from the server's CA and admin certificate.
import { request, Agent, type RequestOptions } from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
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

/** the TLS options of a request as the server's admin: its CA trusted, the admin client certificate presented */
export function adminTls(server: ApiServer): { ca: string; cert: string; key: string } {
  return { ca: server.caPem, cert: server.adminCredentials.certPem, key: server.adminCredentials.keyPem };
}

/** a request as the admin on a connection of its own, left open for the caller to write, end or destroy */
export function adminRequest(server: ApiServer, path: string, opts: Pick<RequestOptions, 'method' | 'headers'> = {}, onResponse?: (res: IncomingMessage) => void): ClientRequest {
  return request(new URL(path, server.url), { agent: false, ...adminTls(server), ...opts }, onResponse);
}

/** a POST that declares a body it never finishes sending, holding a mutating in-flight slot until destroyed */
export function heldUpload(server: ApiServer, path: string): ClientRequest {
  const req = adminRequest(server, path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': '1000' } });
  req.on('error', () => {});
  req.write('{');
  return req;
}

/** a raw TLS connection to the server (no HTTP), optionally as the admin, for handshakes and hand-written requests */
export function tlsSocket(server: ApiServer, opts: Omit<ConnectionOptions, 'host' | 'port'> & { admin?: boolean } = {}, onConnect?: () => void): TLSSocket {
  const url = new URL(server.url);
  const { admin, ...rest } = opts;
  const tls = admin ? adminTls(server) : { ca: server.caPem };
  return connect({ host: url.hostname, port: Number(url.port), servername: 'localhost', ...tls, ...rest }, onConnect);
}

export interface RawClient {
  call(path: string, opts?: RawRequestOptions): Promise<RawResponse>;
  close(): void;
}

export function rawClient(server: ApiServer): RawClient {
  const agent = new Agent({ keepAlive: true, ca: server.caPem });
  const call = (path: string, opts: RawRequestOptions = {}): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const auth = opts.auth ?? 'admin';
      const req = request(
        new URL(path, server.url),
        {
          method: opts.method ?? 'GET',
          ...(auth === 'admin' ? adminTls(server) : { agent, ca: server.caPem }),
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
