// Table-driven test of where the agent dials a tunnel stream: its member's API server address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialTarget } from './tunnel.js';

test('dialTarget takes host and port from the member server URL, with the scheme default port', () => {
  const cases: [string, { host: string; port: number }][] = [
    ['https://127.0.0.1:6443', { host: '127.0.0.1', port: 6443 }],
    ['https://member.example.com', { host: 'member.example.com', port: 443 }],
    ['http://10.0.0.1', { host: '10.0.0.1', port: 80 }],
    ['https://[::1]:8443/', { host: '::1', port: 8443 }],
  ];
  for (const [server, want] of cases) assert.deepEqual(dialTarget(server), want, server);
});
