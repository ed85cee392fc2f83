import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import type { Schema, SchemaResolver } from './schema.js';
import { applyStrategicMergePatch } from './strategicpatch.js';

// A slice of the real Deployment OpenAPI schema: refs, allOf wrappers and the patch extensions.
const definitions: Record<string, Schema> = {
  ObjectMeta: {
    type: 'object',
    properties: {
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
      finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
      ownerReferences: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-patch-strategy': 'merge' },
    },
  },
  Container: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      image: { type: 'string' },
      args: { type: 'array', items: { type: 'string' } },
      env: { type: 'array', items: { $ref: '#/definitions/EnvVar' }, 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
      ports: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-patch-strategy': 'merge' },
      volumeMounts: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-merge-key': 'mountPath', 'x-kubernetes-patch-strategy': 'merge' },
    },
  },
  EnvVar: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } },
  PodSpec: {
    type: 'object',
    properties: {
      containers: { type: 'array', items: { $ref: '#/definitions/Container' }, 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
      volumes: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge,retainKeys' },
      nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
      tolerations: { type: 'array', items: { type: 'object' } },
    },
  },
  Deployment: {
    type: 'object',
    properties: {
      metadata: { allOf: [{ $ref: '#/definitions/ObjectMeta' }] },
      spec: {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          strategy: { type: 'object', 'x-kubernetes-patch-strategy': 'retainKeys', properties: { type: { type: 'string' }, rollingUpdate: { type: 'object' } } },
          template: { type: 'object', properties: { metadata: { $ref: '#/definitions/ObjectMeta' }, spec: { allOf: [{ $ref: '#/definitions/PodSpec' }] } } },
        },
      },
    },
  },
};

const resolve: SchemaResolver = (s) => {
  if (s?.$ref) return definitions[s.$ref.replace('#/definitions/', '')];
  if (s?.allOf?.length === 1 && s.allOf[0].$ref) return definitions[s.allOf[0].$ref.replace('#/definitions/', '')];
  return s;
};
const deployment = definitions.Deployment;

function live() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a', 'b'], annotations: { keep: 'me' } },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: {
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              args: ['a', 'b'],
              env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
              ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443, name: 'https' }],
            },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
          tolerations: [{ key: 'x' }],
        },
      },
    },
  };
}

type Live = ReturnType<typeof live>;
const smp = (patch: unknown, schema: Schema | null = deployment) => applyStrategicMergePatch(live(), patch, schema ?? undefined, resolve) as Live;
const containers = (o: Live) => o.spec.template.spec.containers;

describe('strategic merge patch: kubectl patches', () => {
  test('the real `kubectl apply` patch: new container ordered first by $setElementOrder, image updated, directive stripped', () => {
    const out = smp({
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
      spec: {
        replicas: 2,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'side' }, { name: 'nginx' }],
            containers: [{ env: [{ name: 'A', value: '1' }], name: 'side' }, { image: 'nginx:1.26', name: 'nginx' }],
          },
        },
      },
    });
    assert.equal(out.spec.replicas, 2);
    assert.deepEqual(out.metadata.annotations, { keep: 'me', 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' });
    assert.deepEqual(containers(out).map((c) => c.name), ['side', 'nginx']);
    assert.equal(containers(out)[1].image, 'nginx:1.26');
    assert.deepEqual(containers(out)[1].env, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], 'untouched fields of a merged item stay');
    assert.ok(!('$setElementOrder/containers' in out.spec.template.spec));
  });

  test('env merges by name: changed item in place, new item appended', () => {
    const out = smp({ spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } } } });
    assert.deepEqual(containers(out)[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }]);
  });

  test('ports merge by the numeric containerPort', () => {
    const out = smp({ spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 443, name: 'tls' }] }] } } } });
    assert.deepEqual(containers(out)[0].ports, [{ containerPort: 80, name: 'http' }, { containerPort: 443, name: 'tls' }]);
  });

  test('`kubectl set image` style patch touches only the image', () => {
    const out = smp({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } });
    const c = containers(out)[0];
    assert.equal(c.image, 'nginx:1.27');
    assert.deepEqual(c.args, ['a', 'b']);
  });

  test('`kubectl rollout restart` adds a template annotation', () => {
    const out = smp({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 't' } } } } }) as Live & { spec: { template: { metadata: unknown } } };
    assert.deepEqual(out.spec.template.metadata, { annotations: { 'kubectl.kubernetes.io/restartedAt': 't' } });
  });

  test('$patch: delete removes a list item by merge key', () => {
    const out = smp({ spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'A', $patch: 'delete' }] }] } } } });
    assert.deepEqual(containers(out)[0].env, [{ name: 'B', value: '2' }]);
  });

  test('$patch: replace in a list replaces the whole list', () => {
    const out = smp({ spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } });
    assert.deepEqual(containers(out), [{ name: 'only', image: 'x' }]);
  });

  test('$patch: replace on a map replaces the map', () => {
    const out = smp({ metadata: { labels: { $patch: 'replace', new: 'one' } } });
    assert.deepEqual(out.metadata.labels, { new: 'one' });
  });

  test('$patch: delete on a map empties it', () => {
    const out = smp({ spec: { strategy: { $patch: 'delete' } } });
    assert.deepEqual(out.spec.strategy, {});
  });

  test('$patch: merge on a map merges', () => {
    const out = smp({ metadata: { labels: { $patch: 'merge', new: 'one' } } });
    assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'front', new: 'one' });
  });

  test('$retainKeys on Deployment.spec.strategy drops rollingUpdate when switching to Recreate', () => {
    const out = smp({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } });
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  });

  test('$retainKeys on a volume switches its source', () => {
    const out = smp({ spec: { template: { spec: { volumes: [{ name: 'data', $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' } }] } } } });
    assert.deepEqual(out.spec.template.spec.volumes, [{ name: 'data', configMap: { name: 'cfg' } }]);
  });

  test('null deletes a key; unmatched nulls are ignored', () => {
    const out = smp({ metadata: { labels: { tier: null, ghost: null } } });
    assert.deepEqual(out.metadata.labels, { app: 'web' });
  });

  test('lists without a merge strategy are replaced atomically', () => {
    const out = smp({ spec: { template: { spec: { tolerations: [{ key: 'y' }], containers: [{ name: 'nginx', args: ['c'] }] } } } });
    assert.deepEqual(out.spec.template.spec.tolerations, [{ key: 'y' }]);
    assert.deepEqual(containers(out)[0].args, ['c']);
  });

  test('a new map key with directives inside is cleaned', () => {
    const out = smp({ spec: { template: { spec: { nodeSelector: { $patch: 'replace', disk: 'ssd', gone: null } } } } }) as Live & { spec: { template: { spec: { nodeSelector: unknown } } } };
    assert.deepEqual(out.spec.template.spec.nodeSelector, { disk: 'ssd' });
  });

  test('without a schema every list is atomic and maps merge', () => {
    const out = smp({ metadata: { labels: { x: '1' } }, spec: { template: { spec: { containers: [{ name: 'side' }] } } } }, null);
    assert.deepEqual(containers(out), [{ name: 'side' }]);
    assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'front', x: '1' });
  });

  test('inputs are not modified', () => {
    const original = live();
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'A', $patch: 'delete' }] }] } } } };
    const patchCopy = structuredClone(patch);
    applyStrategicMergePatch(original, patch, deployment, resolve);
    assert.deepEqual(original, live());
    assert.deepEqual(patch, patchCopy);
  });
});

describe('strategic merge patch: primitive set lists (metadata.finalizers)', () => {
  const cases: { name: string; patch: unknown; want: string[] }[] = [
    // apimachinery places patch items the live list does not know in front of server-only items
    { name: 'adding merges as a set, new items first', patch: { metadata: { finalizers: ['c'] } }, want: ['c', 'a', 'b'] },
    { name: 'duplicates collapse', patch: { metadata: { finalizers: ['b', 'c'] } }, want: ['a', 'b', 'c'] },
    { name: '$deleteFromPrimitiveList removes', patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, want: ['b'] },
    { name: '$setElementOrder reorders without content', patch: { metadata: { '$setElementOrder/finalizers': ['b', 'a'] } }, want: ['b', 'a'] },
    { name: '$setElementOrder orders additions', patch: { metadata: { '$setElementOrder/finalizers': ['a', 'c', 'b'], finalizers: ['c'] } }, want: ['a', 'c', 'b'] },
    { name: 'null removes the list', patch: { metadata: { finalizers: null } }, want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(smp(c.patch).metadata.finalizers ?? [], c.want));
});

describe('strategic merge patch: errors', () => {
  const cases: { name: string; patch: unknown; code: number; msg: RegExp }[] = [
    { name: 'merge-keyed item without its key', patch: { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, code: 400, msg: /does not contain declared merge key: name/ },
    { name: '$patch: merge inside a list', patch: { spec: { template: { spec: { containers: [{ $patch: 'merge' }] } } } }, code: 400, msg: /merging lists cannot yet be specified in the patch/ },
    { name: 'unknown $patch on a map', patch: { metadata: { labels: { $patch: 'frob' } } }, code: 400, msg: /unknown patch type: frob/ },
    { name: '$retainKeys must list every patched key', patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 2 } } } }, code: 400, msg: /^invalid patch format of retainKeys$/ },
    { name: '$retainKeys must be a list', patch: { spec: { strategy: { $retainKeys: 'type' } } }, code: 400, msg: /^invalid patch format of retainKeys$/ },
    { name: '$setElementOrder inconsistent with the patch list', patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b' }] } } } }, code: 400, msg: /doesn't match \$setElementOrder list/ },
    { name: 'mixed element types', patch: { metadata: { finalizers: [['x']] } }, code: 400, msg: /list element types are not identical/ },
    { name: 'patch is not an object', patch: [1], code: 400, msg: /^invalid JSON document$/ },
  ];
  test('lists of lists → 422', () =>
    assert.throws(
      () => applyStrategicMergePatch({ metadata: { finalizers: [] } }, { metadata: { finalizers: [['x']] } }, deployment, resolve),
      (e: unknown) => isStatusError(e, 'Invalid') && e.code === 422 && e.status.details?.causes?.[0]?.message === 'lists of lists are not supported',
    ));
  for (const c of cases) {
    test(c.name, () =>
      assert.throws(
        () => smp(c.patch),
        (e: unknown) => isStatusError(e) && e.code === c.code && c.msg.test(e.message),
      ),
    );
  }
});

test('$setElementOrder sorts long lists (Go merge sort path beyond 20 items)', () => {
  const env = Array.from({ length: 45 }, (_, i) => ({ name: `E${i}`, value: String(i) }));
  const original = { spec: { template: { spec: { containers: [{ name: 'c', env }] } } } };
  const order = [...env].reverse().map((e) => ({ name: e.name }));
  const patch = { spec: { template: { spec: { containers: [{ name: 'c', '$setElementOrder/env': order, env: [{ name: 'E3', value: 'x' }] }] } } } };
  const out = applyStrategicMergePatch(original, patch, deployment, resolve) as typeof original;
  const got = out.spec.template.spec.containers[0].env;
  assert.deepEqual(got.map((e) => e.name), order.map((o) => o.name));
  assert.equal(got.find((e) => e.name === 'E3')?.value, 'x');
});

test('a list new to the object, ordered by $setElementOrder, is cleaned of nulls and delete items', () => {
  const original = { spec: { template: { spec: {} } } };
  const patch = {
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
          containers: [{ name: 'b' }, { name: 'a', image: 'x', args: null }, { name: 'gone', $patch: 'delete' }],
        },
      },
    },
  };
  const out = applyStrategicMergePatch(original, patch, deployment, resolve) as { spec: { template: { spec: { containers: unknown[] } } } };
  assert.deepEqual(out.spec.template.spec.containers, [{ name: 'b' }, { name: 'a', image: 'x' }]);
});
