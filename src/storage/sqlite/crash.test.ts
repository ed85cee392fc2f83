// Every acknowledged write survives kill -9 of the writing process (WAL, synchronous=FULL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noCompaction } from '../compactor.js';
import { SqliteStore } from './sqlite.js';

const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));

interface Ack {
  revision: number;
  value: string;
}

/** runs the writer until it has acknowledged at least minAcks writes, then SIGKILLs it mid-stream */
async function writeUntilKilled(path: string, minAcks: number): Promise<Map<string, Ack>> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acks = new Map<string, Ack>();
  let buffered = '';
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer acknowledged only ${count} writes in time`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [rev, key, value] = line.split(' ') as [string, string, string];
        acks.set(key, { revision: Number(rev), value });
        count++;
      }
      if (count >= minAcks && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer exited by itself (code ${code})`));
    });
  });
  return acks;
}

test('sqlite: every acknowledged write survives kill -9, and revisions continue above them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'karmada-ts-crash-'));
  const path = join(dir, 'state.db');
  try {
    let highest = 0;
    for (const round of [1, 2]) {
      const acks = await writeUntilKilled(path, 300 * round);
      assert.ok(acks.size > 0);
      const store = new SqliteStore({ path, compaction: noCompaction });
      try {
        for (const [key, ack] of acks) {
          const kv = await store.get(key);
          assert.ok(kv, `acknowledged key ${key} (revision ${ack.revision}) is missing after kill -9`);
          assert.ok(kv.modRevision >= ack.revision, `${key} went back from ${ack.revision} to ${kv.modRevision}`);
          if (kv.modRevision === ack.revision) assert.equal(kv.value, ack.value);
        }
        const maxAcked = Math.max(...[...acks.values()].map((a) => a.revision));
        assert.ok(maxAcked > highest, 'the second run continued the revision counter');
        assert.ok((await store.currentRevision()) >= maxAcked);
        const next = await store.create(`/registry/after-crash-${round}`, '{}');
        assert.ok(next.modRevision > maxAcked);
        highest = next.modRevision;
      } finally {
        await store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
