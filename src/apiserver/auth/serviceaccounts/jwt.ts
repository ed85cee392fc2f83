// RS256 JSON Web Tokens as kube-apiserver issues service account tokens with: a signing key kept
// in the data dir (--service-account-key-file / --service-account-signing-key-file), its key id
// the SHA-256 of the public key, and verification of signature and time claims.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** loads DIR/pki/sa.key, making it on first start */
export function ensureSigningKey(dataDir: string): SigningKey {
  const dir = join(dataDir, 'pki');
  const path = join(dir, 'sa.key');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(join(dir, 'sa.pub'), createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  }
  const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  const publicKey = createPublicKey(privateKey);
  const kid = b64url(createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest());
  return { privateKey, publicKey, kid };
}

export function signJwt(claims: Record<string, unknown>, key: SigningKey): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', kid: key.kid }));
  const body = b64url(JSON.stringify(claims));
  const sig = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey);
  return `${head}.${body}.${b64url(sig)}`;
}

/** true for strings shaped like a JWS compact token (three base64url parts) */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/** the claims of a token signed by the key, or why it is refused */
export function verifyJwt(token: string, key: SigningKey): { claims: Record<string, any> } | { error: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { error: 'malformed token' };
  let header: Record<string, unknown>;
  let claims: Record<string, any>;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { error: 'malformed token' };
  }
  if (header.alg !== 'RS256') return { error: `unsupported signing algorithm ${JSON.stringify(header.alg)}` };
  if (!verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key.publicKey, Buffer.from(parts[2], 'base64url'))) return { error: 'invalid signature' };
  if (!claims || typeof claims !== 'object') return { error: 'malformed token' };
  return { claims };
}
