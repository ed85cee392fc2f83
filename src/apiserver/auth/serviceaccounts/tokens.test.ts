import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { signJwt, verifyJwt, type SigningKey } from './jwt.js';
import { tokenSecretAction } from './token-controller.js';
import { validateTokenRequestSpec } from './token-request.js';
import { boundClaims, checkClaims, defaultIssuer, legacyClaims, ServiceAccountTokens } from './tokens.js';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey, kid: 'k' } as SigningKey;
};
const key = pair();
const now = new Date('2026-01-01T00:00:00Z');
const t0 = now.getTime() / 1000;
const sa = { name: 'builder', uid: 'u-1' };

describe('jwt', () => {
  test('a signed token verifies and keeps its claims', () => {
    const got = verifyJwt(signJwt({ sub: 'x' }, key), key);
    assert.deepEqual(got, { claims: { sub: 'x' } });
  });
  test('another key, a changed payload or garbage are refused', () => {
    const token = signJwt({ sub: 'x' }, key);
    assert.deepEqual(verifyJwt(token, pair()), { error: 'invalid signature' });
    const [h, , s] = token.split('.');
    assert.deepEqual(verifyJwt(`${h}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.${s}`, key), { error: 'invalid signature' });
    assert.deepEqual(verifyJwt('a.b', key), { error: 'malformed token' });
  });
});

describe('checkClaims', () => {
  const bound = (extra: Partial<Parameters<typeof boundClaims>[0]> = {}) => boundClaims({ namespace: 'team-a', serviceAccount: sa, audiences: [defaultIssuer], expirationSeconds: 3600, now, ...extra });
  const cases: { name: string; claims: Record<string, unknown>; at?: number; want: RegExp | Record<string, unknown> }[] = [
    { name: 'a fresh bound token', claims: bound(), want: { namespace: 'team-a', name: 'builder', uid: 'u-1' } },
    { name: 'bound to a pod', claims: bound({ bound: { kind: 'Pod', name: 'p', uid: 'pu' } }), want: { bound: { kind: 'Pod', name: 'p', uid: 'pu' } } },
    { name: 'expired', claims: bound(), at: t0 + 3600, want: /has expired/ },
    { name: 'for another audience', claims: bound({ audiences: ['vault'] }), want: /token audiences \["vault"\] is invalid/ },
    { name: 'another issuer', claims: { ...bound(), iss: 'https://elsewhere' }, want: /token issuer/ },
    { name: 'a legacy token names its Secret and never expires', claims: legacyClaims('team-a', sa, 'builder-token'), at: t0 + 1e9, want: { secret: 'builder-token', uid: 'u-1' } },
    { name: 'missing claims', claims: { iss: defaultIssuer, exp: t0 + 10, aud: [defaultIssuer] }, want: /missing claims/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = checkClaims(c.claims as Record<string, any>, c.at ?? t0 + 1, [defaultIssuer]);
      if (c.want instanceof RegExp) assert.match('error' in got ? got.error : 'accepted', c.want);
      else {
        assert.ok('subject' in got, JSON.stringify(got));
        for (const [k, v] of Object.entries(c.want)) assert.deepEqual((got.subject as any)[k], v);
      }
    });
  }
});

test('authenticate: the ServiceAccount must exist with the uid of the claim', async () => {
  const accounts = new Map([['team-a/builder', { metadata: { name: 'builder', namespace: 'team-a', uid: 'u-1' } }]]);
  const tokens = new ServiceAccountTokens(() => key, { serviceAccount: async (ns, n) => accounts.get(`${ns}/${n}`), object: async () => undefined });
  const token = tokens.issueBound({ namespace: 'team-a', serviceAccount: sa, audiences: tokens.audiences, expirationSeconds: 3600, now: new Date() });
  const ok = await tokens.authenticate(token);
  assert.ok('user' in ok);
  assert.equal(ok.user.name, 'system:serviceaccount:team-a:builder');
  accounts.set('team-a/builder', { metadata: { name: 'builder', namespace: 'team-a', uid: 'u-2' } });
  assert.match((await tokens.authenticate(token) as { error: string }).error, /does not match claim/);
  accounts.clear();
  assert.match((await tokens.authenticate(token) as { error: string }).error, /has been deleted/);
});

describe('tokenSecretAction', () => {
  const secret = (annotations: Record<string, string>, data: Record<string, string> = {}) => ({ metadata: { name: 's', namespace: 'team-a', annotations }, data, type: 'kubernetes.io/service-account-token' });
  const account = { metadata: { name: 'builder', uid: 'u-1' } };
  const full = { token: 'dA==', 'ca.crt': 'Yw==', namespace: 'bg==' };
  const cases: { name: string; s: any; sa?: any; want: string }[] = [
    { name: 'empty secret of an existing account: fill', s: secret({ 'kubernetes.io/service-account.name': 'builder' }), sa: account, want: 'fill' },
    { name: 'filled: nothing to do', s: secret({ 'kubernetes.io/service-account.name': 'builder', 'kubernetes.io/service-account.uid': 'u-1' }, full), sa: account, want: 'none' },
    { name: 'the account is gone: delete', s: secret({ 'kubernetes.io/service-account.name': 'builder' }), want: 'delete' },
    { name: 'the account was recreated: delete', s: secret({ 'kubernetes.io/service-account.name': 'builder', 'kubernetes.io/service-account.uid': 'old' }, full), sa: account, want: 'delete' },
    { name: 'no account annotation: not ours', s: secret({}), want: 'none' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(tokenSecretAction(c.s, c.sa), c.want));
});

describe('validateTokenRequestSpec', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
    { name: 'an hour for the API', spec: { expirationSeconds: 3600, audiences: ['api'] }, want: [] },
    { name: 'under ten minutes', spec: { expirationSeconds: 599, audiences: [] }, want: ['spec.expirationSeconds'] },
    { name: 'over 2^32 seconds', spec: { expirationSeconds: 2 ** 32 + 1, audiences: [] }, want: ['spec.expirationSeconds'] },
    { name: 'bound to an unsupported kind', spec: { expirationSeconds: 3600, audiences: [], boundObjectRef: { kind: 'ConfigMap', name: 'x' } }, want: ['spec.boundObjectRef.kind'] },
    { name: 'bound without a name', spec: { expirationSeconds: 3600, audiences: [], boundObjectRef: { kind: 'Pod' } }, want: ['spec.boundObjectRef.name'] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(validateTokenRequestSpec(c.spec).map((e) => e.field), c.want));
});
