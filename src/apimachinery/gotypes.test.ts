import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findGoTypeError, formatGoTypeError } from './gotypes.js';
import type { Schema, SchemaResolver } from './schema.js';

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const schemas: Record<string, Schema> = {
  'io.k8s.api.core.v1.Thing': {
    type: 'object',
    properties: {
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      data: { type: 'object', additionalProperties: { type: 'string' } },
      spec: ref('io.k8s.api.core.v1.ThingSpec'),
    },
  },
  'io.k8s.api.core.v1.ThingSpec': {
    type: 'object',
    properties: {
      replicas: { type: 'integer', format: 'int32' },
      paused: { type: 'boolean' },
      ratio: { type: 'number', format: 'double' },
      port: ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString'),
      cpu: ref('io.k8s.apimachinery.pkg.api.resource.Quantity'),
      raw: ref('io.k8s.apimachinery.pkg.runtime.RawExtension'),
      containers: { type: 'array', items: ref('io.k8s.api.core.v1.Container') },
      args: { type: 'array', items: { type: 'string' } },
    },
  },
  'io.k8s.api.core.v1.Container': { type: 'object', properties: { name: { type: 'string' } } },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      generation: { type: 'integer', format: 'int64' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      creationTimestamp: ref('io.k8s.apimachinery.pkg.apis.meta.v1.Time'),
    },
  },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object' },
};
const resolve: SchemaResolver = (s) => (s?.$ref ? schemas[s.$ref.slice(s.$ref.lastIndexOf('/') + 1)] : s);
const root = 'io.k8s.api.core.v1.Thing';
const check = (obj: unknown) => {
  const found = findGoTypeError(obj, root, schemas[root], resolve);
  return found && formatGoTypeError(found);
};

describe('findGoTypeError: what Go refuses to decode', () => {
  const cases: [string, unknown, string | undefined][] = [
    ['a well-typed object', { metadata: { name: 'a', generation: 3, labels: { x: 'y' } }, data: { k: 'v' }, spec: { replicas: 2, paused: true, ratio: 0.5, args: ['a'] } }, undefined],
    ['null anywhere is the zero value', { metadata: { name: null }, spec: { replicas: null, containers: null } }, undefined],
    ['unknown fields are not its business', { spec: { bogus: [1, 2] } }, undefined],
    ['a number in a map of strings', { data: { k: 5 } }, 'json: cannot unmarshal number into Go struct field Thing.data of type string'],
    ['a number as the name', { metadata: { name: 5 } }, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string'],
    ['int64 beyond its range', { metadata: { generation: 1e30 } }, 'json: cannot unmarshal number 1e+30 into Go struct field ObjectMeta.metadata.generation of type int64'],
    ['int64 at 2^63 overflows', { metadata: { generation: 2 ** 63 } }, 'json: cannot unmarshal number 9223372036854776000 into Go struct field ObjectMeta.metadata.generation of type int64'],
    ['a fraction for an int32', { spec: { replicas: 1.5 } }, 'json: cannot unmarshal number 1.5 into Go struct field ThingSpec.spec.replicas of type int32'],
    ['int32 beyond its range', { spec: { replicas: 2 ** 31 } }, 'json: cannot unmarshal number 2147483648 into Go struct field ThingSpec.spec.replicas of type int32'],
    ['a string for an int32', { spec: { replicas: 'three' } }, 'json: cannot unmarshal string into Go struct field ThingSpec.spec.replicas of type int32'],
    ['a string for a bool', { spec: { paused: 'true' } }, 'json: cannot unmarshal string into Go struct field ThingSpec.spec.paused of type bool'],
    ['an object for a list', { spec: { containers: { name: 'a' } } }, 'json: cannot unmarshal object into Go struct field ThingSpec.spec.containers of type []v1.Container'],
    ['a string for a struct', { spec: 'x' }, 'json: cannot unmarshal string into Go struct field Thing.spec of type v1.ThingSpec'],
    ['a wrong type inside a list item', { spec: { containers: [{ name: 'a' }, { name: 7 }] } }, 'json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string'],
    ['an array for a map', { data: ['a'] }, 'json: cannot unmarshal array into Go struct field Thing.data of type map[string]string'],
    ['IntOrString takes a number or a string', { spec: { port: 80 } }, undefined],
    ['IntOrString refuses a bool', { spec: { port: true } }, 'json: cannot unmarshal bool into Go struct field ThingSpec.spec.port of type intstr.IntOrString'],
    ['Quantity takes a bare number', { spec: { cpu: 2 } }, undefined],
    ['Time refuses a number', { metadata: { creationTimestamp: 5 } }, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type v1.Time'],
    ['RawExtension takes anything', { spec: { raw: [1, 'a'] } }, undefined],
    ['a list of strings with a number', { spec: { args: ['a', 2] } }, 'json: cannot unmarshal number into Go struct field ThingSpec.spec.args of type string'],
  ];
  for (const [name, obj, want] of cases) test(name, () => assert.equal(check(obj), want));
});

describe('findGoTypeError with the stored object: what an update shares with it is not walked again', () => {
  // a stored part that would be refused shows whether the walk went into it
  const refused = { replicas: 'three' };
  const item = { name: 7 };
  const stored = { spec: refused, data: { k: 'v' }, metadata: { labels: { a: 'b' } }, items: [item] };
  const cases: [string, unknown, unknown, string | undefined][] = [
    ['the stored spec itself is skipped', { spec: refused }, stored, undefined],
    ['a separate spec is walked: its new values are checked', { spec: { replicas: 'four' } }, stored, 'json: cannot unmarshal string into Go struct field ThingSpec.spec.replicas of type int32'],
    ['a changed field beside shared ones is checked', { spec: refused, data: { k: 5 } }, stored, 'json: cannot unmarshal number into Go struct field Thing.data of type string'],
    ['a shared list item is skipped, a new one checked', { spec: { containers: [stored.items[0], { name: 8 }] } }, { spec: { containers: [item] } }, 'json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string'],
    ['a list item shared at its index is skipped', { spec: { containers: [item] } }, { spec: { containers: [item] } }, undefined],
    ['equal scalars at the same place pass as they did', { metadata: { generation: 3 } }, { metadata: { generation: 3 } }, undefined],
    ['no stored object: everything is checked', { spec: refused }, undefined, 'json: cannot unmarshal string into Go struct field ThingSpec.spec.replicas of type int32'],
  ];
  for (const [name, obj, old, want] of cases) {
    test(name, () => {
      const found = findGoTypeError(obj, root, schemas[root], resolve, old);
      assert.equal(found && formatGoTypeError(found), want);
    });
  }
});
