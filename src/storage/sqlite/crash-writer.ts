// Child process for crash.test.ts: writes to a SqliteStore in a loop and prints one line per
// acknowledged write ("<revision> <key> <value>") until it is killed.
import { SqliteStore } from './sqlite.js';
import { noCompaction } from '../compactor.js';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-writer.ts <db path>');
const store = new SqliteStore({ path, compaction: noCompaction });
const run = Date.now().toString(36);

for (let i = 0; ; i++) {
  const key = `/registry/crash/${run}-${String(i).padStart(8, '0')}`;
  const created = await store.create(key, `{"i":${i}}`);
  process.stdout.write(`${created.modRevision} ${key} ${created.value}\n`);
  if (i % 3 === 2) {
    const updated = await store.update(key, `{"i":${i},"updated":true}`, created.modRevision);
    process.stdout.write(`${updated.modRevision} ${key} ${updated.value}\n`);
  }
}
