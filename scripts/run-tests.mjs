#!/usr/bin/env node
// Runs every *.test.ts under the given roots (default: src, web and test) with node's own test runner.
// Node 20's --test takes no globs, so the files are found here.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('-'));
function find(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
let files = (roots.length ? roots : ['src', 'web', 'test']).flatMap((r) => (statSync(r).isDirectory() ? find(r, []) : [r])).sort();

// Files that open with a `// needs: etcd` line run only where etcd is installed. Without it they are
// skipped with one loud line, unless CI is set: there a missing etcd is a failure, so etcd is always tested.
const needsEtcd = (f) => /^\/\/ needs: etcd\b/m.test(readFileSync(f, 'utf8').split('\n').slice(0, 5).join('\n'));
const etcdInstalled = !spawnSync('etcd', ['--version'], { stdio: 'ignore' }).error;
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (!etcdInstalled) {
  const skipped = files.filter(needsEtcd);
  if (ci && skipped.length) {
    console.error(`CI is set but the etcd binary is not on PATH, and ${skipped.length} suites need it: apt-get install -y etcd-server`);
    process.exit(1);
  }
  if (skipped.length) {
    console.error(`\n*** SKIPPING ${skipped.length} etcd suites (${skipped.join(', ')}): the etcd binary is not on PATH; install it with \`apt-get update && apt-get install -y etcd-server\` ***\n`);
    files = files.filter((f) => !skipped.includes(f));
  }
}
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...passThrough, ...files], {
  stdio: 'inherit',
  env: { ...process.env },
});
process.exit(res.status ?? 1);
