// The JSON values a built-in kind's typed Go fields refuse, as Go's encoding/json refuses them when
// kube-apiserver decodes a body: a number where a string belongs, 1.5 or 1e30 for an int64, an array
// for a struct. Kubernetes answers those with 400 "cannot be handled as a <Kind>: json: cannot unmarshal ...".
import { propertyOf, type Schema, type SchemaResolver } from './schema.js';

/** Types with their own Go unmarshaller: what JSON each accepts (undefined: anything) */
const customUnmarshallers: Record<string, readonly string[] | undefined> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': ['string', 'number'],
  'io.k8s.apimachinery.pkg.api.resource.Quantity': ['string', 'number'],
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': ['string'],
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': ['string'],
  'io.k8s.apimachinery.pkg.runtime.RawExtension': undefined,
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': undefined,
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': undefined,
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': undefined,
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': undefined,
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': undefined,
};

const int32Range = [-(2 ** 31), 2 ** 31 - 1] as const;
// 2^63 is the first float64 above int64's range: JSON.parse has already rounded anything near it
const int64Limit = 2 ** 63;

interface GoTypeError {
  /** the innermost Go struct's name and the field's path from the root, as Go prints them: ObjectMeta.metadata.generation */
  field: string;
  /** what the JSON held: "string", "number 1.5", "bool", "array", "object" */
  json: string;
  /** the Go type that refused it: string, int64, []v1.Container, map[string]string, v1.ObjectMeta */
  goType: string;
}

export function formatGoTypeError(e: GoTypeError): string {
  return `json: cannot unmarshal ${e.json} into Go struct field ${e.field} of type ${e.goType}`;
}

/**
 * The first value in obj that Go's decoder would refuse for the schema named rootName, or undefined.
 * `stored`: an object that passed before (the one an update replaces); a part of obj that is that
 * object's own part at the same place (===, as a write built from a read shares them) is not walked again.
 */
export function findGoTypeError(obj: unknown, rootName: string, root: Schema, resolve: SchemaResolver, stored?: unknown): GoTypeError | undefined {
  return check(obj, root, resolve, { struct: shortName(rootName) }, rootName, stored);
}

/** the part of a stored value at key (or index), when it is an object or array */
function storedAt(stored: unknown, key: string | number): unknown {
  return typeof stored === 'object' && stored !== null ? (stored as Record<string | number, unknown>)[key] : undefined;
}

/**
 * Where a value sits: the innermost named struct and the field names from the root, as a chain
 * walked only when a value is refused (every field of every write passes here; almost none fail).
 */
interface Where {
  struct: string;
  key?: string;
  up?: Where;
}

function check(value: unknown, raw: Schema, resolve: SchemaResolver, where: Where, name = refTarget(raw), stored?: unknown): GoTypeError | undefined {
  if (value === null || value === undefined || value === stored) return undefined; // Go leaves the zero value; stored parts passed
  if (name && name in customUnmarshallers) {
    const accepts = customUnmarshallers[name];
    if (!accepts || accepts.includes(typeof value)) return undefined;
    return refusal(value, where, shortGoName(name));
  }
  const schema = resolve(raw);
  if (!schema) return undefined;
  if (schema['x-kubernetes-int-or-string']) return ['string', 'number'].includes(typeof value) ? undefined : refusal(value, where, 'intstr.IntOrString');
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? undefined : refusal(value, where, 'string');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : refusal(value, where, 'bool');
    case 'number':
      return typeof value === 'number' ? undefined : refusal(value, where, 'float64');
    case 'integer': {
      const goType = schema.format === 'int32' ? 'int32' : 'int64';
      if (typeof value !== 'number') return refusal(value, where, goType);
      const [min, max] = goType === 'int32' ? int32Range : [-int64Limit, int64Limit];
      const inRange = goType === 'int32' ? value >= min && value <= max : value >= min && value < max;
      return Number.isInteger(value) && inRange ? undefined : { field: fieldOf(where), json: `number ${value}`, goType };
    }
    case 'array': {
      if (!Array.isArray(value)) return refusal(value, where, `[]${elementGoName(schema.items)}`);
      if (!schema.items) return undefined;
      for (let i = 0; i < value.length; i++) {
        const err = check(value[i], schema.items, resolve, where, undefined, storedAt(stored, i));
        if (err) return err;
      }
      return undefined;
    }
  }
  if (schema.properties) {
    if (!isPlainObject(value)) return refusal(value, where, name ? shortGoName(name) : 'struct');
    const inner = name ? shortName(name) : where.struct;
    for (const key in value) {
      const prop = propertyOf(schema, key);
      if (!prop) continue; // unknown fields are pruning's business
      const err = check(value[key], prop, resolve, { struct: inner, key, up: where }, undefined, storedAt(stored, key));
      if (err) return err;
    }
    return undefined;
  }
  if (typeof schema.additionalProperties === 'object') {
    if (!isPlainObject(value)) return refusal(value, where, `map[string]${elementGoName(schema.additionalProperties)}`);
    for (const key in value) {
      const err = check(value[key], schema.additionalProperties, resolve, where, undefined, storedAt(stored, key));
      if (err) return err;
    }
  }
  return undefined;
}

function refusal(value: unknown, where: Where, goType: string): GoTypeError {
  return { field: fieldOf(where), json: jsonTypeOf(value), goType };
}

function fieldOf(where: Where): string {
  const keys: string[] = [];
  for (let w: Where | undefined = where; w; w = w.up) if (w.key !== undefined) keys.push(w.key);
  return keys.length ? `${where.struct}.${keys.reverse().join('.')}` : where.struct;
}

function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  return typeof value; // string, object
}

function elementGoName(schema: Schema | undefined): string {
  if (!schema) return 'interface {}';
  const name = refTarget(schema);
  if (name) return shortGoName(name);
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return schema.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'array':
      return `[]${elementGoName(schema.items)}`;
  }
  return typeof schema.additionalProperties === 'object' ? `map[string]${elementGoName(schema.additionalProperties)}` : 'interface {}';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const refTargets = new WeakMap<Schema, string | null>();

/** the schema name a `$ref` (or a lone `allOf: [{$ref}]`) points at */
function refTarget(schema: Schema): string | undefined {
  let name = refTargets.get(schema);
  if (name === undefined) {
    const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0].$ref : undefined);
    name = ref ? ref.slice(ref.lastIndexOf('/') + 1) : null;
    refTargets.set(schema, name);
  }
  return name ?? undefined;
}

/** io.k8s.api.core.v1.ObjectMeta -> ObjectMeta */
function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** io.k8s.api.core.v1.Container -> v1.Container, as Go prints a named type */
function shortGoName(name: string): string {
  const parts = name.split('.');
  return parts.slice(-2).join('.');
}
