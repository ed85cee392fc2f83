// HPAs in members (Karmada's hpaScaleTargetMarker + deploymentReplicasSyncer): an HPA propagated with
// its Divided Deployment marks the template retain-replicas; a member's HPA scales its copy from the
// load model, the control plane keeps the member's replicas, and the template follows their sum.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { startControllerManager, type ControllerManagerHandle } from '../../src/controllermanager/index.js';
import { startScheduler, type SchedulerHandle } from '../../src/scheduler/component/index.js';
import type { SimulatedMember } from '../../src/membersim/member.js';
import { startSimulatedMember, startTestbed, type Testbed } from '../support/karmada.js';
import { eventually } from '../support/kubectl.js';

const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec: {containers: [{name: shop, image: nginx, resources: {requests: {cpu: 50m, memory: 64Mi}}}]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: shop, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
  minReplicas: 1
  maxReplicas: 6
  metrics: [{type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}}]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: shop, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: shop}, {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: shop}]
  placement:
    clusterAffinity: {clusterNames: [m1, m2]}
    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted, weightPreference: {staticWeightList: [{targetCluster: {clusterNames: [m1]}, weight: 1}, {targetCluster: {clusterNames: [m2]}, weight: 1}]}}
`;

describe('HPAs in members', { timeout: 120_000 }, () => {
  let tb: Testbed;
  let cm: ControllerManagerHandle;
  let scheduler: SchedulerHandle;
  const sims = new Map<string, SimulatedMember>();
  const replicas = async (kubectl: { ok(a: string[]): Promise<string> }) => Number(await kubectl.ok(['get', 'deploy', 'shop', '-o', 'jsonpath={.spec.replicas}']).catch(() => 'NaN'));

  before(async () => {
    tb = await startTestbed({
      members: ['m1', 'm2'],
      startMember: async (name) => {
        const m = await startSimulatedMember(name, { timing: { hpaSyncMs: 300 } });
        sims.set(name, m.sim);
        return m;
      },
    });
    cm = await startControllerManager({ kubeconfig: tb.controlPlane.server.adminKubeconfig(), controllers: ['*', 'hpaScaleTargetMarker', 'deploymentReplicasSyncer'], logLevel: 'silent' });
    scheduler = await startScheduler({ client: cm.client, registry: new Registry() });
    await tb.kubectl.ok(['apply', '-f', '-'], { stdin: manifests });
  });
  after(async () => {
    await scheduler?.stop();
    await cm?.stop();
    await tb?.stop();
  });

  test('the propagated HPA marks its target retain-replicas', async () => {
    await eventually(async () => (await tb.kubectl.ok(['get', 'deploy', 'shop', '-o', "jsonpath={.metadata.labels['resourcetemplate\\.karmada\\.io/retain-replicas']}"])) === 'true', 'the retain-replicas label', 30_000, 200);
    await eventually(async () => (await replicas(tb.member('m1').kubectl)) === 1 && (await replicas(tb.member('m2').kubectl)) === 1, 'one replica in each member', 30_000, 200);
  });

  test("a member's HPA scales its copy; the control plane keeps it and the template follows the sum", async () => {
    await eventually(async () => (await sims.get('m1')!.metrics!.pods('default')).some((p) => p.metadata.labels?.app === 'shop'), 'shop running in m1', 30_000, 200);
    await sims.get('m1')!.setLoad('default', 'shop', { cpu: '10m', memory: '300Mi' });
    await eventually(async () => (await replicas(tb.member('m1').kubectl)) === 3, "m1's HPA scaled its copy to 3 (300Mi against 100Mi per pod)", 30_000, 200);
    await eventually(async () => (await replicas(tb.kubectl)) === 4, 'the template follows the members: 3 + 1', 30_000, 200);
    // the template's new count is divided again, but the members keep what their HPAs set
    assert.equal(await replicas(tb.member('m1').kubectl), 3);
    assert.equal(await replicas(tb.member('m2').kubectl), 1);
  });
});
