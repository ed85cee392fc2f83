// The GroupVersionResources of Karmada's APIs that clients address (the versions Karmada v1.19 serves
// and stores), one name per resource.
export const clusterGVR = { group: 'cluster.karmada.io', version: 'v1alpha1', resource: 'clusters' } as const;
export const propagationPolicyGVR = { group: 'policy.karmada.io', version: 'v1alpha1', resource: 'propagationpolicies' } as const;
export const clusterPropagationPolicyGVR = { group: 'policy.karmada.io', version: 'v1alpha1', resource: 'clusterpropagationpolicies' } as const;
export const overridePolicyGVR = { group: 'policy.karmada.io', version: 'v1alpha1', resource: 'overridepolicies' } as const;
export const clusterOverridePolicyGVR = { group: 'policy.karmada.io', version: 'v1alpha1', resource: 'clusteroverridepolicies' } as const;
export const resourceBindingGVR = { group: 'work.karmada.io', version: 'v1alpha2', resource: 'resourcebindings' } as const;
export const clusterResourceBindingGVR = { group: 'work.karmada.io', version: 'v1alpha2', resource: 'clusterresourcebindings' } as const;
export const workGVR = { group: 'work.karmada.io', version: 'v1alpha1', resource: 'works' } as const;
export const resourceInterpreterCustomizationGVR = { group: 'config.karmada.io', version: 'v1alpha1', resource: 'resourceinterpretercustomizations' } as const;
export const resourceInterpreterWebhookConfigurationGVR = { group: 'config.karmada.io', version: 'v1alpha1', resource: 'resourceinterpreterwebhookconfigurations' } as const;
export const clusterTaintPolicyGVR = { group: 'policy.karmada.io', version: 'v1alpha1', resource: 'clustertaintpolicies' } as const;
export const workloadRebalancerGVR = { group: 'apps.karmada.io', version: 'v1alpha1', resource: 'workloadrebalancers' } as const;
export const federatedHPAGVR = { group: 'autoscaling.karmada.io', version: 'v1alpha1', resource: 'federatedhpas' } as const;
export const cronFederatedHPAGVR = { group: 'autoscaling.karmada.io', version: 'v1alpha1', resource: 'cronfederatedhpas' } as const;
export const resourceRegistryGVR = { group: 'search.karmada.io', version: 'v1alpha1', resource: 'resourceregistries' } as const;
