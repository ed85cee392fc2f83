import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Table } from '../apis/tables/table.js';
import type { ResourceInfo } from '../runtime/client.js';
import { cellText, formatClusterTables, tabulate } from './print.js';
import { parseTypeArgs, resolveType } from './resources.js';

const col = (name: string, priority = 0) => ({ name, type: 'string', format: '', description: '', priority });
const deployTable = (rows: { name: string; ready: string; managed?: boolean; ns?: string }[]): Table => ({
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: {},
  columnDefinitions: [col('Name'), col('Ready'), col('Age'), col('Containers', 1)],
  rows: rows.map((r) => ({
    cells: [r.name, r.ready, '5m', 'nginx'],
    object: { metadata: { name: r.name, namespace: r.ns ?? 'default', labels: (r.managed ? { 'karmada.io/managed': 'true' } : {}) as Record<string, string> } },
  })),
});

describe('formatClusterTables (karmadactl get across clusters)', () => {
  const tables = [
    { cluster: 'Karmada', controlPlane: true, table: deployTable([{ name: 'web', ready: '4/4' }]) },
    { cluster: 'member1', controlPlane: false, table: deployTable([{ name: 'web', ready: '2/2', managed: true }, { name: 'legacy', ready: '1/1' }]) },
  ];
  test('CLUSTER after NAME, ADOPTION last (-, Y, N), priority columns hidden', () => {
    assert.deepEqual(formatClusterTables(tables), [
      ['NAME', 'CLUSTER', 'READY', 'AGE', 'ADOPTION'],
      ['web', 'Karmada', '4/4', '5m', '-'],
      ['web', 'member1', '2/2', '5m', 'Y'],
      ['legacy', 'member1', '1/1', '5m', 'N'],
    ]);
  });
  test('-o wide shows priority columns', () => {
    assert.deepEqual(formatClusterTables(tables, { wide: true })[0], ['NAME', 'CLUSTER', 'READY', 'AGE', 'CONTAINERS', 'ADOPTION']);
  });
  test('pods show ADOPTION only with -o wide', () => {
    assert.deepEqual(formatClusterTables(tables, { pods: true })[0], ['NAME', 'CLUSTER', 'READY', 'AGE']);
    assert.deepEqual(formatClusterTables(tables, { pods: true, wide: true })[0], ['NAME', 'CLUSTER', 'READY', 'AGE', 'CONTAINERS', 'ADOPTION']);
  });
  test('--show-labels adds LABELS last', () => {
    const lines = formatClusterTables(tables, { showLabels: true });
    assert.deepEqual(lines[0]!.slice(-2), ['ADOPTION', 'LABELS']);
    assert.deepEqual(lines.slice(1).map((l) => l[l.length - 1]), ['<none>', 'karmada.io/managed=true', '<none>']);
  });
  test('-L adds a column per label, headed by the key\'s last segment', () => {
    const lines = formatClusterTables(tables, { labelColumns: ['karmada.io/managed'] });
    assert.deepEqual(lines[0]!.slice(-2), ['ADOPTION', 'MANAGED']);
    assert.deepEqual(lines.slice(1).map((l) => l[l.length - 1]), ['', 'true', '']);
  });
  test('-A adds NAMESPACE first; several types prefix the kind', () => {
    const lines = formatClusterTables(tables, { allNamespaces: true, withKind: 'deployment.apps', noHeaders: true });
    assert.deepEqual(lines[0], ['default', 'deployment.apps/web', 'Karmada', '4/4', '5m', '-']);
    assert.equal(lines.length, 3);
  });
});

describe('tabulate (kubectl tabwriter: minwidth 6, padding 3)', () => {
  test('columns padded to the widest cell plus 3, the last one not padded', () => {
    assert.equal(tabulate([['NAME', 'CLUSTER', 'AGE'], ['nginx-web', 'm1', '5m']]), 'NAME        CLUSTER   AGE\nnginx-web   m1        5m\n');
  });
  test('short columns are at least 6 wide', () => assert.equal(tabulate([['A', 'B']]), 'A     B\n'));
});

describe('cellText', () => {
  const cases: [unknown, string][] = [
    ['x', 'x'],
    [3, '3'],
    [true, 'true'],
    [null, '<none>'],
    [undefined, '<none>'],
  ];
  for (const [v, want] of cases) test(`${String(v)} -> ${want}`, () => assert.equal(cellText(v), want));
});

describe('parseTypeArgs (kubectl ResourceTypeOrNameArgs)', () => {
  const cases: { name: string; args: string[]; want?: { type: string; names: string[] }[]; error?: RegExp }[] = [
    { name: 'a type', args: ['pods'], want: [{ type: 'pods', names: [] }] },
    { name: 'a type and names', args: ['deploy', 'a', 'b'], want: [{ type: 'deploy', names: ['a', 'b'] }] },
    { name: 'several types', args: ['rs,svc'], want: [{ type: 'rs', names: [] }, { type: 'svc', names: [] }] },
    { name: 'TYPE/NAME pairs grouped by type', args: ['deploy/a', 'svc/b', 'deploy/c'], want: [{ type: 'deploy', names: ['a', 'c'] }, { type: 'svc', names: ['b'] }] },
    { name: 'no type', args: [], error: /You must specify the type of resource to get/ },
    { name: 'TYPE/ without a name', args: ['deploy/'], error: /must have a single resource and name/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.error) return assert.throws(() => parseTypeArgs(c.args), c.error);
      assert.deepEqual(parseTypeArgs(c.args), c.want);
    });
  }
});

describe('resolveType', () => {
  const r = (group: string, version: string, resource: string, kind: string, shortNames: string[] = []): ResourceInfo => ({ group, version, resource, kind, namespaced: true, verbs: [], shortNames, subresources: [] });
  const resources = [
    r('', 'v1', 'pods', 'Pod', ['po']),
    r('apps', 'v1', 'deployments', 'Deployment', ['deploy']),
    r('policy.karmada.io', 'v1alpha1', 'propagationpolicies', 'PropagationPolicy', ['pp']),
    r('example.io', 'v1', 'deployments', 'Deployment'),
  ];
  const cases: [string, string][] = [
    ['pods', 'pods'],
    ['po', 'pods'],
    ['Pod', 'pods'],
    ['deploy', 'apps/deployments'],
    ['deployments.apps', 'apps/deployments'],
    ['deployments.v1.apps', 'apps/deployments'],
    ['deployments.example.io', 'example.io/deployments'],
    ['pp', 'policy.karmada.io/propagationpolicies'],
  ];
  for (const [type, want] of cases) {
    test(type, () => {
      const got = resolveType(type, resources);
      assert.equal(got.group ? `${got.group}/${got.resource}` : got.resource, want);
    });
  }
  test('an unknown type', () => assert.throws(() => resolveType('widgets', resources), /the server doesn't have a resource type "widgets"/));
});
