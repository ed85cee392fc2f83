// The structural schema shape shared by OpenAPI documents, CRD validation, strategic merge patch and
// server-side apply: a subset of OpenAPI v3 / apiextensions JSONSchemaProps with Kubernetes extensions.

export interface Schema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** strategic merge patch: the key that identifies list items (e.g. "name" for containers) */
  'x-kubernetes-patch-merge-key'?: string;
  /** strategic merge patch: "merge", "replace", "retainKeys" or "merge,retainKeys" */
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  'x-kubernetes-validations'?: { rule: string; message?: string }[];
  [extension: `x-${string}`]: unknown;
}

/** Follows `$ref` (and a lone `allOf: [{$ref}]`, as OpenAPI v3 documents wrap refs) to the schema it names. */
export type SchemaResolver = (schema: Schema | undefined) => Schema | undefined;

export const identityResolver: SchemaResolver = (s) => s;

/** The schema of one property, own properties only: a field named "toString" or "__proto__" is unknown, not Object's. */
export function propertyOf(schema: Schema | undefined, key: string): Schema | undefined {
  const props = schema?.properties;
  return props && Object.hasOwn(props, key) ? props[key] : undefined;
}
