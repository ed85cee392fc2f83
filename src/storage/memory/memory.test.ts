import { test } from 'node:test';
import { assertCompactorKeepsWindow, runStoreConformance } from '../conformance.js';
import { MemoryStore } from './memory.js';

runStoreConformance('memory', async () => ({ store: new MemoryStore(), cleanup: async () => {} }));

test('memory: the automatic compactor keeps the configured window', async () => {
  const store = new MemoryStore({ compaction: { intervalMs: 20, minRetain: 3 } });
  try {
    await assertCompactorKeepsWindow(store);
  } finally {
    await store.close();
  }
});
