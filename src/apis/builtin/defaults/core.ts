// Defaulting of core/v1 kinds other than Pods, as core/v1's SetDefaults_* and the registry
// strategies' PrepareForCreate do for what users see in `kubectl get -o yaml`.
import type { KubeObject } from '../../../apimachinery/types.js';
import { child, isObject, list, setDefault, setDefaultString } from '../../tables/json.js';
import { defaultPodTemplate } from './podspec.js';

export function defaultService(o: KubeObject): void {
  const s = child(o, 'spec');
  setDefaultString(s, 'sessionAffinity', 'None');
  setDefaultString(s, 'type', 'ClusterIP');
  for (const p of list(s.ports)) {
    if (!isObject(p)) continue;
    setDefaultString(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (s.sessionAffinity === 'ClientIP') {
    const config = child(s, 'sessionAffinityConfig');
    setDefault(child(config, 'clientIP'), 'timeoutSeconds', 10800);
  }
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') setDefaultString(s, 'externalTrafficPolicy', 'Cluster');
  if (s.type !== 'ExternalName') setDefaultString(s, 'internalTrafficPolicy', 'Cluster');
  if (s.type === 'LoadBalancer') setDefault(s, 'allocateLoadBalancerNodePorts', true);
}

export function defaultNamespace(o: KubeObject): void {
  const name = o.metadata.name;
  if (name) o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  // spec.finalizers ["kubernetes"] is set once, at create (namespaces' PrepareForCreate), not by
  // defaulting: the namespace controller removes it and it must stay removed
  setDefaultString(child(o, 'status'), 'phase', 'Active');
}

export function defaultSecret(o: KubeObject): void {
  if (!o.type) o.type = 'Opaque';
  // stringData is write-only: kube-apiserver merges it into data (base64, over data's keys) and never returns it
  const stringData = o.stringData;
  if (stringData && typeof stringData === 'object' && !Array.isArray(stringData)) {
    const data = { ...((o.data ?? {}) as Record<string, string>) };
    for (const [k, v] of Object.entries(stringData as Record<string, unknown>)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    o.data = data;
    delete o.stringData;
  }
}

export function defaultPersistentVolumeClaim(o: KubeObject): void {
  setDefaultString(child(o, 'spec'), 'volumeMode', 'Filesystem');
  setDefaultString(child(o, 'status'), 'phase', 'Pending');
}

export function defaultPersistentVolume(o: KubeObject): void {
  const s = child(o, 'spec');
  setDefaultString(s, 'persistentVolumeReclaimPolicy', 'Retain');
  setDefaultString(s, 'volumeMode', 'Filesystem');
  setDefaultString(child(o, 'status'), 'phase', 'Pending');
}

export function defaultPodTemplateObject(o: KubeObject): void {
  defaultPodTemplate(o);
}

export function defaultEndpoints(o: KubeObject): void {
  for (const subset of list(o.subsets)) {
    for (const p of list(isObject(subset) ? subset.ports : undefined)) if (isObject(p)) setDefaultString(p, 'protocol', 'TCP');
  }
}

export function defaultEndpointSlice(o: KubeObject): void {
  for (const p of list(o.ports)) if (isObject(p)) setDefaultString(p, 'protocol', 'TCP');
}

export function defaultLimitRange(o: KubeObject): void {
  // a Container limit with max but no default gets default = max, and defaultRequest = default
  for (const item of list(child(o, 'spec').limits)) {
    if (!isObject(item) || item.type !== 'Container') continue;
    if (isObject(item.max)) {
      const d = child(item, 'default');
      for (const [k, v] of Object.entries(item.max)) setDefault(d, k, v);
    }
    if (isObject(item.default)) {
      const dr = child(item, 'defaultRequest');
      for (const [k, v] of Object.entries(item.default)) setDefault(dr, k, v);
    }
  }
}

