import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, noCompaction, KeyExistsError } from './index.js';

test('createStore opens a memory store', async () => {
  const store = await createStore({ backend: 'memory' });
  await store.create('/registry/a', '1');
  await assert.rejects(store.create('/registry/a', '1'), KeyExistsError);
  await store.close();
});

test('createStore opens a sqlite store, creating missing parent directories', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'karmada-ts-index-'));
  try {
    const path = join(dir, 'nested', 'deeper', 'state.db');
    const store = await createStore({ backend: 'sqlite', path, compaction: noCompaction });
    assert.equal((await store.create('/registry/a', '1')).modRevision, 1);
    await store.close();
    const again = await createStore({ backend: 'sqlite', path, compaction: noCompaction });
    assert.equal((await again.get('/registry/a'))?.value, '1');
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
