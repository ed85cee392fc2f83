import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageOverrider } from '../../apis/karmada/override.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { applyImageOverrider, overrideImage } from './image.js';

const sha = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';

describe('overrideImage: Karmada component semantics', () => {
  const cases: { name: string; image: string; o: ImageOverrider; want: string }[] = [
    { name: 'Registry add appends to the registry', image: 'fictional.registry.example/imagename:v1.0.0', o: { component: 'Registry', operator: 'add', value: '.test' }, want: 'fictional.registry.example.test/imagename:v1.0.0' },
    { name: 'Registry add on an image without registry sets it', image: 'perl:5.34.0', o: { component: 'Registry', operator: 'add', value: 'registry.k8s.io' }, want: 'registry.k8s.io/perl:5.34.0' },
    { name: 'Registry replace', image: 'fictional.registry.example/imagename:v1.0.0', o: { component: 'Registry', operator: 'replace', value: 'fictional.registry.us' }, want: 'fictional.registry.us/imagename:v1.0.0' },
    { name: 'Registry replace replaces host and port together', image: 'registry:5000/ns/repo:tag', o: { component: 'Registry', operator: 'replace', value: 'mirror.io' }, want: 'mirror.io/ns/repo:tag' },
    { name: 'Registry replace on library/nginx adds a registry in front', image: 'library/nginx', o: { component: 'Registry', operator: 'replace', value: 'mirror.io' }, want: 'mirror.io/library/nginx' },
    { name: 'Registry remove ignores value', image: 'fictional.registry.example/imagename:v1.0.0', o: { component: 'Registry', operator: 'remove', value: 'x' }, want: 'imagename:v1.0.0' },
    { name: 'Repository add appends', image: 'fictional.registry.example/imagename:v1.0.0', o: { component: 'Repository', operator: 'add', value: '/nginx' }, want: 'fictional.registry.example/imagename/nginx:v1.0.0' },
    { name: 'Repository replace', image: 'fictional.registry.example/imagename:v1.0.0', o: { component: 'Repository', operator: 'replace', value: 'nginx' }, want: 'fictional.registry.example/nginx:v1.0.0' },
    { name: 'Repository remove leaves the registry and tag (as Karmada does)', image: 'fictional.registry.example/imagename:v1.0.0', o: { component: 'Repository', operator: 'remove' }, want: 'fictional.registry.example/:v1.0.0' },
    { name: 'Tag add appends to the tag', image: 'nginx:1.25', o: { component: 'Tag', operator: 'add', value: '-alpine' }, want: 'nginx:1.25-alpine' },
    { name: 'Tag add on an untagged image sets the tag', image: 'nginx', o: { component: 'Tag', operator: 'add', value: 'v1' }, want: 'nginx:v1' },
    { name: 'Tag add that makes neither a tag nor a digest changes nothing', image: 'fictional.registry.example/imagename:v1.0.0', o: { component: 'Tag', operator: 'add', value: sha }, want: 'fictional.registry.example/imagename:v1.0.0' },
    { name: 'Tag replace with a digest swaps the tag for the digest', image: 'fictional.registry.example/imagename:v1.0.0', o: { component: 'Tag', operator: 'replace', value: sha }, want: `fictional.registry.example/imagename@${sha}` },
    { name: 'Tag replace on a digest image swaps the digest for the tag', image: `repo@${sha}`, o: { component: 'Tag', operator: 'replace', value: 'v2' }, want: 'repo:v2' },
    { name: 'Tag replace on an image with no tag adds one', image: 'registry:5000/ns/repo', o: { component: 'Tag', operator: 'replace', value: 'v2' }, want: 'registry:5000/ns/repo:v2' },
    { name: 'Tag remove drops the tag', image: 'fictional.registry.example/imagename:v1.0.0', o: { component: 'Tag', operator: 'remove' }, want: 'fictional.registry.example/imagename' },
    { name: 'Tag remove drops a digest when there is no tag', image: `repo@${sha}`, o: { component: 'Tag', operator: 'remove' }, want: 'repo' },
    { name: 'Tag remove on tag+digest keeps the digest', image: `repo:v1@${sha}`, o: { component: 'Tag', operator: 'remove' }, want: `repo@${sha}` },
    { name: 'Registry replace keeps a digest', image: `docker.io/library/nginx@${sha}`, o: { component: 'Registry', operator: 'replace', value: 'mirror.io' }, want: `mirror.io/library/nginx@${sha}` },
  ];
  for (const c of cases) test(c.name, () => assert.equal(overrideImage(c.image, c.o), c.want));

  test('an unparsable image is an error naming it', () => {
    assert.throws(() => overrideImage('Bad:Image', { component: 'Tag', operator: 'remove' }), /failed to parse image value\(Bad:Image\)/);
  });
});

function deployment(containers: unknown[], initContainers?: unknown[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx' },
    spec: { template: { spec: { containers, ...(initContainers ? { initContainers } : {}) } } },
  };
}

function images(obj: KubeObject, pointerBase = ['spec', 'template', 'spec']): { containers: string[]; initContainers: string[] } {
  let spec: any = obj;
  for (const k of pointerBase) spec = spec[k];
  return {
    containers: (spec.containers ?? []).map((c: any) => c.image),
    initContainers: (spec.initContainers ?? []).map((c: any) => c.image),
  };
}

describe('applyImageOverrider: which images', () => {
  const replaceRegistry: ImageOverrider = { component: 'Registry', operator: 'replace', value: 'mirror.io' };
  test('no predicate: every container and init container of a Deployment', () => {
    const obj = deployment([{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'registry.k8s.io/nginx-slim:0.8' }], [{ name: 'init', image: 'busybox' }]);
    const got = applyImageOverrider(obj, replaceRegistry);
    assert.deepEqual(images(got), { containers: ['mirror.io/nginx:1', 'mirror.io/nginx-slim:0.8'], initContainers: ['mirror.io/busybox'] });
    assert.deepEqual(images(obj).containers, ['nginx:1', 'registry.k8s.io/nginx-slim:0.8'], 'input untouched');
  });

  const kinds: { kind: string; base: string[] }[] = [
    { kind: 'Pod', base: ['spec'] },
    { kind: 'ReplicaSet', base: ['spec', 'template', 'spec'] },
    { kind: 'DaemonSet', base: ['spec', 'template', 'spec'] },
    { kind: 'StatefulSet', base: ['spec', 'template', 'spec'] },
    { kind: 'Job', base: ['spec', 'template', 'spec'] },
  ];
  for (const k of kinds) {
    test(`no predicate: finds the pod spec of a ${k.kind}`, () => {
      const obj: any = { apiVersion: 'v1', kind: k.kind, metadata: { name: 'x' } };
      let cur = obj;
      for (const key of k.base) cur = cur[key] ??= {};
      cur.containers = [{ name: 'c', image: 'perl:5.34.0' }];
      const got = applyImageOverrider(obj, { component: 'Registry', operator: 'add', value: 'registry.k8s.io' });
      assert.deepEqual(images(got, k.base).containers, ['registry.k8s.io/perl:5.34.0']);
    });
  }

  test('no predicate on a kind without a pod spec changes nothing', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { image: 'nginx' } };
    assert.deepEqual(applyImageOverrider(cm, replaceRegistry), cm);
  });

  test('predicate: only the image at the path', () => {
    const obj = deployment([{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'redis:7' }]);
    const got = applyImageOverrider(obj, { ...replaceRegistry, predicate: { path: '/spec/template/spec/containers/1/image' } });
    assert.deepEqual(images(got).containers, ['nginx:1', 'mirror.io/redis:7']);
  });

  test('predicate may point anywhere, e.g. a CRD field', () => {
    const obj: KubeObject = { apiVersion: 'x/v1', kind: 'Thing', metadata: { name: 't' }, spec: { image: 'app:v1' } };
    const got = applyImageOverrider(obj, { component: 'Tag', operator: 'replace', value: 'v2', predicate: { path: '/spec/image' } });
    assert.equal((got.spec as any).image, 'app:v2');
  });

  const failures: { name: string; obj: KubeObject; o: ImageOverrider; message: RegExp }[] = [
    { name: 'predicate path that does not exist', obj: deployment([{ name: 'a', image: 'nginx' }]), o: { ...replaceRegistry, predicate: { path: '/spec/template/spec/containers/3/image' } }, message: /containers\/3 does not exist/ },
    { name: 'predicate path at a non-string', obj: deployment([{ name: 'a', image: 'nginx' }]), o: { ...replaceRegistry, predicate: { path: '/spec/template/spec/containers/0' } }, message: /not a string/ },
    { name: 'predicate path not starting with /', obj: deployment([{ name: 'a', image: 'nginx' }]), o: { ...replaceRegistry, predicate: { path: 'spec/image' } }, message: /should start with/ },
    { name: 'unparsable image', obj: deployment([{ name: 'a', image: 'UPPER' }]), o: replaceRegistry, message: /must be lowercase/ },
  ];
  for (const f of failures) test(`fails on ${f.name}`, () => assert.throws(() => applyImageOverrider(f.obj, f.o), f.message));
});
