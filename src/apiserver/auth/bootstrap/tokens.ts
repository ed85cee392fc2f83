// Bootstrap tokens (kube-apiserver's --enable-bootstrap-token-auth): `<id>.<secret>` bearer tokens
// backed by bootstrap.kubernetes.io/token Secrets named bootstrap-token-<id> in kube-system;
// the user is system:bootstrap:<id> in system:bootstrappers plus the Secret's auth-extra-groups.
import { timingSafeEqual } from 'node:crypto';
import type { KubeObject } from '../../../apimachinery/types.js';
import type { UserInfo } from '../authenticate.js';

export const bootstrapTokenType = 'bootstrap.kubernetes.io/token';
export const bootstrapTokenPattern = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
export const bootstrapSecretPrefix = 'bootstrap-token-';
const extraGroupPattern = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

const decode = (data: Record<string, string>, key: string): string | undefined => (data[key] === undefined ? undefined : Buffer.from(data[key], 'base64').toString('utf8'));

/** the user a bootstrap token stands for, given its Secret (undefined when absent), or why not; pure */
export function bootstrapTokenUser(token: string, secret: KubeObject | undefined, now: Date): { user: UserInfo } | { error: string } {
  const m = bootstrapTokenPattern.exec(token);
  if (!m) return { error: 'not a bootstrap token' };
  const [, id, value] = m;
  if (!secret || secret.type !== bootstrapTokenType || secret.metadata.deletionTimestamp) return { error: `no bootstrap token secret ${bootstrapSecretPrefix}${id}` };
  const data = (secret.data ?? {}) as Record<string, string>;
  const held = decode(data, 'token-secret') ?? '';
  if (decode(data, 'token-id') !== id || held.length !== value.length || !timingSafeEqual(Buffer.from(held), Buffer.from(value))) return { error: 'bootstrap token does not match its secret' };
  const expiration = decode(data, 'expiration');
  if (expiration && !(Date.parse(expiration) > now.getTime())) return { error: `bootstrap token ${id} expired at ${expiration}` };
  if (decode(data, 'usage-bootstrap-authentication') !== 'true') return { error: `bootstrap token ${id} is not for authentication` };
  const extra = (decode(data, 'auth-extra-groups') ?? '').split(',').map((g) => g.trim()).filter(Boolean);
  if (extra.some((g) => !extraGroupPattern.test(g))) return { error: `bootstrap token ${id} has invalid auth-extra-groups` };
  return { user: { name: `system:bootstrap:${id}`, groups: ['system:bootstrappers', ...extra, 'system:authenticated'] } };
}
