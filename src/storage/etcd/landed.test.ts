import { test } from 'node:test';
import assert from 'node:assert/strict';
import { landedEarlier } from './etcd.js';

const failedCompare = (kv?: { value: string; create: number; mod: number }) => ({
  responses: [{ response_range: { kvs: kv ? [{ key: Buffer.from('/k'), value: Buffer.from(kv.value), create_revision: String(kv.create), mod_revision: String(kv.mod) }] : [] } }],
});

test('landedEarlier: a retried write whose bytes are in the key had landed; anything else had not', () => {
  const cases: Array<[string, ReturnType<typeof failedCompare>, string, { createRevision: number; modRevision: number } | undefined]> = [
    ['the key holds exactly what was sent', failedCompare({ value: '{"uid":"u1"}', create: 5, mod: 7 }), '{"uid":"u1"}', { createRevision: 5, modRevision: 7 }],
    ['the key holds another write', failedCompare({ value: '{"uid":"u2"}', create: 5, mod: 5 }), '{"uid":"u1"}', undefined],
    ['the key is gone', failedCompare(), '{"uid":"u1"}', undefined],
    ['same text, different bytes (no normalising)', failedCompare({ value: '{"uid": "u1"}', create: 5, mod: 5 }), '{"uid":"u1"}', undefined],
  ];
  for (const [what, res, value, want] of cases) {
    const got = landedEarlier(res as unknown as Parameters<typeof landedEarlier>[0], value);
    assert.deepEqual(got && { createRevision: got.createRevision, modRevision: got.modRevision }, want, what);
  }
});
