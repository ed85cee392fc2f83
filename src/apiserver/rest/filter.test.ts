import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../apis/builtin/catalog.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { buildFilter } from './filter.js';

const pods = builtinResources.find((d) => d.group === '' && d.resource === 'pods')!;
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', labels: { app: 'web' } }, status: { phase: 'Running' } };

test('buildFilter: what it matches, and whether it reads only metadata', () => {
  const cases: Array<[string | undefined, string | undefined, boolean, 'labels' | 'metadata' | undefined]> = [
    // label selector, field selector, matches pod, what it reads
    ['app=web', undefined, true, 'labels'],
    ['app!=web', undefined, false, 'labels'],
    [undefined, 'metadata.name=p', true, 'metadata'],
    ['app=web', 'metadata.namespace=other', false, 'metadata'],
    [undefined, 'status.phase=Running', true, undefined],
    ['app=web', 'metadata.name=p,status.phase!=Running', false, undefined],
  ];
  for (const [labels, fields, matches, reads] of cases) {
    const f = buildFilter(pods, labels, fields)!;
    assert.equal(f(pod), matches, `${labels} ${fields}`);
    assert.equal(f.reads, reads, `${labels} ${fields}`);
  }
  assert.equal(buildFilter(pods, '', ''), undefined);
});
