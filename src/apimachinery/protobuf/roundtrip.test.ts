// Round-trip fidelity over the whole built-in catalog: for every kind the API server serves, an object
// with every field its schema knows set to a non-zero value, written as JSON and read back through
// protobuf (and again), is identical; so is its List. Fields our schema has but protobuf cannot carry
// are listed, so a new one cannot slip in unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../apis/builtin/catalog.js';
import { builtinSchemas } from '../../apiserver/openapi/schemas.js';
import type { Schema } from '../schema.js';
import { ProtobufCodec, Planner } from './index.js';
import type { MessagePlan } from './plan.js';

const schemas = builtinSchemas();
const codec = new ProtobufCodec(schemas);
const planner = new Planner(schemas);
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

function refName(s: Schema): string | undefined {
  const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0].$ref : undefined);
  return ref?.replace(/^#\/(components\/schemas|definitions)\//, '');
}

/** Every JSON key a plan reads, inline embeddings included. */
function planKeys(plan: MessagePlan, into = new Set<string>()): Set<string> {
  for (const f of plan.fields) {
    if (f.inline) planKeys(f.inline, into);
    else into.add(f.key);
  }
  return into;
}

const uncarried: string[] = [];

/** A value for every field: non-zero, so nothing can hide behind Go's zero-value rules. */
function sample(s: Schema, key: string, path: string[], seen: string[]): unknown {
  const ref = refName(s);
  if (ref) {
    switch (ref) {
      case `${META}.Time`:
        return '2024-01-02T03:04:05Z';
      case `${META}.MicroTime`:
        return '2024-01-02T03:04:05.123456Z';
      case 'io.k8s.apimachinery.pkg.api.resource.Quantity':
        return '1500m';
      case 'io.k8s.apimachinery.pkg.util.intstr.IntOrString':
        return path.length % 2 ? 8080 : 'http';
      case 'io.k8s.apimachinery.pkg.runtime.RawExtension':
        return { apiVersion: 'v1', kind: 'ConfigMap', data: { a: [1, 'x', true, null] } };
      case `${META}.FieldsV1`:
        return { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } };
      case `${APIEXT}.JSON`:
        return { any: ['json', 1.5] };
      case `${APIEXT}.JSONSchemaPropsOrArray`:
        // deep down, the array form
        return seen.filter((x) => x === `${APIEXT}.JSONSchemaProps`).length > 1 ? [{ type: 'string' }, { type: 'integer' }] : object(`${APIEXT}.JSONSchemaProps`, path, seen);
      case `${APIEXT}.JSONSchemaPropsOrBool`:
        return seen.filter((x) => x === `${APIEXT}.JSONSchemaProps`).length > 1 ? true : object(`${APIEXT}.JSONSchemaProps`, path, seen);
      case `${APIEXT}.JSONSchemaPropsOrStringArray`:
        return ['a', 'b'];
    }
    return object(ref, path, seen);
  }
  if (s.type === 'array' && s.items) {
    const item = sample(s.items, key, [...path, '0'], seen);
    return item === undefined ? undefined : [item];
  }
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') {
    const v = sample(s.additionalProperties, key, [...path, 'k'], seen);
    return v === undefined ? undefined : { k: v };
  }
  if (s.format === 'byte') return Buffer.from(`bytes of ${key}`).toString('base64');
  switch (s.type) {
    case 'string':
      return `${key}-value`;
    case 'integer':
      return s.format === 'int64' ? 1234567890123 : 42;
    case 'number':
      return 2.5;
    case 'boolean':
      return true;
  }
  return undefined;
}

function object(name: string, path: string[], seen: string[]): Record<string, unknown> | undefined {
  // recursive types (JSONSchemaProps) stop after two levels
  if (seen.filter((x) => x === name).length >= 2 || path.length > 14) return undefined;
  const schema = schemas[name];
  if (!schema?.properties) return {};
  const keys = planner.has(name) ? planKeys(planner.plan(name)) : new Set<string>();
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (path.length > 0 && (key === 'apiVersion' || key === 'kind') && !keys.has(key)) continue;
    if (path.length === 0 && (key === 'apiVersion' || key === 'kind')) continue;
    if (!keys.has(key)) {
      uncarried.push(`${name}.${key}`);
      continue;
    }
    const v = sample(prop, key, [...path, key], [...seen, name]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

const served = builtinResources.filter((def) => def.schemaName);

test('every built-in kind the API server serves has a protobuf form', () => {
  assert.deepEqual(
    served.filter((def) => !codec.has(def.schemaName!)).map((def) => def.schemaName),
    [],
  );
});

for (const def of served) {
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  test(`${apiVersion} ${def.kind}: JSON -> protobuf -> JSON -> protobuf is identical`, () => {
    const obj = { apiVersion, kind: def.kind, ...object(def.schemaName!, [], []) };
    const bytes = codec.encode(obj);
    const back = codec.decode(bytes);
    assert.deepEqual(back, obj);
    assert.deepEqual(codec.encode(back), bytes, 'the second encoding is byte for byte the first');
    // create-only kinds (access and token reviews) have no List in Kubernetes
    if (!def.verbs.includes('list')) return;
    const list = { apiVersion, kind: `${def.kind}List`, metadata: { resourceVersion: '12', continue: 'c' }, items: [obj, obj] };
    // as in Kubernetes, a list's items carry no apiVersion and kind in protobuf
    const { apiVersion: _v, kind: _k, ...item } = obj;
    assert.deepEqual(codec.decode(codec.encode(list)), { ...list, items: [item, item] });
  });
}

test('fields our schemas have that protobuf cannot carry are only the known few', () => {
  // the OpenAPI schemas come from a newer client than the field table, or describe JSON-only fields
  assert.deepEqual([...new Set(uncarried)].sort(), []);
});
