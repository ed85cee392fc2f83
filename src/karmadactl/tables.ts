// Server-side Tables for karmadactl's printing (kubectl get's `Accept: ...;as=Table` request), from the
// control plane or a member through the cluster proxy. KubeClient always asks for plain JSON, so this
// one GET sets its own Accept header with the client's kubeconfig credentials.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type RequestOptions } from 'node:http';
import type { Table } from '../apis/tables/table.js';
import type { KubeClient } from '../runtime/client.js';
import { statusErrorFromResponse } from '../runtime/client.js';

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

/** GET base+path asking for a Table; base is the client's server or a member's proxy URL */
export async function getTable(client: KubeClient, base: string, path: string, query: Record<string, string | undefined> = {}): Promise<Table> {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v) url.searchParams.set(k, v);
  const opts: RequestOptions & Record<string, unknown> = { method: 'GET', headers: {} };
  await client.kubeConfig.applyToHTTPSOptions(opts as never);
  (opts.headers as Record<string, string>).Accept = tableAccept;
  if (client.userAgent) (opts.headers as Record<string, string>)['User-Agent'] = client.userAgent;
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = send(url, opts, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: body }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`timed out reading ${url.pathname}`)));
    req.on('error', reject);
    req.end();
  });
  if (status < 200 || status > 299) throw statusErrorFromResponse(status, text);
  const body = JSON.parse(text) as Table | { kind?: string };
  if (body.kind !== 'Table') throw new Error(`${url.pathname} answered ${body.kind ?? 'something'} instead of a Table`);
  return body as Table;
}
