// The object store's CPU per write (create, update, status update), this tree against a baseline
// commit in the same process, alternating: the writes a Deployment costs a member (Deployment,
// ReplicaSet, Pod and their status) and the control plane (ResourceBinding, Works and their status).
//   node --import tsx bench/writes.ts [--baseline REF | --alone] [--storage memory|sqlite] [--deployments N] [--rounds N]
// (--baseline: by default where this branch left main, `git merge-base HEAD main`: a branch's work,
// committed or not, against what it started from; on main itself, uncommitted changes against HEAD.
// --alone: this tree only, e.g. under --cpu-prof)
// The baseline's src is extracted (git archive) to a temp dir and imported beside ours; each side has
// its own store with a read-only watcher per resource, as the informers of a member or the watch
// cache's clients are, and a round's CPU includes delivering the events to them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

/* eslint-disable @typescript-eslint/no-explicit-any -- the two trees' modules are loaded by path */
type Obj = Record<string, any>;

interface Side {
  name: string;
  run(deployments: number, offset: number): Promise<number>;
  close(): Promise<void>;
}

const repoRoot = resolve(import.meta.dirname, '..');

/** where this branch left main (the baseline unless --baseline names one) */
function mergeBaseWithMain(): string {
  try {
    return execFileSync('git', ['-C', repoRoot, 'merge-base', 'HEAD', 'main'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().slice(0, 12);
  } catch (err) {
    const why = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    console.error(`bench/writes: no baseline: --baseline REF was not given and HEAD has no merge base with main (${why}); pass --baseline REF or --alone`);
    process.exit(2);
  }
}

function extractBaseline(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'writes-baseline-'));
  execFileSync('sh', ['-c', `git -C ${JSON.stringify(repoRoot)} archive ${ref} src package.json | tar -x -C ${JSON.stringify(dir)}`]);
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

async function makeSide(name: string, root: string, storage: string, dataDir: string): Promise<Side> {
  const imp = (p: string) => import(pathToFileURL(join(root, 'src', p)).href);
  const { builtinResources } = await imp('apis/builtin/index.ts');
  const { builtinSchemas, resolver } = await imp('apiserver/openapi/schemas.ts');
  const { ResourceRegistry } = await imp('apiserver/registry/resources.ts');
  const { ObjectStore } = await imp('apiserver/rest/object-store.ts');
  const { makeSchemaHooks } = await imp('apiserver/rest/schema-hooks.ts');
  const { internalContext } = await imp('apiserver/rest/context.ts');
  const { createStore, noCompaction } = await imp('storage/index.ts');
  const { karmadaCRDs } = await imp('apis/karmada/crds/index.ts');
  const { defaultCRD } = await imp('apiserver/crd/defaults.ts');
  const { crdToResourceDefs } = await imp('apiserver/crd/resources.ts');
  const store = await createStore(storage === 'sqlite' ? { backend: 'sqlite', path: join(dataDir, `${name}.db`), synchronous: 'NORMAL', compaction: noCompaction } : { backend: 'memory', compaction: noCompaction });
  const registry = new ResourceRegistry();
  registry.setSource('builtin', builtinResources);
  const schemas = builtinSchemas();
  const objects = new ObjectStore(store, makeSchemaHooks(schemas, resolver(schemas)));
  const crdDef = (plural: string) => {
    const crd = karmadaCRDs().find((c: Obj) => c.spec.names.plural === plural);
    defaultCRD(crd);
    return crdToResourceDefs(crd).find((d: Obj) => d.version === crd.spec.versions.find((v: Obj) => v.storage).name);
  };
  const defs: Record<string, Obj> = {
    deployments: registry.versionsOf('apps', 'deployments')[0],
    replicasets: registry.versionsOf('apps', 'replicasets')[0],
    pods: registry.versionsOf('', 'pods')[0],
    resourcebindings: crdDef('resourcebindings'),
    works: crdDef('works'),
  };
  let events = 0;
  const watchers = await Promise.all(Object.values(defs).map((def) => objects.watch(def, undefined, { readOnly: true, initialEvents: false, resourceVersion: String(0) }, { onEvent: () => events++, onError: () => {} })));
  // a write from a client (HTTP) or a member's controller: the result is only read
  const ctx = (manager: string) => ({ ...internalContext(manager), fieldValidation: 'Strict', readsResultOnly: true });
  const drain = () => new Promise((r) => setImmediate(r));
  const run = async (count: number, offset: number) => {
    for (let i = offset; i < offset + count; i++) {
      await oneDeployment(objects, defs, ctx, `app-${i}`);
      await drain();
    }
    await drain();
    return events;
  };
  return {
    name,
    run,
    async close() {
      for (const w of watchers) w.stop();
      await store.close();
    },
  };
}

const ns = 'default';

function deployment(name: string): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: ns,
      labels: { app: name, 'propagationpolicy.karmada.io/permanent-id': '5f0c3a52-2a53-4d3f-9f7b-2f3c0e0c1a11', 'work.karmada.io/permanent-id': '0b7c9f70-8d6e-4c1e-a2a9-7d1f8f3b6c22' },
      annotations: { 'resourcetemplate.karmada.io/uid': '8e0b2d3c-5c7a-4b8e-9a8e-4e8f6a1c2b33', 'work.karmada.io/name': `${name}-6d4b8f7c9`, 'work.karmada.io/namespace': 'karmada-es-member1', 'resourcetemplate.karmada.io/managed-annotations': 'resourcetemplate.karmada.io/managed-annotations,resourcetemplate.karmada.io/managed-labels,resourcetemplate.karmada.io/uid,work.karmada.io/name,work.karmada.io/namespace', 'resourcetemplate.karmada.io/managed-labels': 'app,propagationpolicy.karmada.io/permanent-id,work.karmada.io/permanent-id' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      },
    },
  };
}

function condition(type: string, status: string, reason: string): Obj {
  return { type, status, reason, message: `${type} is ${status}`, lastTransitionTime: '2026-12-07T14:00:00Z' };
}

const deploymentCondition = (type: string, status: string, reason: string): Obj => ({ ...condition(type, status, reason), lastUpdateTime: '2026-12-07T14:00:00Z' });

const owner = (o: Obj): Obj[] => [{ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true }];

/**
 * the writes one Deployment costs a member and the control plane (Karmada's, kube-controller-manager's,
 * a kubelet's); each writer builds on what its last write returned, as its informer would hold it
 */
async function oneDeployment(objects: any, defs: Record<string, Obj>, ctx: (m: string) => Obj, name: string): Promise<void> {
  // a member's own controllers write in process (objects from their informers); the rest comes over
  // HTTP: the handler decodes a body of its own and hands it to the store (ownsInput)
  const local = {
    create: (def: Obj, namespace: string, obj: Obj, manager: string) => objects.create(def, namespace, obj, ctx(manager)),
    update: (def: Obj, namespace: string, n: string, obj: Obj, manager: string, sub?: string) => objects.update(def, namespace, n, obj, ctx(manager), sub),
  };
  const body = (obj: Obj) => JSON.parse(JSON.stringify(obj)) as Obj;
  const http = {
    create: (def: Obj, namespace: string, obj: Obj, manager: string) => objects.create(def, namespace, body(obj), { ...ctx(manager), ownsInput: true }),
    update: (def: Obj, namespace: string, n: string, obj: Obj, manager: string, sub?: string) => objects.update(def, namespace, n, body(obj), { ...ctx(manager), ownsInput: true }, sub),
  };
  // member: the execution controller applies the Deployment, the workload controllers run it
  const d = await http.create(defs.deployments, ns, deployment(name), 'karmada-controller-manager');
  const rs = await local.create(defs.replicasets, ns, {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: `${name}-6d4b8f7c9`, namespace: ns, labels: { app: name, 'pod-template-hash': '6d4b8f7c9' }, annotations: { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '1', 'deployment.kubernetes.io/max-replicas': '2' }, ownerReferences: owner(d) },
    spec: { replicas: 1, selector: { matchLabels: { app: name, 'pod-template-hash': '6d4b8f7c9' } }, template: { metadata: { labels: { app: name, 'pod-template-hash': '6d4b8f7c9' } }, spec: deployment(name).spec.template.spec } },
  }, 'kube-controller-manager');
  const d2 = await local.update(defs.deployments, ns, name, { ...d, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1, conditions: [deploymentCondition('Progressing', 'True', 'NewReplicaSetCreated')] } }, 'kube-controller-manager', 'status');
  const pod = await local.create(defs.pods, ns, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `${name}-6d4b8f7c9-x7k2p`, namespace: ns, labels: { app: name, 'pod-template-hash': '6d4b8f7c9' }, ownerReferences: owner(rs) },
    spec: { nodeName: 'member1-node-3', containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  }, 'kube-controller-manager');
  const rs2 = await local.update(defs.replicasets, ns, rs.metadata.name, { ...rs, status: { replicas: 1, fullyLabeledReplicas: 1, observedGeneration: 1 } }, 'kube-controller-manager', 'status');
  await local.update(defs.pods, ns, pod.metadata.name, {
    ...pod,
    status: { phase: 'Running', podIP: '10.0.3.17', hostIP: '172.18.0.3', startTime: '2026-12-07T14:00:00Z', conditions: [condition('PodScheduled', 'True', ''), condition('Ready', 'True', '')], containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, image: 'nginx:1.25', imageID: 'docker.io/library/nginx@sha256:0d17', containerID: 'containerd://4f1c', started: true, state: { running: { startedAt: '2026-12-07T14:00:01Z' } } }] },
  }, 'kubelet', 'status');
  await local.update(defs.replicasets, ns, rs.metadata.name, { ...rs2, status: { ...rs2.status, readyReplicas: 1, availableReplicas: 1 } }, 'kube-controller-manager', 'status');
  await local.update(defs.deployments, ns, name, { ...d2, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [deploymentCondition('Available', 'True', 'MinimumReplicasAvailable'), deploymentCondition('Progressing', 'True', 'NewReplicaSetAvailable')] } }, 'kube-controller-manager', 'status');

  // control plane: the binding, its scheduling, one Work per member and their status
  const rb = await http.create(defs.resourcebindings, ns, {
    apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding',
    metadata: { name: `${name}-deployment`, namespace: ns, labels: { 'propagationpolicy.karmada.io/permanent-id': '5f0c3a52-2a53-4d3f-9f7b-2f3c0e0c1a11', 'resourcebinding.karmada.io/permanent-id': '1a2b3c4d-0000-4000-8000-000000000001' }, ownerReferences: owner(d), finalizers: ['karmada.io/binding-controller'] },
    spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name, uid: d.metadata.uid, resourceVersion: d.metadata.resourceVersion }, replicas: 1, replicaRequirements: { resourceRequest: { cpu: '10m', memory: '16Mi' } }, placement: { clusterAffinity: { clusterNames: ['member1', 'member2', 'member3'] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } }, conflictResolution: 'Abort' },
  }, 'karmada-controller-manager');
  const clusters = ['member1', 'member2', 'member3'];
  const rb2 = await http.update(defs.resourcebindings, ns, rb.metadata.name, { ...rb, spec: { ...rb.spec, clusters: clusters.map((c) => ({ name: c, replicas: 1 })) } }, 'karmada-scheduler');
  const rb3 = await http.update(defs.resourcebindings, ns, rb.metadata.name, { ...rb2, status: { schedulerObservedGeneration: 2, conditions: [condition('Scheduled', 'True', 'Success')] } }, 'karmada-scheduler', 'status');
  for (const c of clusters) {
    const manifest = deployment(name);
    const w = await http.create(defs.works, `karmada-es-${c}`, {
      apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work',
      metadata: { name: `${name}-6d4b8f7c9`, namespace: `karmada-es-${c}`, labels: { 'resourcebinding.karmada.io/permanent-id': '1a2b3c4d-0000-4000-8000-000000000001' }, annotations: { 'resourcebinding.karmada.io/name': rb.metadata.name, 'resourcebinding.karmada.io/namespace': ns }, finalizers: ['karmada.io/execution-controller'] },
      spec: { workload: { manifests: [manifest] } },
    }, 'karmada-controller-manager');
    const applied = await http.update(defs.works, w.metadata.namespace, w.metadata.name, { ...w, status: { conditions: [condition('Applied', 'True', 'AppliedSuccessful')] } }, 'karmada-controller-manager', 'status');
    await http.update(defs.works, w.metadata.namespace, w.metadata.name, {
      ...applied,
      status: { ...applied.status, manifestStatuses: [{ identifier: { ordinal: 0, group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespace: ns, name }, status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1, generation: 1, resourceTemplateGeneration: 1 }, health: 'Healthy' }] },
    }, 'karmada-controller-manager', 'status');
  }
  await http.update(defs.resourcebindings, ns, rb.metadata.name, { ...rb3, status: { ...rb3.status, aggregatedStatus: clusters.map((c) => ({ clusterName: c, status: { replicas: 1, readyReplicas: 1 }, applied: true, health: 'Healthy' })), conditions: [...rb3.status.conditions, condition('FullyApplied', 'True', 'FullyAppliedSuccess')] } }, 'karmada-controller-manager', 'status');
}

/** member writes 8, control plane 3 binding + 9 work writes + 1 aggregation */
export const writesPerDeployment = 8 + 13;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { baseline: { type: 'string' }, storage: { type: 'string', default: 'memory' }, deployments: { type: 'string', default: '300' }, rounds: { type: 'string', default: '5' }, alone: { type: 'boolean', default: false } } });
  const count = Number(values.deployments);
  const baseline = values.alone ? undefined : (values.baseline ?? mergeBaseWithMain());
  const baseRoot = baseline === undefined ? undefined : extractBaseline(baseline);
  const dataDir = mkdtempSync(join(tmpdir(), 'writes-data-'));
  try {
    const sides = [...(baseRoot ? [await makeSide(`base ${baseline}`, baseRoot, values.storage!, dataDir)] : []), await makeSide('this tree', repoRoot, values.storage!, dataDir)];
    // warm-up (JIT, schema caches) on both sides
    for (const s of sides) await s.run(Math.min(50, count), 0);
    const perWrite = new Map<string, number[]>(sides.map((s) => [s.name, []]));
    let offset = 1000;
    for (let round = 0; round < Number(values.rounds); round++) {
      const order = round % 2 ? [...sides].reverse() : sides;
      for (const s of order) {
        const before = process.cpuUsage();
        await s.run(count, offset);
        const used = process.cpuUsage(before);
        perWrite.get(s.name)!.push((used.user + used.system) / (count * writesPerDeployment));
      }
      offset += count;
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`storage ${values.storage}, ${count} Deployments x ${writesPerDeployment} writes per round, ${values.rounds} rounds, alternating`);
    for (const [name, xs] of perWrite) console.log(`${name.padEnd(18)} CPU us per write: median ${median(xs).toFixed(1)}  rounds ${xs.map((x) => x.toFixed(1)).join(' ')}`);
    const [b, n] = [...perWrite.values()].map(median);
    if (n !== undefined) console.log(`change: ${(((n - b) / b) * 100).toFixed(1)}%`);
    for (const s of sides) await s.close();
  } finally {
    if (baseRoot) rmSync(baseRoot, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
