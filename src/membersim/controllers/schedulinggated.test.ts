import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../apimachinery/types.js';
import { Kubectl, eventually } from '../../../test/support/kubectl.js';
import { memberConfig } from '../config.js';
import { SimulatedMember } from '../member.js';
import { schedulingGatedMessage, withSchedulingGated } from './schedulinggated.js';

const at = '2026-12-07T08:00:00Z';
const pod = (gates: unknown[] | undefined, conditions?: unknown[]): KubeObject => ({
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(gates ? { schedulingGates: gates } : {}) },
  status: { phase: 'Pending', qosClass: 'BestEffort', ...(conditions ? { conditions } : {}) },
});
const gated = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: at, reason: 'SchedulingGated', message: schedulingGatedMessage };

describe('withSchedulingGated', () => {
  const cases: { name: string; pod: KubeObject; want?: unknown[] }[] = [
    { name: 'no gates: no condition', pod: pod(undefined) },
    { name: 'empty gates: no condition', pod: pod([]) },
    { name: 'gates: PodScheduled=False SchedulingGated, the status kept', pod: pod([{ name: 'example.com/quota' }]), want: [gated] },
    { name: 'other conditions stay, the gated one comes after them', pod: pod([{ name: 'g' }], [{ type: 'Custom', status: 'True' }]), want: [{ type: 'Custom', status: 'True' }, gated] },
    { name: 'a PodScheduled condition given at create is left alone', pod: pod([{ name: 'g' }], [{ type: 'PodScheduled', status: 'False', reason: 'Mine' }]) },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const status = withSchedulingGated(c.pod, at);
      assert.deepEqual(status?.conditions, c.want);
      if (status) assert.equal(status.phase, 'Pending');
    });
  }
});

describe('a gated pod on a simulated member, through kubectl', () => {
  let member: SimulatedMember;
  let dir: string;
  let kubectl: Kubectl;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'membersim-gated-'));
    member = await SimulatedMember.start(memberConfig('m1'), { dataDir: dir, timing: { podStartupMs: 100 }, metrics: false });
    kubectl = new Kubectl(member.kubeconfig());
  });

  after(async () => {
    kubectl?.cleanup();
    await member?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('is SchedulingGated from its create, stays unbound, and runs once its gates are removed', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: gated, namespace: default}\nspec:\n  schedulingGates: [{name: example.com/wait}]\n  containers: [{name: c, image: nginx}]\n' });
    const created = JSON.parse(await kubectl.ok(['get', 'pod', 'gated', '-o', 'json'])) as KubeObject;
    const scheduled = (created.status as { conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[] }).conditions?.find((c) => c.type === 'PodScheduled');
    assert.deepEqual({ status: scheduled?.status, reason: scheduled?.reason, message: scheduled?.message }, { status: 'False', reason: 'SchedulingGated', message: schedulingGatedMessage });
    assert.ok(scheduled?.lastTransitionTime, 'the condition has its transition time');
    assert.match(await kubectl.ok(['get', 'pod', 'gated', '--no-headers']), /^gated\s+0\/1\s+SchedulingGated\s+0\s/);

    // a pod created after it, ungated, is scheduled and running: the scheduler has looked, and left the gated one alone
    await kubectl.ok(['run', 'plain', '--image', 'nginx']);
    await eventually(async () => (await kubectl.ok(['get', 'pod', 'plain', '-o', 'jsonpath={.status.phase}'])) === 'Running', 'the ungated pod running');
    assert.equal(await kubectl.ok(['get', 'pod', 'gated', '-o', 'jsonpath={.spec.nodeName}']), '');
    assert.match(await kubectl.ok(['get', 'pod', 'gated', '--no-headers']), /\sSchedulingGated\s/);

    await kubectl.ok(['patch', 'pod', 'gated', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/schedulingGates"}]']);
    await eventually(async () => (await kubectl.ok(['get', 'pod', 'gated', '-o', 'jsonpath={.status.phase}'])) === 'Running', 'the ungated pod running');
    const running = JSON.parse(await kubectl.ok(['get', 'pod', 'gated', '-o', 'json'])) as KubeObject;
    assert.ok((running.spec as { nodeName?: string }).nodeName);
    const after = (running.status as { conditions: { type: string; status: string; reason?: string }[] }).conditions.find((c) => c.type === 'PodScheduled');
    assert.deepEqual({ status: after?.status, reason: after?.reason }, { status: 'True', reason: undefined });
    assert.deepEqual(member.errors(), {});
  });
});
