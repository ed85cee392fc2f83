// A controller manager (and scheduler) stopped and started again over a store that moved meanwhile,
// as Karmada's cold start: a template changed while it was down is rendered and applied again, a
// member object edited meanwhile (drift) is put back, and what did not change is not written again
// (a binding whose template only had its status written keeps its generation).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { startControllerManager, type ControllerManagerHandle } from '../../src/controllermanager/index.js';
import { startScheduler, type SchedulerHandle } from '../../src/scheduler/component/index.js';
import { startSimulatedMember, startTestbed, type Testbed } from '../support/karmada.js';
import { eventually } from '../support/kubectl.js';

const deployment = (name: string, image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default, labels: {app: ${name}}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: ${image}}]}
`;

const policy = `
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: apps, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchExpressions: [{key: app, operator: Exists}]}}]
  placement: {clusterAffinity: {clusterNames: [m1, m2]}}
`;

describe('a controller manager restarted over changes made while it was down', { timeout: 120_000 }, () => {
  let tb: Testbed;
  let cm: ControllerManagerHandle | undefined;
  let scheduler: SchedulerHandle | undefined;
  const start = async () => {
    cm = await startControllerManager({ kubeconfig: tb.controlPlane.server.adminKubeconfig(), controllers: ['*'], logLevel: 'silent' });
    scheduler = await startScheduler({ client: cm.client, registry: new Registry() });
  };
  const stop = async () => {
    await scheduler?.stop();
    await cm?.stop();
    scheduler = undefined;
    cm = undefined;
  };
  const image = (kubectl: { run(a: string[]): Promise<{ code: number; stdout: string }> }, name: string) =>
    kubectl.run(['get', 'deploy', name, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']).then((r) => (r.code === 0 ? r.stdout.trim() : ''));
  const binding = async (name: string) => JSON.parse(await tb.kubectl.ok(['get', 'resourcebinding', `${name}-deployment`, '-o', 'json']));

  before(async () => {
    tb = await startTestbed({ members: ['m1', 'm2'], startMember: (name) => startSimulatedMember(name) });
    await start();
    await tb.kubectl.ok(['apply', '-f', '-'], { stdin: [deployment('web', 'nginx:1.0'), deployment('calm', 'nginx:1.0'), policy].join('\n---\n') });
  });
  after(async () => {
    await stop();
    await tb?.stop();
  });

  test('the changed template reaches the members, the drift is undone, the unchanged binding is not written', async () => {
    const m1 = tb.member('m1').kubectl;
    const m2 = tb.member('m2').kubectl;
    for (const m of [m1, m2]) for (const name of ['web', 'calm']) await eventually(async () => (await image(m, name)) === 'nginx:1.0', `${name} in a member`, 30_000, 200);
    // the members' status reaches the templates (a status write: the template's resourceVersion moves past the binding's)
    await eventually(async () => (await tb.kubectl.ok(['get', 'deploy', 'calm', '-o', 'jsonpath={.status.readyReplicas}'])) === '2', 'calm ready in both members, in its status', 30_000, 200);
    await eventually(async () => !cm!.manager.busy(), 'the controller manager idle', 30_000, 100);
    const calm = await binding('calm');
    const template = JSON.parse(await tb.kubectl.ok(['get', 'deploy', 'calm', '-o', 'json']));
    assert.notEqual(calm.spec.resource.resourceVersion, template.metadata.resourceVersion, 'the template moved on by its status alone');

    await stop();
    await tb.kubectl.ok(['set', 'image', 'deployment/web', 'app=nginx:2.0']);
    await m2.ok(['set', 'image', 'deployment/calm', 'app=tampered']);
    await start();

    for (const m of [m1, m2]) await eventually(async () => (await image(m, 'web')) === 'nginx:2.0', 'the template changed while down, in every member', 30_000, 200);
    await eventually(async () => (await image(m2, 'calm')) === 'nginx:1.0', 'the member-side edit made while down undone', 30_000, 200);
    // the restart's backlog is done once every queue is empty; the unchanged binding was not written
    await eventually(async () => !cm!.manager.busy(), 'the restarted controller manager idle', 30_000, 100);
    const after = await binding('calm');
    assert.equal(after.metadata.generation, calm.metadata.generation);
    assert.equal(after.spec.resource.resourceVersion, calm.spec.resource.resourceVersion);
  });
});
