// Multi-cluster services: ServiceExport/ServiceImport (multicluster.x-k8s.io), MultiClusterService
// (networking.karmada.io) and Remedy (remedy.karmada.io): types and the names Karmada gives the
// Works and EndpointSlices it collects and dispatches (pkg/util/constants.go, pkg/util/names,
// pkg/apis/networking and pkg/apis/remedy well_known_constants.go).
import type { Condition, KubeObject } from '../../apimachinery/types.js';

// ---- on Works holding EndpointSlices collected from a member ----
/** the Service namespace and name behind a collected EndpointSlice (ServiceExport) */
export const ServiceNamespaceLabel = 'endpointslice.karmada.io/namespace';
export const ServiceNameLabel = 'endpointslice.karmada.io/name';
/** the MultiClusterService a Work belongs to */
export const MultiClusterServiceNamespaceLabel = 'multiclusterservice.karmada.io/namespace';
export const MultiClusterServiceNameLabel = 'multiclusterservice.karmada.io/name';
/** which controllers collect the Work: ServiceExport, MultiClusterService, or both joined by '.' */
export const EndpointSliceWorkManagedByLabel = 'endpointslice.karmada.io/managed-by';
/** on dispatched EndpointSlice Works and slices: the cluster the endpoints come from */
export const EndpointSliceProvisionClusterAnnotation = 'endpointslice.karmada.io/provision-cluster';
/** on MultiClusterService and the Service it claims */
export const MultiClusterServiceNameAnnotation = 'multiclusterservice.karmada.io/name';
export const MultiClusterServiceNamespaceAnnotation = 'multiclusterservice.karmada.io/namespace';
export { MultiClusterServicePermanentIDLabel } from './admission/networking.js';

// ---- discovery.k8s.io/v1 ----
export const LabelServiceName = 'kubernetes.io/service-name';
export const LabelManagedBy = 'endpointslice.kubernetes.io/managed-by';
/** managed-by of the slices Karmada's endpointslice-controller derives in the control plane */
export const EndpointSliceControllerLabelValue = 'endpointslice-controller.karmada.io';
/** managed-by of the slices the endpointslice-dispatch-controller sends to consumers */
export const EndpointSliceDispatchControllerLabelValue = 'endpointslice-dispatch-controller.karmada.io';

// ---- finalizers ----
export const EndpointSliceControllerFinalizer = 'karmada.io/endpointslice-controller';
export const MCSEndpointSliceCollectControllerFinalizer = 'karmada.io/mcs-endpointslice-collect-controller';
export const MCSEndpointSliceDispatchControllerFinalizer = 'karmada.io/mcs-endpointslice-dispatch-controller';
export const MCSControllerFinalizer = 'karmada.io/multiclusterservice-controller';

export const ServiceExportKind = 'ServiceExport';
export const MultiClusterServiceKind = 'MultiClusterService';

// ---- MultiClusterService status ----
export const MCSServiceAppliedConditionType = 'ServiceApplied';
export const EndpointSliceDispatchedConditionType = 'EndpointSliceDispatched';

// ---- Remedy ----
export const TrafficControl = 'TrafficControl';

/** names.GenerateDerivedServiceName */
export function derivedServiceName(service: string): string {
  return `derived-${service}`;
}

/** names.GenerateEndpointSliceName: the control plane's copy of a member's slice */
export function importedEndpointSliceName(slice: string, cluster: string): string {
  return `imported-${cluster}-${slice}`;
}

/** whether Karmada wrote this slice (never collected again: that would loop) */
export function isEndpointSliceManagedByKarmada(labels: Record<string, string> | undefined): boolean {
  const by = labels?.[LabelManagedBy];
  return by === EndpointSliceControllerLabelValue || by === EndpointSliceDispatchControllerLabelValue;
}

export interface MultiClusterServiceSpec {
  types?: string[];
  ports?: { name?: string; port: number }[];
  providerClusters?: { name: string }[];
  consumerClusters?: { name: string }[];
  range?: { clusterNames?: string[] };
  serviceProvisionClusters?: string[];
  serviceConsumptionClusters?: string[];
}

export interface MultiClusterService extends KubeObject {
  spec: MultiClusterServiceSpec;
  status?: { conditions?: Condition[]; loadBalancer?: unknown };
}

export interface RemedySpec {
  clusterAffinity?: { clusterNames?: string[] };
  decisionMatches?: { clusterConditionMatch?: { conditionType: string; operator: 'Equal' | 'NotEqual'; conditionStatus: string } }[];
  actions?: string[];
}

export interface Remedy extends KubeObject {
  spec?: RemedySpec;
}

/** workv1alpha2.BindingManagedByLabel: the binding the MultiClusterService controller makes for its Service */
export const BindingManagedByLabel = 'binding.karmada.io/managed-by';
