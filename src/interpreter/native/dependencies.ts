// InterpretDependency for the native kinds (Karmada default/native/dependencies.go): the
// ConfigMaps, Secrets, ServiceAccounts and PersistentVolumeClaims a pod template refers to, which
// must be propagated wherever the workload goes.
import type { KubeObject } from '../../apimachinery/types.js';
import type { DependentObjectReference } from '../types.js';
import { objAt, objectsAt, strAt, type JsonObject } from './object.js';
import { namespaceOf, podTemplateOf } from './podtemplate.js';

type DependenciesInterpreter = (obj: KubeObject) => DependentObjectReference[];

const containerFields = ['containers', 'initContainers', 'ephemeralContainers'];

function containers(podSpec: JsonObject): JsonObject[] {
  return containerFields.flatMap((f) => objectsAt(podSpec, f));
}

/** podutil.VisitPodSecretNames: pull secrets, env, envFrom and every volume source with a secret ref. */
function podSecretNames(podSpec: JsonObject): Set<string> {
  const names = new Set<string>();
  const add = (name: string) => {
    if (name) names.add(name);
  };
  for (const ref of objectsAt(podSpec, 'imagePullSecrets')) add(strAt(ref, 'name'));
  for (const c of containers(podSpec)) {
    for (const env of objectsAt(c, 'envFrom')) add(strAt(env, 'secretRef', 'name'));
    for (const env of objectsAt(c, 'env')) add(strAt(env, 'valueFrom', 'secretKeyRef', 'name'));
  }
  for (const v of objectsAt(podSpec, 'volumes')) {
    add(strAt(v, 'secret', 'secretName'));
    add(strAt(v, 'azureFile', 'secretName'));
    for (const source of ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos']) add(strAt(v, source, 'secretRef', 'name'));
    add(strAt(v, 'csi', 'nodePublishSecretRef', 'name'));
    for (const p of objectsAt(v, 'projected', 'sources')) add(strAt(p, 'secret', 'name'));
  }
  return names;
}

/** podutil.VisitPodConfigmapNames: env, envFrom, configMap and projected volumes. */
function podConfigMapNames(podSpec: JsonObject): Set<string> {
  const names = new Set<string>();
  const add = (name: string) => {
    if (name) names.add(name);
  };
  for (const c of containers(podSpec)) {
    for (const env of objectsAt(c, 'envFrom')) add(strAt(env, 'configMapRef', 'name'));
    for (const env of objectsAt(c, 'env')) add(strAt(env, 'valueFrom', 'configMapKeyRef', 'name'));
  }
  for (const v of objectsAt(podSpec, 'volumes')) {
    add(strAt(v, 'configMap', 'name'));
    for (const p of objectsAt(v, 'projected', 'sources')) add(strAt(p, 'configMap', 'name'));
  }
  return names;
}

function podPersistentVolumeClaimNames(podSpec: JsonObject): Set<string> {
  const names = new Set<string>();
  for (const v of objectsAt(podSpec, 'volumes')) {
    const claim = strAt(v, 'persistentVolumeClaim', 'claimName');
    if (claim) names.add(claim);
  }
  return names;
}

/** The default service account exists in every namespace, so it is never a dependency. */
function podServiceAccountNames(podSpec: JsonObject): Set<string> {
  const name = strAt(podSpec, 'serviceAccountName');
  return new Set(name && name !== 'default' ? [name] : []);
}

/** helper.GetDependenciesFromPodTemplate, each kind's names sorted for a stable answer. */
export function podDependencies(podSpec: JsonObject, namespace: string): DependentObjectReference[] {
  const refs = (kind: string, names: Set<string>) =>
    [...names].sort().map((name): DependentObjectReference => ({ apiVersion: 'v1', kind, namespace, name }));
  return [
    ...refs('ConfigMap', podConfigMapNames(podSpec)),
    ...refs('Secret', podSecretNames(podSpec)),
    ...refs('ServiceAccount', podServiceAccountNames(podSpec)),
    ...refs('PersistentVolumeClaim', podPersistentVolumeClaimNames(podSpec)),
  ];
}

function fromPodTemplate(obj: KubeObject): DependentObjectReference[] {
  return podDependencies(objAt(podTemplateOf(obj), 'spec'), namespaceOf(obj));
}

/** A PVC a volumeClaimTemplate creates per replica is the StatefulSet's own, not a dependency. */
function statefulSetDependencies(obj: KubeObject): DependentObjectReference[] {
  const templates = new Set(objectsAt(obj, 'spec', 'volumeClaimTemplates').map((t) => strAt(t, 'metadata', 'name')));
  return fromPodTemplate(obj).filter((d) => d.kind !== 'PersistentVolumeClaim' || !templates.has(d.name ?? ''));
}

function ingressDependencies(obj: KubeObject): DependentObjectReference[] {
  const names = new Set(objectsAt(obj, 'spec', 'tls').map((t) => strAt(t, 'secretName')).filter((n) => n !== ''));
  return [...names].map((name) => ({ apiVersion: 'v1', kind: 'Secret', namespace: namespaceOf(obj), name }));
}

/** names.GenerateDerivedServiceName */
function derivedServiceName(serviceImportName: string): string {
  return `derived-${serviceImportName}`;
}

/** A ServiceImport needs its derived Service and that service's EndpointSlices. */
function serviceImportDependencies(obj: KubeObject): DependentObjectReference[] {
  const namespace = namespaceOf(obj);
  const derived = derivedServiceName(strAt(obj, 'metadata', 'name'));
  return [
    { apiVersion: 'v1', kind: 'Service', namespace, name: derived },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace, labelSelector: { matchLabels: { 'kubernetes.io/service-name': derived } } },
  ];
}

/** Keyed by gvkKey. */
export const dependenciesInterpreters: Record<string, DependenciesInterpreter> = {
  'apps/v1, Kind=Deployment': fromPodTemplate,
  'apps/v1, Kind=StatefulSet': statefulSetDependencies,
  'apps/v1, Kind=ReplicaSet': fromPodTemplate,
  'apps/v1, Kind=DaemonSet': fromPodTemplate,
  'batch/v1, Kind=Job': fromPodTemplate,
  'batch/v1, Kind=CronJob': fromPodTemplate,
  'v1, Kind=Pod': fromPodTemplate,
  'networking.k8s.io/v1, Kind=Ingress': ingressDependencies,
  'multicluster.x-k8s.io/v1alpha1, Kind=ServiceImport': serviceImportDependencies,
};
