// The descheduler as a user runs it (Karmada's karmada-descheduler e2e): a Deployment Divided by
// dynamic weight over member1 and member2 runs 2+2; member1's nodes are cordoned and its pods
// deleted, so its replicas stay Pending/Unschedulable; `karmada-ts descheduler` (its own process)
// takes them off member1 and the scheduler puts them on member2, which ends with all 4 running. The
// threshold and interval are 2s/1s here (Karmada's defaults are 5m/2m) to keep it short.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from '../support/kubectl.js';
import { startPlayground, type PlaygroundEnv } from '../support/playground.js';
import { parsePlaygroundConfig } from '../../src/playground/config.js';

const cli = fileURLToPath(new URL('../support/karmada-ts-cli.ts', import.meta.url));
const config = parsePlaygroundConfig({ members: ['member1', 'member2'].map((name) => ({ name, nodes: [{ count: 2, cpu: 4, memory: '16Gi' }] })) });

let env: PlaygroundEnv;

before(async () => {
  env = await startPlayground('descheduler', { config, timing: { podStartupMs: 100 } });
});

after(async () => {
  await env?.stop();
});

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.25, resources: {requests: {cpu: "1"}}}]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted, weightPreference: {dynamicWeight: AvailableReplicas}}
`;

const json = async (args: string[]) => JSON.parse(await env.members.ok([...args, '-o', 'json']));
const readyOn = async (member: string) => ((await json(['--context', member, 'get', 'deploy', 'web']).catch(() => undefined))?.status?.readyReplicas as number | undefined) ?? 0;
const assignment = async () => {
  const rb = JSON.parse(await env.karmada.ok(['get', 'rb', 'web-deployment', '-o', 'json']));
  return Object.fromEntries(((rb.spec?.clusters ?? []) as { name: string; replicas: number }[]).map((c) => [c.name, c.replicas]));
};

describe('karmada-ts descheduler', () => {
  test('replicas a member cannot run are taken off it and placed on the other member', { timeout: 90_000 }, async () => {
    await env.karmada.ok(['apply', '-f', '-'], { stdin: manifest });
    await eventually(async () => (await readyOn('member1')) === 2 && (await readyOn('member2')) === 2, 'web running 2+2', 30_000, 250);
    assert.deepEqual(await assignment(), { member1: 2, member2: 2 });

    // member1 can no longer run web's pods: its nodes are cordoned and the running pods go
    for (const node of (await env.members.ok(['--context', 'member1', 'get', 'nodes', '-o', 'name'])).trim().split('\n')) await env.members.ok(['--context', 'member1', 'cordon', node.replace('node/', '')]);
    await env.members.ok(['--context', 'member1', 'delete', 'pods', '-l', 'app=web', '--wait=false']);
    await eventually(
      async () => {
        const pods = (await json(['--context', 'member1', 'get', 'pods', '-l', 'app=web'])).items as { metadata: { deletionTimestamp?: string }; status: { phase: string; conditions?: { type: string; reason?: string }[] } }[];
        const pending = pods.filter((p) => !p.metadata.deletionTimestamp && p.status.phase === 'Pending' && p.status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable'));
        return pending.length === 2;
      },
      'web\'s 2 pods on member1 Pending and Unschedulable',
      20_000,
      250,
    );
    assert.deepEqual(await assignment(), { member1: 2, member2: 2 }, 'without the descheduler nothing moves');

    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'descheduler', '--kubeconfig', env.karmada.kubeconfig, '--descheduling-interval', '1s', '--unschedulable-threshold', '2s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await eventually(async () => (await readyOn('member2')) === 4, 'web running 4 on member2', 45_000, 250).catch((err: Error) => {
        throw new Error(`${err.message}\ndescheduler output:\n${out}`);
      });
      assert.deepEqual(await assignment(), { member2: 4 }, 'the binding holds all 4 on member2');
      await eventually(async () => (await env.members.run(['--context', 'member1', 'get', 'deploy', 'web'])).code !== 0, 'web removed from member1', 20_000, 250);
      const events = await env.karmada.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
      assert.match(events, /DescheduleSucceed: Descheduled unschedulable replicas from member1 \(2\)/);
      await eventually(async () => JSON.parse(await env.karmada.ok(['get', 'deploy', 'web', '-o', 'json'])).status?.readyReplicas === 4, 'the template shows 4 ready', 15_000, 250);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000).unref())]);
    if (code === 'hung') child.kill('SIGKILL');
    assert.equal(code, 0, `the descheduler exits cleanly on SIGTERM:\n${out}`);
  });
});
