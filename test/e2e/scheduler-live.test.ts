// The scheduler against live members (issue 6): the playground's control plane with simulated
// members of different sizes. Dynamic weights follow what each member's nodes really hold (the
// accurate estimator watches the members' Nodes and Pods), a member whose nodes carry a taint the
// workload does not tolerate is avoided until it does, waiting bindings go in priority order,
// bindings for another scheduler are left alone, and `karmadactl schedule` explains a live binding.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { KubeObject } from '../../src/apimachinery/types.js';
import type { ResourceBinding, TargetCluster } from '../../src/apis/karmada/binding.js';
import { parsePlaygroundConfig } from '../../src/playground/config.js';
import { Playground } from '../../src/playground/playground.js';
import type { Cluster } from '../../src/apis/karmada/cluster.js';
import { MemberClients } from '../../src/runtime/member-clients.js';
import { KubeClient } from '../../src/runtime/client.js';
import { Manager } from '../../src/runtime/controller.js';
import { LiveNodeEstimator } from '../../src/scheduler/component/accurate.js';
import { estimateFromNodes, type Node, type Pod } from '../../src/scheduler/estimator/index.js';
import { startScheduler } from '../../src/scheduler/component/index.js';
import { runCli } from '../support/cli.js';
import { eventually } from '../support/kubectl.js';
import { clusterGVR, resourceBindingGVR } from '../../src/apis/karmada/gvr.js';

const config = parsePlaygroundConfig({
  members: [
    { name: 'member1', nodes: [{ count: 2, cpu: '4', memory: '16Gi' }] },
    { name: 'member2', nodes: [{ count: 1, cpu: '2', memory: '16Gi' }] },
    { name: 'member3', nodes: [{ count: 2, cpu: '4', memory: '16Gi', taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] }] },
    { name: 'member4', nodes: [{ count: 1, cpu: '4', memory: '16Gi' }] },
  ],
});

const deploymentGVR = { group: 'apps', version: 'v1', resource: 'deployments' };
const podGVR = { group: '', version: 'v1', resource: 'pods' };

let dataDir: string;
let kubeDir: string;
let pg: Playground;
let karmada: KubeClient;
let members: Record<string, KubeClient>;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sched-live-data-'));
  kubeDir = mkdtempSync(join(tmpdir(), 'sched-live-kube-'));
  pg = await Playground.start({ config, dataDir, kubeconfigDir: kubeDir, storage: 'memory', timing: { podStartupMs: 100 } });
  karmada = KubeClient.fromKubeconfig(readFileSync(pg.karmadaConfigPath, 'utf8'));
  members = Object.fromEntries(pg.memberInfo().map((m) => [m.name, KubeClient.fromKubeconfig(m.kubeconfig)]));
});

after(async () => {
  await pg?.stop();
  for (const d of [dataDir, kubeDir]) if (d) rmSync(d, { recursive: true, force: true });
});

function deployment(name: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '1' } } }] } },
    },
  };
}

function dynamicPolicy(name: string, clusters: string[]): KubeObject {
  return {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name, namespace: 'default' },
    spec: {
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name }],
      placement: {
        clusterAffinity: { clusterNames: clusters },
        replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } },
      },
    },
  };
}

const byName = (tcs: TargetCluster[] | undefined) => Object.fromEntries((tcs ?? []).map((c) => [c.name, c.replicas ?? 0]));
const getBinding = (name: string) => karmada.get<ResourceBinding>(resourceBindingGVR, name, { namespace: 'default' });

/** the binding once spec.clusters adds up to `replicas` and the scheduler has observed it */
async function scheduledTo(name: string, replicas: number): Promise<Record<string, number>> {
  const b = await eventually(async (): Promise<ResourceBinding | undefined> => {
    const b = await getBinding(name);
    const sum = (b.spec.clusters ?? []).reduce((n, c) => n + (c.replicas ?? 0), 0);
    const observed = b.status?.schedulerObservedGeneration === b.metadata.generation;
    return b.spec.replicas === replicas && sum === replicas && observed ? b : undefined;
  }, `${name} scheduled with ${replicas} replicas`, 30_000);
  return byName(b!.spec.clusters);
}

/** Running pods of an app in a member, per node */
async function runningPods(member: string, app: string): Promise<KubeObject[]> {
  const list = await members[member].list(podGVR, { namespace: 'default', labelSelector: `app=${app}` });
  return list.items.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running');
}

async function waitRunning(member: string, app: string, n: number): Promise<void> {
  await eventually(async () => (await runningPods(member, app)).length === n, `${n} ${app} pods Running in ${member}`, 30_000);
}

describe('scheduler with live members', () => {
  test('dynamic weights follow what each member can really hold, also after its pods change', async () => {
    await karmada.create(deployment('web', 5));
    await karmada.create(dynamicPolicy('web', ['member1', 'member2']));
    // member1 can take 4 (the general estimator's resource models bound it), member2 2: Webster splits 5 as 3:2
    // (largest remainders would say 4:1)
    assert.deepEqual(await scheduledTo('web-deployment', 5), { member1: 3, member2: 2 });
    await waitRunning('member1', 'web', 3);
    await waitRunning('member2', 'web', 2);

    // member2 is full with its two replicas; someone runs a pod of their own in member1, which leaves it room for 4
    await members.member1.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'filler', namespace: 'default', labels: { app: 'filler' } },
      spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] },
    });
    await waitRunning('member1', 'filler', 1);
    const explained = await runCli('karmadactl', ['schedule', 'rb/web-deployment', '-n', 'default', '-o', 'json', '--kubeconfig', pg.karmadaConfigPath]);
    assert.equal(explained.code, 0, explained.stderr);
    const doc = JSON.parse(explained.stdout) as { estimates: { cluster: string; accurate?: number }[] };
    assert.equal(doc.estimates.find((e) => e.cluster === 'member2')?.accurate, 0, 'member2 really is full');
    assert.equal(doc.estimates.find((e) => e.cluster === 'member1')?.accurate, 4, 'member1 sees the filler');
    // the scheduler's watch of member1 has seen the pod by now (it is a watch, not a poll)
    await new Promise((r) => setTimeout(r, 500));

    // scale up: the new replicas go where there is room
    await karmada.patch(deploymentGVR, 'web', { spec: { replicas: 8 } }, { namespace: 'default', type: 'merge' });
    assert.deepEqual(await scheduledTo('web-deployment', 8), { member1: 6, member2: 2 });
    await waitRunning('member1', 'web', 6);
  });

  test('a member whose nodes carry an untolerated taint is avoided until the workload tolerates it', async () => {
    await karmada.create(deployment('edge', 2));
    await karmada.create(dynamicPolicy('edge', ['member3', 'member4']));
    // the resource summary counts member3's 8 CPUs; its nodes take none of these pods
    assert.deepEqual(await scheduledTo('edge-deployment', 2), { member4: 2 });
    await waitRunning('member4', 'edge', 2);

    // karmadactl explains why, from the live binding, without changing it
    const before = await getBinding('edge-deployment');
    const table = await runCli('karmadactl', ['schedule', 'rb/edge-deployment', '--kubeconfig', pg.karmadaConfigPath, '-n', 'default']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /Binding:\s+ResourceBinding default\/edge-deployment/);
    assert.match(table.stdout, /Trigger:\s+None \(up to date/);
    assert.match(table.stdout, /Would be:\s+member4:2/);
    const row = table.stdout.split('\n').find((l) => l.startsWith('member3'));
    assert.ok(row, table.stdout);
    // CLUSTER FEASIBLE SCORE GENERAL ACCURATE AVAILABLE SELECTED REPLICAS: the general estimator sees room, the nodes do not
    const [, feasible, , general, accurate, available, , replicas] = row.trim().split(/\s+/);
    assert.deepEqual({ feasible, accurate, available, replicas }, { feasible: 'yes', accurate: '0', available: '0', replicas: '-' }, table.stdout);
    assert.ok(Number(general) > 0, table.stdout);
    const yaml = await runCli('karmadactl', ['schedule', 'resourcebindings/edge-deployment', '-o', 'yaml', '--kubeconfig', pg.karmadaConfigPath]);
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.match(yaml.stdout, /^kind: ScheduleExplanation$/m);
    assert.match(yaml.stdout, /^trigger: None$/m);
    const afterwards = await getBinding('edge-deployment');
    // (other controllers write the binding's status meanwhile: compare what the scheduler writes)
    const scheduling = (b: ResourceBinding) => [b.metadata.generation, b.spec.clusters, b.status?.lastScheduledTime, b.status?.conditions?.find((c) => c.type === 'Scheduled')];
    assert.deepEqual(scheduling(afterwards), scheduling(before), 'karmadactl schedule writes nothing');

    // tolerate the taint and scale: member3 takes replicas now
    await karmada.patch(
      deploymentGVR,
      'edge',
      { spec: { replicas: 6, template: { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }] } } } },
      { namespace: 'default', type: 'merge' },
    );
    const split = await scheduledTo('edge-deployment', 6);
    assert.ok((split.member3 ?? 0) > 0, `member3 gets replicas once tolerated: ${JSON.stringify(split)}`);
    await waitRunning('member3', 'edge', split.member3);
  });

  test('karmadactl schedule: unknown bindings and kinds are errors', async () => {
    const missing = await runCli('karmadactl', ['schedule', 'rb/nope', '--kubeconfig', pg.karmadaConfigPath]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not found/);
    const kind = await runCli('karmadactl', ['schedule', 'deployment/web', '--kubeconfig', pg.karmadaConfigPath]);
    assert.equal(kind.code, 1);
    assert.match(kind.stderr, /unknown binding type "deployment"/);
  });

  test('preemption: a higher-priority policy with preemption Always takes over a claimed template, one without does not', async () => {
    const policy = (name: string, cluster: string, priority: number, preemption?: 'Always'): KubeObject => ({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name, namespace: 'default' },
      spec: { priority, ...(preemption ? { preemption } : {}), resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'pre' }], placement: { clusterAffinity: { clusterNames: [cluster] } } },
    });
    const claimedAndScheduled = (policyName: string, cluster: string) =>
      eventually(async () => {
        const b = await getBinding('pre-configmap');
        const claimed = b.metadata.annotations?.['propagationpolicy.karmada.io/name'] === policyName;
        return claimed && JSON.stringify(b.spec.clusters?.map((c) => c.name)) === JSON.stringify([cluster]);
      }, `pre claimed by ${policyName} and scheduled to ${cluster}`, 20_000);
    await karmada.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre', namespace: 'default' }, data: { k: 'v' } });
    await karmada.create(policy('pre-low', 'member1', 1));
    await claimedAndScheduled('pre-low', 'member1');
    await karmada.create(policy('pre-mid', 'member3', 3));
    // a change of the template after pre-mid exists: once the binding follows it, the detector has
    // weighed pre-mid against the claim
    const touched = await karmada.patch<KubeObject>({ group: '', version: 'v1', resource: 'configmaps' }, 'pre', { data: { k: 'v2' } }, { namespace: 'default', type: 'merge' });
    await eventually(async () => (await getBinding('pre-configmap')).spec.resource.resourceVersion === touched.metadata.resourceVersion, 'the binding follows the touched template', 20_000);
    await claimedAndScheduled('pre-low', 'member1');
    await karmada.create(policy('pre-high', 'member2', 5, 'Always'));
    await claimedAndScheduled('pre-high', 'member2');
    await eventually(() => members.member2.get({ group: '', version: 'v1', resource: 'configmaps' }, 'pre', { namespace: 'default' }), 'pre in member2', 20_000);
  });

  test('the live estimator answers from each member\'s watched Nodes and Pods once synced, follows pod changes, and forgets members that stop being Ready', async () => {
    const manager = new Manager({ retryDelayMs: 200 });
    await manager.start();
    const estimator = new LiveNodeEstimator(manager, new MemberClients(karmada));
    const cpu1 = { resourceRequest: { cpu: '1' } };
    try {
      const clusters = (await karmada.list(clusterGVR)).items as unknown as Cluster[];
      const member4 = clusters.find((c) => c.metadata.name === 'member4')!;
      assert.equal(estimator.estimate(member4, cpu1), undefined, 'not watched: no answer, the general estimator alone bounds it');
      for (const c of clusters) estimator.observe(c);
      await eventually(() => clusters.every((c) => estimator.state(c.metadata.name) === 'synced'), 'every member synced');
      // the same answers as a fresh list of each member's nodes and pods
      // (retried: a member's pods may still be starting)
      for (const c of clusters) {
        const m = members[c.metadata.name];
        await eventually(async () => {
          const [nodes, pods] = await Promise.all([m.listAll({ group: '', version: 'v1', resource: 'nodes' }), m.listAll(podGVR)]);
          const want = estimateFromNodes(nodes.items as unknown as Node[], pods.items as unknown as Pod[], cpu1);
          return estimator.estimate(c, cpu1) === want;
        }, `${c.metadata.name}: the estimate of a fresh list`);
      }
      const free = estimator.estimate(member4, cpu1)!;
      assert.ok(free > 0);
      await members.member4.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'probe', namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] },
      });
      await eventually(() => estimator.estimate(member4, cpu1) === free - 1, 'the new pod counted');
      await members.member4.delete(podGVR, 'probe', { namespace: 'default' });
      await eventually(() => estimator.estimate(member4, cpu1) === free, 'the deleted pod no longer counted');

      const notReady: Cluster = { ...member4, status: { ...member4.status, conditions: [{ type: 'Ready', status: 'False' }] } };
      estimator.observe(notReady);
      assert.equal(estimator.state('member4'), 'not-watched');
      assert.equal(estimator.estimate(member4, cpu1), undefined);
      estimator.forget('member1');
      assert.deepEqual(estimator.watched.sort(), ['member2', 'member3']);
    } finally {
      await manager.stop();
    }
  });

  test('waiting bindings are scheduled in priority order, and only by the scheduler they name', async () => {
    const schedulerName = 'batch-scheduler';
    // names sort low before high: first-come order would schedule the low one first
    const bindings = [
      { name: 'a-low', priority: 1 },
      { name: 'b-high', priority: 100 },
      { name: 'c-default', priority: undefined },
    ];
    for (const b of bindings) {
      await karmada.create<ResourceBinding>({
        apiVersion: 'work.karmada.io/v1alpha2',
        kind: 'ResourceBinding',
        metadata: { name: b.name, namespace: 'default' },
        spec: {
          resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: b.name },
          schedulerName,
          ...(b.priority !== undefined ? { schedulePriority: { priority: b.priority } } : {}),
          placement: { clusterAffinity: { clusterNames: ['member4'] } },
        },
      } as ResourceBinding & KubeObject);
    }
    // the playground's default scheduler leaves them alone: a binding of its own queued after them
    // (at a lower priority than two, after the third) is scheduled only once it has looked at them
    await karmada.create<ResourceBinding>({
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: 'd-probe', namespace: 'default' },
      spec: { resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'd-probe' }, placement: { clusterAffinity: { clusterNames: ['member4'] } } },
    } as ResourceBinding & KubeObject);
    await eventually(async () => ((await getBinding('d-probe')).spec.clusters?.length ?? 0) > 0, 'the default scheduler reached d-probe', 20_000);
    await karmada.delete(resourceBindingGVR, 'd-probe', { namespace: 'default' });
    for (const b of bindings) assert.equal((await getBinding(b.name)).spec.clusters, undefined, `${b.name} not scheduled by default-scheduler`);

    // watch who gets scheduled first, then start the scheduler they name, one binding at a time
    const order: string[] = [];
    const list = await karmada.list(resourceBindingGVR, { namespace: 'default' });
    const watch = await karmada.watch(
      resourceBindingGVR,
      { namespace: 'default', resourceVersion: list.metadata.resourceVersion },
      (type, obj) => {
        const b = obj as ResourceBinding;
        if (type === 'MODIFIED' && b.spec.clusters?.length && !order.includes(b.metadata.name!) && bindings.some((x) => x.name === b.metadata.name)) order.push(b.metadata.name!);
      },
      () => {},
    );
    const scheduler = await startScheduler({ client: karmada, schedulerName, workers: 1, registry: new Registry(), accurateEstimator: false });
    try {
      await eventually(() => order.length === 3, 'the three bindings scheduled', 20_000);
      assert.deepEqual(order, ['b-high', 'a-low', 'c-default']);
    } finally {
      watch.stop();
      await scheduler.stop();
    }
  });
});
