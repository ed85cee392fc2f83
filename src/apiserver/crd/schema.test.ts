import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../../apimachinery/errors.js';
import type { Schema } from '../../apimachinery/schema.js';
import { builtinSchemas, resolver } from '../openapi/schemas.js';
import { applyDefaults, prune, validateObject } from './schema.js';

const widget: Schema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'string', enum: ['small', 'large'] },
        replicas: { type: 'integer', format: 'int32', minimum: 0, maximum: 10 },
        ratio: { type: 'number', exclusiveMinimum: true, minimum: 0, exclusiveMaximum: true, maximum: 1 },
        name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
        when: { type: 'string', format: 'date-time' },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set', maxItems: 3, minItems: 1 },
        items: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, value: { type: 'integer', default: 7 } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 2, minProperties: 1 },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
        embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: {} } } },
        maybe: { type: 'string', nullable: true },
        unique: { type: 'array', uniqueItems: true, items: { type: 'integer' } },
        oneOf: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, oneOf: [{ required: ['a'] }, { required: ['b'] }] },
        notAllowed: { type: 'string', not: { enum: ['forbidden'] } },
        anyOf: { type: 'string', anyOf: [{ pattern: '^a' }, { pattern: '^b' }] },
        mode: { type: 'string', default: 'auto' },
        nested: { type: 'object', default: {}, properties: { depth: { type: 'integer', default: 3 } } },
        small: { type: 'integer', multipleOf: 5 },
      },
    },
  },
};

const base = () => ({ apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'small' } as Record<string, unknown> });

describe('validateObject', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
    { name: 'a valid object has no errors', spec: { size: 'large', replicas: 3, name: 'abc', port: 'http', tags: ['a', 'b'], when: '2024-01-02T03:04:05Z' }, want: [] },
    { name: 'wrong type names the expected type and the actual one', spec: { size: 'small', replicas: 'three' }, want: ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'] },
    { name: 'a missing required field', spec: {}, want: ['spec.size: Required value'] },
    { name: 'enum values outside the list', spec: { size: 'medium' }, want: ['spec.size: Unsupported value: "medium": supported values: "small", "large"'] },
    { name: 'minimum and maximum are inclusive', spec: { size: 'small', replicas: 11 }, want: ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10'] },
    { name: 'below the minimum', spec: { size: 'small', replicas: -1 }, want: ['spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0'] },
    { name: 'exclusive bounds', spec: { size: 'small', ratio: 1 }, want: ['spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1'] },
    { name: 'exclusive minimum', spec: { size: 'small', ratio: 0 }, want: ['spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0'] },
    { name: 'pattern mismatch', spec: { size: 'small', name: 'AB' }, want: ["spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'"] },
    { name: 'too short', spec: { size: 'small', name: 'a' }, want: ['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long'] },
    { name: 'too long', spec: { size: 'small', name: 'abcdef' }, want: ['spec.name: Too long: may not be longer than 5'] },
    { name: 'date-time format', spec: { size: 'small', when: 'yesterday' }, want: ['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"'] },
    { name: 'int32 range', spec: { size: 'small', replicas: 2 ** 31 }, want: ['spec.replicas: Invalid value: 2147483648: spec.replicas in body must be of type int32: "2147483648"', 'spec.replicas: Invalid value: 2147483648: spec.replicas in body should be less than or equal to 10'] },
    { name: 'int-or-string accepts neither booleans nor floats', spec: { size: 'small', port: true }, want: ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"'] },
    { name: 'int-or-string accepts numbers', spec: { size: 'small', port: 80 }, want: [] },
    { name: 'list-type set duplicates', spec: { size: 'small', tags: ['a', 'a'] }, want: ['spec.tags[1]: Duplicate value: "a"'] },
    { name: 'maxItems', spec: { size: 'small', tags: ['a', 'b', 'c', 'd'] }, want: ['spec.tags: Too many: must have at most 3 items'] },
    { name: 'minItems', spec: { size: 'small', tags: [] }, want: ['spec.tags: Invalid value: []: spec.tags in body should have at least 1 items'] },
    { name: 'list-type map duplicate keys', spec: { size: 'small', items: [{ name: 'x' }, { name: 'x', value: 1 }] }, want: ['spec.items[1]: Duplicate value: {"name":"x"}'] },
    { name: 'errors inside list items carry the index', spec: { size: 'small', items: [{ value: 'v' }] }, want: ['spec.items[0].name: Required value', 'spec.items[0].value: Invalid value: "string": spec.items[0].value in body must be of type integer: "string"'] },
    { name: 'map values are validated by additionalProperties', spec: { size: 'small', labels: { a: 1 } }, want: ['spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"'] },
    { name: 'maxProperties', spec: { size: 'small', labels: { a: 'x', b: 'y', c: 'z' } }, want: ['spec.labels: Too many: must have at most 2 items'] },
    { name: 'minProperties', spec: { size: 'small', labels: {} }, want: ['spec.labels: Invalid value: {}: spec.labels in body should have at least 1 properties'] },
    { name: 'null is accepted only when nullable', spec: { size: 'small', maybe: null, name: null }, want: ['spec.name: Invalid value: "null": spec.name in body must be of type string: "null"'] },
    { name: 'uniqueItems', spec: { size: 'small', unique: [1, 1] }, want: ["spec.unique: Invalid value: [1,1]: spec.unique in body shouldn't contain duplicates"] },
    { name: 'oneOf with none matching', spec: { size: 'small', oneOf: {} }, want: ['spec.oneOf: Invalid value: "": spec.oneOf in body must validate one and only one schema (oneOf)'] },
    { name: 'oneOf with both matching', spec: { size: 'small', oneOf: { a: 'x', b: 'y' } }, want: ['spec.oneOf: Invalid value: "": spec.oneOf in body must validate one and only one schema (oneOf). Found 2 valid alternatives'] },
    { name: 'not', spec: { size: 'small', notAllowed: 'forbidden' }, want: ['spec.notAllowed: Invalid value: "": spec.notAllowed in body must not validate the schema (not)'] },
    { name: 'anyOf with none matching', spec: { size: 'small', anyOf: 'c' }, want: ['spec.anyOf: Invalid value: "": spec.anyOf in body must validate at least one schema (anyOf)'] },
    { name: 'anyOf with one matching', spec: { size: 'small', anyOf: 'b' }, want: [] },
    { name: 'multipleOf', spec: { size: 'small', small: 7 }, want: ['spec.small: Invalid value: 7: spec.small in body should be a multiple of 5'] },
    { name: 'unknown fields are not validation errors (pruning handles them)', spec: { size: 'small', extra: 1 }, want: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const obj = { ...base(), spec: c.spec };
      assert.deepEqual(validateObject(obj, widget).map(formatFieldError), c.want);
    });
  }
  test('metadata at the root is not checked against the schema', () => {
    assert.deepEqual(validateObject({ ...base(), metadata: 'x' }, widget), []);
  });
  test('a missing spec of a required root field is Required', () => {
    assert.deepEqual(validateObject({ apiVersion: 'v', kind: 'k', metadata: {} }, { type: 'object', required: ['spec'], properties: { spec: { type: 'object' } } }).map(formatFieldError), ['spec: Required value']);
  });
});

describe('prune', () => {
  const cases: { name: string; obj: Record<string, unknown>; pruned: string[]; after: Record<string, unknown> }[] = [
    { name: 'unknown spec fields are removed', obj: { spec: { size: 'small', foo: 1 } }, pruned: ['spec.foo'], after: { spec: { size: 'small' } } },
    { name: 'unknown root fields are removed but apiVersion/kind/metadata stay', obj: { apiVersion: 'a', kind: 'k', metadata: { name: 'n', x: 1 }, extra: true }, pruned: ['extra'], after: { apiVersion: 'a', kind: 'k', metadata: { name: 'n', x: 1 } } },
    { name: 'inside list items, with the index', obj: { spec: { items: [{ name: 'a', bad: 1 }] } }, pruned: ['spec.items[0].bad'], after: { spec: { items: [{ name: 'a' }] } } },
    { name: 'preserve-unknown-fields keeps unknown fields but prunes known subtrees', obj: { spec: { free: { any: { thing: 1 }, known: { a: 'x', b: 'y' } } } }, pruned: ['spec.free.known.b'], after: { spec: { free: { any: { thing: 1 }, known: { a: 'x' } } } } },
    { name: 'embedded resources keep apiVersion, kind and metadata', obj: { spec: { embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 1 }, other: 2 } } }, pruned: ['spec.embedded.spec.x', 'spec.embedded.other'], after: { spec: { embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } } } },
    { name: 'additionalProperties keeps every key', obj: { spec: { labels: { a: 'b' } } }, pruned: [], after: { spec: { labels: { a: 'b' } } } },
    { name: 'int-or-string values are left alone', obj: { spec: { port: 8080 } }, pruned: [], after: { spec: { port: 8080 } } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const obj = structuredClone(c.obj);
      assert.deepEqual(prune(obj, widget), c.pruned);
      assert.deepEqual(obj, c.after);
    });
  }
  test('built-in kinds prune through $refs with a resolver and keep free-form JSON', () => {
    const schemas = builtinSchemas();
    const deploy = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }] },
      spec: { replicas: 1, bogus: 1, template: { spec: { containers: [{ name: 'c', image: 'i', imagee: 'typo', resources: { limits: { cpu: '1' } } }] } } },
    };
    const pruned = prune(deploy, schemas['io.k8s.api.apps.v1.Deployment'], resolver(schemas));
    assert.deepEqual(pruned, ['spec.bogus', 'spec.template.spec.containers[0].imagee']);
    assert.deepEqual(deploy.metadata.managedFields[0].fieldsV1, { 'f:spec': {} });
    assert.deepEqual(deploy.spec.template.spec.containers[0].resources, { limits: { cpu: '1' } });
  });
});

describe('applyDefaults', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: Record<string, unknown> }[] = [
    { name: 'absent fields get their default', spec: { size: 'small' }, want: { size: 'small', mode: 'auto', nested: { depth: 3 } } },
    { name: 'present values are kept', spec: { size: 'small', mode: 'manual', nested: { depth: 1 } }, want: { size: 'small', mode: 'manual', nested: { depth: 1 } } },
    { name: 'defaults apply inside list items', spec: { size: 'small', mode: 'm', nested: {}, items: [{ name: 'a' }] }, want: { size: 'small', mode: 'm', nested: { depth: 3 }, items: [{ name: 'a', value: 7 }] } },
    { name: 'null in a non-nullable field takes the default', spec: { size: 'small', mode: null, nested: {} }, want: { size: 'small', mode: 'auto', nested: { depth: 3 } } },
    { name: 'null in a non-nullable field without default is dropped; nullable null kept', spec: { size: 'small', name: null, maybe: null, mode: 'x', nested: {} }, want: { size: 'small', maybe: null, mode: 'x', nested: { depth: 3 } } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const obj = { ...base(), spec: structuredClone(c.spec) };
      applyDefaults(obj, widget);
      assert.deepEqual(obj.spec, c.want);
    });
  }
  test('defaults are copies, not shared', () => {
    const a = { ...base(), spec: { size: 'small' } as Record<string, unknown> };
    const b = { ...base(), spec: { size: 'small' } as Record<string, unknown> };
    applyDefaults(a, widget);
    applyDefaults(b, widget);
    (a.spec.nested as Record<string, unknown>).depth = 9;
    assert.deepEqual(b.spec.nested, { depth: 3 });
  });
});

describe('root fields kept as stored (a status write)', () => {
  const schema: Schema = {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: { type: 'object', properties: { size: { type: 'integer', maximum: 3 }, mode: { type: 'string', default: 'a' } } },
      status: { type: 'object', properties: { ready: { type: 'boolean' }, phase: { type: 'string', default: 'Pending' } } },
    },
  };
  const unchanged = new Set(['spec']);
  const object = () => ({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec: { size: 9, stale: true }, status: { ready: 'yes', extra: 1 } });

  test('prune, defaults and validation pass over them and still walk the rest', () => {
    const cases: { name: string; root: { unchanged?: ReadonlySet<string> }; pruned: string[]; spec: object; status: object; errors: string[] }[] = [
      {
        name: 'spec walked',
        root: {},
        pruned: ['spec.stale', 'status.extra'],
        spec: { size: 9, mode: 'a' },
        status: { ready: 'yes', phase: 'Pending' },
        errors: ['spec.size', 'status.ready'],
      },
      {
        name: 'spec kept as stored',
        root: { unchanged },
        pruned: ['status.extra'],
        spec: { size: 9, stale: true },
        status: { ready: 'yes', phase: 'Pending' },
        errors: ['status.ready'],
      },
    ];
    for (const c of cases) {
      const obj = object();
      assert.deepEqual(prune(obj, schema, undefined, c.root), c.pruned, c.name);
      applyDefaults(obj, schema, undefined, c.root);
      assert.deepEqual([obj.spec, obj.status], [c.spec, c.status], c.name);
      assert.deepEqual(validateObject(obj, schema, undefined, '', c.root).map((e) => e.field), c.errors, c.name);
    }
  });
});
