// Garbage collection through ownerReferences, as kube-controller-manager's garbagecollector does it:
// - a dependent whose owners are all gone is deleted (background);
// - an owner deleted in the foreground (finalizer foregroundDeletion) has its dependents deleted
//   first and goes away once none with blockOwnerDeletion remain;
// - an owner deleted with the orphan policy (finalizer orphan) has its dependents' references to it
//   removed first.
// The graph is built from one informer over every key in the store (keyed by uid, so kinds never
// collide); a failed watch or list is retried and a compacted one relisted by the runtime.
import type { ResourceDef } from '../../apis/resource.js';
import { isConflict, isNotFound } from '../../apimachinery/errors.js';
import { type KubeObject, type ObjectMeta, type OwnerReference, splitApiVersion } from '../../apimachinery/types.js';
import type { KeyValue } from '../../storage/store.js';
import { topLevelMember, withoutTopLevelMember } from '../../apimachinery/jsonmember.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { Controller, ReconcileResult } from '../../runtime/controller.js';
import type { ResourceRegistry } from '../registry/resources.js';
import { internalContext } from '../rest/context.js';
import { resourcePrefix } from '../rest/keys.js';
import { sharedDecodeOf, type ObjectStore } from '../rest/object-store.js';
import type { InProcessContext } from './context.js';
import { storeSource } from './sources.js';

interface Node {
  uid: string;
  def: ResourceDef;
  namespace?: string;
  name: string;
  owners: OwnerReference[];
  deleting: boolean;
  finalizers: string[];
}

const GarbageCollectorName = 'garbage-collector';
const ctx = internalContext(GarbageCollectorName);

/** Adds the collector to the manager: one informer over the whole store feeds the graph, uids are the keys. */
export function registerGarbageCollector({ manager, objects, registry }: InProcessContext): Controller {
  const controller = newControllerManagedBy(manager, GarbageCollectorName)
    .workers(2)
    .backoff(20, 5000)
    .complete((uid) => gc.reconcile(uid));
  const gc = new GarbageCollector(objects, registry, (uid) => controller.enqueue(uid));
  const informer = manager.sharedInformer('/registry/', () => storeSource(objects.store, '/registry/', (kv) => gc.decode(kv)), { keyOf: (o) => o.metadata.uid! });
  informer.addHandlers({
    onAdd: (obj) => gc.observe(obj, false),
    onUpdate: (obj) => gc.observe(obj, false),
    onDelete: (obj) => gc.observe(obj, true),
  });
  return controller;
}

/**
 * An object as the graph's informer holds it: only the metadata the collector reads (identity, owners,
 * deletion), picked rather than copied whole, and the definition it was stored under.
 */
class GraphObject {
  [field: string]: unknown;
  constructor(
    public metadata: ObjectMeta,
    readonly def: ResourceDef,
  ) {}
}

/** a new metadata (storeSource sets its resourceVersion) of the fields the collector reads */
function graphMetadata(m: ObjectMeta): ObjectMeta {
  return { uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: undefined, ownerReferences: m.ownerReferences, finalizers: m.finalizers, deletionTimestamp: m.deletionTimestamp };
}

/** the fields of an owner reference, all the collector reads */
function sameOwnerReference(a: OwnerReference, b: OwnerReference): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.controller === b.controller && a.blockOwnerDeletion === b.blockOwnerDeletion;
}

function sameList<T>(a: readonly T[], b: readonly T[] | undefined, same: (x: T, y: T) => boolean): boolean {
  const bb = b ?? [];
  if (a.length !== bb.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i], bb[i])) return false;
  return true;
}

const sameString = (a: string, b: string): boolean => a === b;

/**
 * Does an update change what the graph holds of an object (its owner references, finalizers or
 * deletion)? Most writes (status, spec, labels) do not, and leave its node and edges as they are
 * (kube's graph builder: referencesDiffs, beingDeleted).
 */
export function changesGraph(node: Pick<Node, 'owners' | 'deleting' | 'finalizers'>, metadata: ObjectMeta): boolean {
  return node.deleting !== !!metadata.deletionTimestamp || !sameList(node.finalizers, metadata.finalizers, sameString) || !sameList(node.owners, metadata.ownerReferences, sameOwnerReference);
}

/** the stored metadata, parsed alone; undefined when the value is not JSON */
function parseMetadata(kv: KeyValue): KubeObject['metadata'] | undefined {
  try {
    const text = topLevelMember(kv.value, 'metadata');
    // managedFields, often most of the metadata, are cut out as text rather than parsed and dropped
    return text === undefined ? (JSON.parse(kv.value) as KubeObject | null)?.metadata : (JSON.parse(withoutTopLevelMember(text, 'managedFields') ?? text) as KubeObject['metadata']);
  } catch {
    return undefined;
  }
}

class GarbageCollector {
  private nodes = new Map<string, Node>();
  /** owner uid -> dependent uids */
  private dependents = new Map<string, Set<string>>();

  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly enqueue: (uid: string) => void,
  ) {}

  private prefixes = new Map<string, ResourceDef>();
  private prefixesGeneration = -1;

  /** the served definition that owns a key: /registry/<resource>/... or /registry/<group>/<resource>/... */
  private defForKey(key: string): ResourceDef | undefined {
    if (this.prefixesGeneration !== this.registry.generation) {
      this.prefixes = new Map();
      for (const def of this.registry.all()) if (def.version === def.storage.version) this.prefixes.set(resourcePrefix(def), def);
      this.prefixesGeneration = this.registry.generation;
    }
    const second = key.indexOf('/', 1);
    const third = second < 0 ? -1 : key.indexOf('/', second + 1);
    if (third < 0) return undefined;
    const fourth = key.indexOf('/', third + 1);
    return (fourth < 0 ? undefined : this.prefixes.get(key.slice(0, fourth + 1))) ?? this.prefixes.get(key.slice(0, third + 1));
  }

  /**
   * Only metadata matters to the collector, so only the stored metadata is parsed (no conversion, no
   * defaults, no spec or status): every write in the store passes here, and the graph's informer
   * holds what this returns for every object, so only the fields the collector reads are kept.
   */
  decode(kv: KeyValue): KubeObject | undefined {
    const def = this.defForKey(kv.key);
    if (!def) return undefined;
    // a write's event usually has its decode already (the write's result, handed to watchers)
    const metadata = sharedDecodeOf(kv)?.metadata ?? parseMetadata(kv);
    if (!metadata?.uid) return undefined;
    return new GraphObject(graphMetadata(metadata), def);
  }

  observe(obj: KubeObject, deleted: boolean): void {
    if (!(obj instanceof GraphObject)) return;
    const uid = obj.metadata.uid!;
    const old = this.nodes.get(uid);
    if (old && !deleted && !changesGraph(old, obj.metadata)) {
      this.enqueueWaiting(old);
      return;
    }
    for (const o of old?.owners ?? []) this.dependents.get(o.uid)?.delete(uid);
    if (deleted) {
      this.nodes.delete(uid);
      // its dependents may now be orphans; its owners may be waiting for it (foreground)
      for (const d of this.dependents.get(uid) ?? []) this.enqueue(d);
      for (const o of old?.owners ?? []) this.enqueue(o.uid);
      return;
    }
    const node: Node = {
      uid,
      def: obj.def,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name!,
      owners: obj.metadata.ownerReferences ?? [],
      deleting: !!obj.metadata.deletionTimestamp,
      finalizers: obj.metadata.finalizers ?? [],
    };
    this.nodes.set(uid, node);
    for (const o of node.owners) {
      if (!this.dependents.has(o.uid)) this.dependents.set(o.uid, new Set());
      this.dependents.get(o.uid)!.add(uid);
    }
    this.enqueueWaiting(node);
    if (old && !old.deleting && node.deleting) for (const o of node.owners) this.enqueue(o.uid);
  }

  /** what any event of a live node enqueues: the node when an owner is not in the graph or its foreground/orphan deletion is pending; owners being deleted */
  private enqueueWaiting(node: Node): void {
    for (const o of node.owners) {
      const owner = this.nodes.get(o.uid);
      if (!owner) this.enqueue(node.uid);
      else if (owner.deleting) this.enqueue(o.uid);
    }
    if (node.deleting && (node.finalizers.includes('foregroundDeletion') || node.finalizers.includes('orphan'))) this.enqueue(node.uid);
  }

  private ownerDef(ref: OwnerReference): ResourceDef | undefined {
    return this.registry.byKind(splitApiVersion(ref.apiVersion).group, ref.kind);
  }

  /** is the owner gone? Checked against the API, not just the graph, before anything is deleted */
  private async ownerAbsent(node: Node, ref: OwnerReference): Promise<boolean> {
    const def = this.ownerDef(ref);
    if (!def) return false; // an unknown kind: leave the dependent alone
    const owner = await this.objects.tryGet(def, def.namespaced ? node.namespace : undefined, ref.name);
    return !owner || owner.metadata.uid !== ref.uid;
  }

  async reconcile(uid: string): Promise<ReconcileResult> {
    const node = this.nodes.get(uid);
    if (!node) return;
    if (node.deleting && node.finalizers.includes('orphan')) return this.orphanDependents(node);
    if (node.deleting && node.finalizers.includes('foregroundDeletion')) return this.deleteForeground(node);
    if (!node.owners.length || node.deleting) return;
    const absent = await Promise.all(node.owners.map((o) => this.ownerAbsent(node, o)));
    if (!absent.every(Boolean)) return;
    await this.deleteNode(node, 'Background');
  }

  private async deleteNode(node: Node, policy: 'Background' | 'Foreground'): Promise<void> {
    try {
      await this.objects.delete(node.def, node.namespace, node.name, { propagationPolicy: policy, preconditions: { uid: node.uid } }, ctx);
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  private async deleteForeground(owner: Node): Promise<ReconcileResult> {
    const deps = [...(this.dependents.get(owner.uid) ?? [])].map((d) => this.nodes.get(d)).filter((n): n is Node => !!n);
    for (const d of deps) if (!d.deleting) await this.deleteNode(d, 'Foreground');
    const blocking = deps.filter((d) => d.owners.some((o) => o.uid === owner.uid && o.blockOwnerDeletion));
    if (blocking.length) return { requeueAfter: 500 };
    await this.removeFinalizer(owner, 'foregroundDeletion');
  }

  private async orphanDependents(owner: Node): Promise<void> {
    for (const d of [...(this.dependents.get(owner.uid) ?? [])]) {
      const dep = this.nodes.get(d);
      if (!dep) continue;
      await this.objects
        .guaranteedUpdate(dep.def, dep.namespace, dep.name, ctx, (cur) => {
          const refs = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.uid);
          cur.metadata.ownerReferences = refs.length ? refs : undefined;
          if (!refs.length) delete cur.metadata.ownerReferences;
          delete cur.metadata.resourceVersion;
          return cur;
        })
        .catch((err) => {
          if (!isNotFound(err)) throw err;
        });
    }
    await this.removeFinalizer(owner, 'orphan');
  }

  private async removeFinalizer(node: Node, finalizer: string): Promise<void> {
    await this.objects
      .guaranteedUpdate(node.def, node.namespace, node.name, ctx, (cur) => {
        const rest = (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer);
        if (rest.length) cur.metadata.finalizers = rest;
        else delete cur.metadata.finalizers;
        delete cur.metadata.resourceVersion;
        return cur;
      })
      .catch((err) => {
        if (!isNotFound(err)) throw err;
      });
  }
}
