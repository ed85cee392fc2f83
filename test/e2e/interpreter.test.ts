// The resource interpreter as a user meets it: a ResourceInterpreterCustomization applied with
// kubectl changes how a custom workload's replicas are divided, deleting it changes it back, and a
// script that never ends is stopped and reported as an event, while the controllers keep working.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Playground } from '../../src/playground/playground.js';
import { parsePlaygroundConfig } from '../../src/playground/config.js';
import { eventually, Kubectl } from '../support/kubectl.js';

const config = parsePlaygroundConfig({
  members: ['member1', 'member2'].map((name) => ({ name, nodes: [{ count: 1, cpu: 8, memory: '16Gi' }] })),
});

let dataDir: string;
let kubeDir: string;
let pg: Playground;
let karmada: Kubectl;
let members: Kubectl;

const tryOn = (member: string, args: string[]) => members.run(['--context', member, ...args]);

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'interp-data-'));
  kubeDir = mkdtempSync(join(tmpdir(), 'interp-kube-'));
  pg = await Playground.start({ config, dataDir, kubeconfigDir: kubeDir, storage: 'memory', timing: { podStartupMs: 100 } });
  karmada = new Kubectl(readFileSync(pg.karmadaConfigPath, 'utf8'));
  members = new Kubectl(readFileSync(pg.membersConfigPath, 'utf8'));
});

after(async () => {
  await pg?.stop();
  karmada?.cleanup();
  members?.cleanup();
  for (const d of [dataDir, kubeDir]) if (d) rmSync(d, { recursive: true, force: true });
});

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

describe('resource interpreter customizations, live', () => {
  before(async () => {
    await karmada.ok(['apply', '-f', '-'], { stdin: workloadCRD });
    await karmada.ok(['wait', '--for=condition=Established', 'crd/workloads.workload.example.io', '--timeout=30s']);
    for (const m of ['member1', 'member2']) {
      await eventually(async () => (await tryOn(m, ['get', 'crd', 'workloads.workload.example.io'])).code === 0, `the CRD in ${m}`, 30_000);
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

    // the controllers are alive: fixing the script takes effect
    await karmada.ok(['apply', '-f', '-'], { stdin: customization('workload-replicas', getReplicas) });
    await eventually(async () => (await memberReplicas('loop')) === '3,3', 'the new replicas divided 3/3', 30_000);
  });
});
