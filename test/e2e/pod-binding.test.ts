// pods/binding over HTTPS, as kube-scheduler binds a pod: a v1 Binding POSTed to the subresource
// (kubectl cannot create a subresource, so the raw client posts it); kubectl shows the result.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import type { RawClient } from '../support/http.js';

let ts: TestServer;
let http: RawClient;

before(async () => {
  ts = await startTestServer();
  http = ts.http;
});

after(() => ts?.stop());

const bindingPath = (name: string) => `/api/v1/namespaces/default/pods/${name}/binding`;
const binding = (name: string, node: string, extra: object = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name, ...extra }, target: { kind: 'Node', name: node } });

describe('pods/binding', () => {
  test('binds a pending pod; kubectl shows the node and PodScheduled=True', async () => {
    await ts.kubectl.ok(['run', 'web', '--image=nginx', '--restart=Never']);
    const res = await http.call(bindingPath('web'), { method: 'POST', body: binding('web', 'node-a', { annotations: { 'scheduler.example/why': 'test' } }) });
    assert.equal(res.status, 201, res.body);
    assert.deepEqual(res.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const out = await ts.kubectl.ok(['get', 'pod', 'web', '-o', 'jsonpath={.spec.nodeName} {.status.conditions[?(@.type=="PodScheduled")].status} {.metadata.annotations.scheduler\\.example/why}']);
    assert.equal(out.trim(), 'node-a True test');
  });

  test('a bound pod is refused with 409, kube-apiserver message', async () => {
    const res = await http.call(bindingPath('web'), { method: 'POST', body: binding('web', 'node-b') });
    assert.equal(res.status, 409);
    assert.equal(res.json().message, 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-a"');
    assert.equal(res.json().reason, 'Conflict');
  });

  test('bad input gets Status errors: another name, no target, a missing pod, a GET', async () => {
    await ts.kubectl.ok(['run', 'other', '--image=nginx', '--restart=Never']);
    const cases: [string, { method?: string; body?: string }, number, string][] = [
      [bindingPath('other'), { method: 'POST', body: binding('web', 'n') }, 400, 'name in URL does not match name in Binding object'],
      [bindingPath('other'), { method: 'POST', body: JSON.stringify({ metadata: { name: 'other' } }) }, 422, 'Binding "other" is invalid: target.name: Required value'],
      [bindingPath('gone'), { method: 'POST', body: binding('gone', 'n') }, 404, 'pods "gone" not found'],
      [bindingPath('other'), { method: 'POST', body: '{' }, 400, ''],
      [bindingPath('other'), { method: 'GET' }, 405, 'get is not supported on resources of kind "pods/binding"'],
    ];
    for (const [path, opts, code, message] of cases) {
      const res = await http.call(path, opts);
      assert.equal(res.status, code, `${opts.method} ${opts.body}: ${res.body}`);
      assert.equal(res.json().kind, 'Status');
      if (message) assert.equal(res.json().message, message);
    }
    const out = await ts.kubectl.ok(['get', 'pod', 'other', '-o', 'jsonpath={.spec.nodeName}']);
    assert.equal(out.trim(), '');
  });

  test('discovery lists pods/binding with verb create', async () => {
    const res = await http.call('/api/v1');
    const sub = res.json().resources.find((r: { name: string }) => r.name === 'pods/binding');
    assert.deepEqual({ kind: sub?.kind, verbs: sub?.verbs }, { kind: 'Binding', verbs: ['create'] });
  });
});
