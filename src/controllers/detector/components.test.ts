// The detector's component interpretation (gate MultiplePodTemplatesScheduling): the binding's
// spec.components from a componentResource rule, with GetComponents events on the template.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { PropagationPolicy } from '../../apis/karmada/policy.js';
import { createDefaultInterpreter, type DefaultInterpreter } from '../../interpreter/default.js';
import { createThirdPartyLayer } from '../../interpreter/thirdparty/index.js';
import { LuaCustomizationLayer } from '../../interpreter/lua/customization.js';
import { buildBinding, interpretComponents, mergeBinding } from './match.js';

const podTemplate = { spec: { containers: [{ name: 'c', image: 'pytorch', resources: { requests: { cpu: '1', memory: '2Gi' } } }] } };
const pytorchJob: KubeObject = {
  apiVersion: 'kubeflow.org/v1',
  kind: 'PyTorchJob',
  metadata: { name: 'train', namespace: 'default', uid: 'u1', resourceVersion: '3' },
  spec: { pytorchReplicaSpecs: { Master: { template: podTemplate }, Worker: { replicas: 4, template: podTemplate } } },
};
const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2 } };
const policy: PropagationPolicy = {
  kind: 'PropagationPolicy',
  metadata: { name: 'pp', namespace: 'default', labels: { 'propagationpolicy.karmada.io/permanent-id': 'id-pp' } },
  spec: { resourceSelectors: [{ apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob' }], placement: { spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }] } },
};

type Recorded = [string, string, string, string];
const recorder = (out: Recorded[]) => (t: KubeObject, type: string, reason: string, message: string) => void out.push([t.metadata.name ?? '', type, reason, message]);

describe('interpretComponents (MultiplePodTemplatesScheduling)', () => {
  let thirdparty: LuaCustomizationLayer;
  let custom: LuaCustomizationLayer;
  let interpreter: DefaultInterpreter;
  before(async () => {
    thirdparty = await createThirdPartyLayer();
    custom = await LuaCustomizationLayer.create({ timeoutSeconds: 1 });
    interpreter = createDefaultInterpreter({ thirdparty, customization: custom });
  });
  after(() => {
    thirdparty.close();
    custom.close();
  });

  test('a built-in componentResource: one component per replica type, a Normal GetComponentsSucceed', () => {
    const events: Recorded[] = [];
    const got = interpretComponents(interpreter, pytorchJob, recorder(events));
    const requirements = { resourceRequest: { cpu: '1', memory: '2Gi' } };
    assert.deepEqual(got, [
      { name: 'master', replicas: 1, replicaRequirements: requirements },
      { name: 'worker', replicas: 4, replicaRequirements: requirements },
    ]);
    assert.deepEqual(events, [['train', 'Normal', 'GetComponentsSucceed', 'Get components of resource template successfully.']]);
  });

  test('a kind without a componentResource rule: undefined (GetReplicas is used) and no event', () => {
    const events: Recorded[] = [];
    assert.equal(interpretComponents(interpreter, deployment, recorder(events)), undefined);
    assert.deepEqual(events, []);
  });

  test('a failing rule: a Warning GetComponentsFailed with the error, and the error is thrown', () => {
    const target = { apiVersion: 'example.io/v1', kind: 'Flink' };
    assert.deepEqual(custom.load([{ apiVersion: 'config.karmada.io/v1alpha1', kind: 'ResourceInterpreterCustomization', metadata: { name: 'flink' }, spec: { target, customizations: { componentResource: { luaScript: 'function GetComponents(o) error("no jobManager") end' } } } }]), []);
    const events: Recorded[] = [];
    const flink: KubeObject = { ...target, metadata: { name: 'f', namespace: 'default' }, spec: {} };
    assert.throws(() => interpretComponents(interpreter, flink, recorder(events)), /no jobManager/);
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].slice(0, 3), ['f', 'Warning', 'GetComponentsFailed']);
    assert.match(events[0][3], /no jobManager/);
  });

  test('the binding carries the components and neither replicas nor replicaRequirements', () => {
    const components = interpretComponents(interpreter, pytorchJob, () => {});
    const rb = buildBinding(pytorchJob, policy, { components });
    assert.deepEqual(rb.spec.components?.map((c) => [c.name, c.replicas]), [['master', 1], ['worker', 4]]);
    assert.equal(rb.spec.replicas, undefined);
    assert.equal(rb.spec.replicaRequirements, undefined);
  });

  test('the gate turned off afterwards: the next update drops the components and takes replicas', () => {
    const withComponents = buildBinding(pytorchJob, policy, { components: interpretComponents(interpreter, pytorchJob, () => {}) });
    const merged = mergeBinding(withComponents, buildBinding(pytorchJob, policy, { replicas: 5 }), policy);
    assert.equal(merged.spec.components, undefined);
    assert.equal(merged.spec.replicas, 5);
  });
});
