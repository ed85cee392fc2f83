import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notBuiltPage, staticAnswer } from './static.js';

test('staticAnswer: assets with their types, index.html for routes, never the server beside them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dash-static-'));
  try {
    assert.equal((await staticAnswer(dir, '/'))!.body, notBuiltPage);
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<html>app</html>');
    writeFileSync(join(dir, 'assets', 'app-1.js'), 'js');
    writeFileSync(join(dir, 'assets', 'app-1.css'), 'css');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    writeFileSync(join(dir, 'server.js'), 'secret-ish');
    const cases: [string, number, string, string][] = [
      ['/', 200, 'text/html; charset=utf-8', '<html>app</html>'],
      ['/workloads/apps/v1/Deployment/default/web', 200, 'text/html; charset=utf-8', '<html>app</html>'],
      ['/assets/app-1.js', 200, 'text/javascript; charset=utf-8', 'js'],
      ['/assets/app-1.css', 200, 'text/css; charset=utf-8', 'css'],
      ['/favicon.svg', 200, 'image/svg+xml', '<svg/>'],
      ['/server.js', 200, 'text/html; charset=utf-8', '<html>app</html>'],
      ['/assets/missing.js', 404, 'text/plain; charset=utf-8', 'not found\n'],
      ['/assets/..%2fserver.js', 404, 'text/plain; charset=utf-8', 'not found\n'],
      ['/assets/%E0%A4%A', 404, 'text/plain; charset=utf-8', 'not found\n'],
    ];
    for (const [path, status, type, body] of cases) {
      const a = (await staticAnswer(dir, path))!;
      assert.deepEqual([a.status, a.contentType, String(a.body)], [status, type, body], path);
    }
    assert.equal(await staticAnswer(dir, '/ui/v1/clusters'), undefined);
    assert.equal(await staticAnswer(dir, '/k8s/api'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
