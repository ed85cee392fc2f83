// The resource interpreter as a user meets it: an OpenKruise CloneSet is divided and its status
// summed by the built-in third-party rules; a ResourceInterpreterCustomization applied with kubectl
// changes how a custom workload's replicas are divided, deleting it changes it back, and a script
// that never ends is stopped and reported as an event and the binding's Interpreted condition, while the controllers keep working; an
// interpreter webhook (HTTPS, its own CA) does the same as a customization, and a failing one keeps the last answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlaygroundConfig } from '../../src/playground/config.js';
import { eventually, type Kubectl } from '../support/kubectl.js';
import { startPlayground, type PlaygroundEnv } from '../support/playground.js';
import { startExampleWebhook, type ExampleWebhook } from '../support/interpreter-webhook.js';

const config = parsePlaygroundConfig({
  members: ['member1', 'member2'].map((name) => ({ name, nodes: [{ count: 1, cpu: 8, memory: '16Gi' }] })),
});

let karmada: Kubectl;
let members: Kubectl;

const tryOn = (member: string, args: string[]) => members.run(['--context', member, ...args]);

let env: PlaygroundEnv | undefined;
before(async () => {
  env = await startPlayground('interp', { config, storage: 'memory', timing: { podStartupMs: 100 } });
  ({ karmada, members } = env);
});

after(() => env?.stop());

// Karmada's examples/customresourceinterpreter Workload, trimmed
const workloadCRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: workloads.workload.example.io}
spec:
  group: workload.example.io
  scope: Namespaced
  names: {plural: workloads, singular: workload, kind: Workload}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: workload-crd}
spec:
  resourceSelectors:
  - {apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, name: workloads.workload.example.io}
  placement: {clusterAffinity: {clusterNames: [member1, member2]}}
`;

const workload = (name: string) => `apiVersion: workload.example.io/v1alpha1
kind: Workload
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 4
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: ${name}, namespace: default}
spec:
  resourceSelectors: [{apiVersion: workload.example.io/v1alpha1, kind: Workload, name: ${name}}]
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [member1]}, weight: 1}
        - {targetCluster: {clusterNames: [member2]}, weight: 1}
`;

const customization = (name: string, getReplicas: string) => `apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterCustomization
metadata: {name: ${name}}
spec:
  target: {apiVersion: workload.example.io/v1alpha1, kind: Workload}
  customizations:
    replicaResource:
      luaScript: |
${getReplicas.replace(/^/gm, '        ')}
    replicaRevision:
      luaScript: |
        function ReviseReplica(obj, desiredReplica)
          obj.spec.replicas = desiredReplica
          return obj
        end
`;

const getReplicas = `local kube = require("kube")
function GetReplicas(obj)
  return obj.spec.replicas, kube.accuratePodRequirements(obj.spec.template)
end`;

const endless = `function GetReplicas(obj)
  while true do end
end`;

async function memberReplicas(name: string): Promise<string> {
  const out: string[] = [];
  for (const m of ['member1', 'member2']) {
    const r = await tryOn(m, ['get', 'workload', name, '-n', 'default', '-o', 'jsonpath={.spec.replicas}']);
    out.push(r.code === 0 ? r.stdout : '-');
  }
  return out.join(',');
}

// OpenKruise's CloneSet, trimmed to what the test needs (the status subresource, as Kruise's CRD has)
const cloneSetCRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: clonesets.apps.kruise.io}
spec:
  group: apps.kruise.io
  scope: Namespaced
  names: {plural: clonesets, singular: cloneset, kind: CloneSet, shortNames: [clone]}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: cloneset-crd}
spec:
  resourceSelectors:
  - {apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, name: clonesets.apps.kruise.io}
  placement: {clusterAffinity: {clusterNames: [member1, member2]}}
`;

const cloneSet = `apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: sample, namespace: default}
spec:
  replicas: 6
  selector: {matchLabels: {app: sample}}
  template:
    metadata: {labels: {app: sample}}
    spec:
      containers: [{name: nginx, image: nginx:alpine, resources: {requests: {cpu: 200m}}}]
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: sample, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, name: sample}]
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [member1]}, weight: 2}
        - {targetCluster: {clusterNames: [member2]}, weight: 1}
`;

describe('third-party kinds, built in', () => {
  test('an OpenKruise CloneSet is divided and its status aggregated with no customization applied', async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: cloneSetCRD });
    await karmada.ok(['wait', '--for=condition=Established', 'crd/clonesets.apps.kruise.io', '--timeout=30s']);
    for (const m of ['member1', 'member2']) {
      await eventually(async () => (await tryOn(m, ['get', 'crd', 'clonesets.apps.kruise.io'])).code === 0, `the CRD in ${m}`, 30_000);
      // the scheduler places the kind only on clusters whose status lists its API
      await eventually(async () => (await karmada.ok(['get', 'cluster', m, '-o', 'jsonpath={.status.apiEnablements[?(@.groupVersion=="apps.kruise.io/v1alpha1")].resources[*].kind}'])).includes('CloneSet'), `CloneSet in ${m}'s apiEnablements`, 60_000);
    }
    await karmada.ok(['apply', '-f', '-'], { stdin: cloneSet });
    const spread = async () => {
      const out: string[] = [];
      for (const m of ['member1', 'member2']) {
        const r = await tryOn(m, ['get', 'cloneset', 'sample', '-n', 'default', '-o', 'jsonpath={.spec.replicas}']);
        out.push(r.code === 0 ? r.stdout : '-');
      }
      return out.join(',');
    };
    await eventually(async () => (await spread()) === '4,2', 'the CloneSet divided 4/2 by weight', 30_000);

    // Kruise's controller in each member reports the CloneSet's status; here we play it
    for (const [m, n] of [['member1', 4], ['member2', 2]] as const) {
      const generation = Number((await tryOn(m, ['get', 'cloneset', 'sample', '-n', 'default', '-o', 'jsonpath={.metadata.generation}'])).stdout);
      const status = { replicas: n, readyReplicas: n, availableReplicas: n, updatedReplicas: n, updatedReadyReplicas: n, expectedUpdatedReplicas: n, observedGeneration: generation, updateRevision: 'sample-1', currentRevision: 'sample-1', labelSelector: 'app=sample' };
      await members.ok(['--context', m, 'patch', 'cloneset', 'sample', '-n', 'default', '--subresource', 'status', '--type', 'merge', '-p', JSON.stringify({ status })]);
    }
    const status = await eventually(async () => {
      const s = JSON.parse(await karmada.ok(['get', 'cloneset', 'sample', '-n', 'default', '-o', 'jsonpath={.status}']) || '{}');
      return s.readyReplicas === 6 ? s : undefined;
    }, 'the CloneSet status summed on the control plane', 30_000);
    assert.equal(status.replicas, 6);
    assert.equal(status.updatedReplicas, 6);
    assert.equal(status.updateRevision, 'sample-1');
    assert.equal(status.labelSelector, 'app=sample');
    const rb = JSON.parse(await karmada.ok(['get', 'rb', '-n', 'default', '-o', 'json'])).items.find((b: { spec: { resource: { name: string; kind: string } } }) => b.spec.resource.kind === 'CloneSet');
    assert.equal(rb.spec.replicaRequirements?.resourceRequest?.cpu, '200m');
    const health = await eventually(async () => {
      const items = JSON.parse(await karmada.ok(['get', 'rb', rb.metadata.name, '-n', 'default', '-o', 'json'])).status?.aggregatedStatus as { health?: string }[] | undefined;
      return items?.length === 2 && items.every((i) => i.health === 'Healthy') ? items : undefined;
    }, 'both members Healthy by the CloneSet health rule', 30_000);
    assert.equal(health?.length, 2);
  });
});

describe('resource interpreter customizations, live', () => {
  before(async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: workloadCRD });
    await karmada.ok(['wait', '--for=condition=Established', 'crd/workloads.workload.example.io', '--timeout=30s']);
    for (const m of ['member1', 'member2']) {
      await eventually(async () => (await tryOn(m, ['get', 'crd', 'workloads.workload.example.io'])).code === 0, `the CRD in ${m}`, 30_000);
      await eventually(async () => (await karmada.ok(['get', 'cluster', m, '-o', 'jsonpath={.status.apiEnablements[?(@.groupVersion=="workload.example.io/v1alpha1")].resources[*].kind}'])).includes('Workload'), `Workload in ${m}'s apiEnablements`, 60_000);
    }
  });

  test('a customization divides a custom workload\'s replicas; deleting it changes it back', async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: workload('web') });
    // without a customization Karmada knows no replicas for the kind: each member gets the template as is
    await eventually(async () => (await memberReplicas('web')) === '4,4', 'the whole Workload in each member', 30_000);

    await karmada.ok(['apply', '-f', '-'], { stdin: customization('workload-replicas', getReplicas) });
    await eventually(async () => (await memberReplicas('web')) === '2,2', 'the replicas divided 2/2', 30_000);
    const rb = JSON.parse(await karmada.ok(['get', 'rb', '-n', 'default', '-o', 'json'])).items.find((b: { spec: { resource: { name: string } } }) => b.spec.resource.name === 'web');
    assert.equal(rb.spec.replicas, 4);
    assert.equal(rb.spec.replicaRequirements?.resourceRequest?.cpu, '100m');
    await eventually(async () => (await karmada.ok(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.name=web,reason=GetReplicasSucceed', '-o', 'name'])) !== '', 'GetReplicasSucceed on the Workload', 15_000);

    await karmada.ok(['delete', 'resourceinterpretercustomization', 'workload-replicas']);
    await eventually(async () => (await memberReplicas('web')) === '4,4', 'the whole Workload in each member again', 30_000);
  });

  test('a script that never ends is stopped and reported; the previous interpretation stays', async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: customization('workload-replicas', getReplicas) });
    await karmada.ok(['apply', '-f', '-'], { stdin: workload('loop') });
    await eventually(async () => (await memberReplicas('loop')) === '2,2', 'the replicas divided 2/2', 30_000);

    await karmada.ok(['apply', '-f', '-'], { stdin: customization('workload-replicas', endless) });
    await karmada.ok(['patch', 'workload', 'loop', '-n', 'default', '--type', 'merge', '-p', '{"spec":{"replicas":6}}']);
    const event = await eventually(async () => {
      const list = JSON.parse(await karmada.ok(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.name=loop,reason=GetReplicasFailed', '-o', 'json'])).items as { message: string; type: string }[];
      return list[0];
    }, 'GetReplicasFailed on the Workload', 30_000);
    assert.equal(event.type, 'Warning');
    assert.match(event.message, /Get replicas of object\(Workload\/default\/loop\) failed, err: .*(timed out|instruction budget)/);
    const rb = JSON.parse(await karmada.ok(['get', 'rb', '-n', 'default', '-o', 'json'])).items.find((b: { spec: { resource: { name: string } } }) => b.spec.resource.name === 'loop');
    assert.equal(rb.spec.replicas, 4, 'the binding keeps the replicas of the last interpretation that worked');
    assert.equal(await memberReplicas('loop'), '2,2');
    const interpreted = await eventually(async () => {
      const b = JSON.parse(await karmada.ok(['get', 'rb', rb.metadata.name, '-n', 'default', '-o', 'json']));
      return (b.status?.conditions as { type: string; status: string; reason: string; message: string }[] | undefined)?.find((c) => c.type === 'Interpreted' && c.status === 'False');
    }, 'the binding\'s Interpreted condition False', 30_000);
    assert.equal(interpreted?.reason, 'GetReplicasFailed');
    assert.match(interpreted?.message ?? '', /(timed out|instruction budget).*the binding keeps the last interpretation that worked/);

    // the controllers are alive: fixing the script takes effect
    await karmada.ok(['apply', '-f', '-'], { stdin: customization('workload-replicas', getReplicas) });
    await eventually(async () => (await memberReplicas('loop')) === '3,3', 'the new replicas divided 3/3', 30_000);
    const healed = JSON.parse(await karmada.ok(['get', 'rb', rb.metadata.name, '-n', 'default', '-o', 'json'])).status.conditions.find((c: { type: string }) => c.type === 'Interpreted');
    assert.equal(healed.status, 'True');
    assert.equal(healed.reason, 'InterpretationSucceeded');
  });
});

const webhookConfiguration = (hook: ExampleWebhook) => `apiVersion: config.karmada.io/v1alpha1
kind: ResourceInterpreterWebhookConfiguration
metadata: {name: examples}
webhooks:
- name: workloads.example.com
  clientConfig:
    url: ${hook.url}
    caBundle: ${hook.caBundle}
  rules:
  - operations: [InterpretReplica, ReviseReplica]
    apiGroups: [workload.example.io]
    apiVersions: [v1alpha1]
    kinds: [Workload]
  timeoutSeconds: 3
  interpreterContextVersions: [v1alpha1]
`;

describe('resource interpreter webhooks, live', () => {
  let hook: ExampleWebhook;
  before(async () => {
    hook = await startExampleWebhook();
    // a customization would answer before the webhook
    await karmada.ok(['delete', 'resourceinterpretercustomization', '--all']);
  });
  after(() => hook?.stop());

  test('a webhook divides a custom workload\'s replicas; a failing one keeps the last answer; deleting the configuration changes it back', async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: workload('hooked') });
    await eventually(async () => (await memberReplicas('hooked')) === '4,4', 'the whole Workload in each member', 30_000);

    await karmada.ok(['apply', '-f', '-'], { stdin: webhookConfiguration(hook) });
    await eventually(async () => (await memberReplicas('hooked')) === '2,2', 'the replicas divided 2/2 by the webhook\'s answer', 30_000);
    const asked = hook.requests.filter((r) => r.object?.metadata?.name === 'hooked');
    assert.ok(asked.some((r) => r.operation === 'InterpretReplica'), 'the webhook was asked InterpretReplica');
    assert.ok(asked.some((r) => r.operation === 'ReviseReplica' && r.desiredReplicas === 2), 'the webhook revised each member\'s copy to 2');
    const rb = JSON.parse(await karmada.ok(['get', 'rb', '-n', 'default', '-o', 'json'])).items.find((b: { spec: { resource: { name: string } } }) => b.spec.resource.name === 'hooked');
    assert.equal(rb.spec.replicas, 4);
    assert.equal(rb.spec.replicaRequirements?.resourceRequest?.cpu, '100m');

    // the webhook fails: the interpretation fails with an event, and the binding keeps the last answer
    hook.failWith = 'the example webhook is down for maintenance';
    await karmada.ok(['patch', 'workload', 'hooked', '-n', 'default', '--type', 'merge', '-p', '{"spec":{"replicas":6}}']);
    const event = await eventually(async () => {
      const list = JSON.parse(await karmada.ok(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.name=hooked,reason=GetReplicasFailed', '-o', 'json'])).items as { message: string; type: string }[];
      return list[0];
    }, 'GetReplicasFailed on the Workload', 30_000);
    assert.equal(event.type, 'Warning');
    assert.match(event.message, /failed calling webhook "examples\/workloads.example.com".*down for maintenance/);
    const kept = JSON.parse(await karmada.ok(['get', 'rb', rb.metadata.name, '-n', 'default', '-o', 'json']));
    assert.equal(kept.spec.replicas, 4, 'the binding keeps the replicas of the last answer');
    await eventually(async () => {
      const b = JSON.parse(await karmada.ok(['get', 'rb', rb.metadata.name, '-n', 'default', '-o', 'json']));
      const c = (b.status?.conditions as { type: string; status: string; message: string }[] | undefined)?.find((x) => x.type === 'Interpreted');
      return c?.status === 'False' && /down for maintenance/.test(c.message);
    }, 'the binding\'s Interpreted condition False, naming the webhook\'s answer', 30_000);
    hook.failWith = undefined;
    await eventually(async () => (await memberReplicas('hooked')) === '3,3', 'the webhook back: 6 divided 3/3', 60_000);

    await karmada.ok(['delete', 'resourceinterpreterwebhookconfiguration', 'examples']);
    await eventually(async () => (await memberReplicas('hooked')) === '6,6', 'the whole Workload in each member again', 30_000);
  });
});
