import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapTokenUser } from './tokens.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const now = new Date('2026-06-01T00:00:00Z');
const secret = (data: Record<string, string>, type = 'bootstrap.kubernetes.io/token') => ({
  metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' },
  type,
  data: Object.fromEntries(Object.entries({ 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true', ...data }).map(([k, v]) => [k, b64(v)])),
});
const token = 'abcdef.0123456789abcdef';

const cases: { name: string; token?: string; secret?: any; want: RegExp | { name: string; groups: string[] } }[] = [
  { name: 'a valid token', secret: secret({}), want: { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] } },
  { name: 'extra groups', secret: secret({ 'auth-extra-groups': 'system:bootstrappers:karmada:default-cluster-token' }), want: { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:karmada:default-cluster-token', 'system:authenticated'] } },
  { name: 'extra groups outside system:bootstrappers: refused', secret: secret({ 'auth-extra-groups': 'system:masters' }), want: /invalid auth-extra-groups/ },
  { name: 'a wrong secret', token: 'abcdef.ffffffffffffffff', secret: secret({}), want: /does not match/ },
  { name: 'expired', secret: secret({ expiration: '2026-05-31T23:59:59Z' }), want: /expired/ },
  { name: 'not expired yet', secret: secret({ expiration: '2026-06-02T00:00:00Z' }), want: { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] } },
  { name: 'not for authentication', secret: secret({ 'usage-bootstrap-authentication': 'false' }), want: /not for authentication/ },
  { name: 'no secret (deleted)', want: /no bootstrap token secret bootstrap-token-abcdef/ },
  { name: 'another Secret type', secret: secret({}, 'Opaque'), want: /no bootstrap token secret/ },
  { name: 'not the token format', token: 'ABCDEF.0123456789abcdef', secret: secret({}), want: /not a bootstrap token/ },
];
for (const c of cases) {
  test(c.name, () => {
    const got = bootstrapTokenUser(c.token ?? token, c.secret, now);
    if (c.want instanceof RegExp) assert.match('error' in got ? got.error : 'accepted', c.want);
    else assert.deepEqual('user' in got ? got.user : got, c.want);
  });
}
