import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregationUpdates } from './aggregation.js';
import type { RoleObject } from './authorizer.js';

const labelled = (name: string, label: string, rules: RoleObject['rules']): RoleObject => ({ metadata: { name, labels: { [label]: 'true' } }, rules });
const aggregated = (name: string, label: string, rules: RoleObject['rules'] = []) =>
  ({ metadata: { name }, rules, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }] } }) as RoleObject;

test('an aggregated role gets the union of the matching roles, in name order, each rule once', () => {
  const a = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const b = { verbs: ['list'], apiGroups: ['apps'], resources: ['deployments'] };
  const roles = [labelled('z-extra', 'to-view', [b, a]), labelled('a-base', 'to-view', [a]), labelled('other', 'to-edit', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]), aggregated('view', 'to-view')];
  assert.deepEqual(aggregationUpdates(roles), [{ name: 'view', rules: [a, b] }]);
});

test('nothing to write when the rules already match; roles without aggregationRule are left alone', () => {
  const a = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  assert.deepEqual(aggregationUpdates([labelled('base', 'to-view', [a]), aggregated('view', 'to-view', [a])]), []);
  assert.deepEqual(aggregationUpdates([labelled('base', 'to-view', [a])]), []);
});

test('chained aggregation: view feeds edit through its own label', () => {
  const a = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const view = { ...aggregated('view', 'to-view', [a]), metadata: { name: 'view', labels: { 'to-edit': 'true' } } };
  assert.deepEqual(aggregationUpdates([labelled('base', 'to-view', [a]), view, aggregated('edit', 'to-edit')]), [{ name: 'edit', rules: [a] }]);
});
