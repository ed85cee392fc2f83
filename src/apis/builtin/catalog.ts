// Every built-in resource the control plane serves, with the names, scope, verbs, subresources,
// printing and per-kind rules kube-apiserver has for it (verbs and short names as its discovery
// documents list them).
import type { KubeObject } from '../../apimachinery/types.js';
import { standardVerbs, type ResourceDef, type TableConvertor } from '../resource.js';
import {
  configMapTable,
  endpointsTable,
  eventTable,
  namespaceTable,
  nodeTable,
  persistentVolumeClaimTable,
  persistentVolumeTable,
  podTable,
  podTemplateTable,
  resourceQuotaTable,
  secretTable,
  serviceAccountTable,
  serviceTable,
} from '../tables/printers/core.js';
import {
  clusterRoleBindingTable,
  endpointSliceTable,
  horizontalPodAutoscalerTable,
  ingressClassTable,
  ingressTable,
  leaseTable,
  networkPolicyTable,
  podDisruptionBudgetTable,
  priorityClassTable,
  roleBindingTable,
  storageClassTable,
} from '../tables/printers/others.js';
import { controllerRevisionTable, cronJobTable, daemonSetTable, deploymentTable, jobTable, replicaSetTable, statefulSetTable } from '../tables/printers/workloads.js';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './conversion/events.js';
import { defaultHpaV1, defaultHpaV2, hpaV1ToV2, hpaV2ToV1 } from './conversion/hpa.js';
import {
  defaultEndpoints,
  defaultEndpointSlice,
  defaultLimitRange,
  defaultNamespace,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultPodTemplateObject,
  defaultSecret,
  defaultService,
} from './defaults/core.js';
import { defaultPod } from './defaults/podspec.js';
import { defaultCronJob, defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultStatefulSet } from './defaults/workloads.js';
import { eventFields, eventsV1Fields, jobFields, namespaceFields, nodeFields, podFields, replicaSetFields, secretFields } from './fieldselectors.js';
import { validateConfigMap, validatePod, validateSecret, validateService } from './validation/core.js';
import { validateCronJob, validateDaemonSet, validateDeployment, validateJob, validateReplicaSet, validateStatefulSet } from './validation/workloads.js';

/** The OpenAPI package of a group: "" -> core, "apps" -> apps, "rbac.authorization.k8s.io" -> rbac. */
function schemaPackage(group: string): string {
  if (group === '') return 'io.k8s.api.core';
  if (group === 'apiextensions.k8s.io') return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';
  return `io.k8s.api.${group.split('.')[0]}`;
}

type Spec = Pick<ResourceDef, 'group' | 'version' | 'resource' | 'kind' | 'namespaced'> & Partial<Omit<ResourceDef, 'group' | 'version' | 'resource' | 'kind' | 'namespaced'>>;

function define(spec: Spec): ResourceDef {
  return {
    singular: spec.kind.toLowerCase(),
    listKind: `${spec.kind}List`,
    verbs: [...standardVerbs],
    subresources: {},
    storage: { group: spec.group, resource: spec.resource, version: spec.version },
    schemaName: `${schemaPackage(spec.group)}.${spec.version}.${spec.kind}`,
    allowUnconditionalUpdate: true,
    strategicMergePatch: true,
    ...spec,
  };
}

const withoutDeleteCollection = standardVerbs.filter((v) => v !== 'deletecollection');
const status = { status: true };
const scale = { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } };

/** A printer for objects of one version that converts them first (HPA v1 and events.k8s.io print as stored). */
function convertedTable(table: TableConvertor, convert: (o: KubeObject) => KubeObject): TableConvertor {
  return { columns: table.columns, cells: (o, now) => table.cells(convert(o), now) };
}

const core = (resource: string, kind: string, namespaced: boolean, extra: Partial<ResourceDef> = {}): ResourceDef =>
  define({ group: '', version: 'v1', resource, kind, namespaced, ...extra });

const coreResources: ResourceDef[] = [
  core('namespaces', 'Namespace', false, {
    shortNames: ['ns'],
    verbs: withoutDeleteCollection,
    subresources: status,
    table: namespaceTable,
    fieldSelectors: namespaceFields,
    defaults: defaultNamespace,
  }),
  core('configmaps', 'ConfigMap', true, { shortNames: ['cm'], table: configMapTable, validate: validateConfigMap }),
  core('secrets', 'Secret', true, { table: secretTable, fieldSelectors: secretFields, defaults: defaultSecret, validate: validateSecret }),
  core('serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'], table: serviceAccountTable }),
  core('services', 'Service', true, {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: status,
    table: serviceTable,
    defaults: defaultService,
    validate: validateService,
  }),
  core('endpoints', 'Endpoints', true, { singular: 'endpoints', shortNames: ['ep'], table: endpointsTable, defaults: defaultEndpoints }),
  core('pods', 'Pod', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: status,
    table: podTable,
    fieldSelectors: podFields,
    defaults: defaultPod,
    validate: validatePod,
  }),
  core('podtemplates', 'PodTemplate', true, { table: podTemplateTable, defaults: defaultPodTemplateObject }),
  core('events', 'Event', true, { shortNames: ['ev'], table: eventTable, fieldSelectors: eventFields }),
  core('persistentvolumeclaims', 'PersistentVolumeClaim', true, {
    shortNames: ['pvc'],
    subresources: status,
    table: persistentVolumeClaimTable,
    defaults: defaultPersistentVolumeClaim,
  }),
  core('persistentvolumes', 'PersistentVolume', false, { shortNames: ['pv'], subresources: status, table: persistentVolumeTable, defaults: defaultPersistentVolume }),
  core('limitranges', 'LimitRange', true, { shortNames: ['limits'], defaults: defaultLimitRange }),
  core('resourcequotas', 'ResourceQuota', true, { shortNames: ['quota'], subresources: status, table: resourceQuotaTable }),
  core('nodes', 'Node', false, { shortNames: ['no'], subresources: status, table: nodeTable, fieldSelectors: nodeFields }),
];

const apps = (resource: string, kind: string, extra: Partial<ResourceDef> = {}): ResourceDef =>
  define({ group: 'apps', version: 'v1', resource, kind, namespaced: true, ...extra });

const appsResources: ResourceDef[] = [
  apps('deployments', 'Deployment', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: scale,
    table: deploymentTable,
    defaults: defaultDeployment,
    validate: validateDeployment,
  }),
  apps('statefulsets', 'StatefulSet', {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: scale,
    table: statefulSetTable,
    defaults: defaultStatefulSet,
    validate: validateStatefulSet,
  }),
  apps('daemonsets', 'DaemonSet', {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: status,
    table: daemonSetTable,
    defaults: defaultDaemonSet,
    validate: validateDaemonSet,
  }),
  apps('replicasets', 'ReplicaSet', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: scale,
    table: replicaSetTable,
    fieldSelectors: replicaSetFields,
    defaults: defaultReplicaSet,
    validate: validateReplicaSet,
  }),
  apps('controllerrevisions', 'ControllerRevision', { table: controllerRevisionTable }),
];

const batchResources: ResourceDef[] = [
  define({
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    kind: 'Job',
    namespaced: true,
    categories: ['all'],
    subresources: status,
    table: jobTable,
    fieldSelectors: jobFields,
    defaults: defaultJob,
    validate: validateJob,
  }),
  define({
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    subresources: status,
    table: cronJobTable,
    defaults: defaultCronJob,
    validate: validateCronJob,
  }),
];

const hpaStorage = { group: 'autoscaling', resource: 'horizontalpodautoscalers', version: 'v2' };

const autoscalingResources: ResourceDef[] = [
  define({
    group: 'autoscaling',
    version: 'v2',
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: status,
    storage: hpaStorage,
    table: horizontalPodAutoscalerTable,
    defaults: defaultHpaV2,
  }),
  define({
    group: 'autoscaling',
    version: 'v1',
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: status,
    storage: hpaStorage,
    convertFromStorage: hpaV2ToV1,
    convertToStorage: hpaV1ToV2,
    table: convertedTable(horizontalPodAutoscalerTable, hpaV1ToV2),
    defaults: defaultHpaV1,
  }),
];

const group = (g: string, resource: string, kind: string, namespaced: boolean, extra: Partial<ResourceDef> = {}): ResourceDef =>
  define({ group: g, version: 'v1', resource, kind, namespaced, ...extra });

const otherResources: ResourceDef[] = [
  group('networking.k8s.io', 'ingresses', 'Ingress', true, { shortNames: ['ing'], subresources: status, table: ingressTable }),
  group('networking.k8s.io', 'ingressclasses', 'IngressClass', false, { table: ingressClassTable }),
  group('networking.k8s.io', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'], table: networkPolicyTable }),
  group('policy', 'poddisruptionbudgets', 'PodDisruptionBudget', true, { shortNames: ['pdb'], subresources: status, table: podDisruptionBudgetTable }),
  group('rbac.authorization.k8s.io', 'roles', 'Role', true),
  group('rbac.authorization.k8s.io', 'clusterroles', 'ClusterRole', false),
  group('rbac.authorization.k8s.io', 'rolebindings', 'RoleBinding', true, { table: roleBindingTable }),
  group('rbac.authorization.k8s.io', 'clusterrolebindings', 'ClusterRoleBinding', false, { table: clusterRoleBindingTable }),
  // reviews are answered, never stored (src/apiserver/auth/reviews.ts): create is their only verb
  group('authorization.k8s.io', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, { verbs: ['create'] }),
  group('authorization.k8s.io', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, { verbs: ['create'] }),
  group('authorization.k8s.io', 'subjectaccessreviews', 'SubjectAccessReview', false, { verbs: ['create'] }),
  group('authorization.k8s.io', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true, { verbs: ['create'] }),
  group('authentication.k8s.io', 'tokenreviews', 'TokenReview', false, { verbs: ['create'] }),
  group('authentication.k8s.io', 'selfsubjectreviews', 'SelfSubjectReview', false, { verbs: ['create'] }),
  group('certificates.k8s.io', 'certificatesigningrequests', 'CertificateSigningRequest', false, { shortNames: ['csr'], subresources: status }),
  group('coordination.k8s.io', 'leases', 'Lease', true, { table: leaseTable }),
  group('storage.k8s.io', 'storageclasses', 'StorageClass', false, { shortNames: ['sc'], table: storageClassTable }),
  group('scheduling.k8s.io', 'priorityclasses', 'PriorityClass', false, { shortNames: ['pc'], table: priorityClassTable }),
  group('discovery.k8s.io', 'endpointslices', 'EndpointSlice', true, { table: endpointSliceTable, defaults: defaultEndpointSlice }),
  group('events.k8s.io', 'events', 'Event', true, {
    shortNames: ['ev'],
    storage: { group: '', resource: 'events', version: 'v1' },
    convertFromStorage: coreEventToEventsV1,
    convertToStorage: eventsV1ToCoreEvent,
    table: convertedTable(eventTable, eventsV1ToCoreEvent),
    fieldSelectors: eventsV1Fields,
  }),
  group('apiextensions.k8s.io', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: status,
  }),
];

export const builtinResources: ResourceDef[] = [...coreResources, ...appsResources, ...batchResources, ...autoscalingResources, ...otherResources];
