import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupVersionKind, KubeObject } from '../apimachinery/types.js';
import { createDefaultInterpreter, retainClusterFields } from './default.js';
import { InterpreterOperation, type InterpreterLayer, type ResourceInterpreter } from './types.js';

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'ns', generation: 1 },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'c' }] } } },
};
const widget: KubeObject = { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 }, status: { phase: 'Ready' } };

/** A layer that answers one operation for one kind with a marker value. */
function fakeLayer(kind: string, operation: InterpreterOperation, replicas: number): InterpreterLayer {
  const native = createDefaultInterpreter();
  return {
    ...bind(native),
    hookEnabled: (gvk: GroupVersionKind, op: InterpreterOperation) => gvk.kind === kind && op === operation,
    getReplicas: () => ({ replicas }),
  };
}

function bind(i: ResourceInterpreter): ResourceInterpreter {
  return {
    hookEnabled: i.hookEnabled.bind(i),
    getReplicas: i.getReplicas.bind(i),
    reviseReplica: i.reviseReplica.bind(i),
    retain: i.retain.bind(i),
    aggregateStatus: i.aggregateStatus.bind(i),
    reflectStatus: i.reflectStatus.bind(i),
    interpretHealth: i.interpretHealth.bind(i),
    getDependencies: i.getDependencies.bind(i),
  };
}

describe('native defaults through the default interpreter', () => {
  const interpreter = createDefaultInterpreter();
  const gvk = (obj: KubeObject) => ({ group: obj.apiVersion?.includes('/') ? obj.apiVersion.split('/')[0] : '', version: 'v1', kind: obj.kind ?? '' });

  const hooks: { name: string; obj: KubeObject; op: InterpreterOperation; want: boolean }[] = [
    { name: 'Deployment has a native replica rule', obj: deployment, op: InterpreterOperation.InterpretReplica, want: true },
    { name: 'a custom kind has no native replica rule', obj: widget, op: InterpreterOperation.InterpretReplica, want: false },
    { name: 'every kind reflects status (whole .status by default)', obj: widget, op: InterpreterOperation.InterpretStatus, want: true },
    { name: 'a custom kind has no native health rule', obj: widget, op: InterpreterOperation.InterpretHealth, want: false },
  ];
  for (const h of hooks) test(h.name, () => assert.equal(interpreter.hookEnabled(gvk(h.obj), h.op), h.want));

  test('a kind without rules gets neutral answers, never an exception', () => {
    assert.deepEqual(interpreter.getReplicas(widget), { replicas: 0 });
    assert.equal(interpreter.reviseReplica(widget, 3), widget);
    assert.equal(interpreter.retain(widget, { ...widget, spec: { size: 9 } }), widget);
    assert.equal(interpreter.aggregateStatus(widget, [{ clusterName: 'a', status: { phase: 'X' } }]), widget);
    assert.deepEqual(interpreter.reflectStatus(widget), { phase: 'Ready' });
    assert.equal(interpreter.interpretHealth(widget), 'Healthy');
    assert.deepEqual(interpreter.getDependencies(widget), []);
  });

  test('an object without metadata fields or spec does not throw', () => {
    const odd = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {} } as KubeObject;
    assert.deepEqual(interpreter.getReplicas(odd), { replicas: 0, requirements: undefined });
    assert.equal(interpreter.interpretHealth(odd), 'Healthy', 'generation 0 observed, nothing to roll out');
    assert.deepEqual(interpreter.getDependencies(odd), []);
    assert.equal(interpreter.reflectStatus(odd), undefined);
  });
});

describe('layer precedence', () => {
  test('customization > webhook > thirdparty > native', () => {
    const i = createDefaultInterpreter({
      thirdparty: fakeLayer('Deployment', InterpreterOperation.InterpretReplica, 30),
      webhook: fakeLayer('Deployment', InterpreterOperation.InterpretReplica, 20),
      customization: fakeLayer('Deployment', InterpreterOperation.InterpretReplica, 10),
    });
    assert.equal(i.getReplicas(deployment).replicas, 10);
    i.setLayer('customization', undefined);
    assert.equal(i.getReplicas(deployment).replicas, 20);
    i.setLayer('webhook', undefined);
    assert.equal(i.getReplicas(deployment).replicas, 30);
    i.setLayer('thirdparty', undefined);
    assert.equal(i.getReplicas(deployment).replicas, 2);
  });

  test('a layer that does not hook the operation is skipped', () => {
    const i = createDefaultInterpreter({ customization: fakeLayer('Deployment', InterpreterOperation.Retain, 99) });
    assert.equal(i.getReplicas(deployment).replicas, 2);
  });

  test('hookEnabled is true when any layer hooks it', () => {
    const i = createDefaultInterpreter({ webhook: fakeLayer('Widget', InterpreterOperation.InterpretReplica, 5) });
    assert.equal(i.hookEnabled({ group: 'example.io', version: 'v1', kind: 'Widget' }, InterpreterOperation.InterpretReplica), true);
    assert.equal(i.getReplicas(widget).replicas, 5);
  });

  test('a health layer that throws gives Unknown', () => {
    const throwing: InterpreterLayer = {
      ...bind(createDefaultInterpreter()),
      hookEnabled: (_gvk, op) => op === InterpreterOperation.InterpretHealth,
      interpretHealth: () => {
        throw new Error('boom');
      },
    };
    assert.equal(createDefaultInterpreter({ customization: throwing }).interpretHealth(deployment), 'Unknown');
  });
});

describe('retainClusterFields', () => {
  test('member metadata and the kind rule both apply', () => {
    const desired: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { app: 'a' } }, spec: { ports: [{ port: 80 }] } };
    const observed: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', resourceVersion: '9', labels: { app: 'a', member: 'x' } },
      spec: { clusterIP: '10.0.0.1', ports: [{ port: 80, nodePort: 30001 }] },
    };
    const got = retainClusterFields(createDefaultInterpreter(), desired, observed);
    assert.equal(got.metadata.resourceVersion, '9');
    assert.deepEqual(got.metadata.labels, { app: 'a', member: 'x' });
    assert.equal((got.spec as { clusterIP: string }).clusterIP, '10.0.0.1');
  });

  test('a kind without a Retain rule still keeps member metadata', () => {
    const got = retainClusterFields(createDefaultInterpreter(), widget, { ...widget, metadata: { name: 'w', resourceVersion: '3', finalizers: ['f'] } });
    assert.equal(got.metadata.resourceVersion, '3');
    assert.deepEqual(got.metadata.finalizers, ['f']);
  });
});
