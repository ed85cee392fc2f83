// Every kubectl the dispatcher can run (1.27 to 1.33) works against the server: discovery,
// client-side apply with its strategic merge patch, server-side apply, tables and explain.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { Kubectl, kubectlDispatcherDir } from '../support/kubectl.js';

const dispatcherDir = kubectlDispatcherDir();
const versions = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'].filter((v) => existsSync(join(dispatcherDir, `kubectl.${v}`)));

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.stop();
});

describe('kubectl versions', () => {
  test('the dispatcher ships the versions we test', () => {
    assert.ok(versions.length >= 2, `found kubectl versions ${versions.join(', ')} in ${dispatcherDir}`);
  });
  for (const v of versions) {
    test(`kubectl ${v}`, async () => {
      const k = new Kubectl(ts.server.adminKubeconfig(), join(dispatcherDir, `kubectl.${v}`));
      try {
        const name = `app-${v.replace('.', '-')}`;
        const manifest = (image: string) =>
          `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: ${image}}]}\n`;
        await k.ok(['apply', '-f', '-'], { stdin: manifest('nginx:1') });
        const second = await k.run(['apply', '-f', '-'], { stdin: manifest('nginx:2') });
        assert.equal(second.code, 0, second.stderr);
        assert.doesNotMatch(second.stderr, /warning/i);
        assert.match(await k.ok(['get', 'deploy', name, '-o', 'wide']), new RegExp(`^${name}\\s+0/1\\s+0\\s+0\\s+\\S+\\s+c\\s+nginx:2\\s+app=${name}$`, 'm'));
        await k.ok(['apply', '--server-side', '-f', '-'], { stdin: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {v: "${v}"}\n` });
        assert.equal(await k.ok(['get', 'cm', name, '-o', 'jsonpath={.data.v}']), v);
        assert.match(await k.ok(['explain', 'deployment.spec.replicas']), /replicas/);
        await k.ok(['delete', 'deploy', name]);
      } finally {
        k.cleanup();
      }
    });
  }
});
