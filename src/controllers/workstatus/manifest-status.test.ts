import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import { createNativeInterpreter } from '../../interpreter/native/index.js';
import type { ResourceInterpreter } from '../../interpreter/types.js';
import { identifierOf, manifestStatuses } from './manifest-status.js';

const interpreter = createNativeInterpreter();
const deployment = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  // as delivered by a Work: the template generation it came from
  metadata: { name: 'nginx', namespace: 'default', generation: 1, annotations: { 'resourcetemplate.karmada.io/generation': '1' } },
  spec: { replicas: 2 },
  status,
});
const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: 'b' } };

describe('identifierOf', () => {
  const cases = [
    { name: 'a grouped namespaced kind has group and namespace', obj: deployment({}), resource: 'deployments', want: { ordinal: 1, group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespace: 'default', name: 'nginx' } },
    { name: 'a core cluster-scoped kind has neither', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } }, resource: 'namespaces', want: { ordinal: 1, version: 'v1', kind: 'Namespace', resource: 'namespaces', name: 'ns1' } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(identifierOf(1, c.resource, c.obj), c.want));
});

describe('manifestStatuses', () => {
  test('one entry per existing object, in manifest order, with reflected status and health', () => {
    const ready = deployment({ replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, observedGeneration: 1 });
    const { statuses, failures } = manifestStatuses(
      [
        { ordinal: 2, resource: 'configmaps', observed: configMap },
        { ordinal: 0, resource: 'deployments', observed: ready },
        { ordinal: 1, resource: 'services' },
      ],
      interpreter,
    );
    assert.deepEqual(failures, []);
    assert.deepEqual(statuses.map((s) => s.identifier.ordinal), [0, 2]);
    assert.equal((statuses[0].status as Record<string, unknown>).readyReplicas, 2);
    assert.equal(statuses[0].health, 'Healthy');
    assert.equal(statuses[1].health, 'Healthy', 'kinds without a health rule are Healthy');
  });
  test('a Deployment with too few available replicas is Unhealthy', () => {
    const { statuses } = manifestStatuses([{ ordinal: 0, resource: 'deployments', observed: deployment({ replicas: 2, updatedReplicas: 2, availableReplicas: 0, observedGeneration: 1 }) }], interpreter);
    assert.equal(statuses[0].health, 'Unhealthy');
  });
  test('a failing customization is reported and health is Unknown', () => {
    const failing: ResourceInterpreter = {
      ...interpreter,
      reflectStatus: () => {
        throw new Error('lua: boom');
      },
      interpretHealth: () => {
        throw new Error('lua: boom');
      },
    };
    const { statuses, failures } = manifestStatuses([{ ordinal: 0, resource: 'configmaps', observed: configMap }], failing);
    assert.equal(failures[0].message, 'lua: boom');
    assert.equal(statuses[0].health, 'Unknown');
    assert.equal(statuses[0].status, undefined);
  });
});
