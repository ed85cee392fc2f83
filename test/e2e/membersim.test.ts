// The playground and its simulated members, driven with the real kubectl: what a user sees.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { controlRequest, Playground } from '../../src/playground/playground.js';
import { formatMemberList } from '../../src/cli/member.js';
import { parsePlaygroundConfig } from '../../src/playground/config.js';
import { eventually, Kubectl } from '../support/kubectl.js';

const config = parsePlaygroundConfig({
  members: [
    {
      name: 'east',
      region: 'us-east-1',
      zones: ['us-east-1a', 'us-east-1b'],
      nodes: [
        { count: 2, cpu: 2, memory: '8Gi', labels: { tier: 'general' } },
        { count: 1, namePrefix: 'gpu', cpu: 8, memory: '32Gi', extendedResources: { 'nvidia.com/gpu': 4 }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] },
      ],
    },
    // two pools without a namePrefix: their nodes are numbered on (west-node-1, west-node-2)
    { name: 'west', syncMode: 'Pull', region: 'us-west-2', nodes: [{ count: 1 }, { count: 1, cpu: 8, labels: { size: 'large' } }] },
  ],
});
const timing = { podStartupMs: 150, jobDurationMs: 500 };

let dataDir: string;
let kubeDir: string;
let pg: Playground;
let east: Kubectl;
let karmada: Kubectl;

const deployment = (replicas: number, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image}
        resources: {requests: {cpu: "1"}}
`;

interface PodView {
  name: string;
  phase: string;
  image: string;
  scheduled?: { status: string; reason?: string; message?: string };
}

async function pods(k: Kubectl, selector: string): Promise<PodView[]> {
  const out = JSON.parse(await k.ok(['get', 'pods', '-l', selector, '-o', 'json'])) as { items: { metadata: { name: string; deletionTimestamp?: string }; spec: { containers: { image: string }[] }; status: { phase: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] } }[] };
  return out.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({ name: p.metadata.name, phase: p.status.phase, image: p.spec.containers[0].image, scheduled: p.status.conditions?.find((c) => c.type === 'PodScheduled') }));
}

function contextKubeconfig(file: string, context: string): string {
  const doc = parse(readFileSync(file, 'utf8')) as { contexts: { name: string }[]; 'current-context': string };
  assert.ok(doc.contexts.some((c) => c.name === context), `${file} has a context ${context}`);
  return readFileSync(file, 'utf8').replace(/current-context: .*/, `current-context: ${context}`);
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pg-data-'));
  kubeDir = mkdtempSync(join(tmpdir(), 'pg-kube-'));
  const lines: string[] = [];
  pg = await Playground.start({ config, dataDir, kubeconfigDir: kubeDir, storage: 'sqlite', timing, onProgress: (l) => lines.push(l) });
  for (const component of ['karmada-apiserver', 'east', 'west', 'joined east', 'joined west', 'every member is joined and Ready']) {
    assert.ok(lines.some((l) => l.includes(component)), `a progress line for ${component}: ${lines.join(' | ')}`);
  }
  east = new Kubectl(contextKubeconfig(pg.membersConfigPath, 'east'));
  karmada = new Kubectl(readFileSync(pg.karmadaConfigPath, 'utf8'));
});

after(async () => {
  await pg?.stop();
  east?.cleanup();
  karmada?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(kubeDir, { recursive: true, force: true });
});

describe('a simulated member, with kubectl', () => {
  test('the kubeconfigs work: karmada-apiserver context and one context per member', async () => {
    assert.match(await karmada.ok(['config', 'current-context']), /^karmada-apiserver$/m);
    assert.match(await karmada.ok(['get', 'namespaces']), /^default\s+Active/m);
    const west = new Kubectl(contextKubeconfig(pg.membersConfigPath, 'west'));
    try {
      const nodes = await west.ok(['get', 'nodes', '-L', 'size']);
      assert.match(nodes, /^west-node-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.4\s*$/m);
      assert.match(nodes, /^west-node-2\s+Ready\s+<none>\s+\S+\s+v1\.32\.4\s+large$/m);
    } finally {
      west.cleanup();
    }
    assert.deepEqual(pg.memberInfo().map((m) => [m.name, m.syncMode, m.running]), [['east', 'Push', true], ['west', 'Pull', true]]);
  });

  test('get nodes shows the configured nodes, labels and taints', async () => {
    const out = await east.ok(['get', 'nodes', '-L', 'topology.kubernetes.io/region,topology.kubernetes.io/zone,tier']);
    assert.match(out, /^east-gpu-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.4\s+us-east-1\s+us-east-1a\s*$/m);
    assert.match(out, /^east-node-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.4\s+us-east-1\s+us-east-1a\s+general$/m);
    assert.match(out, /^east-node-2\s+Ready\s+<none>\s+\S+\s+v1\.32\.4\s+us-east-1\s+us-east-1b\s+general$/m);
    const gpu = JSON.parse(await east.ok(['get', 'node', 'east-gpu-1', '-o', 'json']));
    assert.equal(gpu.status.allocatable['nvidia.com/gpu'], '4');
    assert.deepEqual(gpu.spec.taints, [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
  });

  test('5 replicas of 1 CPU on two 2-CPU nodes: 4 Running, 1 Pending Unschedulable, 4/5 ready', async () => {
    await east.ok(['apply', '-f', '-'], { stdin: deployment(5, 'nginx:1.25') });
    await eventually(async () => /^web\s+4\/5\s+5\s+4\s/m.test(await east.ok(['get', 'deployment', 'web'])), 'deployment 4/5 ready');
    const list = await pods(east, 'app=web');
    assert.deepEqual(list.map((p) => p.phase).sort(), ['Pending', 'Running', 'Running', 'Running', 'Running']);
    const pending = list.find((p) => p.phase === 'Pending')!;
    assert.deepEqual(pending.scheduled, {
      type: 'PodScheduled', status: 'False', reason: 'Unschedulable', lastProbeTime: null,
      lastTransitionTime: (pending.scheduled as { lastTransitionTime?: string }).lastTransitionTime,
      message: '0/3 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: present}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    } as never);
    const table = await east.ok(['get', 'pods', '-l', 'app=web']);
    assert.equal((table.match(/\s1\/1\s+Running\s+0\s/g) ?? []).length, 4);
    assert.equal((table.match(/\s0\/1\s+Pending\s+0\s/g) ?? []).length, 1);
    const status = JSON.parse(await east.ok(['get', 'deployment', 'web', '-o', 'json'])).status;
    assert.equal(status.readyReplicas, 4);
    assert.equal(status.availableReplicas, 4);
    assert.equal(status.unavailableReplicas, 1);
    assert.deepEqual(status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason]).sort(), [
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'ReplicaSetUpdated'],
    ]);
  });

  test('scaling and an image change roll the pods', async () => {
    await east.ok(['scale', 'deployment', 'web', '--replicas=2']);
    await east.ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], { timeoutMs: 40_000 });
    assert.deepEqual((await pods(east, 'app=web')).map((p) => p.phase), ['Running', 'Running']);
    const before = (await pods(east, 'app=web')).map((p) => p.name);
    await east.ok(['set', 'image', 'deployment/web', 'web=nginx:1.26']);
    await east.ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], { timeoutMs: 40_000 });
    const after = (await eventually(async () => {
      const l = await pods(east, 'app=web');
      return l.length === 2 && l.every((p) => p.image === 'nginx:1.26' && p.phase === 'Running') && l;
    }, 'two new pods')) as PodView[];
    assert.ok(after.every((p) => !before.includes(p.name)), 'the pods were replaced');
    assert.match(await east.ok(['rollout', 'history', 'deployment/web']), /^1\s.*\n2\s/m);
    const rs = await east.ok(['get', 'replicasets', '-l', 'app=web']);
    assert.equal(rs.trim().split('\n').length, 3, 'two ReplicaSets kept as history');
  });

  test('a Job completes', async () => {
    await east.ok(['apply', '-f', '-'], {
      stdin: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi, namespace: default}\nspec:\n  completions: 2\n  parallelism: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: pi, image: perl}]\n',
    });
    await east.ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=30s'], { timeoutMs: 40_000 });
    assert.match(await east.ok(['get', 'job', 'pi']), /^pi\s+Complete\s+2\/2\s/m);
    assert.match(await east.ok(['get', 'pods', '-l', 'job-name=pi']), /0\/1\s+Completed\s+0/);
  });

  test('a DaemonSet lands on every untainted node', async () => {
    await east.ok(['apply', '-f', '-'], {
      stdin: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: default}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: agent, image: busybox}]\n',
    });
    await eventually(async () => /^agent\s+2\s+2\s+2\s+2\s+2\s/m.test(await east.ok(['get', 'daemonset', 'agent'])), 'daemonset 2/2');
    const nodes = JSON.parse(await east.ok(['get', 'pods', '-l', 'app=agent', '-o', 'json'])).items.map((p: { spec: { nodeName: string } }) => p.spec.nodeName).sort();
    assert.deepEqual(nodes, ['east-node-1', 'east-node-2']);
  });

  test('a Service gets a ClusterIP and an EndpointSlice of the ready pods it selects', async () => {
    await east.ok(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80}]\n' });
    assert.match(await east.ok(['get', 'service', 'kubernetes']), /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s/m);
    assert.match(await east.ok(['get', 'service', 'web']), /^web\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP\s/m);
    await eventually(async () => {
      const out = JSON.parse(await east.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json']));
      return out.items[0]?.endpoints?.filter((e: { conditions: { ready: boolean } }) => e.conditions.ready).length === 2;
    }, 'two ready endpoints');
  });

  test('kubectl top reads the simulated metrics.k8s.io usage', async () => {
    const top = (await eventually(async () => {
      const out = await east.ok(['top', 'pod', '-l', 'app=web']);
      return (out.match(/^web-\S+\s+100m\s+32Mi\s*$/gm) ?? []).length === 2 && out;
    }, 'two pods in kubectl top')) as string;
    assert.match(top, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/m);
    assert.match(await east.ok(['top', 'node']), /^east-node-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/m);
  });

  test('a stopped member refuses connections and comes back with its objects after start', async () => {
    await pg.stopMember('east');
    const refused = await east.run(['get', 'deployments'], { timeoutMs: 20_000 });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /connection to the server 127\.0\.0\.1:\d+ was refused/);
    await pg.startMember('east');
    assert.match(await east.ok(['get', 'deployment', 'web']), /^web\s+2\/2\s+2\s+2\s/m);
    assert.match(await east.ok(['get', 'job', 'pi']), /Complete/);
  });
});

describe('the playground', () => {
  test('karmada-ts member list|stop|start act through the control endpoint', async () => {
    const list = (await controlRequest(dataDir, 'GET', '/members')) as Parameters<typeof formatMemberList>[0];
    assert.match(formatMemberList(list), /^NAME\s+MODE\s+STATUS\s+NODES\s+URL\neast\s+Push\s+Running\s+3\s+https:\/\/127\.0\.0\.1:\d+\nwest\s+Pull\s+Running\s+2\s+https/);
    await controlRequest(dataDir, 'POST', '/members/west/stop');
    assert.equal(pg.members.get('west')!.running, false);
    await controlRequest(dataDir, 'POST', '/members/west/start');
    assert.equal(pg.members.get('west')!.running, true);
    await assert.rejects(controlRequest(dataDir, 'POST', '/members/nope/stop'), /no member named "nope"/);
  });

  test('state persists across a restart with the same data dir', async () => {
    const url = pg.members.get('east')!.url;
    await pg.stop();
    pg = await Playground.start({ config, dataDir, kubeconfigDir: kubeDir, storage: 'sqlite', timing });
    assert.equal(pg.members.get('east')!.url, url, 'members come back on their ports, so kubeconfigs stay valid');
    assert.match(await east.ok(['get', 'deployment', 'web']), /^web\s+2\/2\s/m);
    assert.match(await east.ok(['get', 'nodes']), /east-node-1\s+Ready/);
  });
});
