// Cluster failover as a user sees it, with the real kubectl against one playground: a Deployment of
// 4 replicas Divided over member1 and member2 moves entirely to member2 when member1 stops (a
// ClusterTaintPolicy turns Ready=False into a NoExecute taint, the policy tolerates it for 5 s), and
// a Deployment only member1 can run is not evicted: its binding and template say why. When member1
// comes back its stale copy goes (member2 keeps 4) and a WorkloadRebalancer spreads web over both.
// Before that, application failover: a workload whose image its cluster cannot pull moves to the
// other one. The cluster status thresholds are 3 s here (Karmada's default is 30 s) to keep it short.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Playground } from '../../src/playground/playground.js';
import type { SimulatedMember } from '../../src/membersim/member.js';
import { parsePlaygroundConfig } from '../../src/playground/config.js';
import { eventually, Kubectl } from '../support/kubectl.js';
import { runCli } from '../support/cli.js';

const config = parsePlaygroundConfig({ members: ['member1', 'member2'].map((name) => ({ name, nodes: [{ count: 2, cpu: 4, memory: '16Gi' }] })) });

let dataDir: string;
let kubeDir: string;
let pg: Playground;
let karmada: Kubectl;
let members: Kubectl;

const on = (member: string, args: string[]) => members.ok(['--context', member, ...args]);
const json = async (k: Kubectl, args: string[]) => JSON.parse(await k.ok([...args, '-o', 'json']));

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'failover-data-'));
  kubeDir = mkdtempSync(join(tmpdir(), 'failover-kube-'));
  pg = await Playground.start({ config, dataDir, kubeconfigDir: kubeDir, storage: 'memory', timing: { podStartupMs: 100 }, clusterStatus: { statusUpdateIntervalMs: 1000, successThresholdMs: 3000, failureThresholdMs: 3000 } });
  karmada = new Kubectl(readFileSync(pg.karmadaConfigPath, 'utf8'));
  members = new Kubectl(readFileSync(pg.membersConfigPath, 'utf8'));
});

after(async () => {
  await pg?.stop();
  karmada?.cleanup();
  members?.cleanup();
  for (const d of [dataDir, kubeDir]) if (d) rmSync(d, { recursive: true, force: true });
});

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: nginx, image: nginx:1.25, resources: {requests: {cpu: 100m}}}]
`;
const policy = (name: string, clusters: string[]) => `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: ${name}}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: ${name}}]
  placement:
    clusterAffinity: {clusterNames: [${clusters.join(', ')}]}
    clusterTolerations:
    - {key: cluster.karmada.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted, weightPreference: {dynamicWeight: AvailableReplicas}}
`;
const appPolicy = `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: app}
spec:
  propagateDeps: true
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: app}]
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}
  failover:
    application:
      decisionConditions: {tolerationSeconds: 5}
      purgeMode: Gracefully
      gracePeriodSeconds: 60
      statePreservation:
        rules: [{aliasLabelName: failover.karmada.io/replicas, jsonPath: '{ .replicas }'}]
`;
const taintPolicy = `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterTaintPolicy
metadata: {name: detect-cluster-notready}
spec:
  targetClusters: {clusterNames: [member1, member2]}
  addOnConditions: [{conditionType: Ready, operator: NotIn, statusValues: ["True"]}]
  removeOnConditions: [{conditionType: Ready, operator: In, statusValues: ["True"]}]
  taints: [{key: cluster.karmada.io/not-ready, effect: NoExecute}]
`;

const readyOn = async (member: string, name: string) => {
  const d = await json(members, ['--context', member, 'get', 'deploy', name]).catch(() => undefined);
  return (d?.status?.readyReplicas as number | undefined) ?? 0;
};

describe('cluster failover', () => {
  test('a NoExecute ClusterTaintPolicy is admitted (the playground allows them)', async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: taintPolicy });
  });

  test('application failover: the image becomes unpullable where the workload runs; it moves, the old copy goes, the state label comes along', { timeout: 60_000 }, async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: [deployment('app', 2), appPolicy].join('---\n') });
    const rb = await eventually(async () => {
      const b = await json(karmada, ['get', 'rb', 'app-deployment']);
      return b.spec?.clusters?.length === 1 && b;
    }, 'app scheduled to one cluster', 15_000).catch(async (err) => {
      throw new Error(`${(err as Error).message}\n${await karmada.run(['get', 'rb', 'app-deployment', '-o', 'yaml']).then((r) => r.stdout + r.stderr)}\n${(await karmada.run(['get', 'pp', 'app', '-o', 'yaml'])).stdout}`);
    });
    const from = rb.spec.clusters[0].name as string;
    const to = from === 'member1' ? 'member2' : 'member1';
    await eventually(async () => (await readyOn(from, 'app')) === 2, `app ready on ${from}`, 15_000);

    const sim = pg.members.get(from) as SimulatedMember;
    const target = pg.members.get(to) as SimulatedMember;
    const labelled = new Set<string>();
    const watchLabel = setInterval(async () => {
      const d = await target.apiServer?.objects.get(target.apiServer.registry.versionsOf('apps', 'deployments')[0]!, 'default', 'app').catch(() => undefined);
      const v = d?.metadata.labels?.['failover.karmada.io/replicas'];
      if (v) labelled.add(v);
    }, 20);
    try {
      sim.applyFault({ kind: 'image-pull-fail', image: 'nginx:1.25' });
      await eventually(async () => (await readyOn(to, 'app')) === 2, `app moved to ${to}`, 30_000, 250);
      await eventually(async () => (await members.run(['--context', from, 'get', 'deploy', 'app'])).code !== 0, `old copy on ${from} removed`, 20_000, 250);
    } finally {
      clearInterval(watchLabel);
      sim.applyFault({ kind: 'image-pull-ok', image: 'nginx:1.25' });
    }
    assert.deepEqual([...labelled], ['2'], 'the new copy carried the failed copy\'s .replicas as a label');
    const events = await karmada.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=app', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    assert.match(events, new RegExp(`EvictWorkloadFromClusterSucceed: Evicted from cluster\\(${from}\\): the application has been unhealthy for longer than 5s; purgeMode Gracefully; replicas go to ${to} \\(\\+2\\)`));
  });

  test('a WorkloadRebalancer triggers a fresh schedule of its workloads, records the outcome and goes after its TTL', { timeout: 30_000 }, async () => {
    await karmada.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: apps.karmada.io/v1alpha1
kind: WorkloadRebalancer
metadata: {name: rebalance-app}
spec:
  ttlSecondsAfterFinished: 2
  workloads:
  - {apiVersion: apps/v1, kind: Deployment, name: app, namespace: default}
  - {apiVersion: apps/v1, kind: Deployment, name: missing, namespace: default}
`,
    });
    const r = await eventually(async () => {
      const x = await json(karmada, ['get', 'workloadrebalancer', 'rebalance-app']);
      return x.status?.finishTime && x;
    }, 'rebalancer finished', 15_000, 200);
    assert.deepEqual(r.status.observedWorkloads, [
      { workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', namespace: 'default' }, result: 'Successful' },
      { workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'missing', namespace: 'default' }, result: 'Failed', reason: 'ReferencedBindingNotFound' },
    ]);
    const rb = await json(karmada, ['get', 'rb', 'app-deployment']);
    assert.equal(rb.spec.rescheduleTriggeredAt, r.metadata.creationTimestamp);
    await eventually(async () => (await karmada.run(['get', 'workloadrebalancer', 'rebalance-app'])).code !== 0, 'rebalancer deleted after its TTL', 15_000, 250);
    await karmada.ok(['delete', 'deploy', 'app']);
  });

  test('member1 stops: the Divided Deployment runs 4 on member2; the one only member1 can run is kept, and says why', { timeout: 120_000 }, async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: [deployment('web', 4), policy('web', ['member1', 'member2']), deployment('solo', 1), policy('solo', ['member1'])].join('---\n') });
    await eventually(async () => (await readyOn('member1', 'web')) === 2 && (await readyOn('member2', 'web')) === 2 && (await readyOn('member1', 'solo')) === 1, 'web 2+2 and solo on member1', 30_000);
    await eventually(async () => (await karmada.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.status.readyReplicas}'])) === '4', 'template web 4 ready');

    const whatIf = await runCli('karmadactl', ['failover', 'what-if', '--cluster', 'member1', '--kubeconfig', pg.karmadaConfigPath]);
    assert.equal(whatIf.code, 0, whatIf.stderr);
    assert.match(whatIf.stdout, /default +web-deployment +2 +evict +5s +to member2 \(\+2\)/);
    assert.match(whatIf.stdout, /default +solo-deployment +1 +blocked +\d+s +nowhere to go, kept/);

    await pg.stopMember('member1');
    await eventually(async () => {
      const taints = JSON.parse(await karmada.ok(['get', 'cluster', 'member1', '-o', 'jsonpath={.spec.taints}']) || '[]') as { key: string; effect: string }[];
      return taints.some((t) => t.key === 'cluster.karmada.io/not-ready' && t.effect === 'NoExecute');
    }, 'member1 tainted not-ready:NoExecute', 70_000, 500);

    await eventually(async () => (await readyOn('member2', 'web')) === 4, 'web 4 ready on member2', 30_000, 250);
    const rb = await json(karmada, ['get', 'rb', 'web-deployment']);
    assert.deepEqual(rb.spec.clusters, [{ name: 'member2', replicas: 4 }]);
    await eventually(async () => (await karmada.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.status.readyReplicas}/{.status.replicas}'])) === '4/4', 'template web 4/4', 30_000, 250);
    const events = await karmada.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    assert.match(events, /EvictWorkloadFromClusterSucceed: Evicted from cluster\(member1\): taint cluster\.karmada\.io\/not-ready:NoExecute was tolerated for its tolerationSeconds only; purgeMode Gracefully; replicas go to member2 \(\+2\)/);

    const solo = await eventually(async () => {
      const b = await json(karmada, ['get', 'rb', 'solo-deployment']);
      return b.status?.conditions?.find((c: { type: string }) => c.type === 'EvictionBlocked') && b;
    }, 'solo EvictionBlocked', 15_000, 250);
    assert.deepEqual(solo.spec.clusters, [{ name: 'member1', replicas: 1 }]);
    const blocked = solo.status.conditions.find((c: { type: string }) => c.type === 'EvictionBlocked');
    assert.equal(blocked.status, 'True');
    assert.match(blocked.message, /not evicting from cluster member1 \(taint cluster\.karmada\.io\/not-ready:NoExecute .*\): no other cluster can take its replicas: 0\/2 clusters are available/);
    const soloEvents = await karmada.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=solo', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
    assert.match(soloEvents, /EvictionBlocked/);
  });

  test('member1 starts again: its stale copy of web goes, member2 keeps 4, and a WorkloadRebalancer spreads web over both again', { timeout: 90_000 }, async () => {
    await pg.startMember('member1');
    const sim = pg.members.get('member1') as SimulatedMember;
    const stale = await sim.apiServer?.objects.get(sim.apiServer.registry.versionsOf('apps', 'deployments')[0]!, 'default', 'web').catch(() => undefined);
    assert.ok(stale, 'member1 comes back still holding its copy of web from before it stopped');
    await eventually(async () => /NotFound/.test((await members.run(['--context', 'member1', 'get', 'deploy', 'web'])).stderr), 'no web left on member1', 30_000, 250);
    assert.equal(await readyOn('member2', 'web'), 4);
    const rb = await json(karmada, ['get', 'rb', 'web-deployment']);
    assert.deepEqual(rb.spec.clusters, [{ name: 'member2', replicas: 4 }]);
    assert.equal(rb.spec.gracefulEvictionTasks, undefined, 'the eviction from member1 has completed');
    assert.equal(await readyOn('member1', 'solo'), 1, 'the Deployment whose eviction was blocked still runs on member1');

    await eventually(async () => (JSON.parse((await karmada.ok(['get', 'cluster', 'member1', '-o', 'jsonpath={.spec.taints}'])) || '[]') as unknown[]).length === 0, 'member1 untainted', 30_000, 250);
    await karmada.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: apps.karmada.io/v1alpha1
kind: WorkloadRebalancer
metadata: {name: rebalance-web}
spec:
  workloads: [{apiVersion: apps/v1, kind: Deployment, name: web, namespace: default}]
`,
    });
    await eventually(async () => (await readyOn('member1', 'web')) === 2 && (await readyOn('member2', 'web')) === 2, 'web 2+2 again', 30_000, 250);
    const spread = await json(karmada, ['get', 'rb', 'web-deployment']);
    assert.deepEqual(spread.spec.clusters, [{ name: 'member1', replicas: 2 }, { name: 'member2', replicas: 2 }]);
    await eventually(async () => (await karmada.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.status.readyReplicas}/{.status.replicas}'])) === '4/4', 'template web 4/4', 30_000, 250);
  });
});
