// `karmada-ts dashboard` as users run it, from dist (after `npm run build`): it prints its URL with the
// key, serves the built UI beside its own compiled code, answers the API, and Ctrl-C stops it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { dashClient, loginCookie } from '../support/dashboard.js';
import { eventually } from '../support/kubectl.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let ts: TestServer;

before(async () => {
  ts = await startTestServer();
});

after(async () => {
  await ts?.stop();
});

test('karmada-ts dashboard from dist: URL with key, UI, API, Ctrl-C', { timeout: 60_000 }, async () => {
  assert.ok(existsSync(join(root, 'dist', 'dashboard', 'server.js')), 'dist/dashboard/server.js is missing: run `npm run build` (and check the UI build does not empty dist/dashboard after tsc wrote the server there)');
  const kubeconfig = join(ts.dataDir, 'dash.kubeconfig');
  writeFileSync(kubeconfig, ts.server.adminKubeconfig(), { mode: 0o600 });
  const child = spawn(process.execPath, [join(root, 'bin', 'karmada-ts.js'), 'dashboard', '--kubeconfig', kubeconfig, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const m = await eventually(() => /^Dashboard: http:\/\/127\.0\.0\.1:(\d+)\/\?key=([A-Za-z0-9_-]+)$/m.exec(out), `the URL line; output so far: ${out}`);
    const port = Number(m![1]);
    const http = dashClient(port);
    const cookie = await loginCookie(port, m![2]!);
    const who = await http.call('/ui/v1/whoami', { cookie });
    assert.equal(who.status, 200, who.body);
    assert.ok(who.json().user);
    const page = await http.call('/');
    assert.equal(page.status, 200);
    const index = join(root, 'dist', 'dashboard', 'index.html');
    if (existsSync(index)) assert.equal(page.body, readFileSync(index, 'utf8'));
    else assert.match(page.body, /npm run build/);
    assert.equal((await http.call('/ui/v1/clusters')).status, 401);
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, out);
});
