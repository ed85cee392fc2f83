// Retain for the native kinds (Karmada default/native/retain.go and lifted/retain.go): when a
// template is re-applied to a member cluster, the fields the member cluster allocated or manages
// are taken from the observed object so the update neither fails nor fights the member's
// controllers. retainClusterFields adds the metadata every kind keeps (objectwatcher).
import type { KubeObject } from '../../apimachinery/types.js';
import { arrAt, clone, isObject, objAt, objectsAt, strAt, valueAt, type JsonObject } from './object.js';
import { ManagedAnnotationsAnnotation, ManagedLabelsAnnotation, RetainReplicasLabel } from '../../apis/karmada/wellknown.js';

type RetentionInterpreter = (desired: KubeObject, observed: KubeObject) => KubeObject;

function spec(obj: KubeObject): JsonObject {
  if (!isObject(obj.spec)) obj.spec = {};
  return obj.spec as JsonObject;
}

function retainDeployment(desired: KubeObject, observed: KubeObject): KubeObject {
  if (desired.metadata?.labels?.[RetainReplicasLabel] !== 'true') return desired;
  const replicas = valueAt(observed, 'spec', 'replicas');
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw new Error(`failed to get spec.replicas from ${observed.kind} ${observed.metadata?.namespace ?? ''}/${observed.metadata?.name ?? ''}`);
  }
  const out = clone(desired);
  spec(out).replicas = replicas;
  return out;
}

/** The scheduler and kubelet own nodeName, volumes (projected SA tokens) and their mounts. */
function retainPod(desired: KubeObject, observed: KubeObject): KubeObject {
  const out = clone(desired);
  const s = spec(out);
  const o = objAt(observed, 'spec');
  setOrDelete(s, 'nodeName', o.nodeName);
  setOrDelete(s, 'serviceAccountName', o.serviceAccountName);
  setOrDelete(s, 'volumes', clone(o.volumes));
  for (const field of ['containers', 'initContainers']) {
    const observedByName = new Map(objectsAt(o, field).map((c) => [strAt(c, 'name'), c]));
    for (const c of objectsAt(s, field)) {
      const match = observedByName.get(strAt(c, 'name'));
      if (match) setOrDelete(c, 'volumeMounts', clone(match.volumeMounts));
    }
  }
  return out;
}

function setOrDelete(obj: JsonObject, key: string, value: unknown): void {
  if (value === undefined || value === null || value === '') delete obj[key];
  else obj[key] = value;
}

/**
 * The apiserver allocates clusterIP(s), healthCheckNodePort and node ports; sending them back
 * empty would ask for new ones (or be refused as an immutable change).
 */
function retainService(desired: KubeObject, observed: KubeObject): KubeObject {
  const out = clone(desired);
  const s = spec(out);
  const o = objAt(observed, 'spec');
  if (typeof o.healthCheckNodePort === 'number' && o.healthCheckNodePort > 0) s.healthCheckNodePort = o.healthCheckNodePort;
  if (typeof o.clusterIP === 'string' && o.clusterIP !== '') {
    s.clusterIP = o.clusterIP;
    const ips = arrAt(o, 'clusterIPs');
    if (ips.length > 0 && arrAt(s, 'clusterIPs').length === 0) s.clusterIPs = clone(ips);
  }
  const observedPorts = objectsAt(o, 'ports');
  for (const port of objectsAt(s, 'ports')) {
    if (typeof port.nodePort === 'number' && port.nodePort > 0) continue;
    const match = observedPorts.find((p) => samePort(p, port));
    if (match && typeof match.nodePort === 'number' && match.nodePort > 0) port.nodePort = match.nodePort;
  }
  return out;
}

function samePort(a: JsonObject, b: JsonObject): boolean {
  return (
    valueAt(a, 'port') === valueAt(b, 'port') &&
    (strAt(a, 'protocol') || 'TCP') === (strAt(b, 'protocol') || 'TCP') &&
    strAt(a, 'name') === strAt(b, 'name')
  );
}

/** Keep the token secrets the member's service account controller generated, unless set in the template. */
function retainServiceAccount(desired: KubeObject, observed: KubeObject): KubeObject {
  if (arrAt(desired, 'secrets').length > 0) return desired;
  const secrets = arrAt(observed, 'secrets');
  if (secrets.length === 0) return desired;
  const out = clone(desired);
  out.secrets = clone(secrets);
  return out;
}

/** volumeName is bound by the member cluster and immutable afterwards. */
function retainPersistentVolumeClaim(desired: KubeObject, observed: KubeObject): KubeObject {
  const volumeName = strAt(observed, 'spec', 'volumeName');
  if (!volumeName) return desired;
  const out = clone(desired);
  spec(out).volumeName = volumeName;
  return out;
}

/** claimRef is written by the member's kube-controller-manager. */
function retainPersistentVolume(desired: KubeObject, observed: KubeObject): KubeObject {
  const claimRef = valueAt(observed, 'spec', 'claimRef');
  if (claimRef === undefined) return desired;
  const out = clone(desired);
  spec(out).claimRef = clone(claimRef);
  return out;
}

/** The member's job controller generates the selector and the controller-uid template labels. */
function retainJob(desired: KubeObject, observed: KubeObject): KubeObject {
  const matchLabels = valueAt(observed, 'spec', 'selector', 'matchLabels');
  const templateLabels = valueAt(observed, 'spec', 'template', 'metadata', 'labels');
  if (!isObject(matchLabels) && !isObject(templateLabels)) return desired;
  const out = clone(desired);
  const s = spec(out);
  if (isObject(matchLabels)) {
    if (!isObject(s.selector)) s.selector = {};
    (s.selector as JsonObject).matchLabels = clone(matchLabels);
  }
  if (isObject(templateLabels)) {
    if (!isObject(s.template)) s.template = {};
    const template = s.template as JsonObject;
    if (!isObject(template.metadata)) template.metadata = {};
    (template.metadata as JsonObject).labels = clone(templateLabels);
  }
  return out;
}

/**
 * A service-account token secret's data is the member's token controller's: when the template
 * says the type, the member's data (all of it) is kept.
 */
function retainSecret(desired: KubeObject, observed: KubeObject): KubeObject {
  if (strAt(desired, 'type') !== 'kubernetes.io/service-account-token') return desired;
  const observedData = valueAt(observed, 'data');
  if (!isObject(observedData)) return desired;
  const out = clone(desired);
  out.data = clone(observedData);
  return out;
}

/** Keyed by gvkKey. */
export const retentionInterpreters: Record<string, RetentionInterpreter> = {
  'apps/v1, Kind=Deployment': retainDeployment,
  'v1, Kind=Pod': retainPod,
  'v1, Kind=Service': retainService,
  'v1, Kind=ServiceAccount': retainServiceAccount,
  'v1, Kind=PersistentVolumeClaim': retainPersistentVolumeClaim,
  'v1, Kind=PersistentVolume': retainPersistentVolume,
  'batch/v1, Kind=Job': retainJob,
  'v1, Kind=Secret': retainSecret,
};

/**
 * objectwatcher.retainClusterFields, minus the interpreter call: resourceVersion, finalizers and
 * ownerReferences come from the member; labels and annotations the member added are kept unless
 * Karmada propagated them earlier (recorded in the managed-labels/-annotations annotations) and
 * the template has since dropped them. Returns a copy of desired.
 */
export function retainMemberMetadata(desired: KubeObject, observed: KubeObject): KubeObject {
  const out = clone(desired);
  const meta = (out.metadata ??= {});
  const o = isObject(observed.metadata) ? observed.metadata : {};
  setOrDelete(meta, 'resourceVersion', o.resourceVersion);
  setOrDelete(meta, 'finalizers', o.finalizers?.length ? clone(o.finalizers) : undefined);
  setOrDelete(meta, 'ownerReferences', o.ownerReferences?.length ? clone(o.ownerReferences) : undefined);
  const annotations = mergeMemberKeys(meta.annotations, o.annotations, o.annotations?.[ManagedAnnotationsAnnotation]);
  if (annotations) meta.annotations = annotations;
  const labels = mergeMemberKeys(meta.labels, o.labels, o.annotations?.[ManagedLabelsAnnotation]);
  if (labels) meta.labels = labels;
  return out;
}

function mergeMemberKeys(
  desired: Record<string, string> | undefined,
  observed: Record<string, string> | undefined,
  managedRecord: string | undefined,
): Record<string, string> | undefined {
  const out: Record<string, string> = { ...(desired ?? {}) };
  const deleted = new Set((managedRecord ?? '').split(',').filter((k) => k !== '' && !(k in out)));
  for (const [k, v] of Object.entries(observed ?? {})) {
    if (deleted.has(k) || k in out) continue;
    out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
