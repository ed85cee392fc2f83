// Validation of a CustomResourceDefinition itself, with apiextensions-apiserver's field paths and
// messages: names, scope, versions, structural schemas, subresources, printer columns, conversion.
import type { FieldError } from '../../apimachinery/errors.js';
import { propertyOf, type Schema } from '../../apimachinery/schema.js';
import { isDNS1123Label, isDNS1123Subdomain, regexError } from '../../apimachinery/validation.js';
import type { CustomResourceDefinition, CustomResourceDefinitionVersion } from './types.js';

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`);
const dns1035LabelErr = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErr, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({ type: 'FieldValueNotSupported', field, value, supported });

const printColumnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const printColumnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

function isEstablished(crd: CustomResourceDefinition | undefined): boolean {
  return !!crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
}

/** FieldErrors for a CRD being created (old absent) or updated. */
export function validateCRD(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec ?? ({} as CustomResourceDefinition['spec']);
  const names = spec.names ?? ({} as CustomResourceDefinition['spec']['names']);
  const name = crd.metadata?.name ?? '';
  if (name !== `${names.plural}.${spec.group}`) errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));

  errs.push(...validateGroup(spec.group));
  if (!spec.scope) errs.push(required('spec.scope'));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  errs.push(...validateNames(names, 'spec.names'));
  errs.push(...validateVersions(spec.versions ?? []));
  errs.push(...validateConversion(spec));
  if (spec.preserveUnknownFields === true) errs.push(invalid('spec.preserveUnknownFields', true, 'must be false in order to use defaults in the schema'));

  if (old) {
    if (old.spec?.group !== spec.group) errs.push(invalid('spec.group', spec.group, 'field is immutable'));
    if (isEstablished(old) && old.spec?.scope !== spec.scope) errs.push(invalid('spec.scope', spec.scope, 'field is immutable'));
  }
  return errs;
}

function validateGroup(group: string | undefined): FieldError[] {
  if (!group) return [required('spec.group')];
  const msgs = isDNS1123Subdomain(group);
  if (msgs.length) return msgs.map((m) => invalid('spec.group', group, m));
  if (group.split('.').length < 2) return [invalid('spec.group', group, 'should be a domain with at least one dot')];
  return [];
}

function validateNames(names: CustomResourceDefinition['spec']['names'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const label = (field: string, value: string | undefined, isRequired: boolean) => {
    if (!value) {
      if (isRequired) errs.push(required(`${path}.${field}`));
      return;
    }
    for (const m of isDNS1123Label(value)) errs.push(invalid(`${path}.${field}`, value, m));
  };
  label('plural', names.plural, true);
  label('singular', names.singular, true);
  const kind = (field: 'kind' | 'listKind', value: string | undefined) => {
    if (!value) return errs.push(required(`${path}.${field}`));
    if (isDNS1035Label(value.toLowerCase()).length) errs.push(invalid(`${path}.${field}`, value, `may have mixed case, but should otherwise match: ${dns1035LabelFmt}`));
  };
  kind('kind', names.kind);
  kind('listKind', names.listKind);
  if (names.kind && names.kind === names.listKind) errs.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  (names.shortNames ?? []).forEach((s, i) => {
    for (const m of isDNS1123Label(s)) errs.push(invalid(`${path}.shortNames[${i}]`, s, m));
  });
  (names.categories ?? []).forEach((c, i) => {
    for (const m of isDNS1123Label(c)) errs.push(invalid(`${path}.categories[${i}]`, c, m));
  });
  return errs;
}

function validateVersions(versions: CustomResourceDefinitionVersion[]): FieldError[] {
  const errs: FieldError[] = [];
  if (versions.length === 0) return [required('spec.versions', 'must have exactly one version marked as storage version')];
  const storage = versions.filter((v) => v.storage).length;
  if (storage !== 1) errs.push(invalid('spec.versions', versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
  if (!versions.some((v) => v.served)) errs.push(invalid('spec.versions', versions.map((v) => v.name), 'must have at least one version marked as served'));
  const seen = new Set<string>();
  for (const v of versions) {
    if (seen.has(v.name)) errs.push(invalid('spec.versions', versions.map((x) => x.name), 'must contain unique version names'));
    seen.add(v.name);
  }
  versions.forEach((v, i) => errs.push(...validateVersion(v, `spec.versions[${i}]`)));
  return errs;
}

function validateVersion(v: CustomResourceDefinitionVersion, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!v.name) errs.push(required(`${path}.name`));
  else for (const m of isDNS1035Label(v.name)) errs.push(invalid(`${path}.name`, v.name, m));
  const schema = v.schema?.openAPIV3Schema;
  if (!schema) errs.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
  else errs.push(...validateStructuralRoot(schema, `${path}.schema.openAPIV3Schema`));
  const scale = v.subresources?.scale;
  if (scale) errs.push(...validateScale(scale, `${path}.subresources.scale`, schema));
  (v.additionalPrinterColumns ?? []).forEach((c, i) => {
    const p = `${path}.additionalPrinterColumns[${i}]`;
    if (!c.name) errs.push(required(`${p}.name`));
    if (!c.type) errs.push(required(`${p}.type`));
    else if (!printColumnTypes.includes(c.type)) errs.push(notSupported(`${p}.type`, c.type, printColumnTypes));
    if (c.format && !printColumnFormats.includes(c.format)) errs.push(notSupported(`${p}.format`, c.format, printColumnFormats));
    if (!c.jsonPath) errs.push(required(`${p}.jsonPath`));
    if (c.priority !== undefined && c.priority < 0) errs.push(invalid(`${p}.priority`, c.priority, 'must be greater than or equal to 0'));
  });
  return errs;
}

function validateConversion(spec: CustomResourceDefinition['spec']): FieldError[] {
  const strategy = spec.conversion?.strategy;
  if (!strategy) return [];
  if (strategy !== 'None' && strategy !== 'Webhook') return [notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook'])];
  if (strategy === 'Webhook' && !spec.conversion?.webhook) return [required('spec.conversion.webhook', 'required when strategy is set to Webhook')];
  if (strategy === 'None' && spec.conversion?.webhook) return [forbidden('spec.conversion.webhook', 'should not be set when strategy is not set to Webhook')];
  return [];
}

/** `.spec.replicas` → the schema node it names, when every step is a declared property. */
function schemaAtPath(schema: Schema | undefined, jsonPath: string): Schema | undefined {
  let node = schema;
  for (const part of jsonPath.slice(1).split('.')) node = propertyOf(node, part);
  return node;
}

function validateScale(scale: { specReplicasPath?: string; statusReplicasPath?: string; labelSelectorPath?: string }, path: string, schema: Schema | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const jsonPathRe = /^(\.[A-Za-z0-9_-]+)+$/;
  const check = (field: 'specReplicasPath' | 'statusReplicasPath', under: 'spec' | 'status') => {
    const value = scale[field];
    if (!value) return errs.push(required(`${path}.${field}`));
    if (!jsonPathRe.test(value) || !value.startsWith(`.${under}.`)) return errs.push(invalid(`${path}.${field}`, value, `should be a json path under .${under}`));
    const node = schemaAtPath(schema, value);
    if (node && node.type && node.type !== 'integer') errs.push(invalid(`${path}.${field}`, value, 'should be a json path to a field of type integer'));
    else if (!node && field === 'specReplicasPath' && schema?.properties?.spec?.properties && !schema.properties.spec['x-kubernetes-preserve-unknown-fields']) {
      errs.push(invalid(`${path}.${field}`, value, 'should be a json path to a field of type integer'));
    }
  };
  check('specReplicasPath', 'spec');
  check('statusReplicasPath', 'status');
  const sel = scale.labelSelectorPath;
  if (sel && (!jsonPathRe.test(sel) || !(sel.startsWith('.spec.') || sel.startsWith('.status.')))) {
    errs.push(invalid(`${path}.labelSelectorPath`, sel, 'should be a json path under either .spec or .status'));
  }
  return errs;
}

// ---- structural schema --------------------------------------------------------------------------------

function validateStructuralRoot(schema: Schema, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!schema.type) errs.push(required(`${path}.type`, 'must not be empty at the root'));
  else if (schema.type !== 'object') errs.push(invalid(`${path}.type`, schema.type, 'must be object at the root'));
  if (schema.nullable) errs.push(forbidden(`${path}.nullable`, 'must be false at the root'));
  errs.push(...structuralNode(schema, path, 'root'));
  const meta = schema.properties?.metadata;
  if (meta) errs.push(...validateMetadata(meta, `${path}.properties[metadata]`));
  return errs;
}

function validateMetadata(meta: Schema, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.type && meta.type !== 'object') errs.push(invalid(`${path}.type`, meta.type, 'must be object'));
  const allowed = new Set(['name', 'generateName']);
  const extra = Object.keys(meta.properties ?? {}).filter((k) => !allowed.has(k));
  const constrainsMore = extra.length > 0 || meta.additionalProperties !== undefined || meta.required?.length || meta['x-kubernetes-preserve-unknown-fields'] !== undefined || meta['x-kubernetes-embedded-resource'] !== undefined || meta.default !== undefined;
  if (constrainsMore) errs.push(forbidden(path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  for (const k of ['name', 'generateName']) {
    const p = propertyOf(meta, k);
    if (p?.type && p.type !== 'string') errs.push(invalid(`${path}.properties[${k}].type`, p.type, 'must be string'));
  }
  return errs;
}

type NodeKind = 'root' | 'field' | 'items' | 'additional' | 'logic';

/** Typing rules of a structural schema; `kind` says where the node sits (for the right message). */
function structuralNode(s: Schema, path: string, kind: NodeKind): FieldError[] {
  const errs: FieldError[] = [];
  const untypedOK = s['x-kubernetes-int-or-string'] === true || s['x-kubernetes-preserve-unknown-fields'] === true;
  if (!s.type && !untypedOK) {
    if (kind === 'field') errs.push(required(`${path}.type`, 'must not be empty for specified object fields'));
    if (kind === 'items') errs.push(required(`${path}.type`, 'must not be empty for specified array items'));
    if (kind === 'additional') errs.push(required(`${path}.type`, 'must not be empty for specified object fields'));
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  if (s['x-kubernetes-int-or-string'] === false) errs.push(invalid(`${path}.x-kubernetes-int-or-string`, false, 'must be true or undefined'));
  if (s['x-kubernetes-int-or-string'] && s.type) errs.push(invalid(`${path}.type`, s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  if (s['x-kubernetes-embedded-resource'] && s.type !== 'object') errs.push(invalid(`${path}.type`, s.type ?? '', 'must be object if x-kubernetes-embedded-resource is true'));
  if (s['x-kubernetes-embedded-resource'] && !s.properties && !s['x-kubernetes-preserve-unknown-fields']) {
    errs.push(required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  if (s.type === 'array' && !s.items && kind !== 'logic') errs.push(required(`${path}.items`, 'must be specified'));
  if (s.properties && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    errs.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.$ref) errs.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined) {
    if (s.type !== 'array') errs.push(invalid(`${path}.x-kubernetes-list-type`, listType, 'must only be used if type is array'));
    if (!['atomic', 'set', 'map'].includes(listType)) errs.push(notSupported(`${path}.x-kubernetes-list-type`, listType, ['atomic', 'map', 'set']));
    if (listType === 'map' && !s['x-kubernetes-list-map-keys']?.length) errs.push(required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    if (listType === 'map' && s.items) {
      for (const key of s['x-kubernetes-list-map-keys'] ?? []) {
        const ks = propertyOf(s.items, key);
        if (!ks) errs.push(invalid(`${path}.x-kubernetes-list-map-keys`, s['x-kubernetes-list-map-keys'], `entries must all be names of item properties`));
        else if (ks.type && !['string', 'integer', 'boolean', 'number'].includes(ks.type)) errs.push(invalid(`${path}.x-kubernetes-list-map-keys`, s['x-kubernetes-list-map-keys'], 'must only include scalar types'));
      }
    }
  } else if (s['x-kubernetes-list-map-keys'] !== undefined) {
    errs.push(forbidden(`${path}.x-kubernetes-list-map-keys`, 'must not be specified if x-kubernetes-list-type is not map'));
  }
  for (const [name, p] of Object.entries(s.properties ?? {})) errs.push(...structuralNode(p, `${path}.properties[${name}]`, kind === 'logic' ? 'logic' : 'field'));
  if (s.items) errs.push(...structuralNode(s.items, `${path}.items`, kind === 'logic' ? 'logic' : 'items'));
  if (s.additionalProperties && typeof s.additionalProperties === 'object') errs.push(...structuralNode(s.additionalProperties, `${path}.additionalProperties`, kind === 'logic' ? 'logic' : 'additional'));
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    (s[key] ?? []).forEach((sub, i) => errs.push(...structuralNode(sub, `${path}.${key}[${i}]`, 'logic')));
  }
  if (s.not) errs.push(...structuralNode(s.not, `${path}.not`, 'logic'));
  return errs;
}
