// Autoscaling across clusters with the real kubectl against `karmada-ts up`: a Deployment Duplicated
// over two members under a FederatedHPA scales out when one member's load rises (`karmada-ts member
// load`) and back after `--reset`, explaining itself in describe; `kubectl top pods -A` on the
// control plane lists the members' pods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlaygroundProcess, type PlaygroundProcess } from '../support/playground-process.js';
import { Kubectl, eventually } from '../support/kubectl.js';
import { runCli } from '../support/cli.js';

const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement:
    clusterAffinity: {clusterNames: [m1, m2]}
    replicaScheduling: {replicaSchedulingType: Duplicated}
---
apiVersion: autoscaling.karmada.io/v1alpha1
kind: FederatedHPA
metadata: {name: web, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
  behavior:
    scaleDown: {stabilizationWindowSeconds: 3, policies: [{type: Percent, value: 100, periodSeconds: 1}]}
    scaleUp: {stabilizationWindowSeconds: 0, policies: [{type: Pods, value: 10, periodSeconds: 1}]}
`;

const cron = (name: string, suspend: boolean) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: autoscaling.karmada.io/v1alpha1
kind: CronFederatedHPA
metadata: {name: ${name}, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  rules:
  - {name: every-minute, schedule: "* * * * *", timeZone: Europe/Paris, targetReplicas: 5, suspend: ${suspend}, successfulHistoryLimit: 2}
`;

describe('autoscaling', { timeout: 300_000 }, () => {
  let root: string;
  let pg: PlaygroundProcess;
  let karmada: Kubectl;
  let members: Kubectl;
  const member = (ctx: string, args: string[]) => members.ok(['--context', ctx, ...args]);
  const load = (args: string[]) => runCli('karmada-ts', ['member', 'load', 'm1', '--data-dir', pg.dataDir, '--namespace', 'default', '--deployment', 'web', ...args]);
  const templateReplicas = async () => Number(await karmada.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']));

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'autoscaling-'));
    const config = join(root, 'members.yaml');
    writeFileSync(config, 'members:\n- name: m1\n  nodes: [{count: 1, cpu: "8"}]\n- name: m2\n  nodes: [{count: 1, cpu: "8"}]\n');
    pg = await startPlaygroundProcess(join(root, 'data'), join(root, 'kube'), { args: ['--config', config, '--storage', 'memory', '--horizontal-pod-autoscaler-sync-period', '1s'] });
    karmada = new Kubectl(readFileSync(pg.karmadaConfig, 'utf8'));
    members = new Kubectl(readFileSync(pg.membersConfig, 'utf8'));
    await karmada.ok(['apply', '-f', '-'], { stdin: manifests + '---' + cron('batch', false) + '---' + cron('idle', true) });
  });
  after(async () => {
    await pg?.kill();
    karmada?.cleanup();
    members?.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  test('kubectl top pods on the control plane lists the members\' pods with their usage', async () => {
    const out = await eventually(async () => {
      const o = (await karmada.run(['top', 'pods', '-A'])).stdout;
      return (o.match(/^default\s+web-\S+\s+\d+m\s+\d+Mi\s*$/gm) ?? []).length === 4 ? o : undefined;
    }, 'four web pods in top', 60_000, 500);
    assert.match(out!, /^NAMESPACE\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    const byCluster = await karmada.ok(['top', 'pods', '-l', 'resource.karmada.io/query-from-cluster=m2']);
    assert.equal((byCluster.match(/^web-/gm) ?? []).length, 2);
  });

  test('member load: usage shows in kubectl top pods on the member and custom metrics on the control plane; a bad quantity is refused', async () => {
    const bad = await load(['--cpu', 'lots']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--cpu: "lots" is not a cpu quantity/);
    const ok = await load(['--cpu', '200m', '--metric', 'http_requests=30']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /deployment default\/web in m1: 200m cpu per pod over 2 running pods/);
    const top = await members.ok(['--context', 'm1', 'top', 'pods', '-l', 'app=web']);
    assert.equal((top.match(/^web-\S+\s+200m\s/gm) ?? []).length, 2, top);
    // custom.metrics.k8s.io on the control plane, from the members (only m1's pods have the metric)
    const custom = JSON.parse(await karmada.ok(['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests?labelSelector=app%3Dweb']));
    assert.deepEqual(custom.items.map((i: { value: string }) => i.value), ['30', '30'].map((v) => `${Number(v) * 1000}m`));
  });

  test('the FederatedHPA scales the template out; the new replicas land in the members; describe explains it', async () => {
    await eventually(async () => (await templateReplicas()) === 5, 'the template scaled to 5 (2 pods at 200% in m1, 2 at 10% in m2: 105% of 50%)', 60_000, 500);
    await eventually(async () => (await member('m2', ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])) === '5', 'm2 runs 5 replicas', 30_000, 500);
    const describe = await karmada.ok(['describe', 'federatedhpa', 'web']);
    assert.match(describe, /SuccessfulRescale\s+.*New size: 5; reason: cpu resource utilization \(percentage of request\) above target/);
    assert.match(describe, /Cluster:\s+m1/);
    assert.match(describe, /Usage:\s+cpu \d+m per pod \(\d+% of requests\)/);
    const status = JSON.parse(await karmada.ok(['get', 'federatedhpa', 'web', '-o', 'json'])).status;
    assert.equal(status.conditions.find((c: { type: string }) => c.type === 'ScalingActive').status, 'True');
  });

  test('after --reset it scales back to minReplicas after the stabilisation window', async () => {
    const r = await load(['--reset']);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => (await templateReplicas()) === 2, 'the template back at 2', 60_000, 500);
    // status.currentReplicas is what the last sync found (as Kubernetes' HPA): the next one sees 2
    await eventually(async () => JSON.parse(await karmada.ok(['get', 'federatedhpa', 'web', '-o', 'json'])).status.currentReplicas === 2, 'status.currentReplicas 2', 30_000, 500);
    const cm = (await pg.components()).find((c) => c.name === 'karmada-controller-manager')!;
    const metrics = await (await fetch(cm.metricsUrl!)).text();
    assert.match(metrics, /^federatedhpa_process_duration_seconds_count\{result="success"\} [1-9]/m);
    assert.match(metrics, /^federatedhpa_pull_metrics_duration_seconds_count\{result="success",metricType="Resource"\} [1-9]/m);
  });

  test('CronFederatedHPA: an every-minute rule sets replicas to 5 and records its run; a suspended rule does nothing; bad schedules are refused', async () => {
    const bad = await karmada.run(['apply', '-f', '-'], { stdin: cron('bad', false).split('---')[1]!.replace('"* * * * *"', '"61 * * * *"').replace('Europe/Paris', 'Mars/Olympus') });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /The CronFederatedHPA "bad" is invalid/);
    assert.match(bad.stderr, /spec\.rules\[0\]\.timeZone: Invalid value: "Mars\/Olympus": unknown time zone/);
    assert.match(bad.stderr, /spec\.rules\[0\]\.schedule: Invalid value: "61 \* \* \* \*"/);
    const replicasOf = async (name: string) => Number(await karmada.ok(['get', 'deploy', name, '-o', 'jsonpath={.spec.replicas}']));
    await eventually(async () => (await replicasOf('batch')) === 5, 'the every-minute rule ran', 90_000, 1000);
    const history = JSON.parse(await karmada.ok(['get', 'cronfederatedhpa', 'batch', '-o', 'json'])).status.executionHistories[0];
    assert.equal(history.ruleName, 'every-minute');
    assert.equal(history.successfulExecutions[0].appliedReplicas, 5);
    assert.match(history.successfulExecutions[0].scheduleTime, /:00Z$/);
    assert.match(history.nextExecutionTime, /:00Z$/);
    const idle = JSON.parse(await karmada.ok(['get', 'cronfederatedhpa', 'idle', '-o', 'json']));
    assert.equal(await replicasOf('idle'), 1);
    assert.deepEqual(idle.status?.executionHistories ?? [{ ruleName: 'every-minute' }], [{ ruleName: 'every-minute' }]);
  });
});
