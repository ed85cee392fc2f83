// An in-process ListWatchSource over an API server's ObjectStore: the simulator's controllers
// list and watch their member's objects without HTTP, so a hundred members fit in one process.
import type { ResourceDef } from '../apis/resource.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import type { ListWatchSource, WatchEventType } from '../runtime/informer.js';
import type { KubeObject } from '../apimachinery/types.js';

export class ObjectStoreSource implements ListWatchSource {
  constructor(
    private readonly objects: ObjectStore,
    private readonly def: ResourceDef,
    private readonly namespace?: string,
  ) {}

  async list(): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const list = await this.objects.list(this.def, this.namespace);
    return { items: list.items, resourceVersion: list.metadata.resourceVersion ?? '0' };
  }

  async watch(
    resourceVersion: string,
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
    onEnd: (err?: { gone?: boolean; message?: string }) => void,
  ): Promise<{ stop(): void }> {
    let ended = false;
    const watcher = await this.objects.watch(this.def, this.namespace, { resourceVersion, initialEvents: false }, {
      onEvent: (type, obj) => {
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
