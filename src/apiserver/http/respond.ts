// Every response is JSON with application/json (or protobuf for built-in kinds when the client asks
// for it), and every failure a Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, StatusError } from '../../apimachinery/errors.js';
import { protobufMediaType } from '../../apimachinery/protobuf/index.js';
import { jsonOf } from '../rest/shared-json.js';
import { builtinProtobuf } from './protobuf.js';

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  // a write's result that watchers get too is encoded once for both
  const text = typeof body === 'string' ? body : jsonOf(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * An object, list or Status in the negotiated encoding: protobuf when asked for and the body's
 * apiVersion/kind is a built-in kind with a protobuf form, JSON otherwise.
 */
export function sendObject(res: ServerResponse, code: number, body: unknown, encoding: 'json' | 'protobuf', headers: Record<string, string> = {}): void {
  if (encoding === 'protobuf' && body && typeof body === 'object') {
    const codec = builtinProtobuf();
    const o = body as { apiVersion?: string; kind?: string };
    if (o.apiVersion && o.kind && codec.schemaOf(o.apiVersion, o.kind)) {
      let bytes: Buffer | undefined;
      try {
        bytes = codec.encode(body as Record<string, unknown>);
      } catch {
        // a stored value protobuf cannot carry (not one Kubernetes would store): JSON, which every client reads
      }
      if (bytes) {
        res.writeHead(code, { 'Content-Type': protobufMediaType, 'Content-Length': bytes.length, ...headers });
        res.end(bytes);
        return;
      }
    }
  }
  sendJson(res, code, body, headers);
}

/** Whether the client's Accept header puts protobuf first (Go clients), so errors go back as protobuf Status. */
export function prefersProtobuf(req: IncomingMessage | undefined): boolean {
  const first = (req?.headers.accept ?? '').split(',')[0].trim();
  return first.startsWith(protobufMediaType) && !/;\s*as=/.test(first);
}

export function sendText(res: ServerResponse, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  return errors.internal(err instanceof Error ? err.message : String(err));
}

export function sendError(res: ServerResponse, err: unknown, req?: IncomingMessage): void {
  const status = toStatusError(err).status;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendObject(res, status.code, status, prefersProtobuf(req) ? 'protobuf' : 'json');
}

/** `Warning: 299 - "text"` headers, as kube-apiserver sends them */
export function warningHeaders(warnings: string[] | undefined): string[] {
  return (warnings ?? []).map((w) => `299 - ${JSON.stringify(w)}`);
}
