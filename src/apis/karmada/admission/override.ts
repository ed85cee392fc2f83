// Admission checks for OverridePolicy and ClusterOverridePolicy, modelled on Karmada's validating
// webhook (ValidateOverrideSpec) plus the CRD's enums and required fields, so a policy that could
// never apply is refused with a 422 instead of failing later on every render.
// Beyond Karmada: plaintext paths must be JSON pointers and need a value for add/replace, image
// values must not be empty for add/replace, a Tag replace needs a valid tag or digest, and a
// fieldOverrider needs json or yaml operations.
import type { FieldError } from '../../../apimachinery/errors.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels.js';
import type { KubeObject, LabelSelector } from '../../../apimachinery/types.js';
import { validateAnnotations, validateLabels } from '../../../apimachinery/validation.js';
import { commandArgsOperators, imageComponents, overriderOperators } from '../override.js';
import { isDigest, isTag } from '../../../apimachinery/imageref.js';
import { pointerProblem } from '../../../apimachinery/jsonpointer.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, ...(detail ? { detail } : {}) });
const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
const typeInvalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueTypeInvalid', field, value, detail });

/** The elements of an optional list; anything else than a list is reported. */
function listAt(v: unknown, field: string, errs: FieldError[]): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    errs.push(typeInvalid(field, v, 'must be a list'));
    return [];
  }
  return v;
}

/** Each element of an optional list that is an object, with its field path. */
function objectsAt(v: unknown, field: string, errs: FieldError[]): [Obj, string][] {
  const out: [Obj, string][] = [];
  listAt(v, field, errs).forEach((item, i) => {
    if (isObj(item)) out.push([item, `${field}[${i}]`]);
    else errs.push(typeInvalid(`${field}[${i}]`, item, 'must be an object'));
  });
  return out;
}

function checkEnum(v: unknown, field: string, allowed: readonly string[], errs: FieldError[]): v is string {
  if (v === undefined || v === null || v === '') {
    errs.push(required(field, `must be one of ${allowed.join(', ')}`));
    return false;
  }
  if (typeof v !== 'string' || !allowed.includes(v)) {
    errs.push({ type: 'FieldValueNotSupported', field, value: v, supported: [...allowed] });
    return false;
  }
  return true;
}

function checkPointer(v: unknown, field: string, errs: FieldError[], allowEmpty: boolean): void {
  if (v === undefined || v === null || (v === '' && !allowEmpty)) {
    errs.push(required(field, 'must be a JSON pointer such as /spec/replicas'));
    return;
  }
  if (typeof v !== 'string') {
    errs.push(typeInvalid(field, v, 'must be a string'));
    return;
  }
  const problem = pointerProblem(v);
  if (problem) errs.push(invalid(field, v, problem));
}

function checkString(v: unknown, field: string, errs: FieldError[]): v is string | undefined {
  if (v === undefined || typeof v === 'string') return true;
  errs.push(typeInvalid(field, v, 'must be a string'));
  return false;
}

function checkLabelSelector(v: unknown, field: string, errs: FieldError[]): void {
  if (v === undefined || v === null) return;
  if (!isObj(v)) {
    errs.push(typeInvalid(field, v, 'must be an object'));
    return;
  }
  try {
    labelSelectorAsSelector(v as LabelSelector);
  } catch (e) {
    errs.push(invalid(field, v, (e as Error).message));
  }
}

function checkStringList(v: unknown, field: string, errs: FieldError[]): void {
  listAt(v, field, errs).forEach((s, i) => checkString(s, `${field}[${i}]`, errs));
}

/** ValidateClusterAffinity: field selector keys provider|region|zone with In|NotIn, plus a valid label selector. */
export function validateClusterAffinity(v: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (v === undefined || v === null) return errs;
  if (!isObj(v)) return [typeInvalid(field, v, 'must be an object')];
  checkLabelSelector(v.labelSelector, `${field}.labelSelector`, errs);
  checkStringList(v.clusterNames, `${field}.clusterNames`, errs);
  checkStringList(v.exclude, `${field}.exclude`, errs);
  if (v.fieldSelector !== undefined && v.fieldSelector !== null) {
    const fs = v.fieldSelector;
    const exprs = isObj(fs) ? listAt(fs.matchExpressions, `${field}.fieldSelector.matchExpressions`, errs) : [];
    for (const e of exprs) {
      const key = isObj(e) ? e.key : undefined;
      const operator = isObj(e) ? e.operator : undefined;
      let why: string | undefined;
      if (key !== 'provider' && key !== 'region' && key !== 'zone') why = `unsupported key ${JSON.stringify(key ?? '')}, must be provider, region, or zone`;
      else if (operator !== 'In' && operator !== 'NotIn') why = `unsupported operator ${JSON.stringify(operator ?? '')}, must be In or NotIn`;
      if (why) {
        errs.push(invalid(`${field}.fieldSelector`, fs, why));
        break;
      }
    }
  }
  return errs;
}

/** add and replace need a value, remove must not have one (Karmada's validateOverrideOperator). */
function checkOperatorValue(item: Obj, field: string, forbidOnRemove: boolean, errs: FieldError[]): void {
  const hasValue = item.value !== undefined && item.value !== null;
  if ((item.operator === 'add' || item.operator === 'replace') && !hasValue) errs.push(required(`${field}.value`, 'value is required for add or replace operation'));
  if (item.operator === 'remove' && hasValue && forbidOnRemove) errs.push(invalid(`${field}.value`, item.value, 'value is not allowed for remove operation'));
}

function validatePlaintext(v: unknown, field: string, errs: FieldError[]): void {
  for (const [p, f] of objectsAt(v, field, errs)) {
    checkPointer(p.path, `${f}.path`, errs, false);
    if (checkEnum(p.operator, `${f}.operator`, overriderOperators, errs)) checkOperatorValue(p, f, false, errs);
  }
}

function validateImage(v: unknown, field: string, errs: FieldError[]): void {
  for (const [img, f] of objectsAt(v, field, errs)) {
    const componentOk = checkEnum(img.component, `${f}.component`, imageComponents, errs);
    const operatorOk = checkEnum(img.operator, `${f}.operator`, overriderOperators, errs);
    if (img.predicate !== undefined && img.predicate !== null) {
      if (isObj(img.predicate)) checkPointer(img.predicate.path, `${f}.predicate.path`, errs, false);
      else errs.push(typeInvalid(`${f}.predicate`, img.predicate, 'must be an object'));
    }
    if (!checkString(img.value, `${f}.value`, errs) || !componentOk || !operatorOk) continue;
    const value = img.value ?? '';
    if ((img.operator === 'add' || img.operator === 'replace') && value === '') {
      errs.push(required(`${f}.value`, `must not be empty when operator is ${img.operator}`));
    } else if (img.component === 'Tag' && img.operator === 'replace' && !isTag(value) && !isDigest(value)) {
      errs.push(invalid(`${f}.value`, value, 'must be a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or digest (algorithm:hex)'));
    }
  }
}

function validateCommandArgs(v: unknown, field: string, errs: FieldError[]): void {
  for (const [c, f] of objectsAt(v, field, errs)) {
    if (typeof c.containerName !== 'string' || c.containerName === '') {
      if (c.containerName === undefined || c.containerName === '') errs.push(required(`${f}.containerName`));
      else errs.push(typeInvalid(`${f}.containerName`, c.containerName, 'must be a string'));
    }
    checkEnum(c.operator, `${f}.operator`, commandArgsOperators, errs);
    checkStringList(c.value, `${f}.value`, errs);
  }
}

function validateLabelAnnotation(v: unknown, field: string, which: 'labels' | 'annotations', errs: FieldError[]): void {
  for (const [l, f] of objectsAt(v, field, errs)) {
    checkEnum(l.operator, `${f}.operator`, overriderOperators, errs);
    if (l.value === undefined || l.value === null) {
      errs.push(required(`${f}.value`, `a map of ${which} to ${l.operator === 'remove' ? 'remove' : 'set'}`));
      continue;
    }
    if (!isObj(l.value)) {
      errs.push(typeInvalid(`${f}.value`, l.value, 'must be a map of strings'));
      continue;
    }
    const nonStrings = Object.entries(l.value).filter(([, s]) => typeof s !== 'string');
    for (const [k, s] of nonStrings) errs.push(typeInvalid(`${f}.value.${k}`, s, 'must be a string'));
    if (nonStrings.length > 0) continue;
    const map = l.value as Record<string, string>;
    errs.push(...(which === 'labels' ? validateLabels(map, `${f}.value`) : validateAnnotations(map, `${f}.value`)));
  }
}

function validatePatchOps(v: unknown, field: string, errs: FieldError[]): void {
  for (const [op, f] of objectsAt(v, field, errs)) {
    checkPointer(op.subPath, `${f}.subPath`, errs, true);
    if (checkEnum(op.operator, `${f}.operator`, overriderOperators, errs)) checkOperatorValue(op, f, true, errs);
  }
}

function validateField(v: unknown, field: string, errs: FieldError[]): void {
  for (const [fo, f] of objectsAt(v, field, errs)) {
    checkPointer(fo.fieldPath, `${f}.fieldPath`, errs, false);
    const hasJson = Array.isArray(fo.json) && fo.json.length > 0;
    const hasYaml = Array.isArray(fo.yaml) && fo.yaml.length > 0;
    if (hasJson && hasYaml) errs.push(invalid(f, fo, 'FieldOverrider has both YAML and JSON set. Only one is allowed'));
    if (!hasJson && !hasYaml && (fo.json === undefined || Array.isArray(fo.json)) && (fo.yaml === undefined || Array.isArray(fo.yaml))) {
      errs.push(required(f, 'one of json or yaml must hold at least one operation'));
    }
    validatePatchOps(fo.json, `${f}.json`, errs);
    validatePatchOps(fo.yaml, `${f}.yaml`, errs);
  }
}

/** Every overrider of one rule (or of the deprecated spec.overriders). */
function validateOverriders(v: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (v === undefined || v === null) return errs;
  if (!isObj(v)) return [typeInvalid(field, v, 'must be an object')];
  validatePlaintext(v.plaintext, `${field}.plaintext`, errs);
  validateImage(v.imageOverrider, `${field}.imageOverrider`, errs);
  validateCommandArgs(v.commandOverrider, `${field}.commandOverrider`, errs);
  validateCommandArgs(v.argsOverrider, `${field}.argsOverrider`, errs);
  validateLabelAnnotation(v.labelsOverrider, `${field}.labelsOverrider`, 'labels', errs);
  validateLabelAnnotation(v.annotationsOverrider, `${field}.annotationsOverrider`, 'annotations', errs);
  validateField(v.fieldOverrider, `${field}.fieldOverrider`, errs);
  return errs;
}

function hasOverriders(v: unknown): boolean {
  return isObj(v) && Object.values(v).some((x) => Array.isArray(x) && x.length > 0);
}

function validateResourceSelectors(v: unknown, field: string, errs: FieldError[]): void {
  for (const [rs, f] of objectsAt(v, field, errs)) {
    for (const key of ['apiVersion', 'kind'] as const) {
      if (rs[key] === undefined || rs[key] === '') errs.push(required(`${f}.${key}`));
      else checkString(rs[key], `${f}.${key}`, errs);
    }
    checkString(rs.namespace, `${f}.namespace`, errs);
    checkString(rs.name, `${f}.name`, errs);
    checkLabelSelector(rs.labelSelector, `${f}.labelSelector`, errs);
  }
}

/** validateOverridePolicy: the FieldErrors that make the API server answer 422 Invalid. */
export function validateOverridePolicy(policy: KubeObject): FieldError[] {
  const spec = policy.spec;
  if (spec === undefined || spec === null) return [required('spec')];
  if (!isObj(spec)) return [typeInvalid('spec', spec, 'must be an object')];
  const errs: FieldError[] = [];
  validateResourceSelectors(spec.resourceSelectors, 'spec.resourceSelectors', errs);
  const hasRules = spec.overrideRules !== undefined && spec.overrideRules !== null;
  if (spec.targetCluster !== undefined && spec.targetCluster !== null) {
    errs.push(...validateClusterAffinity(spec.targetCluster, 'spec.targetCluster'));
    if (hasRules) errs.push(invalid('spec.targetCluster', spec.targetCluster, "overrideRules and targetCluster can't co-exist"));
  }
  if (hasRules && hasOverriders(spec.overriders)) errs.push(invalid('spec.overriders', spec.overriders, "overrideRules and overriders can't co-exist"));
  errs.push(...validateOverriders(spec.overriders, 'spec.overriders'));
  for (const [rule, f] of objectsAt(spec.overrideRules, 'spec.overrideRules', errs)) {
    if (rule.overriders === undefined || rule.overriders === null) errs.push(required(`${f}.overriders`));
    else errs.push(...validateOverriders(rule.overriders, `${f}.overriders`));
    errs.push(...validateClusterAffinity(rule.targetCluster, `${f}.targetCluster`));
  }
  return errs;
}

/**
 * Karmada's mutating webhook for OverridePolicy: a resource selector without a namespace gets the
 * policy's namespace. Returns a changed copy; ClusterOverridePolicies are returned as they are.
 */
export function defaultOverridePolicy<T extends KubeObject>(policy: T, namespace = policy.metadata.namespace): T {
  const spec = policy.spec;
  if (!namespace || policy.kind === 'ClusterOverridePolicy' || !isObj(spec) || !Array.isArray(spec.resourceSelectors)) return policy;
  const resourceSelectors = spec.resourceSelectors.map((rs: unknown) => (isObj(rs) && !rs.namespace ? { ...rs, namespace } : rs));
  return { ...policy, spec: { ...spec, resourceSelectors } };
}
