import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateBindingName, generateWorkName, isReservedNamespace, isSkippedNamespace, safeEncodeString } from './names.js';
import { clusterOfExecutionSpace, executionSpaceName } from '../../apis/karmada/work.js';

describe('names', () => {
  const bindingCases = [
    { name: 'kind is lower-cased and follows the name', kind: 'Deployment', obj: 'nginx', want: 'nginx-deployment' },
    { name: 'upper-case names are lower-cased', kind: 'pods', obj: 'Pod', want: 'pod-pods' },
    { name: "RBAC ':' becomes '.'", kind: 'ClusterRole', obj: 'system::tom', want: 'system..tom-clusterrole' },
  ];
  for (const c of bindingCases) test(`binding name: ${c.name}`, () => assert.equal(generateBindingName(c.kind, c.obj), c.want));

  const workCases = [
    { name: "Karmada's documented name for default/nginx Deployment", kind: 'Deployment', obj: 'nginx', ns: 'default', want: 'nginx-687f7fb96f' },
    { name: 'the namespace changes the hash', kind: 'Deployment', obj: 'nginx', ns: 'prod', notWant: 'nginx-687f7fb96f' },
    { name: "cluster-scoped names keep the ':' replacement", kind: 'ClusterRole', obj: 'system:tom', ns: undefined, prefix: 'system.tom-' },
  ];
  for (const c of workCases) {
    test(`work name: ${c.name}`, () => {
      const got = generateWorkName(c.kind, c.obj, c.ns);
      if (c.want) assert.equal(got, c.want);
      if (c.notWant) assert.notEqual(got, c.notWant);
      if (c.prefix) assert.ok(got.startsWith(c.prefix), got);
    });
  }

  test('SafeEncodeString maps digits onto the consonant alphabet', () => assert.equal(safeEncodeString('0123456789'), '456789bcdf'));

  test('execution spaces', () => {
    assert.equal(executionSpaceName('member1'), 'karmada-es-member1');
    assert.equal(clusterOfExecutionSpace('karmada-es-member1'), 'member1');
    assert.equal(clusterOfExecutionSpace('default'), undefined);
    assert.throws(() => executionSpaceName(''));
  });

  const nsCases = [
    { ns: 'karmada-system', reserved: true, skipped: true },
    { ns: 'karmada-cluster', reserved: true, skipped: true },
    { ns: 'karmada-es-member1', reserved: true, skipped: true },
    { ns: 'kube-system', reserved: false, skipped: true },
    { ns: 'kube-public', reserved: false, skipped: true },
    { ns: 'default', reserved: false, skipped: false },
    { ns: 'karmada-apps', reserved: false, skipped: false },
  ];
  for (const c of nsCases) {
    test(`namespace ${c.ns}: reserved=${c.reserved} skipped=${c.skipped}`, () => {
      assert.equal(isReservedNamespace(c.ns), c.reserved);
      assert.equal(isSkippedNamespace(c.ns), c.skipped);
    });
  }
});
