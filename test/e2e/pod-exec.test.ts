// kubectl exec on a simulated member (WebSocket channel protocol): the container's env and the
// files its ConfigMap, Secret and projected volumes mount, exit codes and errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulatedMember, type TestMember } from '../support/karmada.js';
import { eventually, type Kubectl } from '../support/kubectl.js';

let member: TestMember;
let kubectl: Kubectl;

before(async () => {
  member = await startSimulatedMember('member1');
  kubectl = member.kubectl;
  await kubectl.ok(['apply', '-f', '-'], {
    stdin: `apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: default}
data: {mode: production, greeting: hello}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret, namespace: default}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: default}
spec:
  containers:
  - name: main
    image: busybox
    env:
    - {name: MODE, valueFrom: {configMapKeyRef: {name: app-config, key: mode}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    envFrom: [{secretRef: {name: app-secret}, prefix: SECRET_}]
    volumeMounts:
    - {name: config, mountPath: /etc/config}
    - {name: secret, mountPath: /etc/secret}
    - {name: all, mountPath: /etc/all}
  volumes:
  - {name: config, configMap: {name: app-config}}
  - {name: secret, secret: {secretName: app-secret}}
  - name: all
    projected:
      sources:
      - configMap: {name: app-config, items: [{key: greeting, path: hi.txt}]}
      - downwardAPI: {items: [{path: name, fieldRef: {fieldPath: metadata.name}}]}
`,
  });
  await eventually(async () => (await kubectl.ok(['get', 'pod', 'app', '-o', 'jsonpath={.status.phase}'])) === 'Running', 'pod running');
});

after(async () => {
  await member?.stop();
});

test('env, hostname and echo', async () => {
  const env = await kubectl.ok(['exec', 'app', '--', 'env']);
  assert.match(env, /^HOSTNAME=app$/m);
  assert.match(env, /^MODE=production$/m);
  assert.match(env, /^POD_NAME=app$/m);
  assert.match(env, /^SECRET_password=s3cret$/m);
  assert.equal(await kubectl.ok(['exec', 'app', '--', 'hostname']), 'app\n');
  assert.equal(await kubectl.ok(['exec', 'app', '-c', 'main', '--', 'echo', 'hello', 'world']), 'hello world\n');
});

test('cat and ls of files mounted from ConfigMaps, Secrets and projected volumes', async () => {
  assert.equal(await kubectl.ok(['exec', 'app', '--', 'ls', '/etc/config']), 'greeting\nmode\n');
  assert.equal(await kubectl.ok(['exec', 'app', '--', 'cat', '/etc/config/mode']), 'production');
  assert.equal(await kubectl.ok(['exec', 'app', '--', 'cat', '/etc/secret/password']), 's3cret');
  assert.equal(await kubectl.ok(['exec', 'app', '--', 'ls', '/etc/all']), 'hi.txt\nname\n');
  assert.equal(await kubectl.ok(['exec', 'app', '--', 'sh', '-c', 'cat /etc/all/hi.txt']), 'hello');
  // a changed ConfigMap shows in the next exec
  await kubectl.ok(['patch', 'configmap', 'app-config', '-p', '{"data":{"mode":"staging"}}']);
  assert.equal(await kubectl.ok(['exec', 'app', '--', 'cat', '/etc/config/mode']), 'staging');
});

test('exit codes and errors', async () => {
  const missing = await kubectl.run(['exec', 'app', '--', 'cat', '/etc/nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cat: \/etc\/nope: No such file or directory/);
  assert.match(missing.stderr, /command terminated with exit code 1/);
  assert.equal((await kubectl.run(['exec', 'app', '--', 'false'])).code, 1);
  const unknown = await kubectl.run(['exec', 'app', '--', 'nosuchcmd']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /executable file not found in \$PATH/);
  const noPod = await kubectl.run(['exec', 'ghost', '--', 'env']);
  assert.match(noPod.stderr, /pods "ghost" not found/);
});

test('stdin reaches the command', async () => {
  assert.equal(await kubectl.ok(['exec', '-i', 'app', '--', 'cat'], { stdin: 'from stdin\n' }), 'from stdin\n');
});
