import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detachedSignature, wantedSignatures } from './signer.js';

test('detached JWS as k8s.io/cluster-bootstrap computes it (its published vectors)', () => {
  const content = 'Hello from the other side. I must have called a thousand times.';
  assert.equal(detachedSignature(content, 'joshua', 'my voice is my passcode'), 'eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..VShe2taLd-YTrmWuRkcL_8QTNDHYxQIEBsAYYiIj1_8');
  assert.equal(detachedSignature('', 'joshua', 'my voice is my passcode. my voice is my passcode'), 'eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..kzZha466Sbz_vFhUBjjYp2rl3F7yHgdDdUIBGxQg4js');
});

test('only unexpired tokens allowed to sign get a signature', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const token = (id: string, extra: Record<string, string>) => ({ metadata: { name: `bootstrap-token-${id}` }, data: Object.fromEntries(Object.entries({ 'token-id': id, 'token-secret': '0123456789abcdef', ...extra }).map(([k, v]) => [k, b64(v)])) });
  const now = new Date('2026-06-01T00:00:00Z');
  const got = wantedSignatures('kc', [token('aaaaaa', { 'usage-bootstrap-signing': 'true' }), token('bbbbbb', {}), token('cccccc', { 'usage-bootstrap-signing': 'true', expiration: '2026-05-01T00:00:00Z' })], now);
  assert.deepEqual(Object.keys(got), ['jws-kubeconfig-aaaaaa']);
  assert.equal(got['jws-kubeconfig-aaaaaa'], detachedSignature('kc', 'aaaaaa', '0123456789abcdef'));
});
