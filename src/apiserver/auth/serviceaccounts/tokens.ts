// Service account tokens as kube-apiserver issues and checks them: legacy Secret-backed tokens
// (the tokens controller fills kubernetes.io/service-account-token Secrets) and bound tokens from
// TokenRequest (audience, expiry, optionally bound to a Pod or Secret). A token authenticates only
// while its ServiceAccount (same uid) and its bound object or Secret still exist.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../../apimachinery/types.js';
import type { UserInfo } from '../authenticate.js';
import { serviceAccountUsername } from '../rbac/rules.js';
import { signJwt, verifyJwt, type SigningKey } from './jwt.js';

export const defaultIssuer = 'https://kubernetes.default.svc.cluster.local';
const legacyIssuer = 'kubernetes/serviceaccount';
export const serviceAccountTokenType = 'kubernetes.io/service-account-token';
export const serviceAccountNameAnnotation = 'kubernetes.io/service-account.name';
export const serviceAccountUidAnnotation = 'kubernetes.io/service-account.uid';

export interface BoundObject {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
}

export interface BoundTokenRequest {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  audiences: string[];
  expirationSeconds: number;
  bound?: BoundObject;
  now: Date;
}

export function boundClaims(r: BoundTokenRequest, issuer = defaultIssuer): Record<string, unknown> {
  const iat = Math.floor(r.now.getTime() / 1000);
  const k8s: Record<string, unknown> = { namespace: r.namespace, serviceaccount: { name: r.serviceAccount.name, uid: r.serviceAccount.uid } };
  if (r.bound) k8s[r.bound.kind.toLowerCase()] = { name: r.bound.name, uid: r.bound.uid };
  return {
    aud: r.audiences,
    exp: iat + r.expirationSeconds,
    iat,
    iss: issuer,
    jti: randomUUID(),
    'kubernetes.io': k8s,
    nbf: iat,
    sub: serviceAccountUsername(r.namespace, r.serviceAccount.name),
  };
}

export function legacyClaims(namespace: string, sa: { name: string; uid: string }, secretName: string): Record<string, unknown> {
  return {
    iss: legacyIssuer,
    'kubernetes.io/serviceaccount/namespace': namespace,
    'kubernetes.io/serviceaccount/secret.name': secretName,
    'kubernetes.io/serviceaccount/service-account.name': sa.name,
    'kubernetes.io/serviceaccount/service-account.uid': sa.uid,
    sub: serviceAccountUsername(namespace, sa.name),
  };
}

/** who a token claims to be, before the objects it names are checked */
export interface TokenSubject {
  namespace: string;
  name: string;
  uid: string;
  /** legacy token: the Secret that must still hold it */
  secret?: string;
  bound?: { kind: 'Pod' | 'Secret' | 'Node'; name: string; uid: string };
  jti?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** checks issuer, time and audience claims; pure (now in seconds) */
export function checkClaims(claims: Record<string, any>, nowSeconds: number, apiAudiences: string[], issuer = defaultIssuer): { subject: TokenSubject } | { error: string } {
  if (claims.iss === legacyIssuer) {
    const namespace = str(claims['kubernetes.io/serviceaccount/namespace']);
    const name = str(claims['kubernetes.io/serviceaccount/service-account.name']);
    const uid = str(claims['kubernetes.io/serviceaccount/service-account.uid']);
    const secret = str(claims['kubernetes.io/serviceaccount/secret.name']);
    if (!namespace || !name || !uid || !secret) return { error: 'service account token is missing claims' };
    return { subject: { namespace, name, uid, secret } };
  }
  if (claims.iss !== issuer) return { error: `token issuer ${JSON.stringify(claims.iss)} is not ${JSON.stringify(issuer)}` };
  if (typeof claims.exp !== 'number' || nowSeconds >= claims.exp) return { error: 'service account token has expired' };
  if (typeof claims.nbf === 'number' && nowSeconds + 60 < claims.nbf) return { error: 'service account token is not valid yet' };
  const aud: string[] = Array.isArray(claims.aud) ? claims.aud : typeof claims.aud === 'string' ? [claims.aud] : [];
  if (!aud.some((a) => apiAudiences.includes(a))) return { error: `token audiences ${JSON.stringify(aud)} is invalid for the target audiences ${JSON.stringify(apiAudiences)}` };
  const k8s = claims['kubernetes.io'] ?? {};
  const namespace = str(k8s.namespace);
  const name = str(k8s.serviceaccount?.name);
  const uid = str(k8s.serviceaccount?.uid);
  if (!namespace || !name || !uid) return { error: 'service account token is missing claims' };
  const subject: TokenSubject = { namespace, name, uid, jti: str(claims.jti) };
  for (const kind of ['Pod', 'Secret', 'Node'] as const) {
    const ref = k8s[kind.toLowerCase()];
    if (ref && str(ref.name)) subject.bound = { kind, name: ref.name, uid: str(ref.uid) ?? '' };
  }
  return { subject };
}

function serviceAccountUser(s: TokenSubject): UserInfo {
  const user: UserInfo = {
    name: serviceAccountUsername(s.namespace, s.name),
    uid: s.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${s.namespace}`, 'system:authenticated'],
  };
  const extra: Record<string, string[]> = {};
  if (s.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${s.jti}`];
  if (s.bound?.kind === 'Pod') {
    extra['authentication.kubernetes.io/pod-name'] = [s.bound.name];
    extra['authentication.kubernetes.io/pod-uid'] = [s.bound.uid];
  }
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}

/** how the authenticator reads the objects a token names (watch-fed copies, the store on a miss) */
export interface TokenLookups {
  serviceAccount(namespace: string, name: string): Promise<KubeObject | undefined>;
  object(kind: 'Pod' | 'Secret' | 'Node', namespace: string, name: string): Promise<KubeObject | undefined>;
}

export class ServiceAccountTokens {
  constructor(
    /** made or read on first use: a member simulator that never sees a token never pays for an RSA key */
    private readonly key: () => SigningKey,
    private readonly lookups: TokenLookups,
    readonly audiences: string[] = [defaultIssuer],
  ) {}

  issueBound(r: BoundTokenRequest): string {
    return signJwt(boundClaims(r), this.key());
  }

  issueLegacy(namespace: string, sa: { name: string; uid: string }, secretName: string): string {
    return signJwt(legacyClaims(namespace, sa, secretName), this.key());
  }

  /** the user a token stands for, or why not; audiences default to the API server's */
  async authenticate(token: string, audiences = this.audiences): Promise<{ user: UserInfo } | { error: string }> {
    const verified = verifyJwt(token, this.key());
    if ('error' in verified) return verified;
    const checked = checkClaims(verified.claims, Date.now() / 1000, audiences);
    if ('error' in checked) return checked;
    const s = checked.subject;
    const sa = await this.lookups.serviceAccount(s.namespace, s.name);
    if (!sa || sa.metadata.deletionTimestamp) return { error: `service account ${s.namespace}/${s.name} has been deleted` };
    if (sa.metadata.uid !== s.uid) return { error: `service account UID (${sa.metadata.uid}) does not match claim (${s.uid})` };
    if (s.secret) {
      const secret = await this.lookups.object('Secret', s.namespace, s.secret);
      const held = secret?.data && typeof (secret.data as Record<string, string>).token === 'string' ? Buffer.from((secret.data as Record<string, string>).token, 'base64').toString('utf8') : undefined;
      if (!secret || secret.metadata.deletionTimestamp || held !== token) return { error: `secret ${s.namespace}/${s.secret} no longer holds this token` };
    }
    if (s.bound) {
      const obj = await this.lookups.object(s.bound.kind, s.namespace, s.bound.name);
      if (!obj || obj.metadata.deletionTimestamp) return { error: `${s.bound.kind.toLowerCase()} ${s.namespace}/${s.bound.name} has been deleted` };
      if (s.bound.uid && obj.metadata.uid !== s.bound.uid) return { error: `${s.bound.kind.toLowerCase()} UID (${obj.metadata.uid}) does not match claim (${s.bound.uid})` };
    }
    return { user: serviceAccountUser(s) };
  }
}
