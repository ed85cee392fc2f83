// Answers of the dashboard's own endpoints: JSON documents, and Kubernetes Status JSON for every error.
import type { ServerResponse } from 'node:http';
import { StatusError, errors } from '../apimachinery/errors.js';

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

export function sendStatus(res: ServerResponse, err: StatusError, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.code, err.status, headers);
}

/** any thrown value as a Status error: StatusErrors keep their code, the rest are internal errors */
export function asStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  return errors.internal(err instanceof Error ? err.message : String(err));
}
