// The structural-schema steps apiextensions-apiserver runs on every custom resource write:
// prune unknown fields, apply `default:`s, validate against the OpenAPI v3 schema. Errors come out
// as kube-apiserver words them (kube-openapi's validator, converted by apiextensions to field errors).
// Pruning also works on built-in kinds given a resolver for their `$ref`s.
import type { FieldError } from '../../apimachinery/errors.js';
import { identityResolver, propertyOf, type Schema, type SchemaResolver } from '../../apimachinery/schema.js';

type JSONObject = Record<string, unknown>;

const isObject = (v: unknown): v is JSONObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const child = (path: string, name: string) => (path ? `${path}.${name}` : name);
const index = (path: string, i: number) => `${path}[${i}]`;
const rootKeys = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * What the walk knows at the root: `unchanged` names root fields holding the stored object's own
 * values (a status write keeps spec as stored, already pruned, defaulted and validated), which are
 * not walked again. Below the root the walks pass false.
 */
export interface RootWalk {
  unchanged?: ReadonlySet<string>;
}
const skipped = (root: false | RootWalk, key: string) => !!root && !!root.unchanged?.has(key);

// ---- pruning ------------------------------------------------------------------------------------------

/**
 * Removes fields the schema does not declare, in place, and returns their paths ("spec.foo",
 * "spec.items[0].bar"). Kept: apiVersion/kind/metadata at the root and in embedded resources,
 * anything under x-kubernetes-preserve-unknown-fields (unless its properties say otherwise).
 */
export function prune(obj: unknown, schema: Schema, resolve: SchemaResolver = identityResolver, root: RootWalk = {}): string[] {
  const pruned: string[] = [];
  pruneNode(obj, schema, resolve, '', root, pruned);
  return pruned;
}

function pruneNode(value: unknown, raw: Schema | undefined, resolve: SchemaResolver, path: string, isRoot: false | RootWalk, out: string[]): void {
  const schema = resolve(raw);
  if (!schema) return;
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((v, i) => pruneNode(v, schema.items, resolve, index(path, i), false, out));
    return;
  }
  if (!isObject(value)) return;
  const keepMeta = isRoot || schema['x-kubernetes-embedded-resource'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const declaresShape = schema.type === 'object' || schema.properties !== undefined || schema.additionalProperties !== undefined;
  if (!declaresShape && !preserve) return;
  for (const key of Object.keys(value)) {
    if ((keepMeta && rootKeys.has(key)) || skipped(isRoot, key)) continue;
    const prop = propertyOf(schema, key);
    if (prop) {
      pruneNode(value[key], prop, resolve, child(path, key), false, out);
    } else if (isObject(schema.additionalProperties)) {
      pruneNode(value[key], schema.additionalProperties, resolve, child(path, key), false, out);
    } else if (!preserve && schema.additionalProperties !== true) {
      delete value[key];
      out.push(child(path, key));
    }
  }
}

// ---- defaulting ---------------------------------------------------------------------------------------

/**
 * Fills `default:` values in place, depth first as apiextensions does: a defaulted object is itself
 * defaulted. `null` in a non-nullable field is dropped (or replaced by the default), also as there.
 */
export function applyDefaults(obj: unknown, schema: Schema, resolve: SchemaResolver = identityResolver, root: RootWalk = {}): void {
  defaultNode(obj, schema, resolve, root);
}

/** a schema's declared properties, resolved: once per schema, not per object of every write */
const resolvedProperties = new WeakMap<SchemaResolver, WeakMap<Schema, [string, Schema][]>>();

function propertiesOf(schema: Schema, resolve: SchemaResolver): [string, Schema][] {
  let bySchema = resolvedProperties.get(resolve);
  if (!bySchema) resolvedProperties.set(resolve, (bySchema = new WeakMap()));
  let props = bySchema.get(schema);
  if (!props) {
    props = [];
    for (const [key, raw] of Object.entries(schema.properties ?? {})) {
      const prop = resolve(raw);
      if (prop) props.push([key, prop]);
    }
    bySchema.set(schema, props);
  }
  return props;
}

function defaultNode(value: unknown, raw: Schema | undefined, resolve: SchemaResolver, isRoot: false | RootWalk): void {
  const schema = resolve(raw);
  if (!schema) return;
  if (Array.isArray(value)) {
    if (schema.items) for (const v of value) defaultNode(v, schema.items, resolve, false);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, prop] of propertiesOf(schema, resolve)) {
    if ((isRoot && key === 'metadata') || skipped(isRoot, key)) continue;
    if (value[key] === null && !prop.nullable) {
      if (prop.default !== undefined) value[key] = structuredClone(prop.default);
      else delete value[key];
    } else if (!(key in value) && prop.default !== undefined) {
      value[key] = structuredClone(prop.default);
    }
    if (key in value) defaultNode(value[key], prop, resolve, false);
  }
  if (isObject(schema.additionalProperties)) {
    for (const key of Object.keys(value)) {
      if (propertyOf(schema, key)) continue;
      defaultNode(value[key], schema.additionalProperties, resolve, false);
    }
  }
}

// ---- validation ---------------------------------------------------------------------------------------

/** The JSON type name kube-openapi reports for a value. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

function hasType(v: unknown, type: NonNullable<Schema['type']>): boolean {
  switch (type) {
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'array': return Array.isArray(v);
    case 'object': return isObject(v);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

const dateTimeRe = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?$/;
const ipv4Re = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const ipv6Re = /^(([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(([0-9a-fA-F]{1,4}:){0,7}[0-9a-fA-F]{0,4})?::(([0-9a-fA-F]{1,4}:){0,7}[0-9a-fA-F]{0,4})?|([0-9a-fA-F]{1,4}:){6}(\d{1,3}\.){3}\d{1,3}|::([fF]{4}:)?(\d{1,3}\.){3}\d{1,3})$/;
/** String formats Kubernetes checks; others (and "int-or-string", "password") are accepted as is. */
const stringFormats: Record<string, (s: string) => boolean> = {
  'date-time': (s) => dateTimeRe.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  datetime: (s) => stringFormats['date-time'](s),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  byte: (s) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s),
  uuid: (s) => /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(s),
  ipv4: (s) => ipv4Re.test(s),
  ipv6: (s) => ipv6Re.test(s),
  cidr: (s) => {
    const [ip, bits, extra] = s.split('/');
    if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
    return (ipv4Re.test(ip) && Number(bits) <= 32) || (ipv6Re.test(ip) && Number(bits) <= 128);
  },
  hostname: (s) => s.length <= 255 && /^([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*\.?$/.test(s),
  email: (s) => /^[^\s@]+@[^\s@]+$/.test(s),
  mac: (s) => /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/.test(s),
  duration: (s) => /^(-?\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w))+$|^0$/.test(s),
};
const integerFormats: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
};

const regexCache = new Map<string, RegExp | null>();
function compilePattern(pattern: string): RegExp | null {
  if (!regexCache.has(pattern)) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = null;
      }
    }
    regexCache.set(pattern, re);
  }
  return regexCache.get(pattern)!;
}

const showEnum = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const inBody = (path: string) => `${path || 'body'} in body`;

/**
 * Validates a custom resource against its schema. Errors carry Kubernetes field paths
 * ("spec.items[0].name") and kube-apiserver's words. apiVersion, kind and metadata at the root are
 * left to the generic object checks.
 */
export function validateObject(obj: unknown, schema: Schema, resolve: SchemaResolver = identityResolver, rootPath = '', root: RootWalk = {}): FieldError[] {
  const errs: FieldError[] = [];
  validateNode(obj, schema, resolve, rootPath, root, errs);
  return errs;
}

function validateNode(value: unknown, raw: Schema | undefined, resolve: SchemaResolver, path: string, isRoot: false | RootWalk, errs: FieldError[]): void {
  const schema = resolve(raw);
  if (!schema) return;

  if (value === null) {
    if (schema.nullable) return;
    if (schema.type) errs.push({ type: 'FieldValueTypeInvalid', field: path, value: 'null', detail: `${inBody(path)} must be of type ${schema.type}: "null"` });
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      errs.push({ type: 'FieldValueTypeInvalid', field: path, value: typeName(value), detail: `${inBody(path)} must be of type integer,string: "${typeName(value)}"` });
      return;
    }
  } else if (schema.type && !hasType(value, schema.type)) {
    errs.push({ type: 'FieldValueTypeInvalid', field: path, value: typeName(value), detail: `${inBody(path)} must be of type ${schema.type}: "${typeName(value)}"` });
    return;
  }

  if (schema.enum && !schema.enum.some((e) => deepEqual(e, value))) {
    errs.push({ type: 'FieldValueNotSupported', field: path, value, supported: schema.enum.map(showEnum) });
  }

  if (typeof value === 'string') validateString(value, schema, path, errs);
  if (typeof value === 'number') validateNumber(value, schema, path, errs);
  if (Array.isArray(value)) validateArray(value, schema, resolve, path, errs);
  if (isObject(value)) validateObjectNode(value, schema, resolve, path, isRoot, errs);
  validateCombinators(value, schema, resolve, path, isRoot, errs);
}

function validateString(value: string, schema: Schema, path: string, errs: FieldError[]): void {
  // in characters (code points), counted only where a bound asks
  const length = schema.maxLength !== undefined || schema.minLength !== undefined ? [...value].length : 0;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    errs.push({ type: 'FieldValueTooLong', field: path, value, detail: `may not be longer than ${schema.maxLength}` });
  }
  if (schema.minLength !== undefined && length < schema.minLength) {
    errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${inBody(path)} should be at least ${schema.minLength} chars long` });
  }
  if (schema.pattern !== undefined) {
    const re = compilePattern(schema.pattern);
    if (re && !re.test(value)) errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${inBody(path)} should match '${schema.pattern}'` });
  }
  const check = schema.format ? stringFormats[schema.format] : undefined;
  if (check && !check(value)) {
    errs.push({ type: 'FieldValueTypeInvalid', field: path, value, detail: `${inBody(path)} must be of type ${schema.format}: ${JSON.stringify(value)}` });
  }
}

function validateNumber(value: number, schema: Schema, path: string, errs: FieldError[]): void {
  const range = schema.format ? integerFormats[schema.format] : undefined;
  if (range && Number.isInteger(value) && (value < range[0] || value > range[1])) {
    errs.push({ type: 'FieldValueTypeInvalid', field: path, value, detail: `${inBody(path)} must be of type ${schema.format}: "${value}"` });
  }
  if (schema.minimum !== undefined) {
    if (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum) {
      errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${inBody(path)} should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}` });
    }
  }
  if (schema.maximum !== undefined) {
    if (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum) {
      errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${inBody(path)} should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}` });
    }
  }
  if (schema.multipleOf !== undefined && schema.multipleOf > 0) {
    const q = value / schema.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${inBody(path)} should be a multiple of ${schema.multipleOf}` });
  }
}

function validateArray(value: unknown[], schema: Schema, resolve: SchemaResolver, path: string, errs: FieldError[]): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errs.push({ type: 'FieldValueTooMany', field: path, value: value.length, detail: `must have at most ${schema.maxItems} items` });
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${inBody(path)} should have at least ${schema.minItems} items` });
  }
  if (schema.uniqueItems && value.some((v, i) => value.findIndex((w) => deepEqual(v, w)) !== i)) {
    errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${inBody(path)} shouldn't contain duplicates` });
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') {
    value.forEach((v, i) => {
      if (value.findIndex((w) => deepEqual(v, w)) !== i) errs.push({ type: 'FieldValueDuplicate', field: index(path, i), value: v });
    });
  } else if (listType === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const itemSchema = resolve(schema.items);
    const keyOf = (v: unknown) =>
      JSON.stringify(keys.map((k) => (isObject(v) && v[k] !== undefined ? v[k] : resolve(propertyOf(itemSchema, k))?.default ?? null)));
    const seen = new Set<string>();
    value.forEach((v, i) => {
      const k = keyOf(v);
      if (seen.has(k)) errs.push({ type: 'FieldValueDuplicate', field: index(path, i), value: isObject(v) ? Object.fromEntries(keys.filter((key) => key in v).map((key) => [key, v[key]])) : v });
      seen.add(k);
    });
  }
  if (schema.items) value.forEach((v, i) => validateNode(v, schema.items, resolve, index(path, i), false, errs));
}

function validateObjectNode(value: JSONObject, schema: Schema, resolve: SchemaResolver, path: string, isRoot: false | RootWalk, errs: FieldError[]): void {
  const count = schema.maxProperties !== undefined || schema.minProperties !== undefined ? Object.keys(value).length : 0;
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    errs.push({ type: 'FieldValueTooMany', field: path, value: count, detail: `must have at most ${schema.maxProperties} items` });
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${inBody(path)} should have at least ${schema.minProperties} properties` });
  }
  for (const name of schema.required ?? []) {
    if (isRoot && rootKeys.has(name)) continue;
    if (!(name in value)) errs.push({ type: 'FieldValueRequired', field: child(path, name), detail: '' });
  }
  for (const key in value) {
    if ((isRoot && key === 'metadata') || skipped(isRoot, key)) continue;
    const v = value[key];
    const prop = propertyOf(schema, key);
    if (prop) validateNode(v, prop, resolve, child(path, key), false, errs);
    else if (isObject(schema.additionalProperties)) validateNode(v, schema.additionalProperties, resolve, child(path, key), false, errs);
  }
}

function validateCombinators(value: unknown, schema: Schema, resolve: SchemaResolver, path: string, isRoot: false | RootWalk, errs: FieldError[]): void {
  if (!schema.allOf && !schema.anyOf && !schema.oneOf && !schema.not) return;
  const check = (s: Schema) => {
    const sub: FieldError[] = [];
    validateNode(value, s, resolve, path, isRoot, sub);
    return sub;
  };
  for (const s of schema.allOf ?? []) errs.push(...check(s));
  if (schema.anyOf?.length && !schema.anyOf.some((s) => check(s).length === 0)) {
    errs.push({ type: 'FieldValueInvalid', field: path, value: '', detail: `${inBody(path)} must validate at least one schema (anyOf)` });
  }
  if (schema.oneOf?.length) {
    const passing = schema.oneOf.filter((s) => check(s).length === 0).length;
    const found = passing > 1 ? `. Found ${passing} valid alternatives` : '';
    if (passing !== 1) errs.push({ type: 'FieldValueInvalid', field: path, value: '', detail: `${inBody(path)} must validate one and only one schema (oneOf)${found}` });
  }
  if (schema.not && check(schema.not).length === 0) {
    errs.push({ type: 'FieldValueInvalid', field: path, value: '', detail: `${inBody(path)} must not validate the schema (not)` });
  }
}
