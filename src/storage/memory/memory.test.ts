import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runStoreConformance } from '../conformance.js';
import { MemoryStore } from './memory.js';

runStoreConformance('memory', async () => ({ store: new MemoryStore(), cleanup: async () => {} }));

test('memory: the automatic compactor keeps the configured window', async () => {
  const store = new MemoryStore({ compaction: { intervalMs: 20, minRetain: 3 } });
  try {
    for (let i = 0; i < 10; i++) await store.create(`/registry/k${i}`, '1');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await store.compactedRevision(), 7);
    assert.equal(await store.count('/registry/'), 10);
  } finally {
    await store.close();
  }
});
