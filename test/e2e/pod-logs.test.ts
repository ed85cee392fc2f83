// kubectl logs on a simulated member: the pods/log subresource with its flags, directly and
// through the control plane's clusters/proxy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulatedMember, startTestbed, type Testbed } from '../support/karmada.js';
import { eventually, type Kubectl } from '../support/kubectl.js';

let tb: Testbed;
let member: Kubectl;

before(async () => {
  tb = await startTestbed({ members: ['member1'], startMember: (name) => startSimulatedMember(name, { timing: { logIntervalMs: 200 } }) });
  member = tb.member('member1').kubectl;
  await member.ok(['apply', '-f', '-'], {
    stdin: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default}
spec:
  containers:
  - {name: nginx, image: nginx:1.27, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pair, namespace: default}
spec:
  containers:
  - {name: a, image: busybox}
  - {name: b, image: busybox}
`,
  });
  await eventually(async () => (await member.ok(['get', 'pod', 'web', 'pair', '-o', 'jsonpath={.items[*].status.phase}'])) === 'Running Running', 'pods running');
});

after(async () => {
  await tb?.stop();
});

test('kubectl logs prints the container log; --tail and --timestamps', async () => {
  const all = await member.ok(['logs', 'web']);
  assert.match(all, /^starting container nginx \(image nginx:1\.27\) in pod default\/web\nlistening on TCP port 80\nready\n/);
  await eventually(async () => /heartbeat 2:/.test(await member.ok(['logs', 'web'])), 'periodic lines');
  const tail = await member.ok(['logs', 'web', '--tail', '1']);
  assert.equal(tail.trim().split('\n').length, 1);
  assert.match(tail, /^heartbeat \d+: nginx is running\n$/);
  assert.match(await member.ok(['logs', 'web', '--tail', '1', '--timestamps']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z heartbeat/);
  assert.match(await member.ok(['logs', 'web', '--since', '1h']), /^starting container/);
});

test('kubectl logs -f follows new lines until stopped', async () => {
  const follow = member.background(['logs', '-f', 'web', '--tail', '1']);
  try {
    await eventually(() => (follow.output().match(/heartbeat/g) ?? []).length >= 3, 'three lines while following', 10_000);
  } finally {
    await follow.stop();
  }
});

test('errors as kube-apiserver words them', async () => {
  // kubectl picks the first container itself; the API asks for one
  const noContainer = await member.run(['get', '--raw', '/api/v1/namespaces/default/pods/pair/log']);
  assert.match(noContainer.stderr, /a container name must be specified for pod pair, choose one of: \[a b\]/);
  const wrong = await member.run(['logs', 'web', '-c', 'nope']);
  assert.match(wrong.stderr, /container nope is not valid for pod web/);
  const previous = await member.run(['logs', 'web', '--previous']);
  assert.match(previous.stderr, /previous terminated container "nginx" in pod "web" not found/);
  const missing = await member.run(['logs', 'ghost']);
  assert.match(missing.stderr, /pods "ghost" not found/);
  assert.match(await member.ok(['logs', 'pair', '-c', 'b', '--tail', '-1']), /starting container b \(image busybox\)/);
});

test('through the control plane: clusters/proxy reaches the member pod log', async () => {
  const out = await tb.kubectl.ok(['get', '--raw', '/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/api/v1/namespaces/default/pods/web/log?tailLines=2']);
  assert.equal(out.trim().split('\n').length, 2);
  assert.match(out, /heartbeat/);
});

test('the proxy is authorized at the control plane: a user without clusters/proxy gets 403', async () => {
  const r = await tb.kubectl.run(['--as', 'alice', 'get', '--raw', '/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/api/v1/namespaces/kube-system/pods']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /clusters\.cluster\.karmada\.io "member1" is forbidden: User "alice" cannot get resource "clusters\/proxy" in API group "cluster\.karmada\.io" at the cluster scope/);
});
