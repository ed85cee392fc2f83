// What the MultiClusterService controllers write (Karmada pkg/controllers/multiclusterservice): the
// provider and consumer cluster sets, the claimed Service and its ResourceBinding, the MCS Work a
// provider gets (so its EndpointSlices are collected) and the EndpointSlice Work a consumer gets.
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import {
  BindingManagedByLabel,
  EndpointSliceDispatchControllerLabelValue,
  EndpointSliceProvisionClusterAnnotation,
  LabelManagedBy,
  LabelServiceName,
  MultiClusterServiceKind,
  MultiClusterServiceNameAnnotation,
  MultiClusterServiceNameLabel,
  MultiClusterServiceNamespaceAnnotation,
  MultiClusterServiceNamespaceLabel,
  MultiClusterServicePermanentIDLabel,
  TrafficControl,
  type MultiClusterService,
} from '../../apis/karmada/networking.js';
import { ClusterPropagationPolicyAnnotation, ClusterPropagationPolicyPermanentIDLabel, PropagationPolicyNameAnnotation, PropagationPolicyNamespaceAnnotation, PropagationPolicyPermanentIDLabel } from '../../apis/karmada/policy.js';
import { executionSpaceName, type Work } from '../../apis/karmada/work.js';
import { BindingControllerFinalizer, ResourceTemplateClaimedByLabel } from '../../apis/karmada/wellknown.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { generateBindingName, generateWorkName } from '../binding/names.js';
import { cleanTemplate, newWork, stampManifest } from '../binding/render.js';

/** helper.MultiClusterServiceCrossClusterEnabled */
export const crossClusterEnabled = (mcs: MultiClusterService) => (mcs.spec?.types ?? []).includes('CrossCluster');

/** GetProviderClusters / GetConsumerClusters: the named clusters, or every cluster when none are named */
export function providerClusters(mcs: MultiClusterService, all: readonly string[]): Set<string> {
  const named = (mcs.spec?.providerClusters ?? []).map((c) => c.name);
  return new Set(named.length ? named : all);
}
export function consumerClusters(mcs: MultiClusterService, all: readonly string[]): Set<string> {
  const named = (mcs.spec?.consumerClusters ?? []).map((c) => c.name);
  return new Set(named.length ? named : all);
}

/** whether the cluster's endpoints are kept from consumers (a Remedy's TrafficControl in force) */
export const trafficControlled = (cluster: Cluster | undefined) => (cluster?.status?.remedyActions ?? []).includes(TrafficControl);

/** the Service claimed by the MultiClusterService (claimMultiClusterServiceForService); undefined when already so */
export function claimedService(svc: KubeObject, mcs: MultiClusterService): KubeObject | undefined {
  const id = mcs.metadata.labels?.[MultiClusterServicePermanentIDLabel] ?? '';
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  const annotations: Record<string, string> = { ...(svc.metadata.annotations ?? {}) };
  for (const l of [PropagationPolicyPermanentIDLabel, ClusterPropagationPolicyPermanentIDLabel]) delete labels[l];
  for (const a of [PropagationPolicyNameAnnotation, PropagationPolicyNamespaceAnnotation, ClusterPropagationPolicyAnnotation]) delete annotations[a];
  labels[ResourceTemplateClaimedByLabel] = MultiClusterServiceKind;
  labels[MultiClusterServicePermanentIDLabel] = id;
  annotations[MultiClusterServiceNameAnnotation] = mcs.metadata.name!;
  annotations[MultiClusterServiceNamespaceAnnotation] = mcs.metadata.namespace!;
  if (JSON.stringify([labels, annotations]) === JSON.stringify([svc.metadata.labels ?? {}, svc.metadata.annotations ?? {}])) return undefined;
  return { ...svc, metadata: { ...svc.metadata, labels, annotations } };
}

/** retrieveService: the Service and its binding without the MultiClusterService's claim (undefined: nothing to drop) */
export function withoutClaim(obj: KubeObject): KubeObject | undefined {
  const labels: Record<string, string> = { ...(obj.metadata.labels ?? {}) };
  const annotations: Record<string, string> = { ...(obj.metadata.annotations ?? {}) };
  for (const l of [ResourceTemplateClaimedByLabel, MultiClusterServicePermanentIDLabel, BindingManagedByLabel]) delete labels[l];
  for (const a of [MultiClusterServiceNameAnnotation, MultiClusterServiceNamespaceAnnotation]) delete annotations[a];
  if (JSON.stringify([labels, annotations]) === JSON.stringify([obj.metadata.labels ?? {}, obj.metadata.annotations ?? {}])) return undefined;
  return { ...obj, metadata: { ...obj.metadata, labels, annotations } };
}

/** the Service's binding (buildResourceBinding): placed on providers and consumers, Overwrite on conflict */
export function serviceBinding(svc: KubeObject, mcs: MultiClusterService, clusters: Set<string>): ResourceBinding {
  return {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: {
      name: generateBindingName('Service', svc.metadata.name!),
      namespace: svc.metadata.namespace,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      annotations: { [MultiClusterServiceNameAnnotation]: mcs.metadata.name!, [MultiClusterServiceNamespaceAnnotation]: mcs.metadata.namespace! },
      labels: { [BindingManagedByLabel]: MultiClusterServiceKind, [MultiClusterServicePermanentIDLabel]: mcs.metadata.labels?.[MultiClusterServicePermanentIDLabel] ?? '' },
      finalizers: [BindingControllerFinalizer],
    },
    spec: {
      placement: { clusterAffinity: { clusterNames: [...clusters].sort() } },
      conflictResolution: 'Overwrite',
      resource: { apiVersion: 'v1', kind: 'Service', namespace: svc.metadata.namespace, name: svc.metadata.name!, uid: svc.metadata.uid, resourceVersion: svc.metadata.resourceVersion },
    },
  } as ResourceBinding;
}

/** the suspended Work carrying the MultiClusterService to a provider (propagateMultiClusterService) */
export function providerWork(mcs: MultiClusterService, cluster: string, permanentId: string): Work {
  const name = generateWorkName(MultiClusterServiceKind, mcs.metadata.name!, mcs.metadata.namespace);
  const namespace = executionSpaceName(cluster);
  const manifest = cleanTemplate({ ...mcs, apiVersion: 'networking.karmada.io/v1alpha1', kind: MultiClusterServiceKind });
  stampManifest(manifest, { workName: name, workNamespace: namespace, templateUid: mcs.metadata.uid ?? '', workPermanentId: permanentId });
  const w = newWork({
    name,
    namespace,
    permanentId,
    manifest,
    labels: { [MultiClusterServicePermanentIDLabel]: mcs.metadata.labels?.[MultiClusterServicePermanentIDLabel] ?? '', [MultiClusterServiceNamespaceLabel]: mcs.metadata.namespace!, [MultiClusterServiceNameLabel]: mcs.metadata.name! },
    spec: { suspendDispatching: true },
  });
  w.metadata.finalizers = [];
  return w;
}

/** the Work giving a consumer the endpoints one provider's slice lists (ensureEndpointSliceWork) */
export function consumerWork(mcs: MultiClusterService, collected: Work, provider: string, consumer: string, permanentId: string): Work | undefined {
  const src = collected.spec?.workload?.manifests?.[0];
  if (!src) return undefined;
  const { metadata, ...body } = structuredClone(src) as KubeObject & Record<string, unknown>;
  delete body.status;
  const slice: KubeObject = {
    ...body,
    metadata: {
      name: `${provider}-${metadata.name}`,
      namespace: metadata.namespace,
      labels: { [LabelServiceName]: mcs.metadata.name!, [LabelManagedBy]: EndpointSliceDispatchControllerLabelValue },
      annotations: { [EndpointSliceProvisionClusterAnnotation]: provider },
    },
  };
  const namespace = executionSpaceName(consumer);
  stampManifest(slice, { workName: collected.metadata.name!, workNamespace: namespace, templateUid: '', workPermanentId: permanentId });
  return newWork({
    name: collected.metadata.name!,
    namespace,
    permanentId,
    manifest: slice,
    annotations: { [EndpointSliceProvisionClusterAnnotation]: provider },
    labels: { [MultiClusterServiceNameLabel]: mcs.metadata.name!, [MultiClusterServiceNamespaceLabel]: mcs.metadata.namespace! },
  });
}
