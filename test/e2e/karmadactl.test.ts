// karmadactl join and unjoin, as a user runs them against a control plane.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlPlane } from '../../src/controlplane/index.js';
import { runCli } from '../support/cli.js';
import { eventually, Kubectl } from '../support/kubectl.js';
import { startBareMember, type TestMember } from '../support/karmada.js';

let dir: string;
let cp: ControlPlane;
let member: TestMember;
let karmada: Kubectl;
let cpConfig: string;
let memberConfig: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'karmadactl-'));
  cp = await ControlPlane.start({ dataDir: join(dir, 'cp'), port: 0, storage: { backend: 'memory' } });
  member = await startBareMember('edge1');
  cpConfig = join(dir, 'karmada.config');
  memberConfig = join(dir, 'edge1.config');
  writeFileSync(cpConfig, cp.kubeconfig());
  writeFileSync(memberConfig, member.kubeconfig);
  karmada = new Kubectl(cp.kubeconfig());
});

after(async () => {
  await member?.stop();
  await cp?.stop();
  karmada?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('join registers a Push cluster that becomes Ready, with its credentials in karmada-cluster', async () => {
  const r = await runCli('karmadactl', ['join', 'edge1', '--kubeconfig', cpConfig, '--cluster-kubeconfig', memberConfig, '--cluster-region', 'eu-north-1', '--cluster-provider', 'onprem']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /cluster\(edge1\) is joined successfully/);
  const cluster = JSON.parse(await karmada.ok(['get', 'cluster', 'edge1', '-o', 'json']));
  assert.equal(cluster.spec.syncMode, 'Push');
  assert.equal(cluster.spec.region, 'eu-north-1');
  assert.equal(cluster.spec.provider, 'onprem');
  assert.deepEqual(cluster.spec.secretRef, { namespace: 'karmada-cluster', name: 'edge1' });
  assert.match(await karmada.ok(['get', 'secret', 'edge1', '-n', 'karmada-cluster', '-o', 'jsonpath={.data}']), /caBundle/);
  await eventually(async () => /^edge1\s+\S+\s+Push\s+True\s/m.test(await karmada.ok(['get', 'clusters'])), 'edge1 Ready', 30_000);
  await eventually(async () => (await karmada.run(['get', 'ns', 'karmada-es-edge1'])).code === 0, 'the execution namespace', 10_000);
});

test('joining the same name twice is refused with a clear message', async () => {
  const r = await runCli('karmadactl', ['join', 'edge1', '--kubeconfig', cpConfig, '--cluster-kubeconfig', memberConfig]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cluster "edge1" is already registered/);
});

test('join with a missing member kubeconfig says which file', async () => {
  const r = await runCli('karmadactl', ['join', 'edge2', '--kubeconfig', cpConfig, '--cluster-kubeconfig', join(dir, 'nope.config')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nope\.config/);
});

test('unjoin removes the cluster, its execution namespace and its credentials', async () => {
  const r = await runCli('karmadactl', ['unjoin', 'edge1', '--kubeconfig', cpConfig]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /cluster\(edge1\) is unjoined successfully/);
  assert.notEqual((await karmada.run(['get', 'cluster', 'edge1'])).code, 0);
  assert.notEqual((await karmada.run(['get', 'secret', 'edge1', '-n', 'karmada-cluster'])).code, 0);
  await eventually(async () => (await karmada.run(['get', 'ns', 'karmada-es-edge1'])).code !== 0, 'the execution namespace gone', 20_000);
});
