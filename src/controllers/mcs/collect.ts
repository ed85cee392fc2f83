// What the collecting controllers write (Karmada pkg/controllers/mcs and multiclusterservice): a
// member's EndpointSlice reported as a Work in its execution space (suspended, never dispatched back),
// shared by ServiceExport and MultiClusterService through endpointslice.karmada.io/managed-by; the
// control plane's imported-<cluster>-<slice> copy for a derived-<service>; the derived Service of a
// ServiceImport.
import type { KubeObject } from '../../apimachinery/types.js';
import { executionSpaceName, WorkPermanentIDLabel, workApiVersion, type Manifest, type Work } from '../../apis/karmada/work.js';
import { WorkNameAnnotation, WorkNamespaceAnnotation } from '../../apis/karmada/wellknown.js';
import {
  EndpointSliceControllerFinalizer,
  EndpointSliceControllerLabelValue,
  EndpointSliceWorkManagedByLabel,
  LabelManagedBy,
  LabelServiceName,
  MCSEndpointSliceDispatchControllerFinalizer,
  MultiClusterServiceKind,
  MultiClusterServiceNameLabel,
  MultiClusterServiceNamespaceLabel,
  ServiceExportKind,
  ServiceNameLabel,
  ServiceNamespaceLabel,
  derivedServiceName,
  importedEndpointSliceName,
} from '../../apis/karmada/networking.js';
import { cleanTemplate, stampManifest } from '../binding/render.js';
import { generateWorkName } from '../binding/names.js';

export type Collector = typeof ServiceExportKind | typeof MultiClusterServiceKind;

const managedBySet = (value: string | undefined) => new Set((value ?? '').split('.').filter(Boolean));

/** the managed-by value with `by` added (sorted, joined by '.') */
export function addCollector(value: string | undefined, by: Collector): string {
  return [...managedBySet(value).add(by)].sort().join('.');
}

/** the managed-by value without `by` ('' when nobody is left) */
export function removeCollector(value: string | undefined, by: Collector): string {
  const set = managedBySet(value);
  set.delete(by);
  return [...set].sort().join('.');
}

const ownLabels = (by: Collector): [string, string] => (by === ServiceExportKind ? [ServiceNamespaceLabel, ServiceNameLabel] : [MultiClusterServiceNamespaceLabel, MultiClusterServiceNameLabel]);
const ownFinalizer = (by: Collector) => (by === ServiceExportKind ? EndpointSliceControllerFinalizer : MCSEndpointSliceDispatchControllerFinalizer);

/** names.GenerateWorkName for a member's EndpointSlice */
export function collectedWorkName(slice: KubeObject): string {
  return generateWorkName('EndpointSlice', slice.metadata.name!, slice.metadata.namespace);
}

/**
 * The Work reporting a member's EndpointSlice (reportEndpointSlice + getEndpointSliceWorkMeta):
 * labelled with the service (or MultiClusterService) it belongs to and merged with what `existing`
 * says about the other collector; suspended so the execution controller never applies it.
 */
export function collectedWork(o: { cluster: string; slice: KubeObject; by: Collector; permanentId: string; existing?: Work }): Work {
  const namespace = executionSpaceName(o.cluster);
  const name = collectedWorkName(o.slice);
  const [nsLabel, nameLabel] = ownLabels(o.by);
  const labels: Record<string, string> = {
    ...(o.existing?.metadata.labels ?? {}),
    [nsLabel]: o.slice.metadata.namespace!,
    [nameLabel]: o.slice.metadata.labels?.[LabelServiceName] ?? '',
    [EndpointSliceWorkManagedByLabel]: addCollector(o.existing?.metadata.labels?.[EndpointSliceWorkManagedByLabel], o.by),
  };
  const permanentId = o.existing?.metadata.labels?.[WorkPermanentIDLabel] ?? o.permanentId;
  labels[WorkPermanentIDLabel] = permanentId;
  const manifest = cleanTemplate(o.slice);
  stampManifest(manifest, { workName: name, workNamespace: namespace, templateUid: o.slice.metadata.uid ?? '', workPermanentId: permanentId });
  const finalizers = [...new Set([...(o.existing?.metadata.finalizers ?? []), ownFinalizer(o.by)])];
  return {
    apiVersion: workApiVersion,
    kind: 'Work',
    metadata: { name, namespace, labels, finalizers, ...(o.existing?.metadata.annotations ? { annotations: o.existing.metadata.annotations } : {}) },
    spec: { suspendDispatching: true, workload: { manifests: [manifest as Manifest] } },
  };
}

/**
 * cleanEndpointSliceWork: a collector letting go of a Work. With another collector left, the Work
 * keeps going without this one's labels; alone, it is deleted ('delete').
 */
export function releaseCollectedWork(work: Work, by: Collector): Work | 'delete' {
  const left = removeCollector(work.metadata.labels?.[EndpointSliceWorkManagedByLabel], by);
  if (!left) return 'delete';
  const labels: Record<string, string> = { ...(work.metadata.labels ?? {}), [EndpointSliceWorkManagedByLabel]: left };
  for (const l of ownLabels(by)) delete labels[l];
  return { ...work, metadata: { ...work.metadata, labels } };
}

/** whether `by` collects this Work */
export function isCollectedBy(work: KubeObject, by: Collector): boolean {
  return managedBySet(work.metadata.labels?.[EndpointSliceWorkManagedByLabel]).has(by);
}

/**
 * The control plane's EndpointSlice for a collected Work (mcs endpointslice-controller's
 * deriveEndpointSlice): imported-<cluster>-<slice>, selected by derived-<service>.
 */
export function importedEndpointSlice(work: Work, cluster: string): KubeObject | undefined {
  const manifest = work.spec?.workload?.manifests?.[0];
  const service = work.metadata.labels?.[ServiceNameLabel];
  if (!manifest || manifest.kind !== 'EndpointSlice' || !service) return undefined;
  const { apiVersion, kind, metadata, ...body } = structuredClone(manifest) as KubeObject & Record<string, unknown>;
  return {
    apiVersion: apiVersion ?? 'discovery.k8s.io/v1',
    kind,
    metadata: {
      name: importedEndpointSliceName(metadata.name!, cluster),
      namespace: metadata.namespace,
      labels: { [WorkPermanentIDLabel]: work.metadata.labels?.[WorkPermanentIDLabel] ?? '', [LabelServiceName]: derivedServiceName(service), [LabelManagedBy]: EndpointSliceControllerLabelValue },
      annotations: { [WorkNamespaceAnnotation]: work.metadata.namespace!, [WorkNameAnnotation]: work.metadata.name! },
    },
    ...body,
  };
}

interface ServiceImportSpec {
  type?: string;
  ips?: string[];
  ports?: { name?: string; protocol?: string; appProtocol?: string; port: number }[];
}

/** The derived-<name> ClusterIP Service of a ServiceImport (deriveServiceFromServiceImport); keeps the live ClusterIP. */
export function derivedService(serviceImport: KubeObject, existing?: KubeObject): KubeObject {
  const spec = (serviceImport.spec ?? {}) as ServiceImportSpec;
  const ports = (spec.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), protocol: p.protocol ?? 'TCP', port: p.port, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
  const live = (existing?.spec ?? {}) as { clusterIP?: string; clusterIPs?: string[] };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...(existing?.metadata ?? {}), name: derivedServiceName(serviceImport.metadata.name!), namespace: serviceImport.metadata.namespace },
    spec: { ...(existing?.spec as object), type: 'ClusterIP', ports, ...(live.clusterIP ? { clusterIP: live.clusterIP, clusterIPs: live.clusterIPs } : {}) },
  };
}

/** the derived Service's status: the ServiceImport's IPs as load balancer ingress */
export function derivedServiceStatus(serviceImport: KubeObject): { loadBalancer: { ingress?: { ip: string }[] } } {
  const ips = ((serviceImport.spec ?? {}) as ServiceImportSpec).ips ?? [];
  return { loadBalancer: ips.length ? { ingress: ips.map((ip) => ({ ip })) } : {} };
}
