// Every response is JSON with application/json, and every failure a Status.
import type { ServerResponse } from 'node:http';
import { errors, StatusError } from '../../apimachinery/errors.js';

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  return errors.internal(err instanceof Error ? err.message : String(err));
}

export function sendError(res: ServerResponse, err: unknown): void {
  const status = toStatusError(err).status;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status.code, status);
}

/** `Warning: 299 - "text"` headers, as kube-apiserver sends them */
export function warningHeaders(warnings: string[] | undefined): string[] {
  return (warnings ?? []).map((w) => `299 - ${JSON.stringify(w)}`);
}
