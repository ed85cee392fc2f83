// Server-Sent Events for the /ui/v1 views (what EventSource reads): `snapshot` first, then `update`
// with the whole document again whenever something it depends on changed and the document with it;
// a `: keepalive` comment every 15 s keeps proxies and the browser from timing the stream out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveState, Resource } from './live.js';
import { asStatusError, sendStatus } from './respond.js';

export interface Endpoint {
  /** the cached resources the document is computed from */
  deps: readonly Resource[];
  compute(): Promise<unknown>;
}

export function wantsEventStream(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((t) => t.trim().split(';')[0] === 'text/event-stream');
}

export function sseFrame(event: string, data: string): string {
  return `event: ${event}\n${data.split('\n').map((l) => `data: ${l}`).join('\n')}\n\n`;
}

export async function streamEndpoint(live: LiveState, endpoint: Endpoint, req: IncomingMessage, res: ServerResponse, keepaliveMs: number): Promise<void> {
  let last: string;
  try {
    last = JSON.stringify(await endpoint.compute());
  } catch (err) {
    return sendStatus(res, asStatusError(err));
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.write(sseFrame('snapshot', last));
  let running = false;
  let again = false;
  let closed = false;
  const recompute = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        let text: string;
        try {
          text = JSON.stringify(await endpoint.compute());
        } catch (err) {
          text = JSON.stringify(asStatusError(err).status);
        }
        if (!closed && text !== last) {
          last = text;
          res.write(sseFrame('update', text));
        }
      } while (again && !closed);
    } finally {
      running = false;
    }
  };
  const unsubscribe = live.subscribe(endpoint.deps, () => void recompute());
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), keepaliveMs);
  const close = () => {
    closed = true;
    clearInterval(keepalive);
    unsubscribe();
  };
  req.on('close', close);
  res.on('close', close);
}
