import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../apimachinery/types.js';
import { asCustomization, checkCustomizations, executeBuiltinRule, executeRule, findRule, formatResults } from './interpret.js';

const customization = {
  apiVersion: 'config.karmada.io/v1alpha1',
  kind: 'ResourceInterpreterCustomization',
  metadata: { name: 'workload' },
  spec: {
    target: { apiVersion: 'example.io/v1', kind: 'Workload' },
    customizations: {
      replicaResource: { luaScript: 'function GetReplicas(obj)\n  return obj.spec.replicas, {resourceRequest = {cpu = "100m"}}\nend' },
      healthInterpretation: { luaScript: 'function InterpretHealth(obj)\n  return obj.status.ready == obj.spec.replicas\nend' },
      retention: { luaScript: 'function Retain(desired, observed)\n  desired.spec.paused = observed.spec.paused\n  return desired\nend' },
      statusReflection: { luaScript: 'function ReflectStatus(obj' },
    },
  },
} as unknown as KubeObject;
const workload = { apiVersion: 'example.io/v1', kind: 'Workload', metadata: { name: 'w' }, spec: { replicas: 3, paused: false }, status: { ready: 3 } } as unknown as KubeObject;

describe('interpret --check', () => {
  test('PASS, ERROR with the Lua message, UNSET; failed when any rule errs', async () => {
    const r = await checkCustomizations([{ source: 'f.yaml', obj: customization }]);
    assert.equal(r.failed, true);
    const lines = r.text.split('\n');
    assert.equal(lines[1], 'SOURCE: workload');
    assert.equal(lines[2], 'TARGET: example.io/v1 Workload');
    assert.match(r.text, /Retain:\s+PASS/);
    assert.match(r.text, /InterpretReplica:\s+PASS/);
    assert.match(r.text, /InterpretStatus:\s+ERROR: .+/);
    assert.match(r.text, /ReviseReplica:\s+UNSET/);
  });
  test('a file that is not a customization says what it is', async () => {
    const r = await checkCustomizations([{ source: 'x', obj: workload }]);
    assert.equal(r.failed, true);
    assert.match(r.text, /not a ResourceInterpreterCustomization, got example.io\/v1, Kind=Workload/);
  });
});

describe('interpret --operation', () => {
  const ric = asCustomization(customization);
  test('InterpretReplica prints replica and requires', async () => {
    const out = formatResults(await executeRule(ric, 'InterpretReplica', { desired: workload }));
    assert.equal(out, '---\n# [1/2] replica:\n3\n---\n# [2/2] requires:\nresourceRequest:\n  cpu: 100m\n');
  });
  test('operation names are case-insensitive; health is a boolean', async () => {
    assert.deepEqual(await executeRule(ric, 'interprethealth', { observed: workload }), [{ name: 'healthy', value: true }]);
  });
  test('Retain needs both objects', async () => {
    await assert.rejects(executeRule(ric, 'Retain', { desired: workload }), /observed, observed-file options are not set/);
    const [r] = await executeRule(ric, 'Retain', { desired: workload, observed: { ...workload, spec: { replicas: 1, paused: true } } as KubeObject });
    assert.equal((r!.value as { spec: { paused: boolean } }).spec.paused, true);
  });
  test('one object only for single-object rules', async () => {
    await assert.rejects(executeRule(ric, 'InterpretReplica', { desired: workload, observed: workload }), /you can not specify both desired-file and observed-file options/);
    await assert.rejects(executeRule(ric, 'InterpretReplica', {}), /desired-file, observed-file options are not set/);
  });
  test('a rule the customization lacks is not enabled', async () => {
    await assert.rejects(executeRule(ric, 'InterpretDependency', { desired: workload }), /rule is not enabled/);
  });
  test('unknown operations list the known ones', () => {
    assert.throws(() => findRule('Explode'), /operation Explode is not supported. Use one of: Retain, InterpretReplica, InterpretComponent/);
  });
});

describe('interpret --operation without -f: the built-in interpretation', () => {
  const template = { spec: { containers: [{ name: 'nginx', image: 'nginx', resources: { requests: { cpu: '250m' } } }] } };
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default', generation: 1 }, spec: { replicas: 3, template } } as unknown as KubeObject;
  const cloneSet = {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'CloneSet',
    metadata: { name: 'sample', namespace: 'default', generation: 2 },
    spec: { replicas: 2, template },
    status: { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2 },
  } as unknown as KubeObject;

  test('a native kind: replicas and requirements of a Deployment', async () => {
    const [replica, requires] = await executeBuiltinRule('InterpretReplica', { desired: deployment });
    assert.deepEqual(replica, { name: 'replica', value: 3 });
    assert.deepEqual((requires!.value as { resourceRequest: unknown }).resourceRequest, { cpu: '250m' });
  });
  test('a third-party kind: a CloneSet whose controller has not seen its generation is unhealthy', async () => {
    assert.deepEqual(await executeBuiltinRule('InterpretHealth', { observed: cloneSet }), [{ name: 'healthy', value: false }]);
  });
  test('a kind nothing knows has no replica rule', async () => {
    await assert.rejects(executeBuiltinRule('InterpretReplica', { desired: workload }), /rule is not enabled/);
  });
});

describe('interpret --operation InterpretComponent', () => {
  test('runs componentResource', async () => {
    const ric = asCustomization({
      ...customization,
      spec: { target: { apiVersion: 'example.io/v1', kind: 'Workload' }, customizations: { componentResource: { luaScript: 'function GetComponents(obj)\n  return {{name = "main", replicas = obj.spec.replicas}}\nend' } } },
    } as unknown as KubeObject);
    assert.deepEqual(await executeRule(ric, 'InterpretComponent', { desired: workload }), [{ name: 'components', value: [{ name: 'main', replicas: 3 }] }]);
  });
});
