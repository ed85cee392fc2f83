// Karmada's well-known finalizers, labels and annotations (pkg/util/constants.go and the
// well_known_constants.go of each API group) that more than one part of karmada-ts reads or writes.
// Labels and annotations owned by a single API type live beside it (work.ts, policy.ts, binding.ts).

// ---- finalizers ----
export const BindingControllerFinalizer = 'karmada.io/binding-controller';
export const ClusterResourceBindingControllerFinalizer = 'karmada.io/cluster-resource-binding-controller';
export const ExecutionControllerFinalizer = 'karmada.io/execution-controller';
export const ClusterControllerFinalizer = 'karmada.io/cluster-controller';
export const BindingDependenciesDistributorFinalizer = 'karmada.io/binding-dependencies-distributor';

// ---- labels ----
/** on every object Karmada puts in a member */
export const ManagedByKarmadaLabel = 'karmada.io/managed';
export const ManagedByKarmadaLabelValue = 'true';
/** marks namespaces Karmada itself owns */
export const KarmadaSystemLabel = 'karmada.io/system';
/** on the RBAC defaults the agents' bootstrap installs */
export const KarmadaBootstrappingLabel = 'karmada.io/bootstrapping';
/** a template taken over by another Karmada feature (e.g. MultiClusterService) is not for policies */
export const ResourceTemplateClaimedByLabel = 'resourcetemplate.karmada.io/claimed-by';
/** resourcetemplate.karmada.io/retain-replicas=true: replicas are owned by a member-side HPA */
export const RetainReplicasLabel = 'resourcetemplate.karmada.io/retain-replicas';
export const NamespaceSkipAutoPropagationLabel = 'namespace.karmada.io/skip-auto-propagation';
/** prefix of the labels an attached binding carries per binding that depends on it */
export const DependedByLabelKeyPrefix = 'resourcebinding.karmada.io/depended-by-';

// ---- annotations ----
/** on Works: the binding they were rendered from (workv1alpha2.ResourceBindingNamespaceAnnotationKey, ...) */
export const ResourceBindingNamespaceAnnotation = 'resourcebinding.karmada.io/namespace';
export const ResourceBindingNameAnnotation = 'resourcebinding.karmada.io/name';
export const ClusterResourceBindingNameAnnotation = 'clusterresourcebinding.karmada.io/name';
/** on bindings: the objects the template depends on (dependencies distributor) */
export const DependenciesAnnotation = 'resourcebinding.karmada.io/dependencies';
/** on member objects: the template they come from */
export const ResourceTemplateUIDAnnotation = 'resourcetemplate.karmada.io/uid';
export const ResourceTemplateGenerationAnnotation = 'resourcetemplate.karmada.io/generation';
/** on member objects: the Work that manages them (workv1alpha2.WorkNamespaceAnnotation/WorkNameAnnotation) */
export const WorkNamespaceAnnotation = 'work.karmada.io/namespace';
export const WorkNameAnnotation = 'work.karmada.io/name';
/** on member objects: which annotations and labels Karmada manages (the rest are the member's own) */
export const ManagedAnnotationsAnnotation = 'resourcetemplate.karmada.io/managed-annotations';
export const ManagedLabelsAnnotation = 'resourcetemplate.karmada.io/managed-labels';
/** on metrics the control plane serves (karmada-metrics-adapter): the member they were read from */
export const QueryFromClusterAnnotation = 'resource.karmada.io/query-from-cluster';
/** in a Pull member's karmada-system: the agent's control-plane kubeconfig `karmadactl register` writes and the agent's cert rotation renews */
export const AgentKubeconfigSecretName = 'karmada-kubeconfig';
export const AgentKubeconfigSecretKey = 'karmada.config';
/** on objects karmada-search serves from its cache: the member they were cached from (clusterv1alpha1.CacheSourceAnnotationKey) */
export const CacheSourceAnnotation = 'resource.karmada.io/cached-from-cluster';

/** where `karmadactl join` keeps each Push member's credentials (Cluster spec.secretRef) */
export const ClusterSecretNamespace = 'karmada-cluster';
