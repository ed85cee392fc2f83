// `karmada-ts up --storage etcd`: the playground's control plane on a local etcd it starts itself,
// kept across restarts; and a clear word when etcd is not installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Playground } from '../../src/playground/playground.js';
import { parsePlaygroundConfig } from '../../src/playground/config.js';
import { skipWithoutEtcd } from '../../src/storage/etcd/testing.js';
import { runCli } from '../support/cli.js';
import { eventually, Kubectl } from '../support/kubectl.js';

const config = parsePlaygroundConfig({ members: [{ name: 'member1', nodes: [{ count: 1 }] }] });
let dataDir: string;
let kubeDir: string;

before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pg-etcd-'));
  kubeDir = mkdtempSync(join(tmpdir(), 'pg-etcd-kube-'));
});
after(() => {
  for (const d of [dataDir, kubeDir]) if (d) rmSync(d, { recursive: true, force: true });
});

test('the control plane runs on a local etcd and keeps its state across restarts', { skip: skipWithoutEtcd() }, async () => {
  let pg = await Playground.start({ config, dataDir, kubeconfigDir: kubeDir, storage: 'etcd', timing: { podStartupMs: 100 } });
  let karmada = new Kubectl(readFileSync(pg.karmadaConfigPath, 'utf8'));
  try {
    await karmada.ok(['apply', '-f', '-'], {
      stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept}\ndata: {k: v}\n---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: kept}\nspec:\n  resourceSelectors: [{apiVersion: v1, kind: ConfigMap, name: kept}]\n  placement: {clusterAffinity: {clusterNames: [member1]}}\n',
    });
    const members = new Kubectl(readFileSync(pg.membersConfigPath, 'utf8'));
    await eventually(async () => (await members.run(['--context', 'member1', 'get', 'cm', 'kept'])).code === 0, 'kept in member1', 20_000);
    members.cleanup();
  } finally {
    await pg.stop();
    karmada.cleanup();
  }
  pg = await Playground.start({ config, dataDir, kubeconfigDir: kubeDir, storage: 'etcd', timing: { podStartupMs: 100 } });
  karmada = new Kubectl(readFileSync(pg.karmadaConfigPath, 'utf8'));
  try {
    assert.equal(await karmada.ok(['get', 'cm', 'kept', '-o', 'jsonpath={.data.k}']), 'v');
    assert.match(await karmada.ok(['get', 'pp']), /^kept\s/m);
    assert.match(await karmada.ok(['get', 'clusters']), /^member1\s/m);
  } finally {
    await pg.stop();
    karmada.cleanup();
  }
});

test('without etcd on PATH, up --storage etcd says what to install', async () => {
  const r = await runCli('karmada-ts', ['up', '--storage', 'etcd', '--data-dir', join(dataDir, 'noetcd'), '--kubeconfig-dir', kubeDir], { env: { PATH: '/nonexistent' } });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /etcd binary is not on PATH/);
  assert.match(r.stderr, /apt-get install -y etcd-server/);
});
