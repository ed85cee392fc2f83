import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeLine, watchMerge } from './watch.js';

test('mergeLine: one CLUSTER header, every row prefixed with its cluster', () => {
  const s = watchMerge(['Karmada', 'member1']);
  const lines: [string, string][] = [
    ['member1', 'NAME    READY   UP-TO-DATE'],
    ['member1', 'nginx   1/1     1'],
    ['Karmada', 'NAME    READY   UP-TO-DATE'],
    ['Karmada', 'nginx   2/2     2'],
    ['member1', 'nginx   1/1     1'],
  ];
  const out = lines.map(([c, l]) => mergeLine(s, c, l, true));
  assert.deepEqual(out, ['CLUSTER   NAME    READY   UP-TO-DATE', 'member1   nginx   1/1     1', undefined, 'Karmada   nginx   2/2     2', 'member1   nginx   1/1     1']);
});

test('mergeLine leaves non-table output (-o yaml, name) alone', () => {
  assert.equal(mergeLine(watchMerge(['m1']), 'm1', 'deployment.apps/nginx', false), 'deployment.apps/nginx');
});
