import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinSchemas, resolver } from './schemas.js';
import type { Schema } from '../../apimachinery/schema.js';

describe('builtinSchemas', () => {
  const s = builtinSchemas();
  const cases: { name: string; check: () => void }[] = [
    { name: 'Deployment has its GVK', check: () => assert.deepEqual(s['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]) },
    { name: 'DeploymentSpec requires selector and template', check: () => assert.deepEqual(s['io.k8s.api.apps.v1.DeploymentSpec'].required, ['selector', 'template']) },
    { name: 'replicas is int32 with a description', check: () => {
      const r = s['io.k8s.api.apps.v1.DeploymentSpec'].properties!.replicas;
      assert.equal(r.type, 'integer');
      assert.equal(r.format, 'int32');
      assert.match(r.description!, /Number of desired pods/);
    } },
    { name: 'IntOrString is a string with format int-or-string', check: () => assert.deepEqual({ type: s['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, format: s['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format }, { type: 'string', format: 'int-or-string' }) },
    { name: 'Time is a date-time string', check: () => assert.equal(s['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time') },
    { name: 'containers merge by name', check: () => {
      const c = s['io.k8s.api.core.v1.PodSpec'].properties!.containers;
      assert.equal(c['x-kubernetes-patch-merge-key'], 'name');
      assert.equal(c['x-kubernetes-patch-strategy'], 'merge');
      assert.deepEqual(c['x-kubernetes-list-map-keys'], ['name']);
    } },
    { name: 'volumes merge by name and retain keys', check: () => assert.equal(s['io.k8s.api.core.v1.PodSpec'].properties!.volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys') },
    { name: 'container ports keyed by containerPort and protocol', check: () => assert.deepEqual(s['io.k8s.api.core.v1.Container'].properties!.ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']) },
    { name: 'service ports merge by port', check: () => assert.equal(s['io.k8s.api.core.v1.ServiceSpec'].properties!.ports['x-kubernetes-patch-merge-key'], 'port') },
    { name: 'every conditions list of typed items merges by type', check: () => assert.equal(s['io.k8s.api.apps.v1.StatefulSetStatus'].properties!.conditions['x-kubernetes-patch-merge-key'], 'type') },
    { name: 'finalizers are a merged set', check: () => assert.equal(s['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties!.finalizers['x-kubernetes-list-type'], 'set') },
    { name: 'resource limits are Quantities', check: () => assert.equal((s['io.k8s.api.core.v1.ResourceRequirements'].properties!.limits.additionalProperties as Schema).$ref, '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity') },
    { name: 'nested types take their kind package', check: () => assert.ok(s['io.k8s.api.authentication.v1.TokenRequestSpec'] && s['io.k8s.api.autoscaling.v1.ScaleSpec'] && s['io.k8s.api.core.v1.PodTemplateSpec']) },
    { name: 'every $ref names an existing schema', check: () => {
      const missing: string[] = [];
      const walk = (x: unknown): void => {
        if (Array.isArray(x)) return x.forEach(walk);
        if (x && typeof x === 'object') {
          for (const [k, v] of Object.entries(x)) {
            if (k === '$ref' && typeof v === 'string' && !s[v.replace('#/components/schemas/', '')]) missing.push(v);
            else walk(v);
          }
        }
      };
      walk(s);
      assert.deepEqual(missing, []);
    } },
  ];
  for (const c of cases) test(c.name, c.check);
});

describe('resolver', () => {
  const schemas: Record<string, Schema> = {
    A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
    B: { type: 'string', description: 'B' },
  };
  const resolve = resolver(schemas);
  const cases: { name: string; input: Schema | undefined; want: Schema | undefined }[] = [
    { name: 'plain schema is returned as is', input: schemas.A, want: schemas.A },
    { name: '$ref is followed', input: { $ref: '#/components/schemas/B' }, want: schemas.B },
    { name: 'lone allOf ref with a description is followed', input: { allOf: [{ $ref: '#/components/schemas/B' }], description: 'field' }, want: schemas.B },
    { name: 'wrapper extensions are kept', input: { allOf: [{ $ref: '#/components/schemas/B' }], 'x-kubernetes-patch-strategy': 'retainKeys' }, want: { ...schemas.B, 'x-kubernetes-patch-strategy': 'retainKeys' } },
    { name: 'unknown ref resolves to undefined', input: { $ref: '#/components/schemas/Nope' }, want: undefined },
    { name: 'undefined stays undefined', input: undefined, want: undefined },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(resolve(c.input), c.want));
});

test('the committed k8s-schemas.json is what scripts/gen-openapi.mjs generates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gen-openapi-'));
  try {
    const out = join(dir, 'schemas.json');
    const script = fileURLToPath(new URL('../../../scripts/gen-openapi.mjs', import.meta.url));
    execFileSync(process.execPath, [script, out], { stdio: 'pipe' });
    const committed = readFileSync(fileURLToPath(new URL('./generated/k8s-schemas.json', import.meta.url)), 'utf8');
    assert.ok(readFileSync(out, 'utf8') === committed, 'regenerate with: node scripts/gen-openapi.mjs');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
