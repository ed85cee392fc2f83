// The dashboard's front door (a local proxy holding credentials, as `kubectl proxy` with a key):
// Host pinned against DNS rebinding, GET only, and a per-start key exchanged once for a cookie.
import { timingSafeEqual } from 'node:crypto';

/** the cookie that carries the key; named after the port so two dashboards on one host do not collide */
export function cookieName(port: number): string {
  return `karmada_dashboard_${port}`;
}

/** a Host header is ours when it names the loopback address or localhost on our port */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** the cookies of a Cookie header, first value wins (RFC 6265 order: most specific path first) */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

/** constant-time comparison of a presented key with ours */
export function keyMatches(given: string | undefined, key: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** the Set-Cookie header that stores the key for this dashboard */
export function keyCookie(port: number, key: string): string {
  return `${cookieName(port)}=${key}; HttpOnly; SameSite=Strict; Path=/`;
}

type Verdict = { ok: true } | { ok: false; code: 401 | 403 | 405; reason: string; message: string };

/** what the front door says about a request before any routing: host first, then the method */
export function admit(req: { method?: string; host?: string }, port: number): Verdict {
  if (!hostAllowed(req.host, port)) {
    return { ok: false, code: 403, reason: 'Forbidden', message: `host ${JSON.stringify(req.host ?? '')} is not allowed: use http://127.0.0.1:${port}/ or http://localhost:${port}/` };
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return { ok: false, code: 405, reason: 'MethodNotAllowed', message: `the dashboard is read-only: ${req.method ?? 'this method'} is not allowed, only GET` };
  }
  return { ok: true };
}
