import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../apimachinery/errors.js';
import type { LiveState } from './live.js';
import { route } from './routes.js';
import { sseFrame, wantsEventStream } from './sse.js';

const live = {} as LiveState;
const at = (path: string) => route(live, new URL(path, 'http://127.0.0.1:1'));

test('route: each endpoint with the resources it depends on; bad paths and parameters are Status errors', () => {
  assert.deepEqual(at('/ui/v1/clusters').deps, ['clusters']);
  assert.ok(at('/ui/v1/workloads?namespace=a&health=Healthy').deps.includes('resourcebindings'));
  assert.ok(at('/ui/v1/workloads/apps/v1/Deployment/default/web').deps.includes('events'));
  assert.ok(at('/ui/v1/workloads/core/v1/ConfigMap/default/cfg/').deps.includes('works'));
  assert.ok(at('/ui/v1/policies').deps.includes('propagationpolicies'));
  assert.ok(at('/ui/v1/failover/whatif?cluster=m1').deps.includes('clustertaintpolicies'));
  const cases: [string, number, RegExp][] = [
    ['/ui/v1/nothing', 404, /is not a dashboard endpoint/],
    ['/ui/v1/workloads/apps/v1/Deployment', 404, /is not a dashboard endpoint/],
    ['/ui/v2/clusters', 404, /is not a dashboard endpoint/],
    ['/ui/v1/failover/whatif', 400, /query parameter cluster is required/],
    ['/ui/v1/workloads?offset=-3', 400, /query parameter offset/],
    ['/ui/v1/workloads/%E0%A4%A/v1/K/n/x', 400, /malformed percent-encoding/],
  ];
  for (const [path, code, message] of cases) {
    assert.throws(() => at(path), (err: unknown) => err instanceof StatusError && err.code === code && message.test(err.message), path);
  }
});

test('event streams: Accept negotiation and frames', () => {
  assert.equal(wantsEventStream('text/event-stream'), true);
  assert.equal(wantsEventStream('application/json, text/event-stream;q=0.9'), true);
  assert.equal(wantsEventStream('application/json'), false);
  assert.equal(wantsEventStream(undefined), false);
  assert.equal(sseFrame('snapshot', '{"a":1}'), 'event: snapshot\ndata: {"a":1}\n\n');
  assert.equal(sseFrame('update', 'x\ny'), 'event: update\ndata: x\ndata: y\n\n');
});
