// The schema-driven steps of every write: prune unknown fields (honouring fieldValidation),
// default, validate (names, labels, the kind's rules, a CRD's schema), record field managers.
import { isCustomResource, type ResourceDef } from '../../apis/resource.js';
import { errors, type FieldError } from '../../apimachinery/errors.js';
import type { Schema, SchemaResolver } from '../../apimachinery/schema.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment, validateAnnotations, validateLabels, validateObjectMetaName, type NameRule } from '../../apimachinery/validation.js';
import { applyDefaults, prune, validateObject, type RootWalk } from '../crd/schema.js';
import { updateManagedFields } from '../../apimachinery/managedfields.js';
import { findGoTypeError, formatGoTypeError } from '../../apimachinery/gotypes.js';
import type { RequestContext } from './context.js';

export interface SchemaHooks {
  /** the schema of a resource's kind: built-ins from OpenAPI, custom resources from their CRD */
  schemaFor(def: ResourceDef): Schema | undefined;
  resolve: SchemaResolver;
  /** read-time defaults; `root` names the top-level fields that already have them (see RootWalk) */
  onRead(def: ResourceDef, obj: KubeObject, root?: RootWalk): void;
  /**
   * a built-in kind's typed fields (a custom resource's metadata) holding JSON that Go would not
   * decode: a 400. `stored`: the object an update replaces; parts obj shares with it are not checked again.
   */
  checkGoTypes(def: ResourceDef, obj: KubeObject, stored?: KubeObject): void;
}

// custom resources are decoded as unstructured, all but their ObjectMeta
const customResourceRoot: Schema = { type: 'object', properties: { metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' } } };

export function makeSchemaHooks(builtinSchemas: Record<string, Schema>, resolve: SchemaResolver): SchemaHooks {
  const schemaFor = (def: ResourceDef) => def.schema ?? (def.schemaName ? builtinSchemas[def.schemaName] : undefined);
  return {
    schemaFor,
    resolve,
    onRead(def, obj, root) {
      // apiextensions defaults custom resources on read too, so old objects gain new defaults
      if (isCustomResource(def) && def.schema) applyDefaults(obj, def.schema, resolve, root);
    },
    checkGoTypes(def, obj, stored) {
      const builtin = !isCustomResource(def) && def.schemaName ? builtinSchemas[def.schemaName] : undefined;
      const found = builtin ? findGoTypeError(obj, def.schemaName!, builtin, resolve, stored) : findGoTypeError(obj, def.kind, customResourceRoot, resolve, stored);
      if (found) throw errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${formatGoTypeError(found)}`);
    },
  };
}

function nameRuleFor(def: ResourceDef): NameRule {
  if (def.group === '' && (def.resource === 'namespaces' || def.resource === 'services')) return nameIsDNSLabel;
  if (def.group === 'rbac.authorization.k8s.io') return nameIsPathSegment;
  return nameIsDNSSubdomain;
}

function managerOf(ctx: RequestContext): string {
  return ctx.fieldManager ?? 'unknown';
}

/** Prune unknown fields (as fieldValidation says) and fill defaults: what happens before mutating admission. */
export function normalize(hooks: SchemaHooks, def: ResourceDef, obj: KubeObject, ctx: RequestContext, root: RootWalk = {}): void {
  const schema = hooks.schemaFor(def);
  if (schema) {
    const pruned = prune(obj, schema, hooks.resolve, root);
    if (pruned.length) {
      const mode = ctx.fieldValidation ?? 'Warn';
      if (mode === 'Strict') {
        const list = pruned.map((p) => `unknown field "${p}"`).join(', ');
        throw errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${list}`);
      }
      if (mode === 'Warn') for (const p of pruned) (ctx.warnings ??= []).push(`unknown field "${p}"`);
    }
  }
  def.defaults?.(obj);
  if (schema && isCustomResource(def)) applyDefaults(obj, schema, hooks.resolve, root);
}

/** The kind's and the schema's rules, after mutating admission: the field errors of one 422. */
export function validate(hooks: SchemaHooks, def: ResourceDef, obj: KubeObject, old: KubeObject | undefined, root: RootWalk = {}): FieldError[] {
  const schema = hooks.schemaFor(def);
  const causes: FieldError[] = [];
  if (!old) causes.push(...validateObjectMetaName(obj.metadata, nameRuleFor(def)));
  // the stored object's own labels and annotations (the same object: a write built from a read) passed when stored
  if (obj.metadata.labels !== old?.metadata.labels) causes.push(...validateLabels(obj.metadata.labels, 'metadata.labels'));
  if (obj.metadata.annotations !== old?.metadata.annotations) causes.push(...validateAnnotations(obj.metadata.annotations, 'metadata.annotations'));
  // a built-in kind's rules check its spec; a status write keeping the stored spec is not checked
  // against them again, as kube-apiserver's status strategies validate only status and metadata
  const specKept = !!old && !!root.unchanged?.has('spec');
  if (def.validate && !specKept) causes.push(...def.validate(obj, old));
  if (schema && isCustomResource(def)) causes.push(...validateObject(obj, schema, hooks.resolve, '', root));
  return causes;
}

/** managedFields after a non-apply write (apply writes its own) */
export function trackManagers(hooks: SchemaHooks, def: ResourceDef, obj: KubeObject, old: KubeObject | undefined, ctx: RequestContext, subresource?: string): void {
  if (ctx.managedFieldsSet) return;
  obj.metadata.managedFields = updateManagedFields({
    old,
    updated: obj,
    manager: managerOf(ctx),
    operation: 'Update',
    subresource,
    apiVersion: obj.apiVersion ?? def.version,
    now: new Date(),
    schema: hooks.schemaFor(def),
    resolve: hooks.resolve,
  });
}
