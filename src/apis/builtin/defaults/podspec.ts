// Defaulting of PodSpec (in Pods and in every pod template), as core/v1's SetDefaults_* functions do.
import { child, isObject, list, setDefault, setDefaultString, type JsonObject } from '../../tables/json.js';

/** imagePullPolicy: Always for `:latest` or an untagged image without digest, else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const withoutDigest = image.split('@')[0]!;
  const hasDigest = image.includes('@');
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : hasDigest ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultPodSpec(spec: JsonObject): void {
  setDefaultString(spec, 'dnsPolicy', 'ClusterFirst');
  setDefaultString(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefaultString(spec, 'schedulerName', 'default-scheduler');
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const c of list(spec[key])) if (isObject(c)) defaultContainer(c);
  }
  for (const v of list(spec.volumes)) if (isObject(v)) defaultVolume(v);
  if (spec.hostNetwork === true) {
    // with host networking, container ports are host ports
    for (const c of list(spec.containers)) for (const p of list(isObject(c) ? c.ports : undefined)) if (isObject(p)) setDefault(p, 'hostPort', p.containerPort);
  }
}

function defaultContainer(c: JsonObject): void {
  setDefaultString(c, 'terminationMessagePath', '/dev/termination-log');
  setDefaultString(c, 'terminationMessagePolicy', 'File');
  if (typeof c.image === 'string' && !c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image);
  for (const p of list(c.ports)) if (isObject(p)) setDefaultString(p, 'protocol', 'TCP');
  for (const e of list(c.env)) {
    const fieldRef = isObject(e) && isObject(e.valueFrom) ? e.valueFrom.fieldRef : undefined;
    if (isObject(fieldRef)) setDefaultString(fieldRef, 'apiVersion', 'v1');
  }
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (isObject(c[key])) defaultProbe(c[key] as JsonObject);
  for (const key of ['postStart', 'preStop']) {
    const handler = isObject(c.lifecycle) ? c.lifecycle[key] : undefined;
    if (isObject(handler) && isObject(handler.httpGet)) defaultHttpGet(handler.httpGet);
  }
}

function defaultProbe(p: JsonObject): void {
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  if (isObject(p.httpGet)) defaultHttpGet(p.httpGet);
  if (isObject(p.grpc)) setDefault(p.grpc, 'service', '');
}

function defaultHttpGet(h: JsonObject): void {
  setDefaultString(h, 'path', '/');
  setDefaultString(h, 'scheme', 'HTTP');
}

const volumeSources = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];

function defaultVolume(v: JsonObject): void {
  if (!volumeSources.some((k) => v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = v[key];
    if (isObject(source)) setDefault(source, 'defaultMode', 420);
  }
  if (isObject(v.hostPath)) setDefault(v.hostPath, 'type', '');
  if (isObject(v.downwardAPI)) {
    for (const item of list(v.downwardAPI.items)) {
      if (isObject(item) && isObject(item.fieldRef)) setDefaultString(item.fieldRef, 'apiVersion', 'v1');
    }
  }
  if (isObject(v.projected)) {
    for (const source of list(v.projected.sources)) {
      const sat = isObject(source) ? source.serviceAccountToken : undefined;
      if (isObject(sat)) setDefault(sat, 'expirationSeconds', 3600);
    }
  }
}

/** Pod-only defaults on top of the PodSpec ones: service links on, requests copied from limits. */
export function defaultPod(pod: JsonObject): void {
  const spec = child(pod, 'spec');
  defaultPodSpec(spec);
  setDefault(spec, 'enableServiceLinks', true);
  for (const key of ['containers', 'initContainers']) {
    for (const c of list(spec[key])) {
      if (!isObject(c) || !isObject(c.resources) || !isObject(c.resources.limits)) continue;
      const requests = child(c.resources, 'requests');
      for (const [name, qty] of Object.entries(c.resources.limits)) setDefault(requests, name, qty);
    }
  }
  const status = child(pod, 'status');
  setDefaultString(status, 'phase', 'Pending');
  setDefaultString(status, 'qosClass', qosClass(spec));
}

/** GetPodQOS, simplified to cpu and memory: Guaranteed, Burstable or BestEffort. */
function qosClass(spec: JsonObject): string {
  const containers = [...list(spec.containers), ...list(spec.initContainers)];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = isObject(c) && isObject(c.resources) ? c.resources : {};
    const limits = isObject(res.limits) ? res.limits : {};
    const requests = isObject(res.requests) ? res.requests : {};
    for (const r of ['cpu', 'memory']) {
      if (limits[r] !== undefined || requests[r] !== undefined) any = true;
      if (limits[r] === undefined || (requests[r] !== undefined && String(requests[r]) !== String(limits[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Defaults for the pod template at `parent.template` (Deployments, Jobs, ...). */
export function defaultPodTemplate(parent: JsonObject): void {
  const template = child(parent, 'template');
  defaultPodSpec(child(template, 'spec'));
}
