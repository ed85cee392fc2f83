import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admit, hostAllowed, keyMatches, parseCookies } from './guard.js';

test('hostAllowed: loopback or localhost on our port only', () => {
  const cases: [string | undefined, boolean][] = [
    ['127.0.0.1:8080', true],
    ['localhost:8080', true],
    ['127.0.0.1:8081', false],
    ['evil.example:8080', false],
    ['127.0.0.1', false],
    ['', false],
    [undefined, false],
  ];
  for (const [host, want] of cases) assert.equal(hostAllowed(host, 8080), want, String(host));
});

test('parseCookies: names trimmed, first value wins', () => {
  const c = parseCookies('a=1; b = 2;c=x=y; a=3; junk');
  assert.deepEqual([...c], [['a', '1'], ['b', '2'], ['c', 'x=y']]);
  assert.equal(parseCookies(undefined).size, 0);
});

test('keyMatches', () => {
  assert.equal(keyMatches('abc', 'abc'), true);
  assert.equal(keyMatches('abd', 'abc'), false);
  assert.equal(keyMatches('ab', 'abc'), false);
  assert.equal(keyMatches(undefined, 'abc'), false);
});

test('admit: host before method, GET and HEAD only', () => {
  assert.deepEqual(admit({ method: 'GET', host: 'localhost:1' }, 1), { ok: true });
  assert.deepEqual(admit({ method: 'HEAD', host: 'localhost:1' }, 1), { ok: true });
  const post = admit({ method: 'POST', host: 'localhost:1' }, 1);
  assert.equal(post.ok ? 0 : post.code, 405);
  const rebound = admit({ method: 'POST', host: 'attacker.test:1' }, 1);
  assert.equal(rebound.ok ? 0 : rebound.code, 403);
});
