// The real kubectl against karmada-ts's API server: what users type, and what they see.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/apiserver.js';
import { eventually, type Kubectl } from '../support/kubectl.js';

let ts: TestServer;
let k: Kubectl;

const deployment = (image: string, replicas = 2, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
${extra}`;

before(async () => {
  ts = await startTestServer();
  k = ts.kubectl;
});

after(async () => {
  await ts?.stop();
});

describe('kubectl against the API server', () => {
  test('version, api-resources and explain', async () => {
    const v = await k.ok(['version', '-o', 'json']);
    assert.equal(JSON.parse(v).serverVersion.minor, '32');
    const res = await k.ok(['api-resources']);
    for (const line of [/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m, /^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io\/v1\s+false\s+CustomResourceDefinition$/m]) {
      assert.match(res, line);
    }
    const explain = await k.ok(['explain', 'deployment.spec.replicas']);
    assert.match(explain, /Number of desired pods/);
  });

  test('apply creates, then a three-way update keeps fields others set', async () => {
    assert.match(await k.ok(['apply', '-f', '-'], { stdin: deployment('nginx:1.25') }), /deployment.apps\/web created/);
    // someone else adds an annotation; the next apply must keep it (three-way merge)
    await k.ok(['annotate', 'deployment', 'web', 'team=payments']);
    assert.match(await k.ok(['apply', '-f', '-'], { stdin: deployment('nginx:1.26', 3) }), /deployment.apps\/web configured/);
    const obj = JSON.parse(await k.ok(['get', 'deployment', 'web', '-o', 'json']));
    assert.equal(obj.spec.replicas, 3);
    assert.equal(obj.spec.template.spec.containers[0].image, 'nginx:1.26');
    assert.equal(obj.metadata.annotations.team, 'payments');
    assert.equal(obj.metadata.generation, 2);
    assert.ok(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    // applying the same manifest again changes nothing
    assert.match(await k.ok(['apply', '-f', '-'], { stdin: deployment('nginx:1.26', 3) }), /deployment.apps\/web unchanged/);
  });

  test('get in every output format', async () => {
    const table = await k.ok(['get', 'deployments']);
    assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    assert.match(table, /^web\s+0\/3\s+0\s+0\s+\d+s$/m);
    const wide = await k.ok(['get', 'deploy', '-o', 'wide']);
    assert.match(wide, /CONTAINERS\s+IMAGES\s+SELECTOR/);
    assert.match(wide, /nginx\s+nginx:1.26\s+app=web/);
    assert.match(await k.ok(['get', 'deploy', 'web', '-o', 'yaml']), /^kind: Deployment$/m);
    assert.equal((await k.ok(['get', 'deploy', '-o', 'name'])).trim(), 'deployment.apps/web');
    assert.equal(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.26');
    assert.match(await k.ok(['get', 'namespaces']), /^default\s+Active\s+/m);
  });

  test('label, annotate and every patch type', async () => {
    await k.ok(['create', 'configmap', 'cfg', '--from-literal=a=1', '--dry-run=client', '-o', 'yaml']).then((y) => k.ok(['apply', '-f', '-'], { stdin: y }));
    await k.ok(['label', 'configmap', 'cfg', 'tier=backend']);
    await k.ok(['annotate', 'configmap', 'cfg', 'note=hello']);
    await k.ok(['patch', 'configmap', 'cfg', '--type', 'merge', '-p', '{"data":{"b":"2"}}']);
    await k.ok(['patch', 'configmap', 'cfg', '--type', 'json', '-p', '[{"op":"replace","path":"/data/a","value":"10"}]']);
    await k.ok(['patch', 'deployment', 'web', '--type', 'strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}']);
    const cm = JSON.parse(await k.ok(['get', 'cm', 'cfg', '-o', 'json']));
    assert.deepEqual(cm.data, { a: '10', b: '2' });
    assert.equal(cm.metadata.labels.tier, 'backend');
    assert.equal(cm.metadata.annotations.note, 'hello');
    const d = JSON.parse(await k.ok(['get', 'deploy', 'web', '-o', 'json']));
    assert.deepEqual(d.spec.template.spec.containers.map((c: { name: string }) => c.name).sort(), ['nginx', 'sidecar']);
    const bad = await k.run(['patch', 'configmap', 'cfg', '--type', 'json', '-p', '[{"op":"test","path":"/data/a","value":"nope"}]']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Error from server|test operation failed|testing value/i);
  });

  test('server-side apply, with a conflict and --force-conflicts', async () => {
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: default\ndata:\n  a: "${v}"\n`;
    assert.match(await k.ok(['apply', '--server-side', '--field-manager', 'alice', '-f', '-'], { stdin: cm('1') }), /serverside-applied/);
    const conflict = await k.run(['apply', '--server-side', '--field-manager', 'bob', '-f', '-'], { stdin: cm('2') });
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /conflict with "alice"/);
    assert.match(conflict.stderr, /\.data\.a/);
    await k.ok(['apply', '--server-side', '--field-manager', 'bob', '--force-conflicts', '-f', '-'], { stdin: cm('2') });
    const obj = JSON.parse(await k.ok(['get', 'cm', 'ssa', '-o', 'json', '--show-managed-fields']));
    assert.equal(obj.data.a, '2');
    assert.ok(obj.metadata.managedFields.some((m: { manager: string; operation: string }) => m.manager === 'bob' && m.operation === 'Apply'));
  });

  test('scale and describe', async () => {
    assert.match(await k.ok(['scale', 'deployment', 'web', '--replicas=5']), /scaled/);
    assert.equal(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '5');
    const desc = await k.ok(['describe', 'deployment', 'web']);
    assert.match(desc, /^Name:\s+web$/m);
    assert.match(desc, /^Replicas:\s+5 desired/m);
  });

  test('get -w sees add, modify and delete', async () => {
    const w = k.background(['get', 'configmaps', '-w', '--output-watch-events']);
    await eventually(() => /ADDED\s+cfg\s/.test(w.output()), 'initial list in watch output');
    await k.ok(['create', 'configmap', 'watched', '--from-literal=x=1', '--dry-run=client', '-o', 'yaml']).then((y) => k.ok(['apply', '-f', '-'], { stdin: y }));
    await k.ok(['label', 'configmap', 'watched', 'x=y']);
    await k.ok(['delete', 'configmap', 'watched']);
    await eventually(() => /DELETED\s+watched\s/.test(w.output()), 'DELETED event');
    await w.stop();
    const out = w.output();
    assert.match(out, /^EVENT\s+NAME\s+DATA\s+AGE$/m);
    assert.match(out, /ADDED\s+watched\s+1\s/);
    assert.match(out, /MODIFIED\s+watched\s+1\s/);
  });

  test('delete with each cascade policy', async () => {
    const owner = JSON.parse(await k.ok(['create', '-f', '-', '-o', 'json'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owner}\n' }));
    const dependent = (name: string, block = false) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  ownerReferences:\n  - {apiVersion: v1, kind: ConfigMap, name: owner, uid: ${owner.metadata.uid}${block ? ', blockOwnerDeletion: true' : ''}}\n`;
    await k.ok(['create', '-f', '-'], { stdin: dependent('dep-bg') });
    await k.ok(['delete', 'configmap', 'owner', '--cascade=background']);
    await eventually(async () => (await k.run(['get', 'cm', 'dep-bg'])).code !== 0, 'background GC of the dependent');

    const owner2 = JSON.parse(await k.ok(['create', '-f', '-', '-o', 'json'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owner}\n' }));
    owner.metadata.uid = owner2.metadata.uid;
    await k.ok(['create', '-f', '-'], { stdin: dependent('dep-orphan') });
    await k.ok(['delete', 'configmap', 'owner', '--cascade=orphan']);
    const orphan = JSON.parse(await k.ok(['get', 'cm', 'dep-orphan', '-o', 'json']));
    assert.equal(orphan.metadata.ownerReferences, undefined, 'orphaned dependent lost its owner reference');

    const owner3 = JSON.parse(await k.ok(['create', '-f', '-', '-o', 'json'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owner}\n' }));
    owner.metadata.uid = owner3.metadata.uid;
    await k.ok(['create', '-f', '-'], { stdin: dependent('dep-fg', true) });
    await k.ok(['delete', 'configmap', 'owner', '--cascade=foreground']);
    assert.notEqual((await k.run(['get', 'cm', 'dep-fg'])).code, 0, 'foreground delete removed the dependent first');
    assert.notEqual((await k.run(['get', 'cm', 'owner'])).code, 0);
  });

  test('delete a namespace with content, and wait --for=delete', async () => {
    await k.ok(['create', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: doomed}\n' });
    await k.ok(['create', '-f', '-', '-n', 'doomed'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inside, finalizers: [example.com/hold]}\n' });
    await k.ok(['delete', 'namespace', 'doomed', '--wait=false']);
    assert.match(await k.ok(['get', 'ns', 'doomed']), /Terminating/);
    const refused = await k.run(['create', '-f', '-', '-n', 'doomed'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late}\n' });
    assert.match(refused.stderr, /because it is being terminated/);
    await k.ok(['patch', 'cm', 'inside', '-n', 'doomed', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}']);
    await k.ok(['wait', '--for=delete', 'namespace/doomed', '--timeout=30s']);
    assert.notEqual((await k.run(['get', 'ns', 'doomed'])).code, 0);
    const forbidden = await k.run(['delete', 'namespace', 'default']);
    assert.match(forbidden.stderr, /forbidden/);
  });

  test('diff shows what apply would change', async () => {
    const r = await k.run(['diff', '-f', '-'], { stdin: deployment('nginx:1.27', 5) });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^-\s+- image: nginx:1.26$/m);
    assert.match(r.stdout, /^\+\s+- image: nginx:1.27$/m);
  });

  test('a CRD is served, and custom resources validated', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1}
              color: {type: string, enum: [red, blue], default: red}
`;
    await k.ok(['create', '-f', '-'], { stdin: crd });
    await k.ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s']);
    await k.ok(['apply', '-f', '-'], { stdin: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n' });
    const got = await k.ok(['get', 'wd']);
    assert.match(got, /^NAME\s+SIZE$/m);
    assert.match(got, /^w1\s+3$/m);
    assert.equal(await k.ok(['get', 'widget', 'w1', '-o', 'jsonpath={.spec.color}']), 'red');
    await k.ok(['patch', 'widget', 'w1', '--type', 'merge', '-p', '{"spec":{"size":4}}']);
    const bad = await k.run(['apply', '-f', '-'], { stdin: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2}\nspec: {size: 0, color: green}\n' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /The Widget "w2" is invalid/);
    assert.match(bad.stderr, /spec.size/);
    assert.match(bad.stderr, /spec.color: Unsupported value: "green"/);
    await k.ok(['delete', 'widget', 'w1']);
    assert.doesNotMatch(await k.ok(['get', 'widgets']), /w1/);
  });
});

describe('custom resources: versions, scale and categories', () => {
  test('two served versions (None conversion), the scale subresource and categories', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct], categories: [all]}
  versions:
  - name: v1beta1
    served: true
    storage: false
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas, labelSelectorPath: .status.selector}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {replicas: {type: integer}, cronSpec: {type: string}}}
          status: {type: object, properties: {replicas: {type: integer}, selector: {type: string}}}
`;
    await k.ok(['apply', '-f', '-'], { stdin: crd });
    await k.ok(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
    await k.ok(['apply', '-f', '-'], { stdin: 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: nightly}\nspec: {replicas: 1, cronSpec: "0 0 * * *"}\n' });
    // the same object through the other served version, with only apiVersion rewritten
    const viaBeta = JSON.parse(await k.ok(['get', 'crontabs.v1beta1.stable.example.com', 'nightly', '-o', 'json']));
    assert.equal(viaBeta.apiVersion, 'stable.example.com/v1beta1');
    assert.equal(viaBeta.spec.cronSpec, '0 0 * * *');
    assert.match(await k.ok(['scale', 'crontab', 'nightly', '--replicas=4']), /scaled/);
    assert.equal(await k.ok(['get', 'ct', 'nightly', '-o', 'jsonpath={.spec.replicas}']), '4');
    const scale = JSON.parse(await k.ok(['get', '--raw', '/apis/stable.example.com/v1/namespaces/default/crontabs/nightly/scale']));
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 4);
    // categories: `kubectl get all` includes the custom resource
    assert.match(await k.ok(['get', 'all']), /crontab.stable.example.com\/nightly/);
    // status is its own endpoint: the main one ignores it
    await k.ok(['patch', 'ct', 'nightly', '--type', 'merge', '-p', '{"status":{"replicas":9}}']);
    assert.equal(await k.ok(['get', 'ct', 'nightly', '-o', 'jsonpath={.status.replicas}']), '');
    await k.ok(['patch', 'ct', 'nightly', '--subresource', 'status', '--type', 'merge', '-p', '{"status":{"replicas":9}}']);
    assert.equal(await k.ok(['get', 'ct', 'nightly', '-o', 'jsonpath={.status.replicas}']), '9');
  });
});

// kube-apiserver's status strategies (pkg/registry/apps/deployment/strategy.go deploymentStatusStrategy:
// Spec and Labels from the stored object; apiextensions-apiserver's customresource statusStrategy: the
// stored object with the new status)
describe('the status subresource takes what the kind\'s status strategy lets through', () => {
  const body = JSON.stringify({ metadata: { annotations: { a: 'b' }, labels: { extra: 'x' } }, status: { observedGeneration: 1, replicas: 0 } });

  test('a Deployment: annotations yes, labels no; owned by the status writer', async () => {
    await k.ok(['create', 'deployment', 'statusmeta', '--image', 'nginx:1.25']);
    await k.ok(['patch', 'deployment', 'statusmeta', '--subresource', 'status', '--type', 'merge', '--field-manager', 'status-writer', '-p', body]);
    const d = JSON.parse(await k.ok(['get', 'deployment', 'statusmeta', '-o', 'json', '--show-managed-fields']));
    assert.equal(d.metadata.annotations?.a, 'b');
    assert.equal(d.metadata.labels?.extra, undefined);
    assert.equal(d.metadata.labels?.app, 'statusmeta');
    assert.equal(d.status.observedGeneration, 1);
    const owner = d.metadata.managedFields.find((m: { manager: string }) => m.manager === 'status-writer');
    assert.equal(owner?.subresource, 'status');
    assert.ok(owner?.fieldsV1?.['f:metadata']?.['f:annotations']?.['f:a'], JSON.stringify(owner));
    const bad = await k.run(['patch', 'deployment', 'statusmeta', '--subresource', 'status', '--type', 'merge', '-p', '{"metadata":{"annotations":{"bad key!":"x"}}}']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /metadata.annotations: Invalid value: "bad key!"/);
  });

  test('a custom resource: neither', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;
    await k.ok(['create', '-f', '-'], { stdin: crd });
    await k.ok(['wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=30s']);
    await k.ok(['apply', '-f', '-'], { stdin: 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1, labels: {app: g}}\nspec: {size: 1}\n' });
    await k.ok(['patch', 'gadget', 'g1', '--subresource', 'status', '--type', 'merge', '-p', body]);
    const g = JSON.parse(await k.ok(['get', 'gadget', 'g1', '-o', 'json']));
    assert.equal(g.metadata.annotations?.a, undefined);
    assert.deepEqual(g.metadata.labels, { app: 'g' });
    assert.equal(g.status.observedGeneration, 1);
  });
});
