#!/usr/bin/env node
// Builds src/apiserver/openapi/generated/k8s-schemas.json: the OpenAPI v3 component schemas of every
// built-in Kubernetes kind, named as Kubernetes names them (io.k8s.api.apps.v1.Deployment).
//
// Offline source: @kubernetes/client-node's generated models. Each model class carries
// `attributeTypeMap` (field names and types) and its .d.ts holds the doc comments (descriptions) and
// `?` for optional fields. Class names lack the API group, so groups are recovered from the API
// classes' request paths (list and create endpoints name each kind's group/version), and nested types
// inherit the package of the kind that first reaches them (core first). Strategic-merge-patch and
// list-type metadata are not in client-node: they come from the table below, written from the
// Kubernetes types.go struct tags.
//
// Usage: node scripts/gen-openapi.mjs [outFile]
import { readFileSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const clientDist = dirname(require.resolve('@kubernetes/client-node'));
const genDir = join(clientDist, 'gen');
const modelsDir = join(genDir, 'models');
const apisDir = join(genDir, 'apis');
const outFile = resolve(process.argv[2] ?? join(root, 'src/apiserver/openapi/generated/k8s-schemas.json'));

const models = await import(pathToFileURL(join(modelsDir, 'all.js')).href);

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ref = (name) => `#/components/schemas/${name}`;

// ---- special (non-struct) types, as Kubernetes' v3 spec defines them -------------------------------
const special = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    type: 'string',
    format: 'int-or-string',
  },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    description: "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the \"\" case in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= \"+\" | \"-\" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>       ::= m | \"\" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn't choose the capitalization.)\n\n<decimalExponent> ::= \"e\" <signedNumber> | \"E\" <signedNumber> ```",
    type: 'string',
  },
  [`${META}.Time`]: {
    description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    type: 'string',
    format: 'date-time',
  },
  [`${META}.MicroTime`]: {
    description: 'MicroTime is version of Time with microsecond level precision.',
    type: 'string',
    format: 'date-time',
  },
  [`${META}.FieldsV1`]: {
    description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff",
    type: 'object',
  },
  [`${META}.Patch`]: {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': {
    description: 'RawExtension is used to hold extensions in external versions.\n\nTo use this, make a field which has RawExtension as its type in your external/versioned struct, and Object in your internal struct. You also need to register your various plugin types.',
    type: 'object',
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': {
    description: 'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.',
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': {
    description: 'JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps. Mainly here for serialization purposes.',
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': {
    description: 'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.',
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': {
    description: 'JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array.',
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus': {
    description: 'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources. Status is represented by the `.status` JSON path inside of a CustomResource. When set, * exposes a /status subresource for the custom resource * PUT requests to the /status subresource take a custom resource object, and ignore changes to anything except the status stanza * PATCH requests to the custom resource ignore changes to the status stanza',
    type: 'object',
  },
};
const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
// Free-form JSON: pruning (src/apiserver/crd) must keep whatever they hold.
for (const name of ['io.k8s.apimachinery.pkg.runtime.RawExtension', `${META}.FieldsV1`, `${META}.Patch`, `${APIEXT}.JSON`, `${APIEXT}.JSONSchemaPropsOrArray`, `${APIEXT}.JSONSchemaPropsOrBool`, `${APIEXT}.JSONSchemaPropsOrStringArray`, `${APIEXT}.CustomResourceSubresourceStatus`]) {
  special[name]['x-kubernetes-preserve-unknown-fields'] = true;
}

// `any` fields in client-node: which Kubernetes type they stand for, told apart by their description.
function anyTypeFor(description) {
  if (!description) return 'io.k8s.apimachinery.pkg.runtime.RawExtension';
  if (description.startsWith('JSONSchemaPropsOrBool')) return `${APIEXT}.JSONSchemaPropsOrBool`;
  if (description.startsWith('JSONSchemaPropsOrArray')) return `${APIEXT}.JSONSchemaPropsOrArray`;
  if (description.startsWith('JSON represents') || description.startsWith('default is a default value')) return `${APIEXT}.JSON`;
  if (description.startsWith('FieldsV1')) return `${META}.FieldsV1`;
  if (description.startsWith('status indicates the custom resource should serve')) return `${APIEXT}.CustomResourceSubresourceStatus`;
  return 'io.k8s.apimachinery.pkg.runtime.RawExtension';
}

// Fields that client-node types as plain strings (or maps of strings) but Kubernetes types as Quantity.
const quantityFields = {
  V1ResourceRequirements: ['limits', 'requests'],
  V1VolumeResourceRequirements: ['limits', 'requests'],
  V1NodeStatus: ['capacity', 'allocatable'],
  V1PersistentVolumeSpec: ['capacity'],
  V1PersistentVolumeClaimStatus: ['capacity', 'allocatedResources'],
  V1ResourceQuotaSpec: ['hard'],
  V1ResourceQuotaStatus: ['hard', 'used'],
  V1LimitRangeItem: ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'],
  V1EmptyDirVolumeSource: ['sizeLimit'],
  V1ResourceFieldSelector: ['divisor'],
  V1ContainerStatus: ['allocatedResources'],
  V1PodSpec: ['overhead'],
  V1Overhead: ['podFixed'],
  V1CSIStorageCapacity: ['capacity', 'maximumVolumeSize'],
  V2MetricTarget: ['value', 'averageValue'],
  V2MetricValueStatus: ['value', 'averageValue'],
  V1DeviceCapacity: ['value'],
  V1CapacityRequirements: ['requests'],
  V1CapacityRequestPolicy: ['default'],
  V1CapacityRequestPolicyRange: ['min', 'max', 'step'],
  V1DeviceRequestAllocationResult: ['consumedCapacity'],
  V1NodeSwapStatus: [],
};

// ---- strategic merge patch / list-type metadata (from Kubernetes' types.go tags) -------------------
// key: Kubernetes component name; value: field -> extensions. `map:k1,k2` = list-type map with keys.
const mergeBy = (key, extra = {}) => ({
  'x-kubernetes-list-map-keys': [key],
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-patch-strategy': 'merge',
  ...extra,
});
const atomic = { 'x-kubernetes-list-type': 'atomic' };
const set = { 'x-kubernetes-list-type': 'set' };
const mergeSet = { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' };
const retainKeys = { 'x-kubernetes-patch-strategy': 'retainKeys' };
const mapAtomic = { 'x-kubernetes-map-type': 'atomic' };
const conditionsByType = mergeBy('type');
const containerFields = {
  ports: mergeBy('containerPort', { 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] }),
  env: mergeBy('name'),
  envFrom: atomic,
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
  resizePolicy: atomic,
  restartPolicyRules: atomic,
  command: atomic,
  args: atomic,
};
const C = 'io.k8s.api.core.v1';
const smp = {
  [`${META}.ObjectMeta`]: {
    ownerReferences: mergeBy('uid'),
    finalizers: mergeSet,
    managedFields: atomic,
  },
  [`${META}.LabelSelector`]: { matchExpressions: atomic, matchLabels: {} },
  [`${META}.LabelSelectorRequirement`]: { values: atomic },
  [`${META}.APIResource`]: { verbs: {}, shortNames: atomic, categories: atomic },
  [`${META}.StatusDetails`]: { causes: atomic },
  [`${META}.DeleteOptions`]: { dryRun: atomic },
  [`${C}.PodSpec`]: {
    volumes: mergeBy('name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }),
    initContainers: mergeBy('name'),
    containers: mergeBy('name'),
    ephemeralContainers: mergeBy('name'),
    imagePullSecrets: mergeBy('name'),
    hostAliases: mergeBy('ip'),
    topologySpreadConstraints: mergeBy('topologyKey', { 'x-kubernetes-list-map-keys': ['topologyKey', 'whenUnsatisfiable'] }),
    schedulingGates: mergeBy('name'),
    resourceClaims: mergeBy('name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }),
    tolerations: atomic,
    readinessGates: atomic,
    nodeSelector: mapAtomic,
  },
  [`${C}.Container`]: containerFields,
  [`${C}.EphemeralContainer`]: containerFields,
  [`${C}.PodStatus`]: {
    conditions: conditionsByType,
    podIPs: mergeBy('ip'),
    hostIPs: { ...atomic, 'x-kubernetes-patch-merge-key': 'ip', 'x-kubernetes-patch-strategy': 'merge' },
    containerStatuses: atomic,
    initContainerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
    resourceClaimStatuses: mergeBy('name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }),
  },
  [`${C}.ContainerStatus`]: { volumeMounts: mergeBy('mountPath'), allocatedResourcesStatus: mergeBy('name') },
  [`${C}.ResourceRequirements`]: { claims: { 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map' } },
  [`${C}.PodSecurityContext`]: { supplementalGroups: atomic, sysctls: atomic },
  [`${C}.Capabilities`]: { add: atomic, drop: atomic },
  [`${C}.PodDNSConfig`]: { nameservers: atomic, searches: atomic, options: atomic },
  [`${C}.HostAlias`]: { hostnames: atomic },
  [`${C}.Affinity`]: {},
  [`${C}.NodeSelector`]: { nodeSelectorTerms: atomic },
  [`${C}.NodeSelectorTerm`]: { matchExpressions: atomic, matchFields: atomic },
  [`${C}.NodeSelectorRequirement`]: { values: atomic },
  [`${C}.NodeAffinity`]: { preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [`${C}.PodAffinity`]: { requiredDuringSchedulingIgnoredDuringExecution: atomic, preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [`${C}.PodAntiAffinity`]: { requiredDuringSchedulingIgnoredDuringExecution: atomic, preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [`${C}.PodAffinityTerm`]: { namespaces: atomic, matchLabelKeys: atomic, mismatchLabelKeys: atomic },
  [`${C}.TopologySpreadConstraint`]: { matchLabelKeys: atomic },
  [`${C}.ExecAction`]: { command: atomic },
  [`${C}.HTTPGetAction`]: { httpHeaders: atomic },
  [`${C}.ProjectedVolumeSource`]: { sources: atomic },
  [`${C}.ConfigMapVolumeSource`]: { items: atomic },
  [`${C}.SecretVolumeSource`]: { items: atomic },
  [`${C}.ConfigMapProjection`]: { items: atomic },
  [`${C}.SecretProjection`]: { items: atomic },
  [`${C}.DownwardAPIVolumeSource`]: { items: atomic },
  [`${C}.DownwardAPIProjection`]: { items: atomic },
  [`${C}.CephFSVolumeSource`]: { monitors: atomic },
  [`${C}.RBDVolumeSource`]: { monitors: atomic },
  [`${C}.ISCSIVolumeSource`]: { portals: atomic },
  [`${C}.FCVolumeSource`]: { targetWWNs: atomic, wwids: atomic },
  [`${C}.ServiceSpec`]: {
    ports: mergeBy('port', { 'x-kubernetes-list-map-keys': ['port', 'protocol'] }),
    clusterIPs: atomic,
    externalIPs: atomic,
    loadBalancerSourceRanges: atomic,
    ipFamilies: atomic,
    selector: mapAtomic,
  },
  [`${C}.ServiceStatus`]: { conditions: conditionsByType },
  [`${C}.LoadBalancerStatus`]: { ingress: atomic },
  [`${C}.LoadBalancerIngress`]: { ports: atomic },
  [`${C}.NodeSpec`]: { podCIDRs: mergeSet, taints: atomic },
  [`${C}.NodeStatus`]: {
    conditions: conditionsByType,
    addresses: mergeBy('type'),
    images: atomic,
    volumesInUse: atomic,
    volumesAttached: atomic,
  },
  [`${C}.NamespaceSpec`]: { finalizers: atomic },
  [`${C}.NamespaceStatus`]: { conditions: conditionsByType },
  [`${C}.PersistentVolumeClaimSpec`]: { accessModes: atomic },
  [`${C}.PersistentVolumeClaimStatus`]: { conditions: conditionsByType, accessModes: atomic },
  [`${C}.PersistentVolumeSpec`]: { accessModes: atomic, mountOptions: atomic },
  [`${C}.ServiceAccount`]: { secrets: mergeBy('name'), imagePullSecrets: atomic },
  [`${C}.EndpointSubset`]: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  [`${C}.Endpoints`]: { subsets: atomic },
  [`${C}.LimitRangeSpec`]: { limits: atomic },
  [`${C}.ResourceQuotaSpec`]: { scopes: atomic },
  [`${C}.ScopedResourceSelectorRequirement`]: { values: atomic },
  [`${C}.ScopeSelector`]: { matchExpressions: atomic },
  [`${C}.ReplicationControllerStatus`]: { conditions: conditionsByType },
  [`${C}.ComponentStatus`]: { conditions: mergeBy('type') },
  [`${C}.EnvVarSource`]: {},
  'io.k8s.api.apps.v1.DeploymentSpec': { strategy: retainKeys },
  'io.k8s.api.apps.v1.DeploymentStatus': { conditions: conditionsByType },
  'io.k8s.api.apps.v1.DaemonSetSpec': { updateStrategy: retainKeys },
  'io.k8s.api.apps.v1.DaemonSetStatus': { conditions: conditionsByType },
  'io.k8s.api.apps.v1.ReplicaSetStatus': { conditions: conditionsByType },
  'io.k8s.api.apps.v1.StatefulSetSpec': { volumeClaimTemplates: atomic },
  'io.k8s.api.apps.v1.StatefulSetStatus': { conditions: conditionsByType },
  'io.k8s.api.batch.v1.JobStatus': { conditions: { ...atomic, 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge' } },
  'io.k8s.api.batch.v1.CronJobStatus': { active: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicy': { rules: atomic },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': { metrics: atomic },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions: conditionsByType, currentMetrics: atomic },
  'io.k8s.api.autoscaling.v2.HPAScalingRules': { policies: atomic },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': { conditions: conditionsByType },
  'io.k8s.api.rbac.v1.ClusterRole': { rules: atomic },
  'io.k8s.api.rbac.v1.Role': { rules: atomic },
  'io.k8s.api.rbac.v1.ClusterRoleBinding': { subjects: atomic },
  'io.k8s.api.rbac.v1.RoleBinding': { subjects: atomic },
  'io.k8s.api.rbac.v1.PolicyRule': { verbs: atomic, apiGroups: atomic, resources: atomic, resourceNames: atomic, nonResourceURLs: atomic },
  'io.k8s.api.rbac.v1.AggregationRule': { clusterRoleSelectors: atomic },
  'io.k8s.api.networking.v1.IngressSpec': { rules: atomic, tls: atomic },
  'io.k8s.api.networking.v1.IngressTLS': { hosts: atomic },
  'io.k8s.api.networking.v1.HTTPIngressRuleValue': { paths: atomic },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { ingress: atomic, egress: atomic, policyTypes: atomic },
  'io.k8s.api.networking.v1.NetworkPolicyIngressRule': { ports: atomic, from: atomic },
  'io.k8s.api.networking.v1.NetworkPolicyEgressRule': { ports: atomic, to: atomic },
  'io.k8s.api.discovery.v1.EndpointSlice': { endpoints: atomic, ports: atomic },
  'io.k8s.api.discovery.v1.Endpoint': { addresses: set },
  'io.k8s.api.coordination.v1.LeaseSpec': {},
  [`${APIEXT}.CustomResourceDefinitionStatus`]: { conditions: mergeBy('type', { 'x-kubernetes-patch-merge-key': undefined, 'x-kubernetes-patch-strategy': undefined }), storedVersions: atomic },
  [`${APIEXT}.CustomResourceDefinitionSpec`]: { versions: atomic },
  [`${APIEXT}.CustomResourceDefinitionNames`]: { shortNames: atomic, categories: atomic },
  'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceStatus': { conditions: mergeBy('type') },
  'io.k8s.api.storage.v1.StorageClass': { mountOptions: atomic, allowedTopologies: atomic },
};

// ---- doc comments from the .d.ts files ----------------------------------------------------------------
function unescapeDoc(s) {
  return s.replace(/\\(['"\\])/g, '$1').replace(/\\n/g, '\n').trim();
}
function readDocs(className) {
  const text = readFileSync(join(modelsDir, `${className}.d.ts`), 'utf8');
  const classDoc = text.match(/\/\*\*\s*\n\*\s?([\s\S]*?)\n\*\/\s*\nexport declare class/);
  const fields = {};
  const optional = {};
  const fieldRe = /(?:\/\*\*\s*\n\s*\*\s?([\s\S]*?)\n\s*\*\/\s*\n)?\s*'([^']+)'(\?)?:/g;
  const body = text.slice(text.indexOf('export declare class'));
  for (const m of body.matchAll(fieldRe)) {
    if (m[1]) fields[m[2]] = unescapeDoc(m[1]);
    optional[m[2]] = Boolean(m[3]);
  }
  return { description: classDoc ? unescapeDoc(classDoc[1]) : undefined, fields, optional };
}

// ---- which package each model class belongs to -----------------------------------------------------
const classNames = Object.keys(models).filter((k) => models[k]?.attributeTypeMap);
const versionRe = /^(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/;
const prefixedRe = /^([A-Z][a-z]+)(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/;

function packageOfGroup(group) {
  if (group === '') return 'io.k8s.api.core';
  if (group === 'apiextensions.k8s.io') return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';
  if (group === 'apiregistration.k8s.io') return 'io.k8s.kube-aggregator.pkg.apis.apiregistration';
  if (group === 'internal.apiserver.k8s.io') return 'io.k8s.api.apiserverinternal';
  return `io.k8s.api.${group.split('.')[0]}`;
}
function packageOfPrefix(prefix) {
  const p = prefix.toLowerCase();
  if (p === 'apiextensions') return packageOfGroup('apiextensions.k8s.io');
  if (p === 'apiregistration') return packageOfGroup('apiregistration.k8s.io');
  return `io.k8s.api.${p}`;
}
function splitClass(cls) {
  const p = cls.match(prefixedRe);
  if (p && !versionRe.test(cls)) return { prefix: p[1], version: p[2].toLowerCase(), kind: p[3] };
  const v = cls.match(versionRe);
  if (v) return { version: v[1].toLowerCase(), kind: v[2] };
  return undefined;
}

const metaKinds = ['APIGroup', 'APIGroupList', 'APIResource', 'APIResourceList', 'APIVersions', 'Condition', 'DeleteOptions', 'FieldSelectorRequirement', 'GroupVersionForDiscovery', 'LabelSelector', 'LabelSelectorRequirement', 'ListMeta', 'ManagedFieldsEntry', 'ObjectMeta', 'OwnerReference', 'Preconditions', 'ServerAddressByClientCIDR', 'Status', 'StatusCause', 'StatusDetails', 'WatchEvent'];
const fixedNames = {
  VersionInfo: 'io.k8s.apimachinery.pkg.version.Info',
  V1Scale: 'io.k8s.api.autoscaling.v1.Scale',
  V1ScaleSpec: 'io.k8s.api.autoscaling.v1.ScaleSpec',
  V1ScaleStatus: 'io.k8s.api.autoscaling.v1.ScaleStatus',
  V1Eviction: 'io.k8s.api.policy.v1.Eviction',
};
for (const k of metaKinds) fixedNames[`V1${k}`] = `${META}.${k}`;

/** class -> {group, version, kind} for top-level kinds, from list and create endpoints. */
function findKinds() {
  const kinds = new Map();
  const pathRe = /^\/apis?\/(?:([^/]+)\/)?(v[^/]+)\/(?:namespaces\/\{namespace\}\/)?([a-z0-9]+)$/;
  for (const file of readdirSync(apisDir).filter((f) => /V\d.*Api\.js$/.test(f))) {
    const text = readFileSync(join(apisDir, file), 'utf8');
    const factoryEnd = text.indexOf('ResponseProcessor');
    const factory = text.slice(0, factoryEnd);
    const processor = text.slice(factoryEnd);
    const methodRe = /\n {4}async (\w+)\(([^)]*)\) \{([\s\S]*?)\n {4}\}/g;
    for (const m of factory.matchAll(methodRe)) {
      const [, method, , body] = m;
      const pathM = body.match(/localVarPath = '([^']+)'/);
      if (!pathM) continue;
      const p = pathM[1].replace(/\/$/, '').match(pathRe);
      if (!p) continue;
      const group = p[1] && p[2] ? p[1] : '';
      const version = p[2];
      if (pathM[1].startsWith('/api/') && p[1]) continue;
      let cls;
      if (method.startsWith('list')) {
        const resp = processor.match(new RegExp(`async ${method}WithHttpInfo\\(response\\) \\{[\\s\\S]*?deserialize\\([^"]*"(\\w+)"`));
        const listCls = resp?.[1];
        const items = models[listCls]?.attributeTypeMap?.find((a) => a.name === 'items');
        if (items) {
          cls = items.type.replace(/^Array<(.*)>$/, '$1');
          kinds.set(listCls, { group, version, kind: splitClass(listCls).kind, list: true });
        }
      } else if (method.startsWith('create')) {
        cls = body.match(/serialize\(body, "(\w+)"/)?.[1];
      }
      if (cls && models[cls] && !kinds.has(cls) && !fixedNames[cls]) kinds.set(cls, { group, version, kind: splitClass(cls).kind });
    }
  }
  return kinds;
}

function childClasses(cls) {
  const out = [];
  for (const a of models[cls].attributeTypeMap) {
    const t = a.type.replace(/^Array<(.*)>$/, '$1').replace(/^\{ \[key: string\]: (.*); \}$/, '$1').replace(/^Array<(.*)>$/, '$1');
    if (models[t]?.attributeTypeMap) out.push(t);
  }
  return out;
}

function assignNames(kinds) {
  const names = new Map();
  for (const cls of classNames) {
    if (fixedNames[cls]) names.set(cls, fixedNames[cls]);
    else {
      const s = splitClass(cls);
      if (s?.prefix) names.set(cls, `${packageOfPrefix(s.prefix)}.${s.version}.${s.kind}`);
    }
  }
  for (const [cls, k] of kinds) if (!names.has(cls)) names.set(cls, `${packageOfGroup(k.group)}.${k.version}.${k.kind}`);
  // nested types: the package of the first kind reaching them (core kinds first, then by group)
  const seeds = [...names.entries()].map(([cls, name]) => {
    const parts = name.split('.');
    return { cls, pkg: parts.slice(0, -2).join('.'), version: parts[parts.length - 2] };
  });
  const rank = (pkg) => (pkg === META.slice(0, -3) ? 0 : pkg === 'io.k8s.api.core' ? 1 : 2);
  seeds.sort((a, b) => rank(a.pkg) - rank(b.pkg) || a.pkg.localeCompare(b.pkg) || a.cls.localeCompare(b.cls));
  for (const { cls, pkg, version } of seeds) {
    const k = { version };
    const queue = [cls];
    const seen = new Set(queue);
    while (queue.length) {
      const c = queue.shift();
      for (const child of childClasses(c)) {
        if (seen.has(child)) continue;
        seen.add(child);
        if (!names.has(child)) {
          const s = splitClass(child);
          if (!s || s.version !== k.version) continue;
          names.set(child, `${pkg}.${s.version}.${s.kind}`);
        }
        queue.push(child);
      }
    }
  }
  return names;
}

// ---- schema building ------------------------------------------------------------------------------
function fieldSchema(type, format, description, names, quantity) {
  const wrap = (name) => (description ? { allOf: [{ $ref: ref(name) }], description } : { $ref: ref(name) });
  const withDesc = (s) => (description ? { ...s, description } : s);
  const arr = type.match(/^Array<(.*)>$/);
  if (arr) return withDesc({ type: 'array', items: itemSchema(arr[1], format, names, quantity, description) });
  const map = type.match(/^\{ \[key: string\]: (.*); \}$/);
  if (map) return withDesc({ type: 'object', additionalProperties: itemSchema(map[1], format, names, quantity, description) });
  if (quantity && type === 'string') return wrap('io.k8s.apimachinery.pkg.api.resource.Quantity');
  switch (type) {
    case 'string': return withDesc(format ? { type: 'string', format } : { type: 'string' });
    case 'boolean': return withDesc({ type: 'boolean' });
    case 'number': return withDesc(format === 'double' ? { type: 'number', format: 'double' } : { type: 'integer', format: format || 'int32' });
    case 'Date': return wrap(`${META}.Time`);
    case 'V1MicroTime': return wrap(`${META}.MicroTime`);
    case 'IntOrString': return wrap('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    case 'any': return wrap(anyTypeFor(description));
  }
  if (names.has(type)) return wrap(names.get(type));
  throw new Error(`unknown type ${type}`);
}
function itemSchema(type, format, names, quantity, description) {
  if (quantity && type === 'string') return { $ref: ref('io.k8s.apimachinery.pkg.api.resource.Quantity') };
  if (type === 'any') return { $ref: ref(anyTypeFor(description)) };
  if (type === 'Array<string>') return { type: 'array', items: { type: 'string' } };
  const s = fieldSchema(type, format, undefined, names, false);
  if (type === 'Date') return { $ref: ref(`${META}.Time`) };
  return s;
}

function classSchema(cls, names, kinds) {
  const docs = readDocs(cls);
  const name = names.get(cls);
  const schema = {};
  if (docs.description) schema.description = docs.description;
  const required = [];
  const properties = {};
  const quantities = new Set(quantityFields[cls] ?? []);
  const extras = smp[name] ?? {};
  for (const a of models[cls].attributeTypeMap) {
    const description = docs.fields[a.name];
    const prop = fieldSchema(a.type, a.format, description, names, quantities.has(a.baseName));
    let ext = extras[a.baseName];
    if (!ext && a.baseName === 'conditions' && a.type.startsWith('Array<')) {
      const itemCls = a.type.slice(6, -1);
      if (models[itemCls]?.attributeTypeMap?.some((f) => f.baseName === 'type')) ext = conditionsByType;
    }
    const extEntries = Object.entries(ext ?? {}).filter(([, v]) => v !== undefined);
    // siblings of a bare $ref are ignored in OpenAPI 3.0: wrap it as Kubernetes does
    const target = extEntries.length && prop.$ref ? { allOf: [{ $ref: prop.$ref }] } : prop;
    for (const [k, v] of extEntries) target[k] = v;
    properties[a.baseName] = target;
    if (docs.optional[a.name] === false) required.push(a.baseName);
  }
  if (required.length) schema.required = required;
  schema.type = 'object';
  schema.properties = properties;
  const k = kinds.get(cls);
  if (k) schema['x-kubernetes-group-version-kind'] = [{ group: k.group, kind: k.kind, version: k.version }];
  if (name === `${META}.Status`) schema['x-kubernetes-group-version-kind'] = [{ group: '', kind: 'Status', version: 'v1' }];
  return schema;
}

const kinds = findKinds();
const names = assignNames(kinds);
const unnamed = classNames.filter((c) => !names.has(c));
if (unnamed.length) {
  // types no kind reaches (e.g. only used by other unreached types): keep them, under core.
  for (const c of unnamed) {
    const s = splitClass(c);
    names.set(c, `io.k8s.api.core.${s.version}.${s.kind}`);
  }
  console.warn(`gen-openapi: ${unnamed.length} types reached by no kind, named under core: ${unnamed.slice(0, 10).join(', ')}`);
}
const schemas = { ...special };
for (const cls of classNames) {
  const name = names.get(cls);
  if (schemas[name]) throw new Error(`duplicate schema name ${name} (${cls})`);
  schemas[name] = classSchema(cls, names, kinds);
}
// DeleteOptions is accepted by every group-version, as in Kubernetes.
const sorted = Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]]));
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(sorted) + '\n');
console.log(`gen-openapi: wrote ${Object.keys(sorted).length} schemas to ${outFile}`);
