// `npm run chaos` shortened for the suite, on SQLite: while a generator writes Deployments, ConfigMaps and
// PropagationPolicies, the API server, the controller manager, the scheduler and a member are each
// kill -9'd and restarted once; then every acknowledged write is where its policy puts it, nothing else is.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChaos, seededRandom } from '../../bench/support/chaos/run.js';

const dir = mkdtempSync(join(tmpdir(), 'chaos-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('sqlite: every component killed once under load; the members converge to every acknowledged write', { timeout: 420_000 }, async () => {
  const lines: string[] = [];
  const r = await runChaos({
    storage: 'sqlite',
    dir,
    members: 2,
    kills: 0,
    victims: ['karmada-apiserver', 'karmada-controller-manager', 'member1', 'karmada-scheduler'],
    killIntervalMs: 1500,
    workers: 2,
    convergeTimeoutMs: 180_000,
    random: seededRandom(20),
    log: (l) => lines.push(l),
  });
  const report = lines.join('\n');
  assert.deepEqual(r.violations, [], report);
  assert.deepEqual(r.problems, [], report);
  assert.equal(r.kills.length, 4, report);
  assert.ok(r.convergeAfterLastKillMs !== undefined, report);
  assert.ok(r.acknowledgedWrites > 20 && r.templates.present + r.templates.deleted > 5, `too little load to prove anything:\n${report}`);
});
