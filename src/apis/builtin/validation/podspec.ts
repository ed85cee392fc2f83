// PodSpec checks users hit most (ValidatePodSpec): containers, their names, images and ports,
// restart and DNS policies, volume names.
import type { FieldError } from '../../../apimachinery/errors.js';
import { isDNS1123Label } from '../../../apimachinery/validation.js';
import { at, isObject, list, str } from '../../tables/json.js';
import { duplicate, invalid, notSupported, portNumErrors, required } from './errors.js';

const protocols = ['SCTP', 'TCP', 'UDP'];

export function validatePodSpec(spec: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObject(spec)) return [required(path)];
  const volumeNames = new Set<string>();
  list(spec.volumes).forEach((v, i) => {
    const p = `${path}.volumes[${i}].name`;
    const name = str(at(v, 'name'));
    if (!name) errs.push(required(p));
    else if (volumeNames.has(name)) errs.push(duplicate(p, name));
    else {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(p, name, msg));
      volumeNames.add(name);
    }
  });
  const containers = list(spec.containers);
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  const names = new Set<string>();
  list(spec.initContainers).forEach((c, i) => errs.push(...validateContainer(c, `${path}.initContainers[${i}]`, names)));
  containers.forEach((c, i) => errs.push(...validateContainer(c, `${path}.containers[${i}]`, names)));

  const restartPolicy = spec.restartPolicy;
  if (restartPolicy === '' || restartPolicy === undefined) errs.push(required(`${path}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(str(restartPolicy))) errs.push(notSupported(`${path}.restartPolicy`, restartPolicy, ['Always', 'OnFailure', 'Never']));
  const dnsPolicy = spec.dnsPolicy;
  if (dnsPolicy !== undefined && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(str(dnsPolicy))) {
    errs.push(notSupported(`${path}.dnsPolicy`, dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  }
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  return errs;
}

function validateContainer(c: unknown, path: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(at(c, 'name'));
  if (!name) errs.push(required(`${path}.name`));
  else if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
  else {
    for (const msg of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
    names.add(name);
  }
  if (!str(at(c, 'image'))) errs.push(required(`${path}.image`));
  list(at(c, 'ports')).forEach((p, i) => {
    const pp = `${path}.ports[${i}]`;
    const containerPort = at(p, 'containerPort');
    if (containerPort === undefined || containerPort === 0) errs.push(required(`${pp}.containerPort`));
    else for (const msg of portNumErrors(Number(containerPort))) errs.push(invalid(`${pp}.containerPort`, containerPort, msg));
    const hostPort = at(p, 'hostPort');
    if (typeof hostPort === 'number' && hostPort !== 0) for (const msg of portNumErrors(hostPort)) errs.push(invalid(`${pp}.hostPort`, hostPort, msg));
    const protocol = at(p, 'protocol');
    if (protocol === undefined || protocol === '') errs.push(required(`${pp}.protocol`));
    else if (!protocols.includes(str(protocol))) errs.push(notSupported(`${pp}.protocol`, protocol, protocols));
  });
  const pullPolicy = at(c, 'imagePullPolicy');
  if (pullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(str(pullPolicy))) {
    errs.push(notSupported(`${path}.imagePullPolicy`, pullPolicy, ['Always', 'IfNotPresent', 'Never']));
  }
  return errs;
}
