// needs: etcd
// `npm run chaos` shortened for the suite, on a 3-member etcd: an etcd member, the API server, another
// etcd member and a member cluster kill -9'd and restarted under load; then every acknowledged write is
// where its policy puts it, and nothing else is.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChaos, seededRandom } from '../../bench/support/chaos/run.js';

const dir = mkdtempSync(join(tmpdir(), 'chaos-etcd-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('etcd: etcd members, the API server and a member killed under load; the members converge to every acknowledged write', { timeout: 420_000 }, async () => {
  const lines: string[] = [];
  const r = await runChaos({
    storage: 'etcd',
    dir,
    members: 2,
    kills: 0,
    victims: ['etcd-0', 'karmada-apiserver', 'etcd-2', 'member2'],
    killIntervalMs: 1500,
    workers: 2,
    convergeTimeoutMs: 180_000,
    random: seededRandom(21),
    log: (l) => lines.push(l),
  });
  const report = lines.join('\n');
  assert.deepEqual(r.violations, [], report);
  assert.deepEqual(r.problems, [], report);
  assert.equal(r.kills.length, 4, report);
  assert.ok(r.convergeAfterLastKillMs !== undefined, report);
  assert.ok(r.acknowledgedWrites > 20 && r.templates.present + r.templates.deleted > 5, `too little load to prove anything:\n${report}`);
});
