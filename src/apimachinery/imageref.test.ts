import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatImage, parseImage, removeTagOrDigest, setTagOrDigest, type ImageComponents } from './imageref.js';

const sha = 'sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c';

describe('parseImage', () => {
  const cases: { name: string; image: string; want: ImageComponents }[] = [
    { name: 'bare name has no registry and no tag', image: 'pause', want: { registry: '', repository: 'pause', tag: '', digest: '' } },
    { name: 'library/nginx: first component without "." or ":" is part of the repository', image: 'library/nginx', want: { registry: '', repository: 'library/nginx', tag: '', digest: '' } },
    { name: 'sub-path repository with tag', image: 'subpath/imagename:v1.0.0', want: { registry: '', repository: 'subpath/imagename', tag: 'v1.0.0', digest: '' } },
    { name: 'registry with a dot', image: 'fictional.registry.example/imagename:v1.0.0', want: { registry: 'fictional.registry.example', repository: 'imagename', tag: 'v1.0.0', digest: '' } },
    { name: 'registry with a port is not mistaken for a tag', image: 'registry:5000/ns/repo:tag', want: { registry: 'registry:5000', repository: 'ns/repo', tag: 'tag', digest: '' } },
    { name: 'registry with a port and no tag', image: 'registry:5000/ns/repo', want: { registry: 'registry:5000', repository: 'ns/repo', tag: '', digest: '' } },
    { name: 'localhost is a registry', image: 'localhost/app', want: { registry: 'localhost', repository: 'app', tag: '', digest: '' } },
    { name: 'IP registry with port', image: '10.10.10.10:10443/subpath/imagename', want: { registry: '10.10.10.10:10443', repository: 'subpath/imagename', tag: '', digest: '' } },
    { name: 'digest without tag', image: `repo@${sha}`, want: { registry: '', repository: 'repo', tag: '', digest: sha } },
    { name: 'tag and digest both kept', image: `docker.io/library/nginx:1.25@${sha}`, want: { registry: 'docker.io', repository: 'library/nginx', tag: '1.25', digest: sha } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = parseImage(c.image);
      assert.deepEqual(got, c.want);
      assert.equal(formatImage(got), c.image, 'round trip');
    });
  }

  const bad: { name: string; image: string; message: RegExp }[] = [
    { name: 'empty', image: '', message: /at least one component/ },
    { name: 'upper case repository', image: 'Nginx:1', message: /must be lowercase/ },
    { name: 'garbage', image: 'nginx::1', message: /invalid reference format/ },
    { name: 'digest of wrong length', image: 'nginx@sha256:0123456789abcdef0123456789abcdef', message: /digest length/ },
  ];
  for (const c of bad) {
    test(`refuses ${c.name}`, () => assert.throws(() => parseImage(c.image), c.message));
  }
});

describe('tag or digest', () => {
  const base = parseImage('gcr.io/kube-apiserver');
  test('set tag, remove it, set digest, remove it (Karmada example)', () => {
    let c = setTagOrDigest(base, 'v1.19.0');
    assert.equal(formatImage(c), 'gcr.io/kube-apiserver:v1.19.0');
    c = removeTagOrDigest(c);
    assert.equal(formatImage(c), 'gcr.io/kube-apiserver');
    c = setTagOrDigest(c, sha);
    assert.equal(formatImage(c), `gcr.io/kube-apiserver@${sha}`);
    c = removeTagOrDigest(c);
    assert.equal(formatImage(c), 'gcr.io/kube-apiserver');
  });
  test('a value that is neither a tag nor a digest changes nothing', () => {
    const c = setTagOrDigest(parseImage('a:v1'), 'v1:sha256:zz');
    assert.equal(formatImage(c), 'a:v1');
  });
});
