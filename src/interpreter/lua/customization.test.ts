import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { createDefaultInterpreter } from '../default.js';
import { gvkOf, InterpreterError, InterpreterOperation } from '../types.js';
import { LuaCustomizationLayer, convertLuaResult, type ResourceInterpreterCustomization } from './customization.js';

// Scripts in the style of Karmada's "Resource Interpreter" customization examples.
const scripts = {
  retention: `
function Retain(desiredObj, observedObj)
  desiredObj.spec.paused = observedObj.spec.paused
  return desiredObj
end`,
  replicaResource: `
local kube = require("kube")
function GetReplicas(obj)
  replica = obj.spec.replicas
  requirement = kube.accuratePodRequirements(obj.spec.template)
  return replica, requirement
end`,
  replicaRevision: `
function ReviseReplica(obj, desiredReplica)
  obj.spec.replicas = desiredReplica
  return obj
end`,
  statusReflection: `
function ReflectStatus(observedObj)
  status = {}
  status.readyReplicas = observedObj.status.readyReplicas
  status.replicas = observedObj.status.replicas
  return status
end`,
  statusAggregation: `
function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then
    return desiredObj
  end
  if desiredObj.status == nil then
    desiredObj.status = {}
  end
  replicas = 0
  for i = 1, #statusItems do
    if statusItems[i].status ~= nil and statusItems[i].status.replicas ~= nil then
      replicas = replicas + statusItems[i].status.replicas
    end
  end
  desiredObj.status.replicas = replicas
  desiredObj.status.conditions = {}
  return desiredObj
end`,
  healthInterpretation: `
function InterpretHealth(observedObj)
  return observedObj.status.readyReplicas == observedObj.spec.replicas
end`,
  dependencyInterpretation: `
function GetDependencies(desiredObj)
  dependentSas = {}
  refs = {}
  if desiredObj.spec.template.spec.serviceAccountName ~= '' and desiredObj.spec.template.spec.serviceAccountName ~= 'default' then
    dependentSas[desiredObj.spec.template.spec.serviceAccountName] = true
  end
  local idx = 1
  for key, value in pairs(dependentSas) do
    dependObj = {}
    dependObj.apiVersion = 'v1'
    dependObj.kind = 'ServiceAccount'
    dependObj.name = key
    dependObj.namespace = desiredObj.metadata.namespace
    refs[idx] = dependObj
    idx = idx + 1
  end
  return refs
end`,
};

const target = { apiVersion: 'workload.example.io/v1alpha1', kind: 'Workload' };

function ric(name: string, customizations: ResourceInterpreterCustomization['spec']['customizations'], t = target): ResourceInterpreterCustomization {
  return { apiVersion: 'config.karmada.io/v1alpha1', kind: 'ResourceInterpreterCustomization', metadata: { name }, spec: { target: t, customizations } };
}

function workload(extra: Record<string, unknown> = {}): KubeObject {
  return {
    ...target,
    metadata: { name: 'w', namespace: 'ns', generation: 1 },
    spec: {
      replicas: 3,
      paused: false,
      template: {
        metadata: { labels: { app: 'w' } },
        spec: {
          serviceAccountName: 'runner',
          nodeSelector: { disk: 'ssd' },
          containers: [{ name: 'c', resources: { requests: { cpu: '200m', memory: '100Mi' } } }],
        },
      },
    },
    ...extra,
  };
}

let layer: LuaCustomizationLayer;

before(async () => {
  layer = await LuaCustomizationLayer.create({ instructionBudget: 2_000_000 });
  const problems = layer.load([ric('workload', Object.fromEntries(Object.entries(scripts).map(([k, luaScript]) => [k, { luaScript }])))]);
  assert.deepEqual(problems, []);
});

after(() => layer.close());

describe('Lua customizations with Karmada function names', () => {
  test('every customized operation is hooked for the target kind only', () => {
    const gvk = gvkOf(target);
    for (const op of Object.values(InterpreterOperation)) assert.equal(layer.hookEnabled(gvk, op), op !== 'InterpretComponent', op);
    assert.equal(layer.hookEnabled({ group: 'apps', version: 'v1', kind: 'Deployment' }, InterpreterOperation.Retain), false);
  });

  test('GetReplicas returns the replica and kube.accuratePodRequirements of the template', () => {
    assert.deepEqual(layer.getReplicas(workload()), {
      replicas: 3,
      requirements: { nodeClaim: { nodeSelector: { disk: 'ssd' } }, resourceRequest: { cpu: '200m', memory: '100Mi' } },
    });
  });

  test('ReviseReplica sets the replicas', () => {
    const got = layer.reviseReplica(workload(), 7);
    assert.equal((got.spec as { replicas: number }).replicas, 7);
  });

  test('Retain copies the observed field into desired', () => {
    const got = layer.retain(workload(), workload({ spec: { paused: true } }));
    assert.equal((got.spec as { paused: boolean }).paused, true);
    assert.equal((got.spec as { replicas: number }).replicas, 3, 'other desired fields stay');
  });

  test('ReflectStatus picks the fields the script names', () => {
    assert.deepEqual(layer.reflectStatus(workload({ status: { readyReplicas: 2, replicas: 3, other: 'x' } })), { readyReplicas: 2, replicas: 3 });
  });

  test('AggregateStatus sums the items; an empty table where the template had a list comes back as []', () => {
    const got = layer.aggregateStatus(workload({ status: { conditions: [] } }), [
      { clusterName: 'a', status: { replicas: 2 } },
      { clusterName: 'b', status: { replicas: 1 } },
      { clusterName: 'c' },
    ]);
    assert.deepEqual(got.status, { replicas: 3, conditions: [] });
  });

  test('InterpretHealth maps the boolean to Healthy/Unhealthy', () => {
    assert.equal(layer.interpretHealth(workload({ status: { readyReplicas: 3 } })), 'Healthy');
    assert.equal(layer.interpretHealth(workload({ status: { readyReplicas: 1 } })), 'Unhealthy');
  });

  test('GetDependencies returns the references the script builds', () => {
    assert.deepEqual(layer.getDependencies(workload()), [{ apiVersion: 'v1', kind: 'ServiceAccount', name: 'runner', namespace: 'ns' }]);
  });

  test('a runtime error in a script is an InterpreterError naming the operation', () => {
    // status is nil, so indexing it fails inside InterpretHealth
    assert.throws(() => layer.interpretHealth(workload()), (e: unknown) => e instanceof InterpreterError && e.operation === 'InterpretHealth' && /InterpretHealth/.test(e.message));
  });

  test('integers stay integers and strings with escapes survive the round trip', () => {
    const obj = workload({ metadata: { name: 'w', namespace: 'ns', annotations: { note: 'tab\there "quoted" ünïcode ✓ \u{1F600}' } } });
    const got = layer.reviseReplica(obj, 2);
    assert.deepEqual(got.metadata, obj.metadata);
    assert.equal(Number.isInteger((got.spec as { replicas: number }).replicas), true);
  });
});

describe('loading customizations', () => {
  const cases: { name: string; rics: ResourceInterpreterCustomization[]; problem: RegExp }[] = [
    { name: 'a syntax error is reported and the script skipped', rics: [ric('bad', { retention: { luaScript: 'function Retain(a, b' } })], problem: /expected|near/ },
    { name: 'a script that defines the wrong function is reported', rics: [ric('wrong', { retention: { luaScript: 'function Keep(a, b) return a end' } })], problem: /does not define function Retain/ },
    {
      name: 'two customizations of the same operation: the second is refused',
      rics: [ric('a', { retention: { luaScript: scripts.retention } }), ric('b', { retention: { luaScript: scripts.retention } })],
      problem: /already customized/,
    },
    { name: 'a script may not reach the os or io libraries', rics: [ric('os', { retention: { luaScript: 'os.execute("true")\nfunction Retain(a, b) return a end' } })], problem: /execute/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const l = await LuaCustomizationLayer.create();
      try {
        const problems = l.load(c.rics);
        assert.equal(problems.length, 1, JSON.stringify(problems));
        assert.match(problems[0].message, c.problem);
      } finally {
        l.close();
      }
    });
  }

  test('dependencyInterpretation may come from several customizations; results are merged', async () => {
    const l = await LuaCustomizationLayer.create();
    try {
      const dep = (name: string) => `function GetDependencies(o) return {{apiVersion = "v1", kind = "ConfigMap", namespace = o.metadata.namespace, name = "${name}"}} end`;
      assert.deepEqual(l.load([ric('a', { dependencyInterpretation: { luaScript: dep('one') } }), ric('b', { dependencyInterpretation: { luaScript: dep('two') } })]), []);
      assert.deepEqual(
        l.getDependencies(workload()).map((d) => d.name),
        ['one', 'two'],
      );
    } finally {
      l.close();
    }
  });

  test('an endless loop is stopped by the instruction budget', async () => {
    const l = await LuaCustomizationLayer.create({ instructionBudget: 100_000 });
    try {
      l.load([ric('loop', { healthInterpretation: { luaScript: 'function InterpretHealth(o) while true do end end' } })]);
      assert.throws(() => l.interpretHealth(workload()), /instruction budget/);
    } finally {
      l.close();
    }
  });

  test('kube helpers: resourceAdd, getResourceQuantity, getPodDependencies', async () => {
    const l = await LuaCustomizationLayer.create();
    try {
      const script = `
local kube = require("kube")
function ReflectStatus(o)
  return {
    cpu = kube.resourceAdd("1", "500m", nil),
    mem = kube.getResourceQuantity("1Gi"),
    deps = kube.getPodDependencies(o.spec.template, o.metadata.namespace),
  }
end`;
      assert.deepEqual(l.load([ric('kube', { statusReflection: { luaScript: script } })]), []);
      assert.deepEqual(l.reflectStatus(workload()), {
        cpu: '1500m',
        mem: 1073741824,
        deps: [{ apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'ns', name: 'runner' }],
      });
    } finally {
      l.close();
    }
  });
});

describe('precedence in the default interpreter', () => {
  test('a Lua customization beats the native rule for the same kind; other kinds stay native', async () => {
    const l = await LuaCustomizationLayer.create();
    try {
      const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
      l.load([ric('deploy', { replicaResource: { luaScript: 'function GetReplicas(o) return 42, nil end' }, healthInterpretation: { luaScript: 'function InterpretHealth(o) return nil end' } }, deployment)]);
      const interpreter = createDefaultInterpreter({ customization: l });
      const d: KubeObject = { ...deployment, metadata: { name: 'd', generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1 } };
      assert.deepEqual(interpreter.getReplicas(d), { replicas: 42 });
      assert.equal(interpreter.interpretHealth(d), 'Unknown', 'a non-boolean health answer is Unknown');
      const sts: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { replicas: 2 } };
      assert.equal(interpreter.getReplicas(sts).replicas, 2);
      interpreter.setLayer('customization', undefined);
      assert.equal(interpreter.getReplicas(d).replicas, 2);
    } finally {
      l.close();
    }
  });
});

describe('convertLuaResult: which empty tables survive (Karmada ConvertLuaResultInto)', () => {
  const cases: { name: string; value: unknown; asList?: boolean; refs: unknown[]; want: unknown }[] = [
    { name: 'an empty table where a reference has an empty list becomes []', value: { a: {} }, refs: [{ a: [] }], want: { a: [] } },
    { name: 'an empty table where a reference has an empty map stays {}', value: { a: [] }, refs: [{ a: {} }], want: { a: {} } },
    { name: 'an empty table where the reference is not empty is dropped', value: { a: {}, b: 1 }, refs: [{ a: [1] }], want: { b: 1 } },
    { name: 'without a reference empty tables are dropped', value: { a: {}, b: { c: [] } }, refs: [], want: { b: {} } },
    { name: 'a parent emptied by dropping stays {}', value: { spec: { x: {} } }, refs: [], want: { spec: {} } },
    { name: 'list indexes are ignored in paths', value: { l: [{ x: {} }, { x: {} }] }, refs: [{ l: [{ y: 1 }, { x: [] }] }], want: { l: [{ x: [] }, { x: [] }] } },
    { name: 'an empty element of a list is dropped', value: { l: [{}, 1] }, refs: [], want: { l: [1] } },
    { name: 'an empty map reference wins over an empty list one', value: { a: {} }, refs: [{ a: [] }, { a: {} }], want: { a: {} } },
    { name: 'an empty result is {} for an object', value: [], refs: [], want: {} },
    { name: 'an empty result is [] for a list', value: {}, asList: true, refs: [], want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(convertLuaResult(c.value, c.asList ?? false, ...c.refs), c.want));
});

describe('gopher-lua semantics scripts rely on', () => {
  let l: LuaCustomizationLayer;
  before(async () => {
    l = await LuaCustomizationLayer.create({ instructionBudget: 1e12, timeoutSeconds: 0.2, memoryLimitKiB: 8 * 1024 });
  });
  after(() => l.close());
  const load = (c: ResourceInterpreterCustomization['spec']['customizations']) => assert.deepEqual(l.load([ric('sem', c)]), []);

  test('an absent argument is nil, not a table', () => {
    load({ statusAggregation: { luaScript: 'function AggregateStatus(d, items) d.status = { itemsNil = (items == nil), t = type(items) } return d end' } });
    const got = l.aggregateStatus(workload(), undefined as never);
    assert.deepEqual(got.status, { itemsNil: true, t: 'nil' });
  });

  test('pairs() visits an object\'s keys in their order, then keys the script added in insertion order', () => {
    load({ statusReflection: { luaScript: `function ReflectStatus(o)
  local keys = {}
  o.status.zz = 1
  o.status.aa = 2
  for k in pairs(o.status) do keys[#keys + 1] = k end
  return { order = table.concat(keys, ",") }
end` } });
    const status: Record<string, number> = {};
    for (const k of ['m', 'b', 'y', 'c', 'x', 'a', 'q', 'd']) status[k] = 1;
    assert.deepEqual(l.reflectStatus(workload({ status })), { order: 'm,b,y,c,x,a,q,d,zz,aa' });
  });

  test('a script running past its time limit is stopped', () => {
    load({ healthInterpretation: { luaScript: 'function InterpretHealth(o) while true do end end' } });
    assert.throws(() => l.interpretHealth(workload()), /timed out/);
  });

  test('a script growing memory past its limit is stopped', async () => {
    const m = await LuaCustomizationLayer.create({ instructionBudget: 1e12, timeoutSeconds: 30, memoryLimitKiB: 8 * 1024 });
    try {
      m.load([ric('mem', { healthInterpretation: { luaScript: 'function InterpretHealth(o) local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 4096 + i) end end' } })]);
      assert.throws(() => m.interpretHealth(workload()), /memory limit/);
    } finally {
      m.close();
    }
  });

  test('componentResource: GetComponents lists the components', () => {
    load({ componentResource: { luaScript: 'function GetComponents(o) return { { name = "main", replicas = o.spec.replicas } } end' } });
    assert.deepEqual(l.getComponents(workload()), [{ name: 'main', replicas: 3 }]);
  });
});
