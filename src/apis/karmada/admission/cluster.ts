// Cluster mutation and validation, as Karmada's aggregated API server does for clusters:
// zone migrated to zones, default resource models, and rules on name, endpoints, taints and models.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue } from '../../../apimachinery/validation.js';
import { quantityNumber } from '../../../apimachinery/quantity.js';
import { taintEffects, type ResourceModel } from '../cluster.js';
import { duplicate, forbidden, invalid, isObj, itemsAt, messagesAt, notSupported, numAt, objAt, required, strAt } from './fields.js';

/** A Cluster's name becomes the namespace karmada-es-<name>, so it must stay short. */
const ClusterNameMaxLength = 48;

const maxInt64 = '9223372036854775807';

/** Karmada's default grades 0-8: cpu doubles from 1 core and memory from 4Gi per grade. */
export function defaultResourceModels(): ResourceModel[] {
  const cpuBounds = ['0', '1', '2', '4', '8', '16', '32', '64', '128', maxInt64];
  const memBounds = ['0', '4Gi', '16Gi', '32Gi', '64Gi', '128Gi', '256Gi', '512Gi', '1024Gi', maxInt64];
  return Array.from({ length: 9 }, (_, grade) => ({
    grade,
    ranges: [
      { name: 'cpu', min: cpuBounds[grade], max: cpuBounds[grade + 1] },
      { name: 'memory', min: memBounds[grade], max: memBounds[grade + 1] },
    ],
  }));
}

export function mutateCluster(obj: KubeObject): void {
  const spec = obj.spec;
  if (!isObj(spec)) return;
  if (spec.zone) {
    if (!Array.isArray(spec.zones) || spec.zones.length === 0) spec.zones = [spec.zone];
    delete spec.zone;
  }
  if (!Array.isArray(spec.resourceModels) || spec.resourceModels.length === 0) spec.resourceModels = defaultResourceModels();
}

export function validateClusterName(name: string): string[] {
  if (name.length > ClusterNameMaxLength) return [`must be no more than ${ClusterNameMaxLength} characters`];
  return isDNS1123Label(name);
}

function validateURL(value: unknown, path: string, schemes: string[]): FieldError[] {
  const s = strAt(value);
  if (!s) return [];
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return [invalid(path, s, 'must be a valid URL')];
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) return [notSupported(`${path}`, s, schemes.map((x) => `${x}://...`))];
  if (!url.host) return [invalid(path, s, 'must include a host')];
  return [];
}

export function validateTaints(v: unknown, path: string, effects: readonly string[] = taintEffects): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [t, i] of itemsAt(v)) {
    const p = `${path}[${i}]`;
    const key = strAt(t.key);
    if (!key) errs.push(required(`${p}.key`));
    else errs.push(...messagesAt(`${p}.key`, key, isQualifiedName(key)));
    if (strAt(t.value)) errs.push(...messagesAt(`${p}.value`, strAt(t.value), isValidLabelValue(strAt(t.value))));
    const effect = strAt(t.effect);
    if (!effect) errs.push(required(`${p}.effect`));
    else if (!effects.includes(effect)) errs.push(notSupported(`${p}.effect`, effect, [...effects]));
    const id = `${key}:${effect}`;
    if (seen.has(id)) errs.push(duplicate(p, { key, effect }));
    seen.add(id);
  }
  return errs;
}

/** Grades ascend without gaps of meaning: same resources per grade, min < max, each grade starting where the previous ended. */
function validateResourceModels(v: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const models = itemsAt(v);
  let firstNames: string[] | undefined;
  let prev: { grade: number; ranges: Map<string, [number, number]> } | undefined;
  for (const [m, i] of models) {
    const p = `${path}[${i}]`;
    const grade = numAt(m.grade) ?? 0;
    if (prev && grade <= prev.grade) errs.push(invalid(`${p}.grade`, grade, 'grades must be in ascending order without duplicates'));
    const ranges = new Map<string, [number, number]>();
    for (const [r, j] of itemsAt(m.ranges)) {
      const rp = `${p}.ranges[${j}]`;
      const name = strAt(r.name);
      if (ranges.has(name)) errs.push(duplicate(`${rp}.name`, name));
      const min = quantityNumber(r.min as string | number);
      const max = quantityNumber(r.max as string | number);
      if (Number.isNaN(min)) errs.push(invalid(`${rp}.min`, r.min, 'must be a quantity'));
      if (Number.isNaN(max)) errs.push(invalid(`${rp}.max`, r.max, 'must be a quantity'));
      if (min >= max) errs.push(invalid(`${rp}.max`, r.max, 'max must be greater than min'));
      ranges.set(name, [min, max]);
      if (prev) {
        const before = prev.ranges.get(name);
        if (before && before[1] !== min) errs.push(invalid(`${rp}.min`, r.min, `must equal the max of the same resource in grade ${prev.grade}`));
      }
    }
    const names = [...ranges.keys()].sort();
    if (!firstNames) firstNames = names;
    else if (names.join(',') !== firstNames.join(',')) errs.push(invalid(`${p}.ranges`, names, `every grade must model the same resources: ${firstNames.join(', ')}`));
    prev = { grade, ranges };
  }
  return errs;
}

export function validateCluster(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? '';
  if (!old) errs.push(...messagesAt('metadata.name', name, validateClusterName(name)));
  const spec = objAt(obj.spec);
  errs.push(...validateURL(spec.apiEndpoint, 'spec.apiEndpoint', ['https', 'http']));
  errs.push(...validateURL(spec.proxyURL, 'spec.proxyURL', ['http', 'https', 'socks5']));
  if (spec.proxyHeader && !spec.proxyURL) errs.push(forbidden('spec.proxyHeader', 'may only be set together with proxyURL'));
  for (const ref of ['secretRef', 'impersonatorSecretRef'] as const) {
    if (!isObj(spec[ref])) continue;
    for (const f of ['namespace', 'name'] as const) if (!strAt(spec[ref][f])) errs.push(required(`spec.${ref}.${f}`));
  }
  errs.push(...validateTaints(spec.taints, 'spec.taints'));
  errs.push(...validateResourceModels(spec.resourceModels, 'spec.resourceModels'));
  if (old) {
    const before = objAt(old.spec).id;
    if (before && spec.id !== before) errs.push(invalid('spec.id', spec.id ?? '', 'field is immutable'));
  }
  return errs;
}
