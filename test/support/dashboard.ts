// Plain HTTP to a dashboard under test: its key cookie, any Host header, and Server-Sent Event streams.
import { request, type IncomingMessage } from 'node:http';

export interface DashResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  json<T = any>(): T;
}

export interface DashRequest {
  method?: string;
  /** the Host header (default 127.0.0.1:PORT) */
  host?: string;
  cookie?: string;
  accept?: string;
}

export function dashClient(port: number) {
  const call = (path: string, opts: DashRequest = {}): Promise<DashResponse> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { Host: opts.host ?? `127.0.0.1:${port}`, ...(opts.cookie ? { Cookie: opts.cookie } : {}), ...(opts.accept ? { Accept: opts.accept } : {}) } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
      });
      req.on('error', reject);
      req.end();
    });

  /** an event stream: every `event:`/`data:` frame as it arrives, until close() */
  const events = (path: string, cookie: string) => {
    const frames: { event: string; data: string }[] = [];
    let raw = '';
    let status = 0;
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: `127.0.0.1:${port}`, Cookie: cookie, Accept: 'text/event-stream' } }, (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        raw += d;
        let end: number;
        while ((end = raw.indexOf('\n\n')) >= 0) {
          const block = raw.slice(0, end);
          raw = raw.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) frames.push({ event, data: data.join('\n') });
        }
      });
    });
    req.on('error', () => {});
    req.end();
    return { frames, status: () => status, close: () => req.destroy() };
  };
  return { call, events };
}

/** GET /?key=KEY and return the cookie it sets */
export async function loginCookie(port: number, key: string): Promise<string> {
  const r = await dashClient(port).call(`/?key=${key}`);
  if (r.status !== 302) throw new Error(`expected 302 from /?key=, got ${r.status}: ${r.body}`);
  const set = r.headers['set-cookie']?.[0] ?? '';
  return set.split(';')[0]!;
}
