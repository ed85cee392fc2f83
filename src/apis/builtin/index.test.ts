import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources, findBuiltin, findBuiltinByKind, sharingStorage } from './index.js';

const all = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const noCollection = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

// Written from kube-apiserver 1.31 discovery (kubectl api-resources -o wide).
const expected: { gvr: string; kind: string; namespaced: boolean; shortNames?: string[]; categories?: string[]; verbs?: string[]; status?: boolean; scale?: boolean }[] = [
  { gvr: '/v1/namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], verbs: noCollection, status: true },
  { gvr: '/v1/configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { gvr: '/v1/secrets', kind: 'Secret', namespaced: true },
  { gvr: '/v1/serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  { gvr: '/v1/services', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'], status: true },
  { gvr: '/v1/endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] },
  { gvr: '/v1/pods', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'], status: true },
  { gvr: '/v1/podtemplates', kind: 'PodTemplate', namespaced: true },
  { gvr: '/v1/events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  { gvr: '/v1/persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true, shortNames: ['pvc'], status: true },
  { gvr: '/v1/persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], status: true },
  { gvr: '/v1/limitranges', kind: 'LimitRange', namespaced: true, shortNames: ['limits'] },
  { gvr: '/v1/resourcequotas', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], status: true },
  { gvr: '/v1/nodes', kind: 'Node', namespaced: false, shortNames: ['no'], status: true },
  { gvr: 'apps/v1/deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], status: true, scale: true },
  { gvr: 'apps/v1/statefulsets', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], categories: ['all'], status: true, scale: true },
  { gvr: 'apps/v1/daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'], status: true },
  { gvr: 'apps/v1/replicasets', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'], status: true, scale: true },
  { gvr: 'apps/v1/controllerrevisions', kind: 'ControllerRevision', namespaced: true },
  { gvr: 'batch/v1/jobs', kind: 'Job', namespaced: true, categories: ['all'], status: true },
  { gvr: 'batch/v1/cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'], categories: ['all'], status: true },
  { gvr: 'networking.k8s.io/v1/ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'], status: true },
  { gvr: 'networking.k8s.io/v1/ingressclasses', kind: 'IngressClass', namespaced: false },
  { gvr: 'networking.k8s.io/v1/networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'] },
  { gvr: 'policy/v1/poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'], status: true },
  { gvr: 'rbac.authorization.k8s.io/v1/roles', kind: 'Role', namespaced: true },
  { gvr: 'rbac.authorization.k8s.io/v1/clusterroles', kind: 'ClusterRole', namespaced: false },
  { gvr: 'rbac.authorization.k8s.io/v1/rolebindings', kind: 'RoleBinding', namespaced: true },
  { gvr: 'rbac.authorization.k8s.io/v1/clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  { gvr: 'autoscaling/v2/horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], categories: ['all'], status: true },
  { gvr: 'autoscaling/v1/horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], categories: ['all'], status: true },
  { gvr: 'authorization.k8s.io/v1/selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] },
  { gvr: 'authorization.k8s.io/v1/selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'] },
  { gvr: 'authorization.k8s.io/v1/subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false, verbs: ['create'] },
  { gvr: 'authorization.k8s.io/v1/localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true, verbs: ['create'] },
  { gvr: 'authentication.k8s.io/v1/tokenreviews', kind: 'TokenReview', namespaced: false, verbs: ['create'] },
  { gvr: 'authentication.k8s.io/v1/selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] },
  { gvr: 'certificates.k8s.io/v1/certificatesigningrequests', kind: 'CertificateSigningRequest', namespaced: false, shortNames: ['csr'], status: true },
  { gvr: 'coordination.k8s.io/v1/leases', kind: 'Lease', namespaced: true },
  { gvr: 'storage.k8s.io/v1/storageclasses', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] },
  { gvr: 'scheduling.k8s.io/v1/priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] },
  { gvr: 'discovery.k8s.io/v1/endpointslices', kind: 'EndpointSlice', namespaced: true },
  { gvr: 'events.k8s.io/v1/events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  { gvr: 'apiextensions.k8s.io/v1/customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], status: true },
];

describe('built-in catalog matches Kubernetes discovery', () => {
  for (const e of expected) {
    test(e.gvr, () => {
      const [group, version, resource] = e.gvr.split('/') as [string, string, string];
      const def = findBuiltin(group, version, resource);
      assert.ok(def, `missing ${e.gvr}`);
      assert.equal(def.kind, e.kind);
      assert.equal(def.listKind, `${e.kind}List`);
      assert.equal(def.namespaced, e.namespaced);
      assert.deepEqual(def.shortNames ?? [], e.shortNames ?? []);
      assert.deepEqual(def.categories ?? [], e.categories ?? []);
      assert.deepEqual([...def.verbs].sort(), e.verbs ?? all);
      assert.equal(Boolean(def.subresources.status), Boolean(e.status));
      assert.equal(Boolean(def.subresources.scale), Boolean(e.scale));
      assert.equal(def.allowUnconditionalUpdate, true);
      assert.equal(def.strategicMergePatch, true);
    });
  }

  test('nothing else is declared', () => {
    assert.equal(builtinResources.length, expected.length);
  });

  test('scale subresources point at spec/status replicas and the status selector', () => {
    assert.deepEqual(findBuiltin('apps', 'v1', 'deployments')!.subresources.scale, {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.status.selector',
    });
  });

  const names: [string, string][] = [
    ['apps/v1/deployments', 'io.k8s.api.apps.v1.Deployment'],
    ['/v1/configmaps', 'io.k8s.api.core.v1.ConfigMap'],
    ['rbac.authorization.k8s.io/v1/roles', 'io.k8s.api.rbac.v1.Role'],
    ['apiextensions.k8s.io/v1/customresourcedefinitions', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition'],
    ['autoscaling/v1/horizontalpodautoscalers', 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler'],
  ];
  for (const [gvr, schemaName] of names) {
    test(`schema name of ${gvr}`, () => {
      const [g, v, r] = gvr.split('/') as [string, string, string];
      assert.equal(findBuiltin(g, v, r)!.schemaName, schemaName);
    });
  }

  test('endpoints keep their plural as singular; others use the lower-case kind', () => {
    assert.equal(findBuiltin('', 'v1', 'endpoints')!.singular, 'endpoints');
    assert.equal(findBuiltin('networking.k8s.io', 'v1', 'networkpolicies')!.singular, 'networkpolicy');
  });

  test('HPA v1 and v2 share storage at v2; events.k8s.io events are stored as core events', () => {
    const v1 = findBuiltin('autoscaling', 'v1', 'horizontalpodautoscalers')!;
    assert.deepEqual(v1.storage, { group: 'autoscaling', resource: 'horizontalpodautoscalers', version: 'v2' });
    assert.equal(sharingStorage(v1).length, 2);
    assert.deepEqual(findBuiltin('events.k8s.io', 'v1', 'events')!.storage, { group: '', resource: 'events', version: 'v1' });
  });

  test('lookup by kind prefers the first listed version', () => {
    assert.equal(findBuiltinByKind('autoscaling', 'HorizontalPodAutoscaler')!.version, 'v2');
    assert.equal(findBuiltinByKind('autoscaling', 'HorizontalPodAutoscaler', 'v1')!.version, 'v1');
    assert.equal(findBuiltinByKind('apps', 'Nope'), undefined);
  });
});

describe('field selectors', () => {
  const cases: { name: string; gvr: string; field: string; obj: Record<string, unknown>; want: string }[] = [
    { name: 'pod node name', gvr: '/v1/pods', field: 'spec.nodeName', obj: { spec: { nodeName: 'n1' } }, want: 'n1' },
    { name: 'pod phase', gvr: '/v1/pods', field: 'status.phase', obj: { status: { phase: 'Running' } }, want: 'Running' },
    { name: 'pod IP from podIPs first', gvr: '/v1/pods', field: 'status.podIP', obj: { status: { podIP: '1.1.1.1', podIPs: [{ ip: '2.2.2.2' }] } }, want: '2.2.2.2' },
    { name: 'event involved kind', gvr: '/v1/events', field: 'involvedObject.kind', obj: { involvedObject: { kind: 'Pod' } }, want: 'Pod' },
    { name: 'event source falls back to reportingComponent', gvr: '/v1/events', field: 'source', obj: { reportingComponent: 'kubelet' }, want: 'kubelet' },
    { name: 'events.k8s.io regarding maps to involvedObject', gvr: 'events.k8s.io/v1/events', field: 'involvedObject.name', obj: { regarding: { name: 'x' } }, want: 'x' },
    { name: 'secret type', gvr: '/v1/secrets', field: 'type', obj: { type: 'Opaque' }, want: 'Opaque' },
    { name: 'node unschedulable false by default', gvr: '/v1/nodes', field: 'spec.unschedulable', obj: {}, want: 'false' },
    { name: 'replicaset replicas as number text', gvr: 'apps/v1/replicasets', field: 'status.replicas', obj: { status: { replicas: 3 } }, want: '3' },
    { name: 'job successful from status.succeeded', gvr: 'batch/v1/jobs', field: 'status.successful', obj: {}, want: '0' },
    { name: 'namespace phase', gvr: '/v1/namespaces', field: 'status.phase', obj: { status: { phase: 'Terminating' } }, want: 'Terminating' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const [g, v, r] = c.gvr.split('/') as [string, string, string];
      const read = findBuiltin(g, v, r)!.fieldSelectors?.[c.field];
      assert.ok(read, `${c.gvr} lacks ${c.field}`);
      assert.equal(read({ metadata: {}, ...c.obj }), c.want);
    });
  }
});
