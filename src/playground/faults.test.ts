import { test } from 'node:test';
import assert from 'node:assert/strict';
import { faultFromQuery } from './playground.js';

test('faultFromQuery: the control endpoint actions of `karmada-ts member` faults', () => {
  const cases: [string, string, unknown][] = [
    ['nodes-not-ready', '', { kind: 'nodes-not-ready' }],
    ['nodes-not-ready', 'nodes=m1-node-1,m1-node-2', { kind: 'nodes-not-ready', nodes: ['m1-node-1', 'm1-node-2'] }],
    ['nodes-ready', 'nodes=', { kind: 'nodes-ready' }],
    ['image-pull-fail', 'image=fake%2Fnginx%3A1.19.0', { kind: 'image-pull-fail', image: 'fake/nginx:1.19.0' }],
    ['image-pull-ok', 'image=nginx', { kind: 'image-pull-ok', image: 'nginx' }],
    ['reboot', '', undefined],
  ];
  for (const [action, query, want] of cases) assert.deepEqual(faultFromQuery(action, new URLSearchParams(query)), want, action);
});
