// The member-side objects Works manage, watched once per member and resource (one shared informer,
// label-selected on karmada.io/managed=true) and fanned out to the controllers that care: the
// execution controller (drift) and the work status controller (status). Also remembers the
// resourceVersion of each object as the execution controller last wrote it, so the echo of its
// own write is not mistaken for a member-side edit.
import { compareResourceVersions } from '../../apimachinery/meta.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { GroupVersionResource, KubeClient } from '../../runtime/client.js';
import type { Manager } from '../../runtime/controller.js';
import type { Informer } from '../../runtime/informer.js';
import type { ControllerContext } from '../context.js';
import { ManagedByKarmadaLabel, ManagedByKarmadaLabelValue } from '../../apis/karmada/wellknown.js';

export type MemberEvent = 'add' | 'update' | 'delete';
/** initial: the object came with the member informer's first list (queue it behind fresh changes) */
export type MemberObjectListener = (cluster: string, event: MemberEvent, obj: KubeObject, old?: KubeObject, initial?: boolean) => void;

function gvrKey(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.version}/${gvr.resource}`;
}

function objectId(cluster: string, obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  return `${cluster}|${obj.apiVersion}|${obj.kind}|${obj.metadata?.namespace ?? ''}|${obj.metadata?.name ?? ''}`;
}

export class MemberObjects {
  private readonly informers = new WeakMap<KubeClient, Map<string, Informer>>();
  private readonly listeners: MemberObjectListener[] = [];
  private readonly resetListeners: ((cluster: string) => void)[] = [];
  private readonly written = new Map<string, string>();
  /** objects the execution controller is creating: the watch's ADDED can arrive before the create's answer */
  private readonly creating = new Set<string>();

  constructor(private readonly manager: Manager) {}

  /** called for every add, update and delete of a managed object on any watched member */
  subscribe(listener: MemberObjectListener): void {
    this.listeners.push(listener);
  }

  /** called when a member's client was replaced and its informers dropped (everyone should look again) */
  onReset(listener: (cluster: string) => void): void {
    this.resetListeners.push(listener);
  }

  /** the shared informer of one resource of one member (made, with handlers, the first time) */
  informer(cluster: string, client: KubeClient, gvr: GroupVersionResource): Informer {
    let byResource = this.informers.get(client);
    if (!byResource) {
      byResource = new Map();
      this.informers.set(client, byResource);
    }
    const key = gvrKey(gvr);
    let inf = byResource.get(key);
    if (!inf) {
      inf = this.manager.informer(client, { ...gvr, labelSelector: `${ManagedByKarmadaLabel}=${ManagedByKarmadaLabelValue}` });
      inf.addHandlers({
        onAdd: (obj, initial) => this.emit(cluster, 'add', obj, undefined, initial),
        onUpdate: (obj, old) => this.emit(cluster, 'update', obj, old),
        onDelete: (obj) => {
          this.written.delete(objectId(cluster, obj));
          this.emit(cluster, 'delete', obj);
        },
      });
      byResource.set(key, inf);
    }
    return inf;
  }

  /** the watched informers of a member's client so far */
  watched(client: KubeClient): Informer[] {
    return [...(this.informers.get(client)?.values() ?? [])];
  }

  /** stops the informers of a client that was replaced or dropped */
  forget(cluster: string, client: KubeClient): void {
    this.informers.delete(client);
    this.manager.removeClient(client);
    for (const l of this.resetListeners) l(cluster);
  }

  recordWrite(cluster: string, obj: KubeObject): void {
    if (obj.metadata?.resourceVersion) this.written.set(objectId(cluster, obj), obj.metadata.resourceVersion);
  }

  /** whether the execution controller wrote obj after this version of it (a cached copy that is behind our own write) */
  wroteAfter(cluster: string, obj: KubeObject): boolean {
    const written = this.written.get(objectId(cluster, obj));
    return written !== undefined && written !== obj.metadata?.resourceVersion && (compareResourceVersions(written, obj.metadata?.resourceVersion) ?? 1) > 0;
  }

  /** whether obj is exactly the version the execution controller last wrote */
  isOwnWrite(cluster: string, obj: KubeObject): boolean {
    return !!obj.metadata?.resourceVersion && this.written.get(objectId(cluster, obj)) === obj.metadata.resourceVersion;
  }

  /** runs create with obj marked as being created by the execution controller (isOwnCreate) until it settles */
  async whileCreating<T>(cluster: string, obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>, create: () => Promise<T>): Promise<T> {
    const id = objectId(cluster, obj);
    this.creating.add(id);
    try {
      return await create();
    } finally {
      this.creating.delete(id);
    }
  }

  /**
   * whether obj's appearance is the echo of a create the execution controller has under way: what it
   * created holds what it wanted, and one someone else made first fails that create, which then reads it
   */
  isOwnCreate(cluster: string, obj: KubeObject): boolean {
    return this.creating.size > 0 && this.creating.has(objectId(cluster, obj));
  }

  forgetWrite(cluster: string, obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): void {
    this.written.delete(objectId(cluster, obj));
  }

  private emit(cluster: string, event: MemberEvent, obj: KubeObject, old?: KubeObject, initial?: boolean): void {
    for (const l of this.listeners) {
      try {
        l(cluster, event, obj, old, initial);
      } catch {
        // a listener only enqueues keys; one failing must not starve the others
      }
    }
  }
}

const perManager = new WeakMap<Manager, MemberObjects>();

/** the one MemberObjects of a controller manager (shared by execution and work status) */
export function memberObjects(ctx: Pick<ControllerContext, 'manager' | 'members'>): MemberObjects {
  let mo = perManager.get(ctx.manager);
  if (!mo) {
    const created = new MemberObjects(ctx.manager);
    ctx.members.onReplaced((cluster, old) => created.forget(cluster, old));
    perManager.set(ctx.manager, created);
    mo = created;
  }
  return mo;
}
