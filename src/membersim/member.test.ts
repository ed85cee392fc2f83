import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { internalContext } from '../apiserver/rest/context.js';
import type { KubeObject } from '../apimachinery/types.js';
import { memberConfig, nodePool } from './config.js';
import { SimulatedMember } from './member.js';

let member: SimulatedMember;
let dir: string;
const ctx = internalContext('test');

function def(group: string, resource: string) {
  return member.apiServer!.registry.versionsOf(group, resource)[0];
}
async function list(group: string, resource: string, ns = 'default'): Promise<KubeObject[]> {
  return (await member.apiServer!.objects.list(def(group, resource), resource === 'nodes' ? undefined : ns)).items;
}
async function until<T>(fn: () => Promise<T | undefined | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}; errors: ${JSON.stringify(member.errors())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deployment = (name: string, replicas: number, image: string, cpu = '1'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu } } }] } },
  },
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'membersim-'));
  member = await SimulatedMember.start(memberConfig('m1', { region: 'eu', zones: ['eu-a', 'eu-b'], nodes: [nodePool({ count: 2, cpu: '2', memory: '8Gi' })] }), {
    dataDir: dir,
    timing: { podStartupMs: 100, jobDurationMs: 300 },
  });
});

after(async () => {
  await member?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SimulatedMember', () => {
  test('registers the configured nodes with region and zone labels', async () => {
    const nodes = await list('', 'nodes');
    assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), ['m1-node-1', 'm1-node-2']);
    assert.equal(nodes[0].metadata.labels!['topology.kubernetes.io/region'], 'eu');
    assert.deepEqual(nodes.map((n) => n.metadata.labels!['topology.kubernetes.io/zone']).sort(), ['eu-a', 'eu-b']);
  });

  test('a Deployment larger than the nodes: 4 Running, 1 Pending Unschedulable, status 4 ready', async () => {
    await member.apiServer!.objects.create(def('apps', 'deployments'), 'default', deployment('big', 5, 'nginx:1.25'), ctx);
    const d = await until(async () => {
      const [dep] = (await list('apps', 'deployments')).filter((x) => x.metadata.name === 'big');
      const s = dep?.status as { readyReplicas?: number } | undefined;
      return s?.readyReplicas === 4 && dep;
    }, 'deployment ready 4');
    const pods = (await list('', 'pods')).filter((p) => p.metadata.labels?.app === 'big');
    assert.equal(pods.length, 5);
    const phases = pods.map((p) => (p.status as { phase: string }).phase).sort();
    assert.deepEqual(phases, ['Pending', 'Running', 'Running', 'Running', 'Running']);
    const pending = pods.find((p) => (p.status as { phase: string }).phase === 'Pending')!;
    const cond = (pending.status as { conditions: { type: string; reason: string; message: string }[] }).conditions.find((c) => c.type === 'PodScheduled')!;
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.');
    const status = d.status as { conditions: { type: string; status: string; reason: string }[] };
    assert.deepEqual(status.conditions.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasAvailable');
  });
});
