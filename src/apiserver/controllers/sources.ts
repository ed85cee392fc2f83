// In-process ListWatchSources for the runtime's informers: over the ObjectStore (one resource, as a
// client would see it: the API server's own controllers and the member simulator's, without HTTP,
// so a hundred members fit in one process) and over the raw store (every key under a prefix, for the
// garbage collector's graph). A compacted watch ends as `gone`, so the informer relists.
import type { ResourceDef } from '../../apis/resource.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Informer, ListWatchSource, WatchEventType } from '../../runtime/informer.js';
import type { Manager } from '../../runtime/controller.js';
import { CompactedError, type KeyValue, type Store } from '../../storage/store.js';
import type { ObjectStore } from '../rest/object-store.js';

/**
 * Tests only: every object an ObjectStoreSource hands out is frozen deep, so that code which changes
 * an informer's object instead of a copy throws where it does so.
 */
let freezeHandedOut = false;
export function setFreezeInformerObjects(on: boolean): void {
  freezeHandedOut = on;
}

function freezeDeep<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freezeDeep(v);
  }
  return value;
}

export interface ObjectStoreSourceOptions {
  /**
   * the informer's users never change an object they are handed (they copy first), so a watch event's
   * object is the one the store decodes once for every read-only watcher (see WatchOptions.readOnly)
   */
  readOnly?: boolean;
}

export class ObjectStoreSource implements ListWatchSource {
  constructor(
    private readonly objects: ObjectStore,
    private readonly def: ResourceDef,
    private readonly namespace?: string,
    private readonly opts: ObjectStoreSourceOptions = {},
  ) {}

  async list(): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const list = await this.objects.list(this.def, this.namespace);
    if (freezeHandedOut) freezeDeep(list.items);
    return { items: list.items, resourceVersion: list.metadata.resourceVersion ?? '0' };
  }

  async watch(
    resourceVersion: string,
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
    onEnd: (err?: { gone?: boolean; message?: string }) => void,
  ): Promise<{ stop(): void }> {
    let ended = false;
    const watcher = await this.objects.watch(this.def, this.namespace, { resourceVersion, initialEvents: false, readOnly: this.opts.readOnly }, {
      onEvent: (type, obj) => {
        if (freezeHandedOut) freezeDeep(obj);
        if (!ended) onEvent(type, obj);
      },
      onError: (status) => {
        if (ended) return;
        ended = true;
        onEnd({ gone: status.status.code === 410, message: status.message });
      },
    });
    return {
      stop: () => {
        ended = true;
        watcher.stop();
      },
    };
  }
}

/**
 * Every key under `prefix` of the raw store, decoded by `decode` (undefined: not of interest) into an
 * object and metadata of its own, not shared: the source sets its resourceVersion to the revision of
 * the write, a delete's included, so a re-watch resumes after the last event seen.
 */
export function storeSource(store: Store, prefix: string, decode: (kv: KeyValue) => KubeObject | undefined): ListWatchSource {
  const withRevision = (kv: KeyValue): KubeObject | undefined => {
    const obj = decode(kv);
    if (obj) obj.metadata.resourceVersion = String(kv.modRevision);
    return obj;
  };
  return {
    async list() {
      const list = await store.list(prefix);
      const items = list.items.map(withRevision).filter((o): o is KubeObject => !!o);
      return { items, resourceVersion: String(list.revision) };
    },
    async watch(resourceVersion, onEvent, onEnd) {
      let ended = false;
      const watcher = store.watch(prefix, { afterRevision: Number(resourceVersion) || 0 }, {
        onEvents: (events) => {
          for (const ev of events) {
            if (ended) return;
            const obj = withRevision(ev.kv);
            if (obj) onEvent(ev.type === 'delete' ? 'DELETED' : 'MODIFIED', obj);
          }
        },
        onError: (err) => {
          if (ended) return;
          ended = true;
          onEnd({ gone: err instanceof CompactedError, message: err.message });
        },
      });
      return {
        stop: () => {
          ended = true;
          watcher.stop();
        },
      };
    },
  };
}

/** the manager's shared informer of one resource over the server's own store (`<group>/<resource>`) */
export function storeInformer(manager: Manager, objects: ObjectStore, def: ResourceDef): Informer {
  return manager.sharedInformer(`${def.group}/${def.resource}`, () => new ObjectStoreSource(objects, def));
}
