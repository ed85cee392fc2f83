import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceDef } from '../resource.js';
import { ageSince, humanDuration } from './age.js';
import { crdTableConvertor, toTable } from './table.js';
import { deploymentTable } from './printers/workloads.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const def = (table?: ResourceDef['table']): ResourceDef => ({
  group: 'apps', version: 'v1', resource: 'deployments', singular: 'deployment', kind: 'Deployment', listKind: 'DeploymentList',
  namespaced: true, verbs: [], subresources: {}, storage: { group: 'apps', resource: 'deployments', version: 'v1' },
  allowUnconditionalUpdate: true, strategicMergePatch: true, ...(table ? { table } : {}),
});

describe('ages', () => {
  const cases: [string, number, string][] = [
    ['seconds below two minutes', 119_000, '119s'],
    ['minutes and seconds below ten minutes', 5 * 60_000 + 3_000, '5m3s'],
    ['whole minutes below three hours', 95 * 60_000, '95m'],
    ['hours and minutes below eight hours', 3 * 3_600_000 + 20 * 60_000, '3h20m'],
    ['hours below two days', 30 * 3_600_000, '30h'],
    ['days and hours below eight days', 3 * 86_400_000 + 4 * 3_600_000, '3d4h'],
    ['days below two years', 400 * 86_400_000, '400d'],
    ['years and days', (2 * 365 + 10) * 86_400_000, '2y10d'],
  ];
  for (const [name, ms, want] of cases) test(name, () => assert.equal(humanDuration(ms), want));
  test('missing timestamp is <unknown>', () => assert.equal(ageSince(undefined, now), '<unknown>'));
  test('age of a timestamp', () => assert.equal(ageSince(ago(90_000), now), '90s'));
});

describe('toTable', () => {
  const deploy: KubeObject = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(5 * 60_000), labels: { app: 'web' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] } } },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };

  test('server form carries every column, wide ones with priority 1', () => {
    const t = toTable(def(deploymentTable), [deploy], { now });
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]), [
      ['Name', 'string', 'name', 0], ['Ready', 'string', '', 0], ['Up-to-date', 'string', '', 0], ['Available', 'string', '', 0],
      ['Age', 'string', '', 0], ['Containers', 'string', '', 1], ['Images', 'string', '', 1], ['Selector', 'string', '', 1],
    ]);
    assert.deepEqual(t.rows[0]!.cells, ['web', '2/3', 3, 2, '5m', 'nginx,side', 'nginx:1.25,busybox', 'app=web']);
  });

  test('wide: false drops priority>0 columns and their cells', () => {
    const t = toTable(def(deploymentTable), [deploy], { now, wide: false });
    assert.deepEqual(t.columnDefinitions.map((c) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    assert.deepEqual(t.rows[0]!.cells, ['web', '2/3', 3, 2, '5m']);
  });

  test('rows carry PartialObjectMetadata by default', () => {
    const t = toTable(def(deploymentTable), [deploy], { now, listMeta: { resourceVersion: '42' } });
    assert.deepEqual(t.rows[0]!.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: deploy.metadata });
    assert.equal(t.metadata.resourceVersion, '42');
  });

  test('includeObject Object and None', () => {
    assert.equal(toTable(def(deploymentTable), [deploy], { now, includeObject: 'Object' }).rows[0]!.object, deploy);
    assert.equal('object' in toTable(def(deploymentTable), [deploy], { now, includeObject: 'None' }).rows[0]!, false);
  });

  test('kinds without a printer get Name and Created At (RFC 3339)', () => {
    const role: KubeObject = { metadata: { name: 'r', creationTimestamp: '2024-01-02T03:04:05.000Z' } };
    const t = toTable(def(), [role], { now });
    assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
    assert.deepEqual(t.rows[0]!.cells, ['r', '2024-01-02T03:04:05Z']);
  });
});

describe('CRD printer columns', () => {
  const obj: KubeObject = {
    metadata: { name: 'c1', creationTimestamp: ago(3 * 3_600_000) },
    spec: { replicas: 2.0, paused: true, ratio: 0.5, tags: ['a', 'b'] },
    status: { conditions: [{ type: 'Scheduled', status: 'False' }, { type: 'Ready', status: 'True' }] },
  };
  const table = crdTableConvertor([
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio' },
    { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused', priority: 1 },
    { name: 'Tags', type: 'string', jsonPath: '.spec.tags' },
    { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ]);

  test('Name first, then each column evaluated; missing is null; dates are ages', () => {
    assert.deepEqual(table.cells(obj, now), ['c1', 'True', 2, 0.5, true, '["a","b"]', null, '3h']);
  });

  test('column definitions keep type and priority, with a JSONPath description by default', () => {
    const paused = table.columns.find((c) => c.name === 'Paused')!;
    assert.equal(paused.priority, 1);
    assert.equal(table.columns[0]!.name, 'Name');
    assert.equal(paused.description, 'Custom resource definition column (in JSONPath format): .spec.paused');
  });

  test('without declared columns the default is Age', () => {
    const t = crdTableConvertor(undefined);
    assert.deepEqual(t.columns.map((c) => [c.name, c.type]), [['Name', 'string'], ['Age', 'date']]);
    assert.deepEqual(t.cells(obj, now), ['c1', '3h']);
  });

  test('a type mismatch prints null', () => {
    const t = crdTableConvertor([{ name: 'N', type: 'integer', jsonPath: '.spec.tags' }]);
    assert.deepEqual(t.cells(obj, now), ['c1', null]);
  });
});
