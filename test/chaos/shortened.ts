// The suite's shortened `npm run chaos`: each victim kill -9'd and restarted once, one at a time, under
// a small write load; then every acknowledged write must be where its policy puts it, and nothing else.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChaos, seededRandom } from '../../bench/support/chaos/run.js';

export async function killEachOnceAndConverge(storage: 'sqlite' | 'etcd', victims: string[], seed: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `chaos-${storage}-`));
  const lines: string[] = [];
  try {
    const r = await runChaos({
      storage,
      dir,
      members: 2,
      kills: 0,
      victims,
      killIntervalMs: 1500,
      workers: 2,
      convergeTimeoutMs: 180_000,
      random: seededRandom(seed),
      log: (l) => lines.push(l),
    });
    const report = lines.join('\n');
    assert.deepEqual(r.violations, [], report);
    assert.deepEqual(r.problems, [], report);
    assert.equal(r.kills.length, victims.length, report);
    assert.ok(r.convergeAfterLastKillMs !== undefined, report);
    assert.ok(r.acknowledgedWrites > 20 && r.templates.present + r.templates.deleted > 5, `too little load to prove anything:\n${report}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
