// `npm run chaos`: kill -9 a random component (API server, controller manager, scheduler, a member, an etcd
// member) again and again while a generator writes Deployments, ConfigMaps and PropagationPolicies, for SQLite
// and for a 3-member etcd; then checks that every acknowledged write is where its policy puts it.
// Flags: --storage sqlite|etcd|both (default both), --kills N (20), --interval-ms N (3000), --members N (3), --workers N (4),
// --only REGEX (kill only the components whose name matches), --seed N.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { etcdBinaryAvailable } from '../src/storage/etcd/local.js';
import { runChaos, seededRandom, type ChaosResult } from './support/chaos/run.js';

const { values } = parseArgs({
  options: {
    storage: { type: 'string', default: 'both' },
    kills: { type: 'string', default: '20' },
    'interval-ms': { type: 'string', default: '3000' },
    members: { type: 'string', default: '3' },
    workers: { type: 'string', default: '4' },
    'converge-timeout-s': { type: 'string', default: '180' },
    /** kill only components whose name matches, e.g. apiserver|etcd */
    only: { type: 'string' },
    seed: { type: 'string' },
  },
});

const storages = values.storage === 'both' ? (['sqlite', 'etcd'] as const) : ([values.storage] as Array<'sqlite' | 'etcd'>);
for (const s of storages) if (s !== 'sqlite' && s !== 'etcd') throw new Error(`--storage: ${s} is not sqlite, etcd or both`);
if (storages.includes('etcd') && !etcdBinaryAvailable()) throw new Error('--storage etcd needs the etcd binary on PATH: apt-get install -y etcd-server');

const seed = values.seed ? Number(values.seed) : Date.now() % 1_000_000;
console.log(`seed ${seed} (--seed ${seed} repeats the kills' choice and the load's shape)`);
const results: ChaosResult[] = [];
for (const storage of storages) {
  const dir = mkdtempSync(join(tmpdir(), 'karmada-ts-chaos-'));
  try {
    results.push(
      await runChaos({
        storage,
        dir,
        members: Number(values.members),
        kills: Number(values.kills),
        killIntervalMs: Number(values['interval-ms']),
        workers: Number(values.workers),
        convergeTimeoutMs: Number(values['converge-timeout-s']) * 1000,
        only: values.only ? (name) => new RegExp(values.only!).test(name) : undefined,
        random: seededRandom(seed),
        log: (line) => console.log(line),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log('\nstorage  kills survived  by component                                   acked writes  templates (live/deleted)  converged after last kill');
let failed = false;
for (const r of results) {
  const by = new Map<string, number>();
  for (const k of r.kills) by.set(k.component.replace(/\d+$/, 'N'), (by.get(k.component.replace(/\d+$/, 'N')) ?? 0) + 1);
  const ok = r.convergeAfterLastKillMs !== undefined && !r.violations.length;
  failed ||= !ok;
  console.log(
    `${r.storage.padEnd(8)} ${String(ok ? r.kills.length : 0).padStart(14)}  ${[...by].map(([c, n]) => `${c.replace('karmada-', '')} ${n}`).join(', ').padEnd(45)}  ${String(r.acknowledgedWrites).padStart(12)}  ${`${r.templates.present}/${r.templates.deleted}`.padStart(24)}  ${r.convergeAfterLastKillMs !== undefined ? `${(r.convergeAfterLastKillMs / 1000).toFixed(1)} s` : 'NO'}`,
  );
  for (const v of r.violations) console.log(`  ${r.storage}: write contradicted: ${v}`);
  for (const p of r.problems.slice(0, 30)) console.log(`  ${r.storage}: ${p}`);
}
process.exit(failed ? 1 : 0);
