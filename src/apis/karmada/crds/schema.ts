// Small builders for structural OpenAPI v3 schemas and CustomResourceDefinitions, so each Karmada
// kind reads as a tree of its fields rather than as pages of nested literals.
import type { Schema } from '../../../apimachinery/schema.js';
import type { CustomResourceColumnDefinition, CustomResourceDefinition } from '../../apiextensions/types.js';

type Props = Record<string, Schema>;

interface Common {
  description?: string;
}

/** An object with known fields. */
export function obj(properties: Props, opts: Common & { required?: string[] } = {}): Schema {
  const s: Schema = { type: 'object', properties };
  if (opts.description) s.description = opts.description;
  if (opts.required?.length) s.required = [...opts.required];
  return s;
}

/** A list of `items`. */
export function arr(items: Schema, opts: Common & { minItems?: number; maxItems?: number; listType?: 'atomic' | 'set' } | string = {}): Schema {
  const o = typeof opts === 'string' ? { description: opts } : opts;
  const s: Schema = { type: 'array', items };
  if (o.description) s.description = o.description;
  if (o.minItems !== undefined) s.minItems = o.minItems;
  if (o.maxItems !== undefined) s.maxItems = o.maxItems;
  if (o.listType) s['x-kubernetes-list-type'] = o.listType;
  return s;
}

interface StrOpts extends Common {
  enum?: string[];
  default?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
}

export function str(opts: StrOpts | string = {}): Schema {
  const o = typeof opts === 'string' ? { description: opts } : opts;
  const s: Schema = { type: 'string' };
  if (o.description) s.description = o.description;
  if (o.enum) s.enum = [...o.enum];
  if (o.default !== undefined) s.default = o.default;
  if (o.pattern) s.pattern = o.pattern;
  if (o.minLength !== undefined) s.minLength = o.minLength;
  if (o.maxLength !== undefined) s.maxLength = o.maxLength;
  if (o.format) s.format = o.format;
  return s;
}

interface IntOpts extends Common {
  default?: number;
  minimum?: number;
  maximum?: number;
  format?: 'int32' | 'int64';
}

export function int(opts: IntOpts | string = {}): Schema {
  const o = typeof opts === 'string' ? { description: opts } : opts;
  const s: Schema = { type: 'integer', format: o.format ?? 'int32' };
  if (o.description) s.description = o.description;
  if (o.default !== undefined) s.default = o.default;
  if (o.minimum !== undefined) s.minimum = o.minimum;
  if (o.maximum !== undefined) s.maximum = o.maximum;
  return s;
}

export function bool(description?: string): Schema {
  return description ? { type: 'boolean', description } : { type: 'boolean' };
}

export function timestamp(description?: string): Schema {
  return str({ format: 'date-time', description });
}

/** A string → string map (labels, node selectors). */
export function strMap(description?: string): Schema {
  const s: Schema = { type: 'object', additionalProperties: { type: 'string' } };
  if (description) s.description = description;
  return s;
}

/** Anything goes below this point: embedded manifests, raw status, free-form values. */
export function preserved(description?: string, anyType = false): Schema {
  const s: Schema = { 'x-kubernetes-preserve-unknown-fields': true };
  if (!anyType) s.type = 'object';
  if (description) s.description = description;
  return s;
}

const quantityPattern = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** resource.Quantity: an integer or a string such as "500m" or "2Gi". */
export function quantity(description?: string): Schema {
  const s: Schema = { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: quantityPattern };
  if (description) s.description = description;
  return s;
}

/** corev1.ResourceList: resource name → quantity. */
export function resourceList(description?: string): Schema {
  const s: Schema = { type: 'object', additionalProperties: quantity() };
  if (description) s.description = description;
  return s;
}

export function intOrString(description?: string): Schema {
  const s: Schema = { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
  if (description) s.description = description;
  return s;
}

/** metav1.LabelSelector */
export function labelSelector(description = 'Selects objects by their labels; an empty selector matches everything.'): Schema {
  return obj(
    {
      matchLabels: strMap('Labels that must all be present with these values.'),
      matchExpressions: arr(
        obj(
          {
            key: str('The label key.'),
            operator: str('In, NotIn, Exists or DoesNotExist.'),
            values: arr(str(), { description: 'Values for In and NotIn; empty for Exists and DoesNotExist.', listType: 'atomic' }),
          },
          { required: ['key', 'operator'] },
        ),
        { description: 'Requirements that must all hold.', listType: 'atomic' },
      ),
    },
    { description },
  );
}

/** metav1.Condition */
export function conditions(description = 'The latest observations of the object state.'): Schema {
  return arr(
    obj(
      {
        type: str({ description: 'Condition type, in CamelCase.', maxLength: 316 }),
        status: str({ description: 'True, False or Unknown.', enum: ['True', 'False', 'Unknown'] }),
        observedGeneration: int({ format: 'int64', minimum: 0, description: 'The generation the condition was set from.' }),
        lastTransitionTime: timestamp('When the status last changed.'),
        reason: str({ description: 'Machine-readable CamelCase reason.', maxLength: 1024 }),
        message: str({ description: 'Human-readable details.', maxLength: 32768 }),
      },
      // Kubernetes also requires lastTransitionTime, reason and message; controllers here may leave
      // an empty message out, so only the identity of the condition is enforced.
      { required: ['type', 'status'] },
    ),
    description,
  );
}

/** The envelope of one kind: apiVersion, kind, metadata, spec and optionally status. */
export function kindSchema(description: string, spec: Schema, status?: Schema, required: string[] = ['spec']): Schema {
  const properties: Props = {
    apiVersion: str('The versioned schema of this representation of an object.'),
    kind: str('The REST resource this object represents.'),
    metadata: { type: 'object' },
    spec,
  };
  if (status) properties.status = status;
  return obj(properties, { description, required });
}

// ---- CustomResourceDefinitions ----

export const ageColumn: CustomResourceColumnDefinition = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export function column(name: string, jsonPath: string, type = 'string', extra: Partial<CustomResourceColumnDefinition> = {}): CustomResourceColumnDefinition {
  return { name, type, jsonPath, ...extra };
}

interface VersionSpec {
  name: string;
  schema: Schema;
  storage?: boolean;
  /** serve a status subresource */
  status?: boolean;
  columns?: CustomResourceColumnDefinition[];
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
}

interface CRDSpec {
  group: string;
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  shortNames?: string[];
  categories?: string[];
  versions: VersionSpec[];
}

export const karmadaCategory = 'karmada-io';

/** Label on every CRD this project installs, so they can be found again. */
const managedByLabel = 'app.kubernetes.io/managed-by';
const managedByValue = 'karmada-ts';

export function crd(spec: CRDSpec): CustomResourceDefinition {
  const names: CustomResourceDefinition['spec']['names'] = {
    plural: spec.plural,
    singular: spec.kind.toLowerCase(),
    kind: spec.kind,
    listKind: `${spec.kind}List`,
  };
  if (spec.shortNames?.length) names.shortNames = [...spec.shortNames];
  if (spec.categories?.length) names.categories = [...spec.categories];
  const single = spec.versions.length === 1;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${spec.plural}.${spec.group}`, labels: { [managedByLabel]: managedByValue } },
    spec: {
      group: spec.group,
      names,
      scope: spec.scope,
      versions: spec.versions.map((v) => {
        const out: CustomResourceDefinition['spec']['versions'][number] = {
          name: v.name,
          served: true,
          storage: v.storage ?? single,
          schema: { openAPIV3Schema: v.schema },
        };
        if (v.status || v.scale) {
          out.subresources = {};
          if (v.status) out.subresources.status = {};
          if (v.scale) out.subresources.scale = { ...v.scale };
        }
        if (v.columns?.length) out.additionalPrinterColumns = v.columns.map((c) => ({ ...c }));
        return out;
      }),
    },
  };
}
