import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../apis/builtin/catalog.js';
import type { ResourceDef } from '../../apis/resource.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { prepareStatusUpdate } from './status-strategy.js';

const def = (group: string, resource: string): ResourceDef => builtinResources.find((d) => d.group === group && d.resource === resource)!;
const customResource: ResourceDef = { ...def('apps', 'deployments'), group: 'example.com', resource: 'widgets', kind: 'Widget', strategicMergePatch: false, storage: { group: 'example.com', resource: 'widgets', version: 'v1' } };

const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1' }];
const stored = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'X',
  metadata: { name: 'x', namespace: 'default', uid: 'u', labels: { l: 'old' }, annotations: { a: 'old' }, finalizers: ['f/old'], ownerReferences: owner, managedFields: [{ manager: 'm', operation: 'Update' }] },
  spec: { replicas: 1 },
  status: { phase: 'old' },
});
const body = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'X',
  metadata: { name: 'x', namespace: 'default', uid: 'u', labels: { l: 'new' }, annotations: { a: 'new' }, finalizers: ['f/new'], ownerReferences: [{ ...owner[0], name: 'other' }] },
  spec: { replicas: 9 },
  status: { phase: 'new' },
});

describe('prepareStatusUpdate: what each status strategy takes from the body', () => {
  const cases: Array<{ name: string; def: ResourceDef; labels: string; annotations: string; finalizers: string; ownerName: string }> = [
    // deploymentStatusStrategy: Spec and Labels from the stored object
    { name: 'apps Deployment', def: def('apps', 'deployments'), labels: 'old', annotations: 'new', finalizers: 'f/new', ownerName: 'other' },
    // rsStatusStrategy, statefulset, daemonset, job, ...: Spec only
    { name: 'apps ReplicaSet', def: def('apps', 'replicasets'), labels: 'new', annotations: 'new', finalizers: 'f/new', ownerName: 'other' },
    { name: 'batch Job', def: def('batch', 'jobs'), labels: 'new', annotations: 'new', finalizers: 'f/new', ownerName: 'other' },
    { name: 'core Node', def: def('', 'nodes'), labels: 'new', annotations: 'new', finalizers: 'f/new', ownerName: 'other' },
    // podStatusStrategy: Spec and OwnerReferences
    { name: 'core Pod', def: def('', 'pods'), labels: 'new', annotations: 'new', finalizers: 'f/new', ownerName: 'rs' },
    // customresourcedefinition statusStrategy's reset fields: metadata and spec
    { name: 'CustomResourceDefinition', def: def('apiextensions.k8s.io', 'customresourcedefinitions'), labels: 'old', annotations: 'old', finalizers: 'f/old', ownerName: 'rs' },
    // custom resources: the old object with the new status
    { name: 'custom resource', def: customResource, labels: 'old', annotations: 'old', finalizers: 'f/old', ownerName: 'rs' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const current = stored();
      const input = body();
      const before = structuredClone(input);
      const next = prepareStatusUpdate(c.def, current, input);
      assert.deepEqual(next.status, { phase: 'new' });
      assert.equal(next.spec, current.spec, 'the spec is the stored one, shared');
      assert.equal(next.metadata.labels?.l, c.labels);
      assert.equal(next.metadata.annotations?.a, c.annotations);
      assert.deepEqual(next.metadata.finalizers, [c.finalizers]);
      assert.equal(next.metadata.ownerReferences?.[0]?.name, c.ownerName);
      assert.deepEqual(next.metadata.managedFields, current.metadata.managedFields, 'managedFields left out of the body are kept');
      assert.deepEqual(input, before, 'the body is not changed');
      assert.notEqual(next.status, input.status);
    });
  }

  test('a body without status clears it; a Deployment body without labels keeps the stored ones', () => {
    const input = body();
    delete input.status;
    delete input.metadata.labels;
    const next = prepareStatusUpdate(def('apps', 'deployments'), stored(), input);
    assert.equal('status' in next, false);
    assert.deepEqual(next.metadata.labels, { l: 'old' });
  });

  test('a Pod body without ownerReferences keeps the stored ones; a stored Pod without them gets none', () => {
    const input = body();
    delete input.metadata.ownerReferences;
    assert.deepEqual(prepareStatusUpdate(def('', 'pods'), stored(), input).metadata.ownerReferences, owner);
    const bare = stored();
    delete bare.metadata.ownerReferences;
    assert.equal('ownerReferences' in prepareStatusUpdate(def('', 'pods'), bare, body()).metadata, false);
  });
});
