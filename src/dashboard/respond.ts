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

/** a Status error with exactly this code, reason and message (for the dashboard's own answers) */
export function statusError(code: number, reason: string, message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message });
}

/** any thrown value as a Status error: StatusErrors keep their code, the rest are internal errors */
export function asStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  return errors.internal(err instanceof Error ? err.message : String(err));
}
