// `karmadactl token create|list|delete` (Karmada pkg/karmadactl/token, after kubeadm's token
// commands): bootstrap tokens as bootstrap.kubernetes.io/token Secrets in kube-system, the CA hash
// that pins the control plane, and the `karmadactl register` command line to run on the member.
// Pure, apart from the random token.
import { createHash, randomInt } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { KubeObject } from '../apimachinery/types.js';
import { bootstrapSecretPrefix, bootstrapTokenPattern, bootstrapTokenType } from '../apiserver/auth/bootstrap/tokens.js';
import { DefaultClusterTokenGroup } from '../agent/bootstrap.js';

const DefaultTokenUsages = ['signing', 'authentication'];
const DefaultTokenGroups = [DefaultClusterTokenGroup];
const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const random = (n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

export function generateToken(): string {
  return `${random(6)}.${random(16)}`;
}

interface TokenOptions {
  ttlMs: number;
  description?: string;
  usages?: string[];
  groups?: string[];
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (data: Record<string, string>, k: string) => (data[k] === undefined ? undefined : Buffer.from(data[k], 'base64').toString('utf8'));
/** Go's time.RFC3339 (no fraction) */
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** the Secret that makes the token valid; throws on a malformed token or usage */
export function tokenSecret(token: string, opts: TokenOptions, nowMs: number): KubeObject {
  const m = bootstrapTokenPattern.exec(token);
  if (!m) throw new Error(`the bootstrap token "${token}" was not of the form "[a-z0-9]{6}.[a-z0-9]{16}"`);
  const usages = opts.usages ?? DefaultTokenUsages;
  for (const u of usages) if (u !== 'signing' && u !== 'authentication') throw new Error(`invalid bootstrap token usage string: ${u}, valid usage options: authentication, signing`);
  for (const g of opts.groups ?? DefaultTokenGroups) if (!/^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/.test(g)) throw new Error(`bootstrap group "${g}" is invalid (must match ^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$)`);
  const data: Record<string, string> = { 'token-id': b64(m[1]!), 'token-secret': b64(m[2]!) };
  if (opts.description) data.description = b64(opts.description);
  if (opts.ttlMs > 0) data.expiration = b64(rfc3339(nowMs + opts.ttlMs));
  for (const u of usages) data[`usage-bootstrap-${u}`] = b64('true');
  const groups = opts.groups ?? DefaultTokenGroups;
  if (groups.length) data['auth-extra-groups'] = b64(groups.join(','));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${bootstrapSecretPrefix}${m[1]}`, namespace: 'kube-system' }, type: bootstrapTokenType, data };
}

/** the token id of an argument to `token delete`: a whole token or its id */
export function tokenIdOf(arg: string): string {
  const whole = bootstrapTokenPattern.exec(arg);
  if (whole) return whole[1]!;
  if (/^[a-z0-9]{6}$/.test(arg)) return arg;
  throw new Error(`given token didn't match pattern "[a-z0-9]{6}" or "[a-z0-9]{6}\\.[a-z0-9]{16}"`);
}

/** Go's duration text rounded to seconds, as kubeadm prints a TTL ("23h59m59s") */
export function humanTtl(ms: number): string {
  if (ms <= 0) return '<invalid>';
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
}

/** `token list`'s table (kubeadm's columns), one row per bootstrap token Secret */
export function formatTokenList(secrets: KubeObject[], nowMs: number): string {
  const rows = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS']];
  for (const s of secrets.filter((x) => x.type === bootstrapTokenType)) {
    const data = (s.data ?? {}) as Record<string, string>;
    const id = text(data, 'token-id');
    const secret = text(data, 'token-secret');
    if (!id || !secret) continue;
    const expiration = text(data, 'expiration');
    const usages = Object.keys(data).filter((k) => k.startsWith('usage-bootstrap-') && text(data, k) === 'true').map((k) => k.slice('usage-bootstrap-'.length)).sort();
    rows.push([`${id}.${secret}`, expiration ? humanTtl(Date.parse(expiration) - nowMs) : '<forever>', expiration ?? '<never>', usages.join(',') || '<none>', text(data, 'description') ?? '<none>', text(data, 'auth-extra-groups') ?? '']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd()).join('\n') + '\n';
}

/** "sha256:<hex>" of the CA's Subject Public Key Info, as kubeadm's discovery-token-ca-cert-hash */
export function caCertHash(caPem: string): string {
  const cert = new x509.X509Certificate(caPem);
  return `sha256:${createHash('sha256').update(Buffer.from(cert.publicKey.rawData)).digest('hex')}`;
}

/** what `token create --print-register-command` prints */
export function registerCommandLine(server: string, token: string, hash: string): string {
  const endpoint = server.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return `karmadactl register ${endpoint} --token ${token} --discovery-token-ca-cert-hash ${hash}`;
}
