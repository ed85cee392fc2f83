// Multiple pod templates (issue 12 point 6) on a live control plane: with the gate
// MultiplePodTemplatesScheduling on, the detector fills a PyTorchJob's ResourceBinding with one
// component per replica type from the built-in third-party componentResource, and records
// GetComponentsSucceed on the job, as Karmada v1.19's detector does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startControllerManager, type ControllerManagerHandle } from '../../src/controllermanager/index.js';
import { startTestbed, type Testbed } from '../support/karmada.js';
import { eventually } from '../support/kubectl.js';

const manifests = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: pytorchjobs.kubeflow.org}
spec:
  group: kubeflow.org
  scope: Namespaced
  names: {plural: pytorchjobs, singular: pytorchjob, kind: PyTorchJob}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: training, namespace: default}
spec:
  resourceSelectors:
  - {apiVersion: kubeflow.org/v1, kind: PyTorchJob}
  placement:
    spreadConstraints:
    - {spreadByField: cluster, minGroups: 1, maxGroups: 1}
`;

const job = `apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: mnist, namespace: default}
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template: {spec: {containers: [{name: pytorch, image: pytorch, resources: {requests: {cpu: "1"}}}]}}
    Worker:
      replicas: 3
      template: {spec: {containers: [{name: pytorch, image: pytorch, resources: {requests: {cpu: "2"}}}]}}
`;

describe('multiple pod templates: the detector fills spec.components (gate MultiplePodTemplatesScheduling)', () => {
  let tb: Testbed;
  let cm: ControllerManagerHandle;

  before(async () => {
    tb = await startTestbed({ members: ['member1'] });
    cm = await startControllerManager({ kubeconfig: tb.controlPlane.server.adminKubeconfig(), controllers: ['detector'], featureGates: 'MultiplePodTemplatesScheduling=true', logLevel: 'silent' });
  });

  after(async () => {
    await cm?.stop();
    await tb?.stop();
  });

  test('a PyTorchJob gets one component per replica type and a GetComponentsSucceed event', async () => {
    await tb.kubectl.ok(['apply', '-f', '-'], { stdin: manifests });
    await eventually(async () => (await tb.kubectl.run(['get', 'pytorchjobs'])).code === 0, 'the PyTorchJob kind to be served');
    await tb.kubectl.ok(['apply', '-f', '-'], { stdin: job });
    const spec = await eventually(async () => {
      const r = await tb.kubectl.run(['get', 'resourcebinding', 'mnist-pytorchjob', '-n', 'default', '-o', 'jsonpath={.spec}']);
      return r.code === 0 && r.stdout.includes('components') ? JSON.parse(r.stdout) : undefined;
    }, 'the binding with components', 20_000);
    assert.deepEqual(spec.components, [
      { name: 'master', replicas: 1, replicaRequirements: { resourceRequest: { cpu: '1' } } },
      { name: 'worker', replicas: 3, replicaRequirements: { resourceRequest: { cpu: '2' } } },
    ]);
    assert.equal(spec.replicas, undefined, 'components replace spec.replicas');
    const events = await eventually(async () => {
      const out = await tb.kubectl.ok(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.name=mnist', '-o', 'custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message', '--no-headers']);
      return out.includes('GetComponentsSucceed') ? out : '';
    }, 'the GetComponentsSucceed event');
    assert.match(events, /Normal\s+GetComponentsSucceed\s+Get components of resource template successfully\./);
  });
});
