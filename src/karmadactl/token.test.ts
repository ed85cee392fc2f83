import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapTokenUser } from '../apiserver/auth/bootstrap/tokens.js';
import { formatTokenList, generateToken, humanTtl, registerCommandLine, tokenIdOf, tokenSecret } from './token.js';

const now = Date.parse('2026-12-06T22:00:00Z');

test('a created token authenticates as a bootstrapper of the default cluster token group until it expires', () => {
  const token = generateToken();
  assert.match(token, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
  const secret = tokenSecret(token, { ttlMs: 3600_000 }, now);
  const r = bootstrapTokenUser(token, secret, new Date(now + 1000));
  assert.ok('user' in r);
  assert.deepEqual(r.user.groups, ['system:bootstrappers', 'system:bootstrappers:karmada:default-cluster-token', 'system:authenticated']);
  assert.ok('error' in bootstrapTokenUser(token, secret, new Date(now + 3600_001)));
});

test('tokenSecret refuses bad input', async (t) => {
  const cases: [string, string, object, RegExp][] = [
    ['a malformed token', 'abc.def', {}, /was not of the form/],
    ['an unknown usage', 'abcdef.0123456789abcdef', { usages: ['everything'] }, /invalid bootstrap token usage string: everything/],
    ['a group outside system:bootstrappers', 'abcdef.0123456789abcdef', { groups: ['system:masters'] }, /bootstrap group "system:masters" is invalid/],
  ];
  for (const [name, token, opts, want] of cases) await t.test(name, () => assert.throws(() => tokenSecret(token, { ttlMs: 0, ...opts }, now), want));
});

test('tokenIdOf', async (t) => {
  const cases: [string, string | RegExp][] = [
    ['abcdef.0123456789abcdef', 'abcdef'],
    ['abcdef', 'abcdef'],
    ['ABC', /didn't match pattern/],
  ];
  for (const [arg, want] of cases) await t.test(arg, () => (want instanceof RegExp ? assert.throws(() => tokenIdOf(arg), want) : assert.equal(tokenIdOf(arg), want)));
});

test('formatTokenList shows TTL, expiry, usages and groups; a ttl of 0 never expires', () => {
  const a = tokenSecret('abcdef.0123456789abcdef', { ttlMs: 24 * 3600_000, description: 'for m1' }, now);
  const b = tokenSecret('ghijkl.0123456789abcdef', { ttlMs: 0 }, now);
  const out = formatTokenList([a, b], now + 1000).split('\n');
  assert.match(out[0]!, /^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/);
  assert.match(out[1]!, /^abcdef\.0123456789abcdef\s+23h59m59s\s+2026-12-07T22:00:00Z\s+authentication,signing\s+for m1\s+system:bootstrappers:karmada:default-cluster-token$/);
  assert.match(out[2]!, /^ghijkl\.0123456789abcdef\s+<forever>\s+<never>\s+/);
  assert.equal(humanTtl(61_000), '1m1s');
});

test('registerCommandLine', () => {
  assert.equal(registerCommandLine('https://127.0.0.1:6443', 'abcdef.0123456789abcdef', 'sha256:00'), 'karmadactl register 127.0.0.1:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:00');
});
