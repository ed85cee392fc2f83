// The GroupVersionResources of built-in Kubernetes resources that controllers and components address
// by client (the API server itself works from the catalog), one name per resource.
export const namespaceGVR = { group: '', version: 'v1', resource: 'namespaces' } as const;
export const secretGVR = { group: '', version: 'v1', resource: 'secrets' } as const;
export const eventGVR = { group: '', version: 'v1', resource: 'events' } as const;
export const nodeGVR = { group: '', version: 'v1', resource: 'nodes' } as const;
export const podGVR = { group: '', version: 'v1', resource: 'pods' } as const;
export const resourceQuotaGVR = { group: '', version: 'v1', resource: 'resourcequotas' } as const;
export const leaseGVR = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' } as const;
export const serviceGVR = { group: '', version: 'v1', resource: 'services' } as const;
export const endpointSliceGVR = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' } as const;
export const deploymentGVR = { group: 'apps', version: 'v1', resource: 'deployments' } as const;
export const statefulSetGVR = { group: 'apps', version: 'v1', resource: 'statefulsets' } as const;
export const daemonSetGVR = { group: 'apps', version: 'v1', resource: 'daemonsets' } as const;
export const jobGVR = { group: 'batch', version: 'v1', resource: 'jobs' } as const;
export const horizontalPodAutoscalerGVR = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' } as const;
export const certificateSigningRequestGVR = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' } as const;
export const priorityClassGVR = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' } as const;
export const customResourceDefinitionGVR = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' } as const;
/** metrics.k8s.io, served by a member's metrics-server (and the control plane's aggregated view of the members) */
export const podMetricsGVR = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods' } as const;
export const nodeMetricsGVR = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'nodes' } as const;
