// From resource template to Works on a real control plane with two joined members: the detector
// binds a Deployment to its PropagationPolicy, the binding controller renders one Work per cluster
// of a hand-written scheduling result (revised replicas, an override in one cluster only) and
// deletes the Work of a cluster no longer targeted; a template waits for its policy; namespaces
// are synced to every cluster.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apimachinery/types.js';
import type { ResourceBinding } from '../../src/apis/karmada/binding.js';
import type { Work } from '../../src/apis/karmada/work.js';
import { startControllerManager, type ControllerManagerHandle } from '../../src/controllermanager/index.js';
import { generateWorkName } from '../../src/controllers/binding/names.js';
import { StatusError } from '../../src/apimachinery/errors.js';
import { startTestbed, type Testbed } from '../support/karmada.js';

const rbGVR = { group: 'work.karmada.io', version: 'v1alpha2', resource: 'resourcebindings' };
const workGVR = { group: 'work.karmada.io', version: 'v1alpha1', resource: 'works' };
const deployGVR = { group: 'apps', version: 'v1', resource: 'deployments' };
const cmGVR = { group: '', version: 'v1', resource: 'configmaps' };

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function notFound(err: unknown): boolean {
  return err instanceof StatusError && err.code === 404;
}

async function getOrUndefined<T extends KubeObject>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

describe('propagation: detector, binding and namespace controllers', () => {
  let tb: Testbed;
  let cm: ControllerManagerHandle;

  before(async () => {
    tb = await startTestbed({ members: ['member1', 'member2'] });
    // the cluster controller (not run here) creates execution spaces; create them as it would
    for (const ns of ['karmada-es-member1', 'karmada-es-member2']) {
      await tb.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch((err) => {
        if (!(err instanceof StatusError && err.code === 409)) throw err;
      });
    }
    cm = await startControllerManager({ kubeconfig: tb.controlPlane.server.adminKubeconfig(), controllers: ['detector', 'binding', 'namespace', 'dependencies'], logLevel: 'silent' });
  });

  after(async () => {
    await cm?.stop();
    await tb?.stop();
  });

  test('a Deployment and its PropagationPolicy give a ResourceBinding', async () => {
    await tb.client.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'nginx' } },
        template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } },
      },
    });
    const pp = await tb.client.create({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'nginx-propagation', namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }],
        placement: { clusterAffinity: { clusterNames: ['member1', 'member2'] }, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' } },
        conflictResolution: 'Overwrite',
      },
    });
    const ppId = pp.metadata.labels?.['propagationpolicy.karmada.io/permanent-id'];
    assert.ok(ppId, 'admission gives the policy a permanent id');

    const rb = await eventually('the ResourceBinding', () => getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'nginx-deployment', { namespace: 'default' })));
    const deploy = await tb.client.get(deployGVR, 'nginx', { namespace: 'default' });
    assert.equal(rb.metadata.labels?.['propagationpolicy.karmada.io/permanent-id'], ppId);
    assert.equal(rb.metadata.annotations?.['propagationpolicy.karmada.io/name'], 'nginx-propagation');
    assert.equal(rb.metadata.annotations?.['propagationpolicy.karmada.io/namespace'], 'default');
    assert.ok(rb.metadata.labels?.['resourcebinding.karmada.io/permanent-id']);
    assert.deepEqual(rb.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', uid: deploy.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(rb.spec.replicas, 3);
    assert.equal(rb.spec.replicaRequirements?.resourceRequest?.cpu, '100m');
    assert.equal(rb.spec.replicaRequirements?.resourceRequest?.memory, '64Mi');
    assert.deepEqual(rb.spec.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'nginx', uid: deploy.metadata.uid, resourceVersion: rb.spec.resource.resourceVersion });
    assert.deepEqual(rb.spec.placement?.clusterAffinity, { clusterNames: ['member1', 'member2'] });
    assert.equal(rb.spec.conflictResolution, 'Overwrite');
    // the template is claimed
    assert.equal(deploy.metadata.labels?.['propagationpolicy.karmada.io/permanent-id'], ppId);
    assert.equal(deploy.metadata.annotations?.['propagationpolicy.karmada.io/name'], 'nginx-propagation');
  });

  test('a scheduling result gives one Work per cluster, replicas revised, the override in one cluster only', async () => {
    await tb.client.create({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'OverridePolicy',
      metadata: { name: 'prod-label', namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }],
        overrideRules: [{ targetCluster: { clusterNames: ['member2'] }, overriders: { labelsOverrider: [{ operator: 'add', value: { env: 'prod' } }] } }],
      },
    });
    await tb.client.patch(rbGVR, 'nginx-deployment', { spec: { clusters: [{ name: 'member1', replicas: 1 }, { name: 'member2', replicas: 2 }] } }, { namespace: 'default', type: 'merge' });
    const workName = generateWorkName('Deployment', 'nginx', 'default');
    assert.equal(workName, 'nginx-687f7fb96f');
    const replicasOf = (w: Work) => (w.spec.workload?.manifests?.[0]?.spec as { replicas?: number } | undefined)?.replicas;
    const w1 = await eventually('the member1 Work', async () => {
      const w = await getOrUndefined(() => tb.client.get<Work>(workGVR, workName, { namespace: 'karmada-es-member1' }));
      return w && replicasOf(w) === 1 ? w : undefined;
    });
    const w2 = await eventually('the member2 Work with the override', async () => {
      const w = await getOrUndefined(() => tb.client.get<Work>(workGVR, workName, { namespace: 'karmada-es-member2' }));
      return w && replicasOf(w) === 2 && w.spec.workload?.manifests?.[0]?.metadata.labels?.env === 'prod' ? w : undefined;
    });
    const m1 = w1.spec.workload!.manifests![0]!;
    assert.equal(m1.metadata.labels?.env, undefined, 'the override targets member2 only');
    assert.equal(w1.metadata.annotations?.['policy.karmada.io/applied-overrides'], undefined);
    assert.match(w2.metadata.annotations?.['policy.karmada.io/applied-overrides'] ?? '', /"policyName":"prod-label"/);
    const rb = await tb.client.get<ResourceBinding>(rbGVR, 'nginx-deployment', { namespace: 'default' });
    assert.equal(w1.metadata.labels?.['resourcebinding.karmada.io/permanent-id'], rb.metadata.labels?.['resourcebinding.karmada.io/permanent-id']);
    assert.ok(w1.metadata.labels?.['work.karmada.io/permanent-id']);
    assert.equal(m1.metadata.labels?.['work.karmada.io/permanent-id'], w1.metadata.labels?.['work.karmada.io/permanent-id']);
    assert.equal(m1.metadata.labels?.['karmada.io/managed'], 'true');
    assert.equal(w1.metadata.annotations?.['work.karmada.io/conflict-resolution'], 'overwrite');
    assert.equal(m1.metadata.uid, undefined);
    assert.equal(m1.metadata.resourceVersion, undefined);
    assert.equal(m1.status, undefined);
  });

  test('a cluster removed from spec.clusters loses its Work', async () => {
    await tb.client.patch(rbGVR, 'nginx-deployment', { spec: { clusters: [{ name: 'member1', replicas: 3 }] } }, { namespace: 'default', type: 'merge' });
    const workName = generateWorkName('Deployment', 'nginx', 'default');
    await eventually('the member2 Work to go', async () => {
      const w = await getOrUndefined(() => tb.client.get<Work>(workGVR, workName, { namespace: 'karmada-es-member2' }));
      // without the execution controller its finalizer keeps a deleted Work terminating
      return !w || w.metadata.deletionTimestamp ? true : undefined;
    });
    await eventually('member1 to get all 3 replicas', async () => {
      const w = await tb.client.get<Work>(workGVR, workName, { namespace: 'karmada-es-member1' });
      return (w.spec.workload?.manifests?.[0]?.spec as { replicas?: number }).replicas === 3 ? true : undefined;
    });
  });

  test('a template without a policy waits until a matching policy appears', async () => {
    // the detector's look at the new template (its queue key) is the signal that it found no policy
    const looked = cm.manager.controllerNamed('resource-detector')!.nextReconcile('v1|ConfigMap|default|lonely');
    await tb.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lonely', namespace: 'default' }, data: { a: 'b' } });
    await looked;
    assert.equal(await getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'lonely-configmap', { namespace: 'default' })), undefined);
    await tb.client.create({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'lonely', namespace: 'default' },
      spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'lonely' }], placement: { clusterAffinity: { clusterNames: ['member1'] } } },
    });
    const rb = await eventually('the ConfigMap binding', () => getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'lonely-configmap', { namespace: 'default' })));
    assert.equal(rb.metadata.annotations?.['propagationpolicy.karmada.io/name'], 'lonely');
    assert.equal(rb.spec.replicas, undefined);
  });

  test('a template change flows into its binding and Works', async () => {
    await tb.client.patch(deployGVR, 'nginx', { metadata: { labels: { tier: 'web' } }, spec: { replicas: 6 } }, { namespace: 'default', type: 'merge' });
    await eventually('the binding to follow the template', async () => {
      const rb = await tb.client.get<ResourceBinding>(rbGVR, 'nginx-deployment', { namespace: 'default' });
      return rb.spec.replicas === 6 ? rb : undefined;
    });
    const workName = generateWorkName('Deployment', 'nginx', 'default');
    const w = await eventually('the Work to carry the new label', async () => {
      const w = await tb.client.get<Work>(workGVR, workName, { namespace: 'karmada-es-member1' });
      return w.spec.workload?.manifests?.[0]?.metadata.labels?.tier === 'web' ? w : undefined;
    });
    // replicas still follow the scheduling result, not the template
    assert.equal((w.spec.workload!.manifests![0]!.spec as { replicas: number }).replicas, 3);
  });

  test('propagateDeps: the ConfigMap a workload uses gets an attached binding requiredBy it', async () => {
    await tb.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'default' }, data: { k: 'v' } });
    await tb.client.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', envFrom: [{ configMapRef: { name: 'web-config' } }] }] } },
      },
    });
    await tb.client.create({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'web', namespace: 'default' },
      spec: { propagateDeps: true, resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }], placement: { clusterAffinity: { clusterNames: ['member2'] } } },
    });
    await eventually('the web binding', () => getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'web-deployment', { namespace: 'default' })));
    await tb.client.patch(rbGVR, 'web-deployment', { spec: { clusters: [{ name: 'member2', replicas: 2 }] } }, { namespace: 'default', type: 'merge' });
    const attached = await eventually('the attached ConfigMap binding', async () => {
      const rb = await getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'web-config-configmap', { namespace: 'default' }));
      return rb?.spec.requiredBy?.[0]?.clusters?.[0]?.name === 'member2' ? rb : undefined;
    });
    assert.deepEqual(attached.spec.requiredBy?.map((r) => r.name), ['web-deployment']);
    assert.equal(attached.spec.resource.kind, 'ConfigMap');
    // and the binding controller sends the ConfigMap where the workload goes
    await eventually('the ConfigMap Work in member2', () => getOrUndefined(() => tb.client.get<Work>(workGVR, generateWorkName('ConfigMap', 'web-config', 'default'), { namespace: 'karmada-es-member2' })));
  });

  test('propagateDeps: a ConfigMap created after the workload uses it is attached when it appears; one it stops using is detached', async () => {
    const envFrom = (...names: string[]) => ({ spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx', envFrom: names.map((name) => ({ configMapRef: { name } })) }] } } } });
    await tb.client.patch(deployGVR, 'web', envFrom('web-config', 'web-extra'), { namespace: 'default', type: 'strategic' });
    await eventually('the binding to record both dependencies', async () => {
      const rb = await tb.client.get<ResourceBinding>(rbGVR, 'web-deployment', { namespace: 'default' });
      return rb.metadata.annotations?.['resourcebinding.karmada.io/dependencies']?.includes('web-extra') ? rb : undefined;
    });
    // the dependency appears only now: its own event must lead back to the binding that needs it
    await tb.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-extra', namespace: 'default' }, data: { k: 'v' } });
    const extra = await eventually('the attached web-extra binding', async () => {
      const rb = await getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'web-extra-configmap', { namespace: 'default' }));
      return rb?.spec.requiredBy?.[0]?.clusters?.[0]?.name === 'member2' ? rb : undefined;
    });
    assert.deepEqual(extra.spec.requiredBy?.map((r) => r.name), ['web-deployment']);
    // a change to the dependency alone (the workload's binding untouched) reaches its attached binding
    const changed = await tb.client.patch(cmGVR, 'web-extra', { data: { k: 'v2' } }, { namespace: 'default', type: 'merge' });
    await eventually('the attached binding to follow the ConfigMap', async () => {
      const rb = await tb.client.get<ResourceBinding>(rbGVR, 'web-extra-configmap', { namespace: 'default' });
      return rb.spec.resource.resourceVersion === changed.metadata.resourceVersion ? rb : undefined;
    });
    await tb.client.patch(deployGVR, 'web', envFrom('web-extra'), { namespace: 'default', type: 'strategic' });
    await eventually('web-config detached from web-deployment', async () => {
      const rb = await getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'web-config-configmap', { namespace: 'default' }));
      return !rb || !(rb.spec.requiredBy ?? []).some((r) => r.name === 'web-deployment') ? true : undefined;
    });
    assert.deepEqual((await tb.client.get<ResourceBinding>(rbGVR, 'web-extra-configmap', { namespace: 'default' })).spec.requiredBy?.map((r) => r.name), ['web-deployment']);
  });

  test('deleting the policy releases the template and its binding, which stays', async () => {
    await tb.client.delete({ group: 'policy.karmada.io', version: 'v1alpha1', resource: 'propagationpolicies' }, 'lonely', { namespace: 'default' });
    await eventually('the claim to be removed', async () => {
      const obj = await tb.client.get(cmGVR, 'lonely', { namespace: 'default' });
      return obj.metadata.labels?.['propagationpolicy.karmada.io/permanent-id'] === undefined ? obj : undefined;
    });
    const rb = await tb.client.get<ResourceBinding>(rbGVR, 'lonely-configmap', { namespace: 'default' });
    assert.equal(rb.metadata.labels?.['propagationpolicy.karmada.io/permanent-id'], undefined);
    assert.equal(rb.metadata.annotations?.['propagationpolicy.karmada.io/name'], undefined);
  });

  test('a binding deleted by hand comes back; deleting the template takes the binding with it', async () => {
    await tb.client.delete(rbGVR, 'web-deployment', { namespace: 'default' });
    const uid = (await tb.client.get(deployGVR, 'web', { namespace: 'default' })).metadata.uid;
    await eventually('the binding to be built again', async () => {
      const rb = await getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'web-deployment', { namespace: 'default' }));
      return rb && !rb.metadata.deletionTimestamp && rb.metadata.ownerReferences?.[0]?.uid === uid ? rb : undefined;
    });
    await tb.client.delete(deployGVR, 'web', { namespace: 'default' });
    await eventually('the binding to be garbage collected', async () => ((await getOrUndefined(() => tb.client.get(rbGVR, 'web-deployment', { namespace: 'default' }))) ? undefined : true));
  });

  test('a namespace created on the control plane gets a Work in every cluster', async () => {
    await tb.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
    const workName = generateWorkName('Namespace', 'apps');
    for (const es of ['karmada-es-member1', 'karmada-es-member2']) {
      const w = await eventually(`the namespace Work in ${es}`, () => getOrUndefined(() => tb.client.get<Work>(workGVR, workName, { namespace: es })));
      const m = w.spec.workload!.manifests![0]!;
      assert.equal(m.kind, 'Namespace');
      assert.equal(m.metadata.name, 'apps');
      assert.equal(w.metadata.ownerReferences?.[0]?.kind, 'Namespace');
    }
    // default and skipped namespaces stay home
    assert.equal(await getOrUndefined(() => tb.client.get<Work>(workGVR, generateWorkName('Namespace', 'default'), { namespace: 'karmada-es-member1' })), undefined);
  });

  test('a custom resource in a group merely ending in .karmada.io propagates, by a policy whose name is longer than 63 characters', async () => {
    await tb.client.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'foos.example.karmada.io' },
      spec: {
        group: 'example.karmada.io',
        scope: 'Namespaced',
        names: { plural: 'foos', singular: 'foo', kind: 'Foo', listKind: 'FooList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const fooGVR = { group: 'example.karmada.io', version: 'v1', resource: 'foos' };
    await eventually('the Foo kind served', async () => {
      try {
        return await tb.client.create({ apiVersion: 'example.karmada.io/v1', kind: 'Foo', metadata: { name: 'sample', namespace: 'default' }, spec: { size: 1 } });
      } catch (err) {
        if (notFound(err)) return undefined;
        throw err;
      }
    });
    const longName = `foo-propagation-${'x'.repeat(60)}`;
    await tb.client.create({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: longName, namespace: 'default' },
      spec: { resourceSelectors: [{ apiVersion: 'example.karmada.io/v1', kind: 'Foo', name: 'sample' }], placement: { clusterAffinity: { clusterNames: ['member1'] } } },
    });
    const rb = await eventually('the Foo binding', () => getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'sample-foo', { namespace: 'default' })), 40_000);
    assert.equal(rb.spec.resource.apiVersion, 'example.karmada.io/v1');
    assert.equal(rb.metadata.annotations?.['propagationpolicy.karmada.io/name'], longName);
    const foo = await tb.client.get(fooGVR, 'sample', { namespace: 'default' });
    assert.equal(foo.metadata.annotations?.['propagationpolicy.karmada.io/name'], longName);
    assert.ok(foo.metadata.labels?.['propagationpolicy.karmada.io/permanent-id'], 'claimed by permanent id');
  });

  test('schedulePriority from a Kubernetes PriorityClass: a missing class holds the binding back until it exists', async () => {
    await tb.client.create({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'urgent', namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'urgent' }],
        placement: { clusterAffinity: { clusterNames: ['member1'] } },
        schedulePriority: { priorityClassSource: 'KubePriorityClass', priorityClassName: 'karmada-high' },
      },
    });
    await tb.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'urgent', namespace: 'default' }, data: { a: 'b' } });
    const eventGVR = { group: '', version: 'v1', resource: 'events' };
    const failed = await eventually('the ApplyPolicyFailed event', async () => {
      const events = await tb.client.list<KubeObject & { reason?: string; message?: string; involvedObject?: { name?: string } }>(eventGVR, { namespace: 'default' });
      return events.items.find((e) => e.reason === 'ApplyPolicyFailed' && e.involvedObject?.name === 'urgent');
    });
    assert.match(failed.message ?? '', /karmada-high.*not found/);
    assert.equal(await getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'urgent-configmap', { namespace: 'default' })), undefined, 'no binding while the class is missing');
    await tb.client.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'karmada-high' }, value: 1000 });
    const rb = await eventually('the binding with its priority', () => getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'urgent-configmap', { namespace: 'default' })), 40_000);
    assert.deepEqual(rb.spec.schedulePriority, { priority: 1000 });
  });

  test('a dependency required with different conflictResolution / preserveResourcesOnDeletion takes Overwrite and preserve, with a DependencyPolicyConflict warning', async () => {
    await tb.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared-config', namespace: 'default' }, data: { k: 'v' } });
    const deployment = (name: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx', envFrom: [{ configMapRef: { name: 'shared-config' } }] }] } },
      },
    });
    const policy = (name: string, extra: object) => ({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name, namespace: 'default' },
      spec: { propagateDeps: true, resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name }], placement: { clusterAffinity: { clusterNames: ['member1'] } }, ...extra },
    });
    await tb.client.create(policy('careful', {}));
    await tb.client.create(policy('bold', { conflictResolution: 'Overwrite', preserveResourcesOnDeletion: true }));
    await tb.client.create(deployment('careful'));
    await tb.client.create(deployment('bold'));
    const attached = await eventually('the shared ConfigMap binding required by both', async () => {
      const rb = await getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'shared-config-configmap', { namespace: 'default' }));
      return rb?.spec.requiredBy?.length === 2 ? rb : undefined;
    });
    assert.equal(attached.spec.conflictResolution, 'Overwrite');
    assert.equal(attached.spec.preserveResourcesOnDeletion, true);
    const eventGVR = { group: '', version: 'v1', resource: 'events' };
    const warning = await eventually('the DependencyPolicyConflict event', async () => {
      const events = await tb.client.list<KubeObject & { type?: string; reason?: string; message?: string; involvedObject?: { kind?: string; name?: string } }>(eventGVR, { namespace: 'default' });
      return events.items.find((e) => e.reason === 'DependencyPolicyConflict' && e.involvedObject?.name === 'shared-config-configmap');
    });
    assert.equal(warning.type, 'Warning');
    assert.equal(warning.involvedObject?.kind, 'ResourceBinding');
    assert.equal(
      warning.message,
      'Dependency policy conflict detected: ConflictResolution conflicted (Overwrite vs Abort); PreserveResourcesOnDeletion conflicted (true vs false).',
    );
  });

  test('a preempting policy takes the template over with a PreemptPolicySucceed event', async () => {
    const policy = (name: string, extra: object) => ({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name, namespace: 'default' },
      spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'contested' }], placement: { clusterAffinity: { clusterNames: ['member1'] } }, ...extra },
    });
    await tb.client.create(policy('first-come', {}));
    await tb.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'contested', namespace: 'default' }, data: { a: 'b' } });
    await eventually('the binding of first-come', async () => {
      const rb = await getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'contested-configmap', { namespace: 'default' }));
      return rb?.metadata.annotations?.['propagationpolicy.karmada.io/name'] === 'first-come' ? rb : undefined;
    });
    await tb.client.create(policy('important', { priority: 10, preemption: 'Always' }));
    await eventually('the binding taken over by important', async () => {
      const rb = await getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'contested-configmap', { namespace: 'default' }));
      return rb?.metadata.annotations?.['propagationpolicy.karmada.io/name'] === 'important' ? rb : undefined;
    });
    const eventGVR = { group: '', version: 'v1', resource: 'events' };
    const ev = await eventually('the PreemptPolicySucceed event', async () => {
      const events = await tb.client.list<KubeObject & { type?: string; reason?: string; message?: string; involvedObject?: { kind?: string; name?: string } }>(eventGVR, { namespace: 'default' });
      return events.items.find((e) => e.reason === 'PreemptPolicySucceed' && e.involvedObject?.name === 'contested');
    });
    assert.equal(ev.type, 'Normal');
    assert.equal(ev.involvedObject?.kind, 'ConfigMap');
    assert.equal(ev.message, 'Propagation policy(default/important) preempted propagation policy(default/first-come) successfully');
  });

  test('activationPreference Lazy: a policy change reaches the binding only with the template\'s next change', async () => {
    const ppGVR = { group: 'policy.karmada.io', version: 'v1alpha1', resource: 'propagationpolicies' };
    const lazyPolicy = (cluster: string) => ({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'lazy', namespace: 'default' },
      spec: { activationPreference: 'Lazy', resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'lazy-config' }], placement: { clusterAffinity: { clusterNames: [cluster] } } },
    });
    const placedOn = async () => (await getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, 'lazy-config-configmap', { namespace: 'default' })))?.spec.placement?.clusterAffinity?.clusterNames?.[0];
    // a policy of every other detector decision, to know the detector has worked through what came before it
    let markers = 0;
    const detectorCaughtUp = async () => {
      const name = `lazy-marker-${++markers}`;
      await tb.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a: 'b' } });
      await tb.client.create({
        apiVersion: 'policy.karmada.io/v1alpha1',
        kind: 'PropagationPolicy',
        metadata: { name, namespace: 'default' },
        spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name }], placement: { clusterAffinity: { clusterNames: ['member1'] } } },
      });
      await eventually(`the ${name} binding`, () => getOrUndefined(() => tb.client.get<ResourceBinding>(rbGVR, `${name}-configmap`, { namespace: 'default' })));
    };

    await tb.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lazy-config', namespace: 'default' }, data: { v: '1' } });
    await tb.client.create(lazyPolicy('member1'));
    await eventually('the template claimed by the lazy policy', async () => {
      const cm = await tb.client.get(cmGVR, 'lazy-config', { namespace: 'default' });
      return cm.metadata.annotations?.['propagationpolicy.karmada.io/name'] === 'lazy' ? cm : undefined;
    });
    await detectorCaughtUp();
    assert.equal(await placedOn(), undefined, 'claimed, but no binding until the template changes');

    await tb.client.patch(cmGVR, 'lazy-config', { data: { v: '2' } }, { namespace: 'default', type: 'merge' });
    assert.equal(await eventually('the binding after the template change', placedOn), 'member1');

    const current = await tb.client.get(ppGVR, 'lazy', { namespace: 'default' });
    await tb.client.replace({ ...current, spec: lazyPolicy('member2').spec });
    await detectorCaughtUp();
    assert.equal(await placedOn(), 'member1', 'the policy change waits for the template');

    await tb.client.patch(cmGVR, 'lazy-config', { data: { v: '3' } }, { namespace: 'default', type: 'merge' });
    await eventually('the binding following the changed policy', async () => ((await placedOn()) === 'member2' ? true : undefined));
  });
});
