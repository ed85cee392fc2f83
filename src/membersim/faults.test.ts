import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { internalContext } from '../apiserver/rest/context.js';
import type { KubeObject } from '../apimachinery/types.js';
import { memberConfig, nodePool } from './config.js';
import { SimulatedMember } from './member.js';
import { memberReads } from './testing.js';

let member: SimulatedMember;
let dir: string;
const ctx = internalContext('test');

const { def, list, until } = memberReads(() => member);
const deployment = (name: string, replicas: number, image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } } },
});
type Status = { readyReplicas?: number; availableReplicas?: number; conditions?: { type: string; status: string }[] };
const deployStatus = async (name: string) => (await list('apps', 'deployments')).find((d) => d.metadata.name === name)?.status as Status | undefined;
const waitingReasons = async (app: string) =>
  (await list('', 'pods')).filter((p) => p.metadata.labels?.app === app).map((p) => ((p.status as { containerStatuses?: { state?: { waiting?: { reason?: string } } }[] }).containerStatuses ?? [])[0]?.state?.waiting?.reason ?? 'none');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'membersim-faults-'));
  member = await SimulatedMember.start(memberConfig('m1', { nodes: [nodePool({ count: 2, cpu: '4' })] }), { dataDir: dir, storage: 'memory', timing: { podStartupMs: 100 } });
});
after(async () => {
  await member?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('member faults', () => {
  test('an image on registry fake: pods ErrImagePull then ImagePullBackOff, the Deployment never Available', async () => {
    await member.apiServer!.objects.create(def('apps', 'deployments'), 'default', deployment('bad', 2, 'fake/nginx:1.19.0'), ctx);
    await until(async () => {
      const r = await waitingReasons('bad');
      return r.length === 2 && r.every((x) => x === 'ImagePullBackOff');
    }, 'pods in ImagePullBackOff');
    const s = await deployStatus('bad');
    assert.equal(s?.readyReplicas ?? 0, 0);
    assert.equal(s?.conditions?.find((c) => c.type === 'Available')?.status, 'False');
  });

  test('image-pull-fail on a running Deployment: its pods lose readiness; image-pull-ok brings them back', async () => {
    await member.apiServer!.objects.create(def('apps', 'deployments'), 'default', deployment('web', 2, 'nginx:1.25'), ctx);
    await until(async () => (await deployStatus('web'))?.availableReplicas === 2, 'web available');
    assert.equal(member.applyFault({ kind: 'image-pull-fail', image: 'nginx' }), 'image nginx unpullable on m1');
    await until(async () => (await waitingReasons('web')).every((r) => r === 'ImagePullBackOff') && ((await deployStatus('web'))?.readyReplicas ?? 0) === 0, 'web pods not ready');
    member.applyFault({ kind: 'image-pull-ok', image: 'nginx' });
    await until(async () => (await deployStatus('web'))?.readyReplicas === 2, 'web ready again');
    assert.deepEqual(member.unpullableImages, []);
  });

  test('nodes-not-ready: every node Ready=Unknown, pods not ready; nodes-ready restores them', async () => {
    assert.throws(() => member.applyFault({ kind: 'nodes-not-ready', nodes: ['nope'] }), /member m1 has no node nope/);
    member.applyFault({ kind: 'nodes-not-ready' });
    await until(async () => {
      const nodes = await list('', 'nodes');
      return nodes.every((n) => (n.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')?.status === 'Unknown');
    }, 'nodes Unknown');
    await until(async () => ((await deployStatus('web'))?.readyReplicas ?? 0) === 0, 'web not ready');
    member.applyFault({ kind: 'nodes-ready' });
    await until(async () => (await deployStatus('web'))?.readyReplicas === 2, 'web ready after nodes Ready');
  });
});
