// core/v1 checks users hit most: Service ports and types, ConfigMap and Secret keys, immutability,
// Secret types' required keys, and Pods.
import type { FieldError } from '../../../apimachinery/errors.js';
import { isDNS1123Label, regexError } from '../../../apimachinery/validation.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import { at, isObject, list, obj, str } from '../../tables/json.js';
import { duplicate, forbidden, invalid, jsonEqual, notSupported, portNumErrors, required } from './errors.js';
import { validatePodSpec } from './podspec.js';

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const protocols = ['SCTP', 'TCP', 'UDP'];

/** validation.IsValidPortName */
function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function validateService(o: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  const errs: FieldError[] = [];
  const type = str(spec.type, 'ClusterIP');
  if (!serviceTypes.includes(type)) errs.push(notSupported('spec.type', spec.type, serviceTypes));
  const ports = list(spec.ports);
  const headless = spec.clusterIP === 'None';
  if (type === 'ExternalName') {
    if (!str(spec.externalName)) errs.push(required('spec.externalName'));
  } else if (ports.length === 0 && !headless) errs.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    const name = str(at(p, 'name'));
    if (ports.length > 1 && !name) errs.push(required(`${path}.name`));
    else if (name) {
      if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
      else for (const msg of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
      names.add(name);
    }
    const port = at(p, 'port');
    for (const msg of portNumErrors(Number(port ?? 0))) errs.push(invalid(`${path}.port`, port ?? 0, msg));
    const protocol = at(p, 'protocol');
    if (protocol === undefined || protocol === '') errs.push(required(`${path}.protocol`));
    else if (!protocols.includes(str(protocol))) errs.push(notSupported(`${path}.protocol`, protocol, protocols));
    const target = at(p, 'targetPort');
    if (typeof target === 'number') for (const msg of portNumErrors(target)) errs.push(invalid(`${path}.targetPort`, target, msg));
    if (typeof target === 'string') for (const msg of portNameErrors(target)) errs.push(invalid(`${path}.targetPort`, target, msg));
    const nodePort = at(p, 'nodePort');
    if (typeof nodePort === 'number' && nodePort !== 0) {
      if (type !== 'NodePort' && type !== 'LoadBalancer') errs.push(forbidden(`${path}.nodePort`, 'may not be used when `type` is \'ClusterIP\''));
      for (const msg of portNumErrors(nodePort)) errs.push(invalid(`${path}.nodePort`, nodePort, msg));
    }
  });
  const affinity = spec.sessionAffinity;
  if (affinity !== undefined && affinity !== 'None' && affinity !== 'ClientIP') errs.push(notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  return errs;
}

/** validation.IsConfigMapKey */
function configMapKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name'));
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function validateKeys(o: KubeObject, bags: [string, string | undefined][]): FieldError[] {
  const errs: FieldError[] = [];
  for (const [bag, other] of bags) {
    const m = obj(o[bag]);
    for (const key of Object.keys(m)) {
      for (const msg of configMapKeyErrors(key)) errs.push(invalid(`${bag}[${key}]`, key, msg));
      if (other && isObject(o[other]) && key in (o[other] as object)) errs.push(invalid(`${bag}[${key}]`, key, `duplicate of key present in ${other}`));
    }
  }
  return errs;
}

function validateImmutable(o: KubeObject, old: KubeObject | undefined, bags: string[]): FieldError[] {
  if (!old || old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (o.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const bag of bags) if (!jsonEqual(o[bag] ?? {}, old[bag] ?? {})) errs.push(forbidden(bag, 'field is immutable when `immutable` is set'));
  return errs;
}

export function validateConfigMap(o: KubeObject, old?: KubeObject): FieldError[] {
  return [...validateKeys(o, [['data', 'binaryData'], ['binaryData', undefined]]), ...validateImmutable(o, old, ['data', 'binaryData'])];
}

export function validateSecret(o: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateKeys(o, [['data', undefined], ['stringData', undefined]]);
  const data = { ...obj(o.data), ...obj(o.stringData) };
  const requireKey = (key: string): void => {
    if (!(key in data)) errs.push(required(`data[${key}]`));
  };
  switch (str(o.type)) {
    case 'kubernetes.io/tls':
      requireKey('tls.crt');
      requireKey('tls.key');
      break;
    case 'kubernetes.io/dockerconfigjson':
      requireKey('.dockerconfigjson');
      break;
    case 'kubernetes.io/dockercfg':
      requireKey('.dockercfg');
      break;
    case 'kubernetes.io/service-account-token':
      if (!o.metadata.annotations?.['kubernetes.io/service-account.name']) errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/ssh-auth':
      requireKey('ssh-privatekey');
      break;
  }
  if (old && str(old.type) !== str(o.type)) errs.push(invalid('type', o.type, 'field is immutable'));
  return [...errs, ...validateImmutable(o, old, ['data'])];
}

export function validatePod(o: KubeObject): FieldError[] {
  return validatePodSpec(o.spec, 'spec');
}
