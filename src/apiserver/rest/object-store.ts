// The generic registry: create, get, update, delete, list and watch for any resource, over the
// Store contract. kube-apiserver's genericregistry.Store is the model: the rules about uid,
// generation, finalizers, deletion and resourceVersions are decided here once for every kind.
import { deepCopyJson } from '../../apimachinery/clone.js';
import { topLevelMember, withoutTopLevelMember } from '../../apimachinery/jsonmember.js';
import { isDeepStrictEqual } from 'node:util';
import { isCustomResource, type ResourceDef } from '../../apis/resource.js';
import { errors, isAlreadyExists, StatusError, type FieldError, type QualifiedResource } from '../../apimachinery/errors.js';
import { type KubeList, type KubeObject, type Status, joinApiVersion } from '../../apimachinery/types.js';
import { CompactedError, ConflictError, KeyExistsError, NotFoundError, UnavailableError, type KeyValue, type Store, type Watcher } from '../../storage/store.js';
import type { AdmissionPlugin, AdmissionRequest, Operation } from './admission.js';
import type { RequestContext } from './context.js';
import { collectionPrefix, objectKey } from './keys.js';
import { decodeContinue, encodeContinue, generateName, newUid, rfc3339Now } from '../../apimachinery/meta.js';
import type { ObjectFilter } from './filter.js';
import { normalize, trackManagers, validate, type SchemaHooks } from './schema-hooks.js';
import { prepareStatusUpdate } from './status-strategy.js';
import type { RootWalk } from '../crd/schema.js';
import { isPlainJson, markReadOnly } from './shared-json.js';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

export interface ListOptions {
  filter?: ObjectFilter;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchSink {
  onEvent(type: WatchEventType, obj: KubeObject): void;
  /** a storage-level end of the watch (410 Gone when compacted) */
  onError(status: StatusError): void;
}

export interface WatchOptions {
  filter?: ObjectFilter;
  resourceVersion?: string;
  /** send ADDED for every current object first (resourceVersion unset or "0", or sendInitialEvents) */
  initialEvents?: boolean;
  /** called once the initial events are all sent, with the revision they were read at */
  onInitialEventsEnd?(revision: number): void;
  /**
   * the sink only reads what it is handed: an event's object is decoded once and the same object
   * goes to every such watcher of that event (as kube-apiserver's watch cache hands one object to
   * all), so per-object work downstream (encodings) can be cached on it
   */
  readOnly?: boolean;
}

/** decoded events shared by read-only watchers, by the store's event value and the version served */
const sharedDecodes = new WeakMap<KeyValue, { def: ResourceDef; obj: KubeObject }>();

/**
 * The decode of a stored value in its storage version that read-only watchers get (or a write's
 * result that stands for it), when one is made already: read-only, never to be changed. For other
 * readers of the store's events (the garbage collector) that would otherwise parse the value again.
 */
export function sharedDecodeOf(kv: KeyValue): KubeObject | undefined {
  const hit = sharedDecodes.get(kv);
  return hit && hit.def.version === hit.def.storage.version ? hit.obj : undefined;
}

/**
 * How many objects' latest read-only decodes an ObjectStore keeps (strongly; the oldest go first) for
 * writes and reads to copy instead of decoding the stored value again.
 */
const latestDecodesKept = 1024;

const gr = (def: ResourceDef): QualifiedResource => ({ group: def.group, resource: def.resource });

/** Kinds whose status users may set at create time; for the rest, status on create is dropped. */
const keepsStatusOnCreate = new Set(['nodes', 'events', 'persistentvolumes', 'pods', 'services', 'endpoints', 'leases']);

const maxConflictRetries = 16;

/** built-in kinds whose strategies track metadata.generation (custom resources always do) */
const generationTracked = new Set([
  'apps/deployments', 'apps/statefulsets', 'apps/daemonsets', 'apps/replicasets', 'batch/jobs', 'batch/cronjobs',
  'autoscaling/horizontalpodautoscalers', 'policy/poddisruptionbudgets', 'networking.k8s.io/ingresses',
  'networking.k8s.io/networkpolicies', 'apiextensions.k8s.io/customresourcedefinitions', '/replicationcontrollers',
]);

function tracksGeneration(def: ResourceDef): boolean {
  return isCustomResource(def) || generationTracked.has(`${def.storage.group}/${def.storage.resource}`);
}

/** etcd's default --max-request-bytes: no stored object may be larger */
const maxObjectBytes = 1.5 * 1024 * 1024;

function hasStatusSubresource(def: ResourceDef): boolean {
  return !!def.subresources.status;
}

function isNamespaces(def: ResourceDef): boolean {
  return def.group === '' && def.resource === 'namespaces';
}

/** Generation counts changes to everything but metadata (and status, when it has its own endpoint). */
function specChanged(def: ResourceDef, a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = o;
    if (hasStatusSubresource(def)) delete (rest as Record<string, unknown>).status;
    return rest;
  };
  return !isDeepStrictEqual(strip(a), strip(b));
}

const clone = deepCopyJson;

export class ObjectStore {
  readonly admission: AdmissionPlugin[] = [];
  /**
   * By key, the decode of the newest revision that read-only watchers were handed (and so never
   * changed). A write reads the object it replaces, usually one a watcher was just handed: a deep
   * copy of that is what decoding gives, several times cheaper than parsing (and, for custom
   * resources, defaulting) the stored value again.
   */
  private readonly latestDecodes = new Map<string, { def: ResourceDef; revision: number; obj: KubeObject }>();

  constructor(
    readonly store: Store,
    private readonly schemaHooks: SchemaHooks,
  ) {}

  // ---- encoding ----

  decode(def: ResourceDef, kv: KeyValue): KubeObject {
    let obj = JSON.parse(kv.value) as KubeObject;
    obj.metadata.resourceVersion = String(kv.modRevision);
    if (def.version !== def.storage.version) obj = def.convertFromStorage ? def.convertFromStorage(obj) : obj;
    obj.apiVersion = joinApiVersion(def.group, def.version);
    obj.kind = def.kind;
    this.schemaHooks.onRead(def, obj);
    return obj;
  }

  /** decode for read-only watchers: one object per stored event and served version, shared */
  private decodeShared(def: ResourceDef, kv: KeyValue): KubeObject {
    const hit = sharedDecodes.get(kv);
    if (hit?.def === def) return hit.obj;
    const obj = this.decode(def, kv);
    sharedDecodes.set(kv, { def, obj });
    markReadOnly(obj);
    return obj;
  }

  /**
   * A write's result, when its caller only reads it, is what decoding the written value gives (the
   * same stored fields, the resourceVersion last in metadata, read-time defaults applied): read-only
   * watchers of that revision get it as is, and its JSON is made once.
   */
  private shareWritten(def: ResourceDef, kv: KeyValue, obj: KubeObject, ctx: RequestContext, replaced?: KubeObject, subresource?: string): void {
    // what an update shares with the object it replaced (a decode, or a result that passed here) is
    // plain already, and has its read-time defaults (a status write's spec: see storedSpec)
    if (!ctx.readsResultOnly || def.version !== def.storage.version || !isPlainJson(obj, replaced)) return;
    const meta = obj.metadata;
    delete meta.resourceVersion;
    meta.resourceVersion = String(kv.modRevision);
    this.schemaHooks.onRead(def, obj, storedSpec(obj, replaced, subresource));
    sharedDecodes.set(kv, { def, obj });
    markReadOnly(obj);
    this.rememberLatest(def, kv, obj);
  }

  private rememberLatest(def: ResourceDef, kv: KeyValue, obj: KubeObject): void {
    const kept = this.latestDecodes;
    if (kept.get(kv.key)?.obj === obj) return;
    kept.delete(kv.key);
    kept.set(kv.key, { def, revision: kv.modRevision, obj });
    if (kept.size > latestDecodesKept) kept.delete(kept.keys().next().value!);
  }

  /** decode(def, kv), copied from what read-only watchers were handed for this revision when there is that */
  private decodeLatest(def: ResourceDef, kv: KeyValue): KubeObject {
    const hit = this.latestReadOnly(def, kv);
    return hit ? clone(hit) : this.decode(def, kv);
  }

  /** what read-only watchers were handed for this revision, if it is still kept: never to be changed */
  private latestReadOnly(def: ResourceDef, kv: KeyValue): KubeObject | undefined {
    const hit = this.latestDecodes.get(kv.key);
    return hit && hit.revision === kv.modRevision && hit.def === def ? hit.obj : undefined;
  }

  encode(def: ResourceDef, obj: KubeObject): string {
    let stored = obj;
    if (def.version !== def.storage.version && def.convertToStorage) stored = def.convertToStorage(clone(obj));
    const { resourceVersion: _rv, ...metadata } = stored.metadata;
    const encoded = JSON.stringify({ ...stored, apiVersion: joinApiVersion(def.storage.group, def.storage.version), metadata });
    // on every backend, so that what fits in sqlite also fits in etcd
    if (encoded.length * 3 > maxObjectBytes && Buffer.byteLength(encoded) > maxObjectBytes) {
      throw errors.requestEntityTooLarge(`etcdserver: request is too large: ${def.kind} ${JSON.stringify(obj.metadata.name)} is ${Buffer.byteLength(encoded)} bytes stored, over etcd's limit of ${maxObjectBytes} (1.5 MiB)`);
    }
    return encoded;
  }

  private storageError(def: ResourceDef, name: string, err: unknown): never {
    if (err instanceof StatusError) throw err;
    if (err instanceof NotFoundError) throw errors.notFound(gr(def), name);
    if (err instanceof KeyExistsError) throw errors.alreadyExists(gr(def), name);
    if (err instanceof ConflictError) throw errors.conflictModified(gr(def), name);
    if (err instanceof UnavailableError) throw errors.serviceUnavailable(`storage is unavailable: ${err.message}`);
    if (err instanceof CompactedError) throw errors.expired(`too old resource version: ${err.requested} (${err.compacted})`);
    throw errors.internal(err instanceof Error ? err.message : String(err));
  }

  // ---- reads ----

  private async currentRevision(def: ResourceDef): Promise<number> {
    try {
      return await this.store.currentRevision();
    } catch (err) {
      this.storageError(def, '', err);
    }
  }

  async getKv(def: ResourceDef, namespace: string | undefined, name: string): Promise<KeyValue | undefined> {
    try {
      return await this.store.get(objectKey(def, namespace, name));
    } catch (err) {
      this.storageError(def, name, err);
    }
  }

  async get(def: ResourceDef, namespace: string | undefined, name: string): Promise<KubeObject> {
    const kv = await this.getKv(def, namespace, name);
    if (!kv) throw errors.notFound(gr(def), name);
    return this.decodeLatest(def, kv);
  }

  async tryGet(def: ResourceDef, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const kv = await this.getKv(def, namespace, name);
    return kv ? this.decodeLatest(def, kv) : undefined;
  }

  async list(def: ResourceDef, namespace: string | undefined, opts: ListOptions = {}): Promise<KubeList> {
    const prefix = collectionPrefix(def, namespace);
    let revision = 0;
    let startKey: string | undefined;
    if (opts.resourceVersionMatch && !opts.resourceVersion) {
      throw errors.invalidMessage('resourceVersionMatch is forbidden unless resourceVersion is provided', [{ reason: 'FieldValueForbidden', field: 'resourceVersionMatch' }]);
    }
    if (opts.continue) {
      if (opts.resourceVersion && opts.resourceVersion !== '0') {
        throw errors.invalidMessage('specifying resource version is not allowed when using continue', [{ reason: 'FieldValueForbidden', field: 'resourceVersion' }]);
      }
      const token = decodeContinue(opts.continue);
      revision = token.rv;
      startKey = prefix + token.start;
    } else if (opts.resourceVersion && opts.resourceVersion !== '0') {
      const rv = parseResourceVersion(opts.resourceVersion);
      const current = await this.currentRevision(def);
      if (opts.resourceVersionMatch === 'Exact') {
        revision = rv;
      } else if (rv > current) {
        throw errors.timeout(`Too large resource version: ${rv}, current: ${current}`);
      }
    } else if (opts.resourceVersionMatch === 'Exact') {
      throw errors.invalidMessage('resourceVersionMatch "exact" is forbidden for resourceVersion "0"', [{ reason: 'FieldValueForbidden', field: 'resourceVersionMatch' }]);
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const items: KubeObject[] = [];
    let more = false;
    let lastKey: string | undefined;
    try {
      // Selectors filter after reading, so keep reading pages until the page is full.
      for (;;) {
        const want = limit ? limit - items.length : 0;
        const page = await this.store.list(prefix, { limit: want ? Math.max(want, 64) : 0, startKey, revision });
        if (!revision) revision = page.revision;
        let stoppedEarly = false;
        for (const kv of page.items) {
          if (limit && items.length >= limit) {
            stoppedEarly = true;
            break;
          }
          lastKey = kv.key;
          const obj = this.decode(def, kv);
          if (!opts.filter || opts.filter(obj)) items.push(obj);
        }
        if (stoppedEarly) {
          more = true;
          break;
        }
        if (!page.more) break;
        if (limit && items.length >= limit) {
          more = true;
          break;
        }
        startKey = page.items[page.items.length - 1].key + '\u0000';
      }
    } catch (err) {
      if (err instanceof CompactedError) {
        if (opts.continue) {
          throw errors.expired(
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
          );
        }
        throw errors.expired('The resourceVersion for the provided list is too old.');
      }
      this.storageError(def, '', err);
    }
    const list: KubeList = {
      apiVersion: joinApiVersion(def.group, def.version),
      kind: def.listKind,
      metadata: { resourceVersion: String(revision) },
      items,
    };
    if (more && lastKey) list.metadata.continue = encodeContinue({ rv: revision, start: lastKey.slice(prefix.length) + '\u0000' });
    return list;
  }

  // ---- writes ----

  private async mutate(req: AdmissionRequest): Promise<void> {
    for (const p of this.admission) if (p.mutate) await p.mutate(req);
  }

  private async validateAdmission(req: AdmissionRequest, causes: FieldError[] = []): Promise<void> {
    for (const p of this.admission) {
      if (!p.validate) continue;
      const found = await p.validate(req);
      if (found) causes.push(...found);
    }
    if (causes.length) throw errors.invalid(req.def.kind, req.def.group, req.obj.metadata.name ?? '', causes);
  }

  /**
   * The write pipeline of kube-apiserver: prune and default, mutating admission, validation (the
   * kind's rules, a CRD's schema) with validating admission, then field managers.
   */
  private async prepare(operation: Operation, def: ResourceDef, obj: KubeObject, old: KubeObject | undefined, ctx: RequestContext, subresource?: string): Promise<void> {
    normalize(this.schemaHooks, def, obj, ctx, storedSpec(obj, old, subresource));
    const req: AdmissionRequest = { operation, def, obj, old, ctx, subresource };
    await this.mutate(req);
    await this.validateAdmission(req, validate(this.schemaHooks, def, obj, old, storedSpec(obj, old, subresource)));
    trackManagers(this.schemaHooks, def, obj, old, ctx, subresource);
  }

  async create(def: ResourceDef, namespace: string | undefined, input: KubeObject, ctx: RequestContext): Promise<KubeObject> {
    const generated = !input.metadata?.name && !!input.metadata?.generateName;
    const obj = ctx.ownsInput ? input : clone(input);
    obj.metadata ??= {};
    this.schemaHooks.checkGoTypes(def, obj);
    if (def.namespaced) {
      if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace ?? obj.metadata.namespace;
      if (!obj.metadata.namespace) throw errors.badRequest('the namespace of the object must be specified');
    } else {
      delete obj.metadata.namespace;
    }
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = generateName(obj.metadata.generateName);
    if (!obj.metadata.name) throw errors.invalid(def.kind, def.group, '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
    obj.apiVersion = joinApiVersion(def.group, def.version);
    obj.kind = def.kind;
    const meta = obj.metadata;
    meta.uid = newUid();
    meta.creationTimestamp = rfc3339Now();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (def.subresources.status && !keepsStatusOnCreate.has(def.resource) && !isNamespaces(def)) delete obj.status;
    if (tracksGeneration(def)) meta.generation = 1;
    else delete meta.generation;
    if (isNamespaces(def)) obj.spec = { ...(obj.spec as object), finalizers: ['kubernetes'] };
    await this.prepare('CREATE', def, obj, undefined, ctx);
    if (ctx.dryRun) {
      if (await this.getKv(def, meta.namespace, meta.name!)) throw errors.alreadyExists(gr(def), meta.name!);
      return obj;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        abandonIfClientGone(ctx);
        const kv = await this.store.create(objectKey(def, meta.namespace, meta.name!), this.encode(def, obj));
        meta.resourceVersion = String(kv.modRevision);
        this.shareWritten(def, kv, obj, ctx);
        return obj;
      } catch (err) {
        // generateName collisions get a new name, as kube-apiserver retries them
        if (err instanceof KeyExistsError && generated && attempt < 8) {
          meta.name = generateName(meta.generateName!);
          continue;
        }
        this.storageError(def, meta.name!, err);
      }
    }
  }

  /**
   * Read-modify-write with compare-and-swap, retried on conflicts unless the caller pinned a
   * resourceVersion. `mutate` gets a private copy of the current object (the object itself with
   * `readsCurrent`: the mutation only reads it) and returns the desired one.
   * The current object is the read-only decode watchers were handed when there is one (copying it
   * for every write was a tenth of a write's CPU): writeUpdate only reads it and copies what it keeps.
   */
  async guaranteedUpdate(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    ctx: RequestContext,
    mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    opts: { subresource?: string; createIfMissing?: () => KubeObject | Promise<KubeObject>; readsCurrent?: boolean } = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    for (let attempt = 0; attempt < maxConflictRetries; attempt++) {
      const kv = await this.getKv(def, namespace, name);
      if (!kv) {
        if (opts.createIfMissing) {
          try {
            return { object: await this.create(def, namespace, await opts.createIfMissing(), ctx), created: true };
          } catch (err) {
            if (isAlreadyExists(err)) continue;
            throw err;
          }
        }
        throw errors.notFound(gr(def), name);
      }
      const current = this.latestReadOnly(def, kv) ?? this.decode(def, kv);
      let desired: KubeObject | undefined;
      try {
        desired = await mutate(opts.readsCurrent ? current : clone(current));
        return { object: await this.writeUpdate(def, current, kv, desired, ctx, opts.subresource), created: false };
      } catch (err) {
        if (!(err instanceof RetryableConflict)) throw err;
        // a caller that pinned a resourceVersion gets the conflict; otherwise read again and retry
        if (desired && !desired.metadata.resourceVersion) continue;
        throw errors.conflictModified(gr(def), name);
      }
    }
    throw errors.conflict(gr(def), name, 'too many concurrent writers, please try again');
  }

  /** PUT: the caller's resourceVersion (when given) must match, otherwise last-writer-wins where the kind allows it. */
  async update(def: ResourceDef, namespace: string | undefined, name: string, input: KubeObject, ctx: RequestContext, subresource?: string): Promise<KubeObject> {
    if (input.metadata?.name && input.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (def.namespaced && input.metadata?.namespace && namespace && input.metadata.namespace !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const rv = input.metadata?.resourceVersion;
    if (!rv && !def.allowUnconditionalUpdate) {
      throw errors.invalid(def.kind, def.group, name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', value: '0x0', detail: 'must be specified for an update' }]);
    }
    // the input is copied once, by writeUpdate (as the status endpoint takes only its status, a
    // deep copy here first would be thrown away); the caller's object is never changed
    const { object } = await this.guaranteedUpdate(def, namespace, name, ctx, (current) => {
      if (rv && rv !== current.metadata.resourceVersion) throw new RetryableConflict();
      const next: KubeObject = { ...input, metadata: { ...input.metadata } };
      next.metadata.name = name;
      if (def.namespaced) next.metadata.namespace = namespace;
      if (!rv) next.metadata.resourceVersion = current.metadata.resourceVersion;
      return next;
    }, { subresource, readsCurrent: true });
    return object;
  }

  /**
   * the common tail of every update: carry immutable fields, split status, generation, finalizers, CAS.
   * `current` is only read (it may be what read-only watchers hold); a status write shares its spec,
   * so what is handed back shares nothing with it unless the caller only reads the result.
   */
  private async writeUpdate(def: ResourceDef, current: KubeObject, kv: KeyValue, input: KubeObject, ctx: RequestContext, subresource?: string): Promise<KubeObject> {
    const own = (o: KubeObject) => (ctx.readsResultOnly || (o !== current && subresource !== 'status') ? o : clone(o));
    const name = current.metadata.name!;
    this.schemaHooks.checkGoTypes(def, input, current);
    if (input.metadata.resourceVersion && input.metadata.resourceVersion !== current.metadata.resourceVersion) throw new RetryableConflict();
    if (input.metadata.uid && input.metadata.uid !== current.metadata.uid) {
      throw errors.conflict(gr(def), name, `Precondition failed: UID in precondition: ${input.metadata.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    // a request's own body is not read again unless a conflict retries it (see RequestContext.ownsInput)
    const owned = !!ctx.ownsInput && !!input.metadata.resourceVersion;
    let next: KubeObject;
    if (subresource === 'status') {
      // the kind's status strategy: status and (unless it resets them) metadata from the body, the
      // rest current's own (see prepareStatusUpdate)
      next = prepareStatusUpdate(def, current, input, !owned);
    } else {
      next = owned ? { ...input } : clone(input);
      // pods/binding writes spec.nodeName and the PodScheduled condition together
      if (hasStatusSubresource(def) && !isNamespaces(def) && subresource !== 'binding') {
        if (current.status === undefined) delete next.status;
        else next.status = clone(current.status);
      }
      if (isNamespaces(def)) next.status = clone(current.status);
    }
    next.apiVersion = joinApiVersion(def.group, def.version);
    next.kind = def.kind;
    const meta = next.metadata;
    const cur = current.metadata;
    meta.name = cur.name;
    if (def.namespaced) meta.namespace = cur.namespace;
    else delete meta.namespace;
    meta.uid = cur.uid;
    meta.creationTimestamp = cur.creationTimestamp;
    // kinds without a generation have none (not an undefined one: that would make a no-op write differ from current)
    if (cur.generation === undefined) delete meta.generation;
    else meta.generation = cur.generation;
    meta.resourceVersion = cur.resourceVersion;
    if (cur.deletionTimestamp) {
      meta.deletionTimestamp = cur.deletionTimestamp;
      meta.deletionGracePeriodSeconds = cur.deletionGracePeriodSeconds;
      const added = (meta.finalizers ?? []).filter((f) => !(cur.finalizers ?? []).includes(f));
      if (added.length) {
        throw errors.invalid(def.kind, def.group, name, [
          { type: 'FieldValueForbidden', field: 'metadata.finalizers', detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}` },
        ]);
      }
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (!meta.generateName) delete meta.generateName;
    await this.prepare('UPDATE', def, next, current, ctx, subresource);
    if (tracksGeneration(def) && specChanged(def, current, next)) meta.generation = (cur.generation ?? 0) + 1;

    // removing the last finalizer of an object being deleted deletes it
    if (cur.deletionTimestamp && !(meta.finalizers?.length) && !(isNamespaces(def) && (next.spec as { finalizers?: string[] } | undefined)?.finalizers?.length)) {
      if (ctx.dryRun) return own(next);
      try {
        abandonIfClientGone(ctx);
        const deleted = await this.store.delete(kv.key, kv.modRevision);
        const out = this.decode(def, { ...deleted, value: this.encode(def, next) });
        return out;
      } catch (err) {
        if (err instanceof ConflictError) throw new RetryableConflict();
        this.storageError(def, name, err);
      }
    }
    const comparable = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, managedFields: undefined, resourceVersion: undefined } });
    if (isDeepStrictEqual(comparable(next), comparable(current))) return own(current); // no-op: no new revision, no event
    if (ctx.dryRun) return own(next);
    try {
      abandonIfClientGone(ctx);
      const written = await this.store.update(kv.key, this.encode(def, next), kv.modRevision);
      next.metadata.resourceVersion = String(written.modRevision);
      this.shareWritten(def, written, next, ctx, current, subresource);
      return own(next);
    } catch (err) {
      if (err instanceof ConflictError) throw new RetryableConflict();
      this.storageError(def, name, err);
    }
  }

  async delete(def: ResourceDef, namespace: string | undefined, name: string, opts: DeleteOptions, ctx: RequestContext): Promise<{ object?: KubeObject; status?: Status; deleted: boolean }> {
    for (let attempt = 0; attempt < maxConflictRetries; attempt++) {
      const kv = await this.getKv(def, namespace, name);
      if (!kv) throw errors.notFound(gr(def), name);
      const current = this.decodeLatest(def, kv);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== current.metadata.uid) {
        throw errors.conflict(gr(def), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
        throw errors.conflict(gr(def), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
      }
      const deleting: AdmissionRequest = { operation: 'DELETE', def, obj: current, old: current, ctx };
      await this.mutate(deleting);
      await this.validateAdmission(deleting);
      const policy: PropagationPolicy | undefined = opts.propagationPolicy ?? (opts.orphanDependents === true ? 'Orphan' : opts.orphanDependents === false ? 'Background' : undefined);
      const next = clone(current);
      const finalizers = [...(next.metadata.finalizers ?? [])];
      const alreadyDeleting = !!current.metadata.deletionTimestamp;
      if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) {
        finalizers.splice(0, finalizers.length, ...finalizers.filter((f) => f !== 'orphan'), 'foregroundDeletion');
      } else if (policy === 'Orphan' && !finalizers.includes('orphan')) {
        finalizers.splice(0, finalizers.length, ...finalizers.filter((f) => f !== 'foregroundDeletion'), 'orphan');
      } else if (policy === 'Background') {
        const keep = finalizers.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
        finalizers.splice(0, finalizers.length, ...keep);
      }
      const namespaceFinalizers = isNamespaces(def) ? ((next.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
      if (finalizers.length || namespaceFinalizers.length) {
        if (alreadyDeleting && isDeepStrictEqual(finalizers, current.metadata.finalizers ?? [])) return { object: current, deleted: false };
        next.metadata.finalizers = finalizers.length ? finalizers : undefined;
        if (!next.metadata.finalizers) delete next.metadata.finalizers;
        if (!alreadyDeleting) {
          next.metadata.deletionTimestamp = rfc3339Now();
          next.metadata.deletionGracePeriodSeconds = 0;
          if (tracksGeneration(def)) next.metadata.generation = (next.metadata.generation ?? 0) + 1;
        }
        if (isNamespaces(def)) (next.status as Record<string, unknown>) = { ...(next.status as object), phase: 'Terminating' };
        if (ctx.dryRun) return { object: next, deleted: false };
        try {
          abandonIfClientGone(ctx);
          const written = await this.store.update(kv.key, this.encode(def, next), kv.modRevision);
          return { object: this.decode(def, written), deleted: false };
        } catch (err) {
          if (err instanceof ConflictError) continue;
          this.storageError(def, name, err);
        }
      }
      const status: Status = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, kind: def.resource, uid: current.metadata.uid, ...(def.group ? { group: def.group } : {}) },
        code: 200,
      };
      if (ctx.dryRun) return { object: current, status, deleted: true };
      try {
        abandonIfClientGone(ctx);
        const deleted = await this.store.delete(kv.key, kv.modRevision);
        return { object: this.decode(def, deleted), status, deleted: true };
      } catch (err) {
        if (err instanceof ConflictError || err instanceof NotFoundError) continue;
        this.storageError(def, name, err);
      }
    }
    throw errors.conflict(gr(def), name, 'too many concurrent writers, please try again');
  }

  // ---- watch ----

  async watch(def: ResourceDef, namespace: string | undefined, opts: WatchOptions, sink: WatchSink): Promise<Watcher> {
    const prefix = collectionPrefix(def, namespace);
    const filter = opts.filter ?? (() => true);
    let after: number;
    const rv = opts.resourceVersion;
    const initial = opts.initialEvents ?? (!rv || rv === '0');
    if (initial) {
      const list = await this.list(def, namespace, { filter: opts.filter });
      after = Number(list.metadata.resourceVersion);
      for (const item of list.items) sink.onEvent('ADDED', item);
      opts.onInitialEventsEnd?.(after);
    } else {
      after = parseResourceVersion(rv!);
      const current = await this.currentRevision(def);
      if (after > current) throw errors.timeout(`Too large resource version: ${after}, current: ${current}`);
    }
    const decode = opts.readOnly ? (kv: KeyValue) => this.decodeShared(def, kv) : (kv: KeyValue) => this.decode(def, kv);
    return this.store.watch(prefix, { afterRevision: after }, {
      onEvents: (events) => {
        for (const ev of events) {
          const obj = decode(ev.kv);
          if (opts.readOnly) {
            if (ev.type === 'delete') this.latestDecodes.delete(ev.kv.key);
            else this.rememberLatest(def, ev.kv, obj);
          }
          if (ev.type === 'delete') {
            // a shared decode is already of this revision (and read-only)
            const deletedAt = String(ev.kv.modRevision);
            if (obj.metadata.resourceVersion !== deletedAt) obj.metadata.resourceVersion = deletedAt;
            if (filter(obj)) sink.onEvent('DELETED', obj);
            continue;
          }
          const now = filter(obj);
          // the previous version is read only when a selector has to judge it, and only its
          // metadata when that is all the selector reads
          const before = ev.prevKv ? (opts.filter ? filter((opts.filter.reads && metadataOf(ev.prevKv, opts.filter.reads)) || decode(ev.prevKv)) : true) : false;
          if (now && before) sink.onEvent('MODIFIED', obj);
          else if (now) sink.onEvent('ADDED', obj);
          else if (before) sink.onEvent('DELETED', obj);
        }
      },
      onError: (err) => {
        if (err instanceof CompactedError) sink.onError(errors.expired(`too old resource version: ${err.requested} (${err.compacted})`));
        else sink.onError(errors.internal(err.message));
      },
    });
  }
}

class RetryableConflict extends Error {}

/**
 * Of a stored value, what a filter that reads only metadata needs, parsed alone: the labels, or the
 * metadata without managedFields (often its larger part); undefined when the text is not what
 * encode writes. Labels, name and namespace are the same in every served version and untouched on read.
 */
function metadataOf(kv: KeyValue, reads: 'labels' | 'metadata'): KubeObject | undefined {
  const text = topLevelMember(kv.value, 'metadata');
  if (text === undefined) return undefined;
  try {
    if (reads === 'labels') {
      const labels = topLevelMember(text, 'labels');
      return { metadata: labels === undefined ? {} : { labels: JSON.parse(labels) } } as KubeObject;
    }
    const metadata = JSON.parse(withoutTopLevelMember(text, 'managedFields') ?? text) as unknown;
    return metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? ({ metadata } as KubeObject) : undefined;
  } catch {
    return undefined;
  }
}

const specOnly: ReadonlySet<string> = new Set(['spec']);

/**
 * A status write keeps the stored spec itself (writeUpdate shares it): it was pruned, defaulted (on
 * read too) and validated when written, so the schema walks pass over it, as kube-apiserver's
 * validation ratcheting lets an unchanged field through.
 */
function storedSpec(obj: KubeObject, old: KubeObject | undefined, subresource: string | undefined): RootWalk {
  return subresource === 'status' && old?.spec !== undefined && obj.spec === old.spec ? { unchanged: specOnly } : {};
}

function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw errors.badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return Number(rv);
}

/** a write whose client has gone is not stored (see RequestContext.clientGone) */
function abandonIfClientGone(ctx: RequestContext): void {
  if (ctx.clientGone?.()) throw errors.timeout('the client closed the connection before the write was stored; it was not stored');
}
